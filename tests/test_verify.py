"""Verification compares French figures by value and checks names against the cited passages."""

from __future__ import annotations

import pytest

from chatbot.numbers import mended_thousands
from chatbot.verify import check_figures, check_proper_nouns, figures, proper_nouns, verify

SOURCE = ("En 2022, les recettes du Club Azur atteignent 1,482 milliard d'euros. Son excédent de 2021 est de "
          "+3 millions d'euros, près de 0,2% du total. Le club compte 150 000 randonneurs licenciés. "
          "Président du CODIR (Jean-Luc Ferrand). 1er gestionnaire de refuges gardés des Alpes.")


def test_same_figure_in_other_french_formats_is_supported() -> None:
    for answer in ("Les recettes sont de 1,482 milliard d'euros.", "Il atteint 1 482 millions d'euros.",
                   "Soit 1.482 milliards.", "Il y a 150000 randonneurs.", "Il y a 150 000 randonneurs.",
                   "L'excédent est de 3 millions, soit 0,2 %.", "C'est le 1er gestionnaire.", "En 2022."):
        assert check_figures(answer, [SOURCE]).passed, answer


def test_other_figures_are_caught() -> None:
    for answer, bad in (("Le budget est de 10 milliards d'euros.", "10 milliards"),
                        ("L'excédent 2021 est de 7 millions.", "7 millions"),
                        ("En 2019, le budget était stable.", "2019"),
                        ("Il y a neuf guides.", "neuf"),
                        ("C'est le 2ème gestionnaire.", "2ème")):
        check = check_figures(answer, [SOURCE])
        assert not check.passed and bad in check.unsupported[0], answer


def test_a_rank_in_words_is_the_rank_in_figures() -> None:
    source = "Le Club Vélo Azur est le 1er club cycliste de la région et le 3e de France."
    for answer in ("C'est le premier club de la région.", "Le club est premier dans la région.",
                   "It is the third club in France."):
        assert check_figures(answer, [source]).passed, answer
    for answer, bad in (("C'est le deuxième club de la région.", "deuxième"), ("It is the fourth club.", "fourth")):
        check = check_figures(answer, [source])
        assert not check.passed and bad in check.unsupported[0], answer
    # Only after a determiner or a copula is a word a rank: these name no figure.
    assert figures("Dans un premier temps, en second lieu. First, it grew.") == []


def test_citation_markers_and_question_numbers_are_not_figures() -> None:
    assert [f.text for f in figures("Voir la question 8 [2] et [3].")] == []


def test_proper_nouns_must_be_in_the_sources() -> None:
    assert check_proper_nouns("Le CODIR est présidé par Jean-Luc Ferrand.", [SOURCE]).passed
    check = check_proper_nouns("Le président est Pierre Dupont, soutenu par la CGT.", [SOURCE])
    assert not check.passed and set(check.unsupported) == {"Pierre Dupont", "CGT"}


def test_sentence_openers_are_not_taken_for_names() -> None:
    org = frozenset({"club", "azur"})
    assert proper_nouns("Oui. Le Club Azur est indépendant. Selon la FAQ, il travaille avec des élus.",
                        org_terms=org) == []
    assert proper_nouns("Le Club Azur Junior accueille des jeunes.", org_terms=org) == ["Club Azur Junior"]


def test_verify_uses_only_cited_passages_and_flags_bad_citations() -> None:
    passages = ["Le budget est de 2,4 millions d'euros.", "Il gère 35 refuges."]
    assert verify("Il gère 35 refuges [2].", passages).passed
    result = verify("Il gère 35 refuges [1].", passages)
    assert not result.passed and result.problems()[0] == "figures: 35"
    assert not verify("Il gère 35 refuges [7].", passages).passed
    assert not verify("Il gère 35 refuges.", passages).passed, "an answer must cite"


def test_support_catches_an_echo_of_the_question_and_a_conclusion_beyond_the_text() -> None:
    passages = ["Un refuge n'est jamais mis en vente, sous aucun prétexte.",
                "Le résultat du Club Azur reste stable d'une saison à l'autre."]
    assert not verify("Oui, le Club Azur vend des refuges [1].", passages).passed
    assert not verify("Le Club Azur est très rentable [2].", passages).passed
    assert verify("Un refuge n'est jamais mis en vente, sous aucun prétexte [1].", passages).passed


def test_figure_question_needs_a_figure_in_the_answer() -> None:
    passages = ["Il y a 150 000 randonneurs licenciés dans les Alpes."]
    question = "Combien y a-t-il de randonneurs licenciés dans les Alpes ?"
    assert not verify("Les randonneurs licenciés sont nombreux dans les Alpes [1].", passages, question).passed
    assert verify("Il y a 150 000 randonneurs licenciés dans les Alpes [1].", passages, question).passed


def test_a_fact_the_sources_deny_stated_plainly_is_a_polarity_flip() -> None:
    """A sentence such as "le Club Azur verse des rentes à des propriétaires", where the sources only ever deny
    both words ("aucun propriétaire", "aucune rente"), is flagged, while the same words under a negation, or words
    the sources also affirm, pass."""
    from chatbot.verify import check_polarity, denied_terms

    sources = ["Le Club Azur n'a aucun propriétaire. Aucune rente n'est donc versée. "
               "L'excédent est réinvesti ; sans emprunt, le refuge sert de garantie."]
    assert {"proprietair", "rent", "emprunt"} <= denied_terms(sources)
    assert "excedent" not in denied_terms(sources)
    flipped = check_polarity("Je vous confirme que le Club Azur verse des rentes à des propriétaires [1].", sources)
    assert not flipped.passed
    assert check_polarity("Le Club Azur ne verse aucune rente [1].", sources).passed
    assert check_polarity("L'excédent est réinvesti [1].", sources).passed


def test_an_english_possessive_is_the_name_itself() -> None:
    """"Club Azur's head office" names the Club Azur: the possessive is not a new name to find in the FAQ."""
    check = verify("Club Azur's head office is at 8 place des Cimes 05100 Briançon [1].",
                   ["Club Azur\n8 place des Cimes 05100 Briançon\n04 12 34 56 78"], org_terms=frozenset({"club", "azur"}))
    names = next(c for c in check.checks if c.name == "proper_nouns")
    assert names.passed, names.unsupported


def test_a_detail_of_another_kind_does_not_answer() -> None:
    """Asked for a phone number, the e-mail is a true detail of the FAQ but no answer."""
    footer = ["Club Azur\n8 place des Cimes 05100 Briançon\n04 12 34 56 78\ninfo@club-azur.example"]
    org = frozenset({"club", "azur"})
    wrong = verify("info@club-azur.example [1].", footer, "je peux appeler le club azur à quel numéro de téléphone ?",
                   org_terms=org)
    assert not wrong.passed and "answers_question" in {c.name for c in wrong.checks if not c.passed}
    right = verify("Le numéro de téléphone est le 04 12 34 56 78 [1].", footer,
                   "je peux appeler le club azur à quel numéro de téléphone ?", org_terms=org)
    assert right.passed, right.problems()


@pytest.mark.parametrize(("answer", "language", "passed"), [
    ("Oui, le groupe verse des salaires [1].", "en", False),  # French sentences to an English question
    ("Non [1].", "en", False),  # a French answer particle tells too
    ("Yes, the group pays salaries [1].", "en", True),
    ("The FAQ answers this in French: “Le groupe verse des salaires.” [1]", "en", True),  # quotations aside
    ("The group pays salaries [1].", "fr", False),
    ("contact@example.org [1]", "en", True),  # no word that tells a language: nothing to check
    ("35 refuges [1].", "en", True),
    ("Oui, le groupe verse des salaires [1].", None, True),  # no language given: not checked
])
def test_the_answer_is_in_the_language_of_the_question(answer: str, language, passed: bool) -> None:
    check = next(c for c in verify(answer, ["Le groupe verse des salaires."], language=language).checks
                 if c.name == "language")
    assert check.passed is passed, check


@pytest.mark.parametrize("claim, name", [
    ("Historically, Club Azur is a hiking club run by volunteers [1].", None),
    ("Doubling the number of guarded refuges is the goal for 2030 [1].", None),
    ("Therefore, there is no annuity to pay out [1].", None),
    ("Since 1952, Club Azur has kept its refuges open all year [1].", None),
    ("Greenpeace has helped Club Azur keep its refuges open since 1952 [1].", "Greenpeace"),
    ("Moreover, Microsoft reinvests the profit every year [1].", "Microsoft"),
])
def test_an_english_sentence_opener_is_not_a_name_but_a_name_after_it_is(claim, name) -> None:
    found = proper_nouns(claim, english=True, org_terms=frozenset({"club", "azur"}))
    assert found == ([name] if name else []), found


def test_verify_reads_the_bots_typed_question_as_the_string_would_be() -> None:
    """The bot passes the question it classified once; the verdicts are those of the same question as a string."""
    from chatbot.question import parse_question

    footer = ["Club Azur\n8 place des Cimes 05100 Briançon\n04 12 34 56 78\ninfo@club-azur.example"]
    org = frozenset({"club", "azur"})
    text = "je peux appeler le club azur à quel numéro de téléphone ?"
    for answer in ("info@club-azur.example [1].", "04 12 34 56 78 [1]."):
        typed = verify(answer, footer, parse_question(text), org_terms=org)
        plain = verify(answer, footer, text, org_terms=org)
        assert typed.to_dict() == plain.to_dict()
    assert not verify("info@club-azur.example [1].", footer, parse_question(text), org_terms=org).passed


@pytest.mark.parametrize(("answer", "passed"), [
    ("Club Azur guides NATO hikers [1].", True),  # OTAN
    ("It also hosts IOC delegations [1].", True),  # CIO
    ("Club Azur works with UNICEF [1].", False),
    ("Club Azur is a member of the FNARS [1].", False),
])
def test_a_translated_acronym_is_the_sources_with_its_letters_reordered(answer: str, passed: bool) -> None:
    """French and English acronyms of the same thing share their letters (OTAN / NATO, CIO / IOC); an acronym whose
    letters no word of the sources has is still unsupported."""
    sources = ["Le Club Azur guide des randonneurs de l'OTAN et accueille des délégations du CIO."]
    assert check_proper_nouns(answer, sources, org_terms=frozenset({"club", "azur"})).passed is passed


@pytest.mark.parametrize(("question", "answer", "answers"), [
    # The question's own figure restated answers nothing; a figure it did not give does.
    ("Avec 3,2 millions d'euros de budget, combien de bénévoles compte la fondation ?",
     "Le budget de la fondation est de 3,2 millions d'euros [1].", False),
    ("Avec 3,2 millions d'euros de budget, combien de bénévoles compte la fondation ?",
     "La fondation compte 240 bénévoles [1].", True),
    # A year is no amount or count; it answers a question asking for a date.
    ("Combien de bénévoles la fondation comptait-elle en 2019 ?", "En 2019, la fondation a déménagé [1].", False),
    ("Combien de bénévoles la fondation comptait-elle ?", "En 2019, la fondation a déménagé [1].", False),
    ("En quelle année la fondation a-t-elle déménagé ?", "En 2019, la fondation a déménagé [1].", True),
    # A year asked is answered by a year or a span of time, not by another figure.
    ("Depuis quelle année la fondation travaille-t-elle à l'étranger ?",
     "La fondation est présente dans 12 pays [1].", False),
    ("Depuis quand la fondation existe-t-elle ?", "La fondation existe depuis près de 30 ans [1].", True),
    ("In what year did the foundation open its first shelter?", "The foundation runs 12 shelters [1].", False),
    ("In what year did the foundation open its first shelter?", "It opened its first shelter in 1996 [1].", True),
    ("En quelle année la fondation a-t-elle ouvert 12 refuges ?", "La fondation a ouvert 12 refuges [1].", False),
    # The question's own year is no answer, though it ends a span.
    ("Quand le plan Cap 2030 a-t-il été écrit ?", "Le plan court jusqu'en 2030 [1].", False),
    ("Quand le plan Cap 2030 a-t-il été écrit ?", "Le plan a été écrit en 2024 [1].", True),
])
def test_a_figure_asked_is_one_the_question_did_not_give(question: str, answer: str, answers: bool) -> None:
    from chatbot.verify import check_answers_question

    assert check_answers_question(answer, question).passed is answers


@pytest.mark.parametrize(("question", "answer", "answers"), [
    ("Quelle place occupe le club parmi les écoles de ski ?", "Le club gère 12 refuges en montagne [1].", False),
    ("Quelle place occupe le club parmi les écoles de ski ?", "Le club est la 2e école de ski de la vallée [1].", True),
    ("Where does the club rank among ski schools?", "The club runs 12 shelters in the Alps [1].", False),
    ("Where does the club rank among ski schools?", "It is the second ski school of the valley [1].", True),
    ("Quelle place le club accorde-t-il aux bénévoles ?", "Les bénévoles siègent au bureau du club [1].", True),
    ("Le club est-il bien classé parmi les écoles de ski ?", "Oui, le club est reconnu dans la vallée [1].", True),
])
def test_a_position_in_a_ranking_asked_is_answered_only_by_a_rank(question: str, answer: str, answers: bool) -> None:
    """What the club is or does, true and cited, does not say where it ranks."""
    from chatbot.verify import check_answers_question

    assert check_answers_question(answer, question).passed is answers


@pytest.mark.parametrize(("question", "answer", "answers"), [
    ("How many volunteers does the foundation have?", "The foundation runs 12 shelters in the Alps [1].", False),
    ("How many offices does the foundation have abroad?", "The foundation works in 4 countries [2].", False),
    ("How many shelters does the foundation run?", "The foundation runs 12 shelters in the Alps [1].", True),
    # The source's figure counts role holders: « people » is answered by them.
    ("How many people sit on the board besides its chair?", "It has 3 vice-presidents [3].", True),
    # French answers are read by the fact rules before the model (`chatbot.scope`), not here.
    ("Combien de bénévoles compte la fondation ?", "La fondation gère 12 refuges [1].", True),
])
def test_an_english_count_is_answered_by_a_figure_counting_what_it_asks(question: str, answer: str,
                                                                         answers: bool) -> None:
    from chatbot.verify import check_answers_question

    sources = ["La fondation gère 12 refuges dans les Alpes.", "Elle est présente dans 4 pays.",
               "Son bureau compte 3 vice-présidentes."]
    never = lambda words, texts: [False] * len(texts)  # noqa: E731
    assert check_answers_question(answer, question, sources=sources, singles_out=never).passed is answers


@pytest.mark.parametrize(("question", "answer", "answers"), [
    # A bare contact detail answers a question about reaching the organisation, whatever words it uses…
    ("Comment joindre la Fondation Lumière ?", "contact@lumiere.example [1]", True),
    ("num de tel de la fondation stp", "04 72 10 20 30 [1]", True),
    ("Dans quelle rue sont installés les bureaux de la fondation ?", "12 rue des Lilas 69001 Lyon [1].", True),
    ("Quel numéro composer pour parler à la fondation ?", "04 72 10 20 30 [1]", True),
    # …and nothing else: a secret or an identifier the FAQ never gives is not its contact line.
    ("Quel est le code du portail de la fondation ?", "contact@lumiere.example [1]", False),
    ("What is the username of the foundation's staff portal?", "contact@lumiere.example [1]", False),
    # A sentence around the detail is judged by the claim checks, not here.
    ("Quel est le code du portail de la fondation ?",
     "Pour toute demande, écrivez à contact@lumiere.example [1].", True),
])
def test_a_bare_contact_detail_answers_only_a_question_about_contact(question: str, answer: str,
                                                                      answers: bool) -> None:
    from chatbot.verify import check_answers_question

    assert check_answers_question(answer, question).passed is answers


def test_dialling_a_number_asks_for_the_phone_but_an_identifier_number_does_not() -> None:
    from chatbot.question import parse_question

    assert "phone" in parse_question("Quel numéro composer pour parler à la fondation ?").contact
    assert not parse_question("Quel est le numéro SIRET de la fondation ?").contact


def test_an_english_separator_followed_by_a_space_groups_thousands_but_a_year_stays_a_year() -> None:
    """« 12, 000 » is a small model's « 12 000 » in English: one figure, so the right count is not rejected as « 000
    not in the source »; a year before a comma and a count (« In 2019, 150 … ») is two figures, as written."""
    assert [(f.text, sorted(f.values)) for f in figures("The club sells 12, 000 tickets [1].")] == [
        ("12, 000", [12000.0])]
    assert [f.text for f in figures("In 2019, 150 members joined, then 3, 4 or 5 more.")] == [
        "2019", "150", "3", "4", "5"]
    assert check_figures("The club sells 12, 000 tickets.", ["Le club vend 12 000 billets."]).passed


@pytest.mark.parametrize(("written", "separator", "shown"), [
    ("The club sells 12, 000 tickets [1].", ",", "The club sells 12,000 tickets [1]."),
    ("Le club vend 12, 000 billets [1].", " ", "Le club vend 12 000 billets [1]."),
    ("In 2019, 150 members joined [1].", ",", "In 2019, 150 members joined [1]."),  # a year, then a count
    ("Rooms 12, 345, 678 are open [1].", ",", "Rooms 12, 345, 678 are open [1]."),  # a list of numbers
])
def test_a_figure_split_after_its_thousands_separator_is_shown_whole(written: str, separator: str, shown: str) -> None:
    """The answer shows « 12, 000 » as the one figure the checks read it as, in the answer's own convention."""
    assert mended_thousands(written, separator) == shown


def test_an_english_adverb_opening_a_list_item_is_no_name() -> None:
    """« - Historically, … » opens a line of a list as « Historically, … » opens a sentence."""
    assert "Historically" not in proper_nouns("Two reasons:\n- Historically, the club ran mountain shelters [1].",
                                              english=True)
    assert "Historically" not in proper_nouns("Historically, the club ran mountain shelters [1].", english=True)
