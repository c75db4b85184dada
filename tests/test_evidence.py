"""Which FAQ sentences are quoted after an answer, and how they read."""

from __future__ import annotations

from chatbot.evidence import MARGIN, MAX_QUOTES, coverage, is_quote_line, quote_block, to_quote
from index.retriever import Evidence, Hit
from ingest import Chunk

HIT = Hit(Chunk("q04-x", 4, "Combien dépense le Club Azur ?", "…", (), 0), 0.7, 0.7, 0.0, 1)


def ev(text: str, score: float) -> Evidence:
    return Evidence(text, HIT, score)


def number(item: Evidence) -> int:
    """Every quoted sentence is passage [1]."""
    return 1


def assert_passed_over(question: str, wrong: Evidence, right: Evidence, words: str) -> None:
    """The fallback does not quote `wrong` alone, and quotes `right` (holding `words`) when it follows."""
    from chatbot.extractive import extractive_answer

    assert extractive_answer(question, [wrong], number, min_overlap=1) is None
    quoted = extractive_answer(question, [wrong, right], number, min_overlap=1)
    assert quoted is not None and words in quoted


def test_coverage_counts_content_words_across_accents_and_elisions() -> None:
    assert coverage("Le résultat est stable.", "Le resultat du groupe est stable [1].") == 1.0
    assert coverage("Le résultat est stable.", "Le budget est de 2,4 millions.") == 0.0


def test_quotes_skip_what_is_said_and_stop_at_the_margin_and_the_maximum() -> None:
    evidence = [ev("Le budget du club est de 2,4 millions d'euros.", 0.80),
                ev("Le résultat 2022 atteint +0,2 million d'euros.", 0.78),
                ev("Le résultat est stable d'une saison à l'autre.", 0.80 - MARGIN + 0.01),
                ev("Le club ne compte aucun salarié.", 0.80 - MARGIN - 0.01)]
    chosen = to_quote("Le budget du club est de 2,4 millions d'euros [1].", evidence)
    assert [e.score for e in chosen] == [0.78, 0.80 - MARGIN + 0.01]
    many = [ev(text, 0.8) for text in ("Les refuges accueillent les randonneurs.", "Les guides encadrent les sorties.",
                                       "La boutique vend des cartes de randonnée.", "Le gîte ouvre le soir.")]
    assert len(to_quote("", many)) == MAX_QUOTES
    assert to_quote("", []) == []


def test_sentences_the_answer_already_says_do_not_use_up_the_quotes() -> None:
    """The model copied the two best sentences: the next ones within the margin are still quoted, up to the
    maximum, so a fact ranked fourth reaches the reader."""
    evidence = [ev("Le budget du club est de 2,4 millions d'euros.", 0.80),
                ev("Le résultat 2022 atteint +0,2 million d'euros.", 0.79),
                ev("Le résultat est stable d'une saison à l'autre.", 0.76),
                ev("Le club ne compte aucun salarié.", 0.75)]
    said = "Le budget du club est de 2,4 millions d'euros et le résultat 2022 atteint +0,2 million [1]."
    assert [e.score for e in to_quote(said, evidence)] == [0.76, 0.75]


def test_quote_block_in_french_and_english() -> None:
    quotes = [ev("Le résultat est stable d'une saison à l'autre.", 0.8)]
    assert quote_block(quotes, lambda e: 2) == "La FAQ précise :\n- « Le résultat est stable d'une saison à l'autre. » [2]"
    assert quote_block(quotes, lambda e: 1, lead=True).startswith("D'après la FAQ (question 4) :\n- « Le résultat")
    assert quote_block(quotes, lambda e: 1, language="en").startswith("The FAQ states (in French):\n- “Le résultat")
    assert quote_block([], lambda e: 1) == ""


def test_a_quoted_sentence_leaves_out_its_own_yes_or_no() -> None:
    """« Oui, » opening a FAQ sentence answers the FAQ's question; quoted under « …, c'est vrai ? » it would read as
    the answer to the reader's: the quote shows the cut instead, and still passes the word-for-word check."""
    from chatbot.extractive import extractive_answer
    from chatbot.verify import check_quotes

    passage = "Oui, le Club Azur défend ses propositions auprès des mairies. Non. Le club n'est lié à aucun parti."
    quotes = [ev("Oui, le Club Azur défend ses propositions auprès des mairies.", 0.8),
              ev("Non. Le club n'est lié à aucun parti.", 0.79)]
    block = quote_block(quotes, number)
    assert "« […] le Club Azur défend ses propositions auprès des mairies. » [1]" in block
    assert "« […] Le club n'est lié à aucun parti. » [1]" in block and "Oui" not in block and "Non." not in block
    assert check_quotes(block, [passage]).passed
    quoted = extractive_answer("Le Club Azur fait-il pression sur les mairies, c'est vrai ?", quotes[:1], number,
                               min_overlap=1)
    assert quoted is not None and "« […] le Club Azur défend" in quoted and "Oui" not in quoted
    kept = [ev("Non lucratif, le club réinvestit ses résultats.", 0.8), ev("Non.", 0.7)]
    assert "« Non lucratif, le club" in quote_block(kept, number) and "« Non. »" in quote_block(kept, number)


def test_quote_lines_are_told_apart_from_prose() -> None:
    block = quote_block([ev("Le résultat est stable d'une saison à l'autre.", 0.8)], lambda e: 2, lead=True)
    assert all(is_quote_line(line) for line in block.splitlines())
    assert is_quote_line("D'après la FAQ (question 4) : « En 2023, le budget du club est de 2,4 millions. » [1]")
    assert not is_quote_line("Le budget est de 10 milliards [1].")
    assert not is_quote_line("Le budget est de 10 milliards : « aucun salarié » [1]"), "short quotes are prose"
    assert not is_quote_line("« Le budget est de 2,4 millions » et il double chaque année [1].")


def test_quoted_lines_are_verified_word_for_word_and_prose_still_fully() -> None:
    from chatbot.verify import verify

    passage = "Le résultat du Club Azur est stable d'une saison à l'autre. Il n'y a aucun salaire."
    good = "Le résultat est stable [1].\nLa FAQ précise :\n- « Il n'y a aucun salaire. » [1]"
    assert verify(good, [passage]).passed
    invented = "Le résultat est stable [1].\nLa FAQ précise :\n- « Il y a un salaire de 10 millions. » [1]"
    assert [c.name for c in verify(invented, [passage]).checks if not c.passed] == ["quotes"]
    prose = "Le résultat est de 12 millions : « Il n'y a aucun salaire. » [1]"
    assert "figures" in [c.name for c in verify(prose, [passage]).checks if not c.passed]


ITEM = ("Refuges gardés en lien avec la Fédération des Sentiers Alpins (FSA) et l'Association des Gardiens de Refuge "
        "(AGR), gîtes d'étape... (Club Azur Montagne)")


def test_a_list_item_naming_its_body_is_quotable_a_heading_is_not() -> None:
    from chatbot.evidence import is_list_item, is_sentence

    assert is_list_item(ITEM) and is_sentence(ITEM)
    assert not is_sentence("Avec une équipe de bénévoles soudée")
    assert not is_list_item("Refuges de haute montagne (extrait)")  # too short to be an item that answers


def test_a_list_item_answers_only_as_the_best_match() -> None:
    """An item has no verb to say what it answers: the fallback quotes it when it is the best-ranked text, not when
    a better-ranked sentence shares no word with the question and the item shares one by chance."""
    from chatbot.extractive import extractive_answer

    question = "Le club travaille-t-il pour l'association des gardiens de refuge ?"
    quoted = extractive_answer(question, [ev(ITEM, 0.52), ev("Le résultat est stable d'une saison à l'autre.", 0.4)],
                               number, min_overlap=1)
    assert quoted is not None and "(AGR)" in quoted
    sites = ("Magasins de matériel, buvettes d'altitude, sites d'escalade, chalets du patrimoine "
             "(pôles Sport et Loisirs)")
    behind = extractive_answer("Qui a conçu le site web ?", [ev("Le partage du matériel permet aux sections de "
                                                                 "réagir avec souplesse.", 0.49), ev(sites, 0.47)],
                               number, min_overlap=1)
    assert behind is None


def test_a_bullet_naming_the_topic_in_two_words_is_quoted_though_it_has_no_verb() -> None:
    """A ranking's bullets (« - 5e réseau d'économie circulaire et locale ») have no verb nor final stop: the
    fallback quotes the one holding two of the question's words; a heading of the same shape is never quoted."""
    from chatbot.extractive import extractive_answer

    passage = ("La Fondation Lumière est reconnue :\n- 1er réseau de lecture publique en milieu rural\n"
               "- 5e réseau d'économie circulaire et locale,\nLes ressources de la fondation")
    hit = Hit(Chunk("q10-x", 10, "Pourquoi la fondation est-elle reconnue ?", passage, (), 0), 0.6, 0.6, 0.0, 1)

    bullets = [Evidence("5e réseau d'économie circulaire et locale,", hit, 0.6),
               Evidence("1er réseau de lecture publique en milieu rural", hit, 0.4)]
    quoted = extractive_answer("Quel rang pour l'économie circulaire ?", bullets, number, min_overlap=1)
    assert quoted is not None and "5e réseau" in quoted
    assert extractive_answer("Quel rang pour le compostage ?", bullets, number, min_overlap=1) is None
    heading = [Evidence("Les ressources de la fondation", hit, 0.6)]
    assert extractive_answer("Quelles sont les ressources de la fondation ?", heading, number, min_overlap=1) is None


def test_a_duration_is_not_answered_by_a_count_of_something_else() -> None:
    """« Combien de temps … ? » is not answered by « Le bureau compte 12 membres » (a figure, but no duration); the
    sentence giving how long the members sit is quoted."""
    from chatbot.extractive import extractive_answer

    count = ev("Le bureau du club compte 12 membres bénévoles.", 0.6)
    term = ev("Les membres du bureau sont élus pour trois ans par l'assemblée.", 0.58)
    assert_passed_over("Combien de temps les membres du bureau restent-ils ?", count, term, "trois ans")
    # Where a period starts answers « depuis combien de temps », not « combien de temps faut-il » (nor the reverse).
    since = ev("Depuis 1998, le bureau du club organise la fête des gares.", 0.6)
    until = ev("Le bureau du club organise la fête des gares jusqu'en 2030.", 0.6)
    assert extractive_answer("Depuis combien de temps le bureau organise-t-il la fête ?", [since], number,
                             min_overlap=1) is not None
    assert extractive_answer("Depuis combien de temps le bureau organise-t-il la fête ?", [until], number,
                             min_overlap=1) is None
    assert extractive_answer("Combien de temps faut-il au bureau pour organiser la fête ?", [since], number,
                             min_overlap=1) is None
    # The question's own year is no answer to how long: « jusqu'en 2030 » for the plan « Cap 2030 ».
    own = ev("Le plan Cap 2030 du club court jusqu'en 2030.", 0.6)
    span = ev("Le plan Cap 2030 du club porte sur 7 ans.", 0.58)
    assert extractive_answer("Combien de temps dure le plan Cap 2030 ?", [own], number, min_overlap=1) is None
    assert "7 ans" in (extractive_answer("Combien de temps dure le plan Cap 2030 ?", [own, span], number,
                                         min_overlap=1) or "")


def test_a_year_is_not_answered_by_another_figure() -> None:
    """« Depuis quelle année … à l'étranger ? » is not answered by « présent dans 12 pays » (a figure, no year); the
    sentence giving the year is quoted."""
    countries = ev("Le club, présent dans 12 pays, guide des randonneurs à l'étranger.", 0.6)
    year = ev("Le club guide des randonneurs à l'étranger depuis 2004.", 0.58)
    assert_passed_over("Depuis quelle année le club guide-t-il des randonneurs à l'étranger ?", countries, year, "2004")


def test_a_declined_question_shares_words_with_its_quote_by_word_family() -> None:
    """« financement » and « financées » are one word for the reader: the sentence that says how the refuge nights are
    paid for shares two words with the question, not one; a sentence sharing none is still no answer."""
    from chatbot.extractive import extractive_answer

    paid = "Les nuitées dans nos refuges sont financées en partie par les sections locales."
    quoted = extractive_answer("Quel est le mode de financement des refuges ?", [ev(paid, 0.55)], number,
                               min_overlap=2)
    assert quoted is not None and "financées" in quoted
    assert extractive_answer("Quel est le mode de financement des refuges ?",
                             [ev("Le gîte ouvre le soir.", 0.55)], number, min_overlap=2) is None


def test_a_declined_yes_no_question_is_answered_by_the_sentence_naming_its_objects() -> None:
    """« La fondation dirige-t-elle des foyers ? »: the FAQ names the hostels without that verb; the sentence
    naming them answers, while one naming something else (« des prisons » asked) does not."""
    from chatbot.extractive import extractive_answer

    item = "Nos lieux d'accueil : foyers de jeunes, maisons de quartier... (Pôle Jeunesse)"
    quoted = extractive_answer("La fondation dirige-t-elle des foyers ?", [ev(item, 0.45)], number, min_overlap=2,
                               ignore=frozenset({"fondation"}))
    assert quoted is not None and "foyers" in quoted
    assert extractive_answer("La fondation dirige-t-elle des prisons ?", [ev(item, 0.45)], number, min_overlap=2,
                             ignore=frozenset({"fondation"})) is None
    assert extractive_answer("Que dirige la fondation dans les foyers et les prisons ?", [ev(item, 0.45)], number,
                             min_overlap=2, ignore=frozenset({"fondation"})) is None, "an open question keeps two words"
    # Asked with « est-ce que » and no inverted verb, the same.
    quoted = extractive_answer("Est-ce que la fondation gère des maisons de quartier ?", [ev(item, 0.45)], number,
                               min_overlap=2, ignore=frozenset({"fondation"}))
    assert quoted is not None and "maisons" in quoted
    assert extractive_answer("Est-ce que la fondation gère des prisons ?", [ev(item, 0.45)], number,
                             min_overlap=2, ignore=frozenset({"fondation"})) is None
    # An adjective narrows what is asked: homes of another kind are not named by the sentence.
    for asked in ("Est-ce que la fondation gère des maisons familiales ?",
                  "La fondation gère-t-elle des maisons familiales ?"):
        assert extractive_answer(asked, [ev(item, 0.45)], number, min_overlap=2,
                                 ignore=frozenset({"fondation"})) is None, asked


def test_a_figure_asked_is_not_answered_by_a_quote_of_the_question_s_own_figure() -> None:
    """« Présente dans 12 villes, combien de salariés la fondation emploie-t-elle ? »: the sentence giving the 12
    towns holds no head-count; the quote needs a figure the question did not give."""

    towns = ev("La fondation, présente dans 12 villes, ouvre chaque année de nouveaux ateliers.", 0.6)
    staff = ev("La fondation emploie 85 salariés dans ses ateliers.", 0.55)
    assert_passed_over("Présente dans 12 villes, combien de salariés la fondation emploie-t-elle ?", towns, staff,
                       "85 salariés")


def test_a_yes_no_question_about_a_person_is_quoted_only_by_what_its_predicate_says() -> None:
    """« Le président du bureau est-il un ami du maire ? »: the sentence giving the person's role shares the subject's
    words, not what is asked of them, and answers nothing; a sentence saying the predicate's words does. A question
    about the organisation keeps the usual overlap."""
    from chatbot.extractive import extractive_answer

    role = ev("Le bureau du club est présidé par Marie Dubois, présidente du bureau depuis 2019.", 0.6)
    mayor = ev("Le club travaille avec le maire comme avec tous les élus de la ville.", 0.5)
    for question in ("Le président du bureau est-il un ami du maire ?", "Marie Dubois est-elle une amie du maire ?"):
        assert extractive_answer(question, [role], number, min_overlap=1) is None, question
        quoted = extractive_answer(question, [role, mayor], number, min_overlap=1)
        assert quoted is not None and "maire" in quoted, question
    assert extractive_answer("Marie Dubois préside-t-elle le bureau ?", [role], number, min_overlap=1) is not None
    own = extractive_answer("Le club est-il présidé par Marie Dubois ?", [role], number, min_overlap=1,
                            ignore=frozenset({"club"}))
    assert own is not None


RANKS = Hit(Chunk("q05-x", 5, "Où se classe le club ?",
                  "Le club accueille les randonneurs dans ses refuges toute l'année.\n\n"
                  "- 3e réseau de refuges de montagne\n- 1er organisateur de stages d'escalade",
                  (), 0), 0.7, 0.7, 0.0, 1)


def test_a_rank_asked_is_quoted_from_the_bulleted_rank_not_from_the_closest_sentence() -> None:
    """The fallback quotes a rank to a question asking one: the bulleted item giving it answers, though it shares a
    single word with the question; a sentence without a rank does not."""
    from chatbot.extractive import extractive_answer

    question = "À quel rang se classe le club pour les refuges ?"
    said = Evidence("Le club accueille les randonneurs dans ses refuges toute l'année.", RANKS, 0.60)
    item = Evidence("3e réseau de refuges de montagne", RANKS, 0.58)
    assert extractive_answer(question, [said], number, min_overlap=1) is None
    quoted = extractive_answer(question, [said, item], number, min_overlap=1)
    assert quoted is not None and "3e réseau de refuges" in quoted
