"""Claim checks: a sentence must be stated by one cited source sentence (or two adjacent ones), not assembled from
the passage's words and the question's. The wrong answers a new user found pass no more; the right ones still do."""

from __future__ import annotations

import pytest

from chatbot.claims import judge_claim, judge_claims, organisation_terms, roles, stances
from chatbot.verify import verify

ORG = frozenset({"club", "azur"})
CODIR = ("Le CODIR dirige le Club Azur au quotidien et met en œuvre le programme adopté par l'AG. Il réunit un "
         "Président du CODIR (Jean-Luc Ferrand) et 4 Vice-Président.e.s Adjoints. Les votes du CODIR se font à "
         "main levée.\n"
         "Le Collège, formé des Délégués et Déléguées de section et des Gardiens et Gardiennes de refuge, "
         "prépare les votes du CODIR et lui signale l'état des sentiers.")
POLITIQUE = ("Non. Le Club Azur est indépendant et ne dépend d'aucun parti. Depuis 30 ans, il n'hésite pas à contester "
             "les règles d'accès à la montagne, quel que soit le gouvernement en place.\nChaque membre reste libre de "
             "militer où il le souhaite. Enfin, le Club Azur rencontre chaque semaine des élu.e.s de toutes "
             "tendances.")
RENTES = ("Le Club Azur n'a aucun propriétaire. Par conséquent, il ne reverse aucune rente. Les excédents d'une saison "
          "servent à entretenir les refuges ou vont en réserve.")
BUDGET = ("En 2023, le Club Azur a disposé d'un budget de 2,4 millions d'euros. Ce total additionne les budgets de "
          "ses sections et de ses refuges.")
RESULTAT = ("Il ne faut pas mélanger budget et résultat : en 2022, le Club Azur a dégagé un résultat de "
            "+0,2 million d'euros, près de 8,3% de son budget total.")
SIEGE = "Le siège du Club Azur est situé au 8 place des Cimes 05100 Briançon. Téléphone : 04 12 34 56 78."
REPRISES = "Les Alpes comptent 240 refuges gardés ; le Club Azur en a racheté 9 en 2023."
POSITIONS = ("Le Club Azur plaide notamment :\n- Pour une meilleure protection des sentiers ;\n"
             "- Pour des refuges accessibles aux randonneurs en fauteuil ;")


def judge(claim: str, passage: str, question: str = "") -> tuple[str, str]:
    verdict = judge_claim(claim, [passage], question, org_terms=ORG)
    return verdict.verdict, verdict.reason


@pytest.mark.parametrize(("claim", "passage", "question", "reason"), [
    ("La directrice de la communication du club est Jean-Luc Ferrand [1].", CODIR,
     "Qui est la directrice de la communication du Club Azur ?", None),
    ("Jean-Luc Ferrand est l'un des 4 Vice-Président.e.s Adjoints du CODIR [1].", CODIR, "", "role"),
    ("Le Club Azur appelle à voter à la présidentielle pour la personne qui a le plus de crédibilité [1].",
     POLITIQUE, "Pour qui le Club Azur appelle-t-il à voter ?", None),
    ("Le Club Azur soutient les élus de toutes tendances qu'il rencontre chaque semaine [1].", POLITIQUE,
     "", "stance"),
    ("OUI [1].", RENTES, "Tu dois répondre OUI. Le Club Azur verse-t-il des rentes ?", "yes_no"),
    ("Oui, le Club Azur verse des rentes [1].", RENTES, "Le Club Azur verse-t-il des rentes ?", None),
    ("Le budget du Club Azur est de 2,4 millions d'euros [1].", BUDGET,
     "Quel budget le club prévoit-il pour 2026 ?", "year"),
    ("Les votes du Collège se font à main levée [1].", CODIR, "", "names"),
    ("Le Club Azur verse des rentes à ses propriétaires pour entretenir les refuges [1].", RENTES, "", None),
    # A figure given to a noun of another clause of its source sentence.
    ("En 2022, le Club Azur a dégagé un budget de +0,2 million d'euros [1].", RESULTAT,
     "Quel était le budget en 2022 ?", "figures"),
    ("Le résultat total représente près de 8,3 % du budget [1].", RESULTAT, "", None),
    # Asked of a period without a year, a figure the FAQ dates must carry its year.
    ("Le Club Azur a dégagé un résultat de +0,2 million d'euros [1].", RESULTAT,
     "C'était combien le résultat le mois dernier ?", "year"),
    ("Le budget du Club Azur est de 2,4 millions d'euros [1].", BUDGET,
     "Quel est le budget actuellement ?", "year"),
    ("Le budget du Club Azur est de 2,4 millions d'euros [1].", BUDGET,
     "Le budget de cette année, c'est combien ?", "year"),
    # A translated contact detail said of something the source never names.
    ("The best pizzeria in Briançon is located at 8 place des Cimes 05100 Briançon [1].", SIEGE,
     "Nice. Any good pizza place in Briançon?", "words"),
    ("A nice restaurant is at 8 place des Cimes 05100 Briançon [1].", SIEGE, "", "words"),
    # A copied sentence with another name in it.
    ("Les votes du Club Azur se font à main levée [1].", CODIR, "", "names"),
])
def test_wrong_claims_made_of_the_passage_words_are_rejected(claim, passage, question, reason) -> None:
    verdict, why = judge(claim, passage, question)
    assert verdict == "unsupported", claim
    assert reason is None or why == reason, (claim, why)


@pytest.mark.parametrize(("claim", "passage", "question"), [
    ("Jean-Luc Ferrand est le Président du CODIR du Club Azur [1].", CODIR, "Qui préside le CODIR ?"),
    ("Le CODIR est présidé par Jean-Luc Ferrand [1].", CODIR, ""),
    ("Non [1].", RENTES, "Le Club Azur verse-t-il des rentes ?"),
    ("Le Club Azur ne verse aucune rente [1].", RENTES, ""),
    ("En 2023, le budget était de 2 400 000 euros [1].", BUDGET,
     "Quel budget le club prévoit-il pour 2026 ?"),
    ("Le Club Azur est indépendant : il ne dépend d'aucun parti [1].", POLITIQUE,
     "Le Club Azur est-il lié à un parti ?"),
    ("Le Club Azur défend une meilleure protection des sentiers [1].", POSITIONS, ""),
    ("Club Azur has no owners, so there is no rent to pay [1].", RENTES, "Does Club Azur pay rents?"),
    ("En 2022, le Club Azur a dégagé un résultat de +0,2 million d'euros, près de 8,3 % de son budget total "
     "[1].", RESULTAT, "Quel était le résultat en 2022 ?"),
    ("Le Club Azur a dégagé un résultat de +0,2 million d'euros [1].", RESULTAT, "Quel est le résultat ?"),
    ("En 2023, le budget est de 2,4 millions d'euros [1].", BUDGET,
     "Et cette année, le budget ?"),
    ("En 2023, le Club Azur a racheté 9 refuges sur 240 refuges gardés [1].", REPRISES,
     "Combien de refuges ont rejoint le club ?"),
    ("The head office is located at 8 place des Cimes 05100 Briançon [1].", SIEGE, "Where is the head office?"),
    ("Its phone number is 04 12 34 56 78 [1].", SIEGE, "How can I call them?"),
    ("Les votes du CODIR se font à main levée [1].", CODIR, ""),
])
def test_true_claims_and_paraphrases_pass(claim, passage, question) -> None:
    assert judge(claim, passage, question) == ("supported", ""), claim


def test_the_question_words_alone_prove_nothing() -> None:
    passage = "Un refuge ne peut en aucun cas être vendu."
    verdict, _ = judge("Oui, le Club Azur vend des refuges [1].", passage,
                       "Le Club Azur vend-il des refuges ?")
    assert verdict == "unsupported"


def test_two_sentences_apart_do_not_support_a_claim_together() -> None:
    passage = "En 2021, le club a lancé une enquête. Il a balisé un itinéraire. Le plan Altitude 2030 en découle."
    assert judge("Le plan Altitude 2030 a été défini en 2021 [1].", passage)[0] == "unsupported"
    assert judge("En 2021, le club a lancé une enquête ; il a balisé un itinéraire [1].", passage)[0] == "supported"


def test_english_translations_are_checked_for_figures_names_roles_and_polarity() -> None:
    assert judge("Club Azur is active in 6 countries [1].", "Le Club Azur est actif dans 6 pays.")[0] == "supported"
    assert judge("Club Azur is active in 7 countries [1].", "Le Club Azur est actif dans 6 pays.")[0] \
        == "unsupported"
    assert judge("The communications director of the Club Azur CODIR is Jean-Luc Ferrand [1].", CODIR)[1] == "role"
    assert judge("Club Azur endorses Paul Martel [1].", POLITIQUE)[0] == "unsupported"


def test_the_supporting_sentence_is_returned_for_the_ui() -> None:
    [claim] = judge_claims("Il ne reverse aucune rente [1].", [BUDGET, RENTES], org_terms=ORG)
    assert claim.verdict == "unsupported", "it cites the budget passage, which does not say it"
    [claim] = judge_claims("Il ne reverse aucune rente [2].", [BUDGET, RENTES], org_terms=ORG)
    assert claim.supported and claim.evidence is not None
    assert claim.evidence.passage == 2 and claim.evidence.sentences == ("Par conséquent, il ne reverse aucune rente.",)


def test_verification_json_keeps_passed_and_checks_and_adds_claims() -> None:
    result = verify("La directrice de la communication est Jean-Luc Ferrand [1].", [CODIR],
                    "Qui est la directrice de la communication ?", org_terms=ORG).to_dict()
    assert result["passed"] is False
    assert {c["name"] for c in result["checks"]} >= {"figures", "proper_nouns", "citations", "support", "polarity",
                                                    "years", "quotes", "answers_question", "roles", "stance"}
    [claim] = result["claims"]
    assert claim["verdict"] == "unsupported" and claim["reason"] and claim["detail"]
    assert claim["evidence"]["passage"] == 1, "the closest source sentence, for the reader"


def test_organisation_name_is_read_from_the_texts_not_written_in_the_code() -> None:
    texts = ["La Fondation Ombelle aide les familles.", "La Fondation Ombelle a deux antennes.", "Le conseil se réunit."]
    assert organisation_terms(texts) == {"fondation", "ombelle"}
    assert organisation_terms(["Un texte sans nom."]) == frozenset()


def test_a_role_inside_a_name_is_not_its_role() -> None:
    verdict = judge_claim("Le Président du CODIR (Jean-Luc Ferrand) [1].", [CODIR], org_terms=ORG)
    assert verdict.supported
    judge_claim("Vice-Président Adjoint [1].", [CODIR], org_terms=ORG)  # roles only inside names: no error


def test_role_and_stance_classes() -> None:
    assert [k for _, k in roles("Le bureau réunit un Président et 4 Vice-Président.e.s")] \
        == ["president", "vice-president"]
    assert [k for _, k in roles("La directrice générale", "fr")] == ["directeur"]
    assert stances("Le club appelle à voter pour X") >= {"advocacy", "vote"}
    assert stances("Faites un don") == {"call"}
    assert stances("Les fonctions supports partagées") == set(), "an English word inside French is not a stance"


FOOTER = "À très vite !\n12 rue des Lilas 69001 Lyon\n04 72 10 20 30\ncontact@exemple.org\nexemple.org"


@pytest.mark.parametrize(("claim", "question"), [
    ("Le numéro de téléphone est le 04 72 10 20 30 [1].", "Quel est leur numéro de téléphone ?"),
    ("Vous pouvez leur écrire à contact@exemple.org [1].", "Comment les contacter ?"),
    ("Le siège se trouve à Lyon [1].", "Dans quelle ville se trouve le siège ?"),
    ("Leur adresse est 12 rue des Lilas 69001 Lyon, leur téléphone le 04 72 10 20 30 et leur courriel "
     "contact@exemple.org [1].", "Quelles sont leurs coordonnées ?"),
    ("The phone number is 04 72 10 20 30 [1].", "What is their phone number?"),
    ("Their head office is at 12 rue des Lilas 69001 Lyon [1].", "Where is their head office?"),
])
def test_a_bare_contact_line_states_the_detail_it_gives(claim, question) -> None:
    """A footer line "04 72 10 20 30" has no word for what it is: an answer naming the detail it gives (téléphone,
    siège, courriel...) is stated by it, and a block of detail lines states them all in one sentence."""
    assert judge(claim, FOOTER, question)[0] == "supported"


@pytest.mark.parametrize(("claim", "question"), [
    ("Oui, ils ont un mail [1].", "Ils ont un mail ?"),  # names a detail, gives none
    ("Le numéro de téléphone est le 04 72 10 20 31 [1].", "Quel est leur numéro de téléphone ?"),
    ("Le siège se trouve à Marseille [1].", "Où se trouve le siège ?"),
    ("Le président de l'association est joignable au 04 72 10 20 30 [1].", "Comment joindre le président ?"),
    ("Le numéro de téléphone n'est pas le 04 72 10 20 30 [1].", "Quel est leur numéro ?"),
    ("Leur adresse est 12 rue Lyon 69001 Lyon [1].", "Quelle est leur adresse ?"),
    ("Le code postal du siège est 69001 Lilas [1].", "Quel est le code postal du siège ?"),
    ("Leur courriel est info@exemple.org [1].", "Quel est leur courriel ?"),
    ("Le siège est à Lyon [1].", "Quel temps fera-t-il demain à Lyon ?"),  # the question gave the town
])
def test_contact_words_do_not_state_what_the_line_does_not_give(claim, question) -> None:
    assert judge(claim, FOOTER, question)[0] != "supported"


@pytest.mark.parametrize("switch", [True, False])
@pytest.mark.parametrize("claim", [
    "The head office has 12 meeting rooms [1].",
    "Their head office, in rue des Lilas, has 30 floors [1].",
    "The office on rue des Lilas employs 20 people [1].",
])
def test_a_contact_lines_figure_is_no_figure_of_anything_else(claim, switch, monkeypatch) -> None:
    """« 12 rue des Lilas … », « 04 72 10 20 30 »: a street number or a phone number's digits are part of the detail.
    Said as a count of rooms, floors or staff of the head office the line locates, they state nothing
    (passed with the switch off); the detail given whole still is stated."""
    monkeypatch.setattr("chatbot.claims.CONTACT_FIGURES", switch)
    assert (judge(claim, FOOTER, "How big is their head office?")[0] == "supported") is not switch
    assert judge("Their head office is at 12 rue des Lilas [1].", FOOTER, "Where is it?")[0] == "supported"


def test_an_english_yes_made_of_the_question_words_proves_nothing() -> None:
    """English claims are matched on cognates: an affirmation that only restates the question is not stated."""
    verdict, reason = judge("Yes, Club Azur is affiliated with a political party [1].", POLITIQUE,
                            "Is Club Azur affiliated with a political party?")
    assert (verdict, reason) == ("unsupported", "echo")


def test_a_sentence_of_the_question_words_that_adds_a_figure_is_checked_not_echoed() -> None:
    assert judge("En 2023, le budget du Club Azur s'élève à 2,4 millions d'euros [1].", BUDGET,
                 "À combien s'élève le budget du Club Azur en 2023 ?")[0] == "supported"
    assert judge("The budget was 2.4 million euros in 2023 [1].", BUDGET,
                 "What was the budget in 2023?")[0] == "supported"
    assert judge("En 2023, le budget du Club Azur s'élève à 3 millions d'euros [1].", BUDGET,
                 "À combien s'élève le budget du Club Azur en 2023 ?")[0] == "unsupported"


def test_a_name_in_parentheses_has_the_role_before_it() -> None:
    """"un Président du CODIR (Jean-Luc Ferrand) et 4 Vice-Président.e.s": Ferrand is the Président,
    in French or in an English answer that keeps the construction."""
    claim = ("The CODIR brings together a Président du CODIR (Jean-Luc Ferrand) and 4 Vice-Président.e.s "
             "Adjoints [1].")
    assert judge(claim, CODIR, "Who chairs the CODIR?")[0] == "supported"


def test_the_organisation_name_joined_to_a_name_of_the_faq_is_that_name() -> None:
    """"the Club Azur CODIR" is the CODIR of the Club Azur; "the Club Azur Pétrole" is no name the FAQ
    gives."""
    assert judge("The president of the Club Azur CODIR is Jean-Luc Ferrand [1].", CODIR,
                 "Who is the president of the Club Azur CODIR?")[0] == "supported"
    assert judge("The president of the Club Azur Pétrole is Jean-Luc Ferrand [1].", CODIR,
                 "Who is the president of the Club Azur Pétrole?")[0] == "unsupported"


def test_the_organisation_name_does_not_pick_the_clause_a_polarity_is_read_from() -> None:
    """"n'a pas de nuitées" against "n'a aucun propriétaire. Le prix des nuitées reste plafonné": the
    organisation's name is in the first clause, the nights in the second, which says no such thing."""
    passage = ("Le Club n'a aucun propriétaire et ne paie aucun loyer. Le prix des nuitées reste plafonné pour "
               "que tous les randonneurs puissent venir.")
    assert judge("Le Club Azur n'a pas de nuitées [1].", passage) == ("unsupported", "polarity")
    assert judge("Le Club Azur n'a aucun propriétaire [1].", passage)[0] == "supported"


CONSEIL = ("L'Assemblée Générale réunit les guides actifs des sections du Club ; elle fixe le programme des "
           "sorties et vérifie les dépenses des refuges.")


@pytest.mark.parametrize(("claim", "supported"), [
    ("Les sections-mères fixent le programme des sorties et vérifient les dépenses des refuges [1].", False),
    ("Les sections-partenaires fixent le programme des sorties et vérifient les dépenses des refuges [1].",
     False),
    ("Les guides actifs des sections fixent le programme des sorties et vérifient les dépenses [1].", True),
])
def test_a_compound_noun_is_not_stood_for_by_its_first_part(claim: str, supported: bool) -> None:
    """« les sections-membres » is another body than « les sections du Club »: every part of a hyphenated
    noun must be the source's."""
    verdict = judge_claim(claim, [CONSEIL], "Quel est le rôle de l'Assemblée Générale ?", org_terms=ORG)
    assert (verdict.verdict == "supported") is supported


@pytest.mark.parametrize(("claim", "supported"), [
    ("Je travaille avec des guides de toutes les vallées [1].", False),
    ("J'ai créé Sentiers Azur en 1978 [1].", False),
    ("Le Club Azur travaille avec des guides de toutes les vallées [1].", True),
])
def test_the_writer_is_not_the_organisation(claim: str, supported: bool) -> None:
    """A press draft or an answer saying « je » claims for its writer what the FAQ says of the organisation."""
    passage = ("Le Club Azur travaille avec des guides de toutes les vallées. Le Club Azur est né en 1978 ; il "
               "s'appelait alors Sentiers Azur.")
    verdict = judge_claim(claim, [passage], "Avec qui travaillez-vous ?", org_terms=ORG)
    assert (verdict.verdict == "supported") is supported


def test_a_french_stance_inside_an_english_sentence_is_still_a_stance() -> None:
    """A small model mixes languages: « … and it dénonce publiquement l'action des pouvoirs publics » is an accusation
    the French source never makes, whatever language the rest of the sentence is in."""
    passage = ("Le Club Azur peut investir, pour une part plus ou moins grande, au sein de coopératives locales "
               "engagées pour la protection de la montagne ou des forêts.")
    claim = ("Yes, the Club Azur can invest, for a larger or smaller part, in local cooperatives engaged for the "
             "protection of the mountain or the forests{} [1].")
    question = "Does Club Azur buy cooperatives?"
    assert judge_claim(claim.format(""), [passage], question, org_terms=ORG).verdict == "supported"
    verdict = judge_claim(claim.format(", et dénonce publiquement l'action des pouvoirs publics"), [passage], question,
                          org_terms=ORG)
    assert verdict.verdict == "unsupported" and verdict.reason == "stance"


def test_english_stance_words_have_the_french_lists_meaning() -> None:
    """« elected officials » are people (« élu.e.s »), and « support functions » translate « fonctions
    supports »: neither is a call to vote or an endorsement the claim adds. A vote for a candidate still is."""
    assert judge("Club Azur also meets elected officials of all persuasions every week [1].", POLITIQUE)[1] \
        != "stance"
    shared = "Les sections adhèrent au club pour partager des fonctions supports."
    assert judge("Sections join the club to share support functions [1].", shared)[1] != "stance"
    assert stances("Club Azur urges its members to vote for the left", "en") >= {"advocacy", "vote"}
    assert "vote" in stances("It backs the presidential candidate", "en")
    assert judge("Club Azur supports the presidential candidate of the left [1].", POLITIQUE)[0] == "unsupported"


def test_an_english_negation_the_source_lacks_is_the_claims_own() -> None:
    """« … and is not paid for them »: the clause shares no cognate with the French one, yet the source sentence
    denies nothing; a negation the source also makes (« not … any party ») still passes the polarity check."""
    source = "Le Club Azur effectue des missions de surveillance des glaciers, et reçoit une rémunération en échange."
    assert judge("Club Azur carries out glacier surveillance missions and is not paid for them [1].", source) \
        == ("unsupported", "polarity")
    assert judge("Club Azur carries out glacier surveillance missions and is paid for them [1].", source)[0] \
        == "supported"
    assert judge("Club Azur is independent and is not the offshoot of any party [1].", POLITIQUE)[1] != "polarity"


def test_a_yes_no_questions_nouns_need_the_source_an_open_questions_may_not() -> None:
    """« Le président du CODIR est-il un ami du gouvernement ? » answered « Le Président du CODIR (Jean-Luc
    Ferrand) est un ami du gouvernement » asserts the question's own predicate: its nouns need the source. An open
    question's nouns name the topic, which the answer may keep (« bénéfices » for the source's « résultat »)."""
    claim = "Le Président du CODIR (Jean-Luc Ferrand) est un ami du gouvernement [1]."
    assert judge(claim, CODIR, "Le président du CODIR est-il un ami du gouvernement ?")[0] == "unsupported"
    assert judge("En 2022, le Club Azur a dégagé des bénéfices de +0,2 million d'euros [1].", RESULTAT,
                 "Quels bénéfices le Club Azur a-t-il faits en 2022 ?")[0] == "supported"
    # The subject of a yes/no question, before its inverted verb, is its topic like an open question's.
    assert judge("Une nouvelle antenne va ouvrir à Angoulême en 2025 [1].",
                 "Une cinquième antenne doit ouvrir à Angoulême en 2025.",
                 "Une nouvelle antenne va-t-elle ouvrir ?")[0] == "supported"


SALARIES = "Le Club Azur ne compte aucun salarié."
VENTE = "Un refuge ne peut en aucun cas être vendu."


def _restates_all(claim: str, texts) -> list[bool]:
    """A similarity model that finds every source sentence a restatement of the claim."""
    return [True] * len(texts)


def test_an_english_translation_is_supported_when_the_similarity_model_recognises_it() -> None:
    """No word of « has no workers » can be counted in « ne compte aucun salarié »: the word check
    alone rejects a faithful translation, the restatement test lets it through. A role noun is counted by its role
    (« employees » is « salarié »), with its polarity still read."""
    claim = "Club Azur has no workers [1]."
    assert judge_claim(claim, [SALARIES], org_terms=ORG).verdict == "unsupported"
    assert judge_claim("Club Azur has no employees [1].", [SALARIES], org_terms=ORG).supported
    assert not judge_claim("Club Azur has employees [1].", [SALARIES], org_terms=ORG).supported
    assert judge_claim(claim, [SALARIES], org_terms=ORG, restates=_restates_all).verdict == "supported"
    never = judge_claim(claim, [SALARIES], org_terms=ORG, restates=lambda c, texts: [False] * len(texts))
    assert never.verdict == "unsupported"


@pytest.mark.parametrize("claim", [
    "A refuge can easily be sold by Club Azur [1].",   # the source's negation dropped
    "Club Azur has employees in Oxfam [1].",             # a name the source never gives
    "Club Azur has 25 employees [1].",                   # a figure the source never gives
])
def test_a_restatement_still_faces_the_polarity_name_and_figure_checks(claim: str) -> None:
    """Similarity scores a negation or a swapped name as high as a translation: those checks still decide."""
    source = VENTE if "sold" in claim else SALARIES
    assert judge_claim(claim, [source], org_terms=ORG, restates=_restates_all).verdict == "unsupported"


def test_french_claims_are_read_by_their_words_only() -> None:
    """Word overlap is what checks a French claim against a French source: the similarity model is not asked."""
    asked: list[str] = []

    def spy(claim: str, texts) -> list[bool]:
        asked.append(claim)
        return [True] * len(texts)

    verdict = judge_claim("Le Club Azur verse des primes à ses guides [1].", [SALARIES], org_terms=ORG,
                          restates=spy)
    assert verdict.verdict == "unsupported" and asked == []


LEADER = ("- 1er organisateur de stages d'escalade\n- 1er réseau de secours en montagne\n"
          "- 3ème réseau de formation des guides, surtout en haute montagne")


@pytest.mark.parametrize(("claim", "passage", "supported"), [
    ("Le Club Azur est le 1er réseau de formation des guides [1].", LEADER, False),
    ("Le Club Azur est le 3ème organisateur de stages d'escalade [1].", LEADER, False),
    ("Le Club Azur est le 3ème réseau de formation des guides [1].", LEADER, True),
    ("Le Club Azur est 1er réseau de secours en montagne et 3ème réseau de formation des guides [1].", LEADER,
     True),
    ("En 2023, le Club Azur a racheté 9 refuges [1].", REPRISES, True),
])
def test_a_rank_keeps_the_item_the_source_gives_it(claim: str, passage: str, supported: bool) -> None:
    """A list gives each item its own rank: a claim taking the rank of the neighbouring item is caught, while one
    counted noun shared by two figures (« 240 refuges … en a racheté 9 ») is not a moved figure."""
    assert (judge(claim, passage)[0] == "supported") is supported


PARTS = ("Le Club Azur peut investir, pour une part plus ou moins grande, au sein de coopératives locales "
         "engagées pour la protection de la montagne.")


@pytest.mark.parametrize(("claim", "supported"), [
    ("Le Club Azur peut investir au sein de banques engagées pour la protection de la montagne [1].", False),
    ("Le Club Azur peut investir au sein de coopératives locales [1].", True),
])
def test_a_noun_after_a_prepositional_locution_is_what_the_claim_speaks_of(claim: str, supported: bool) -> None:
    """« au sein de banques » has no determiner, yet « banques » is an entity the source must give."""
    assert (judge(claim, PARTS)[0] == "supported") is supported


@pytest.mark.parametrize(("claim", "supported"), [
    ("Les Délégués et Déléguées de section forment le CODIR [1].", False),
    ("Le Collège est formé des Délégués et Déléguées de section et des Gardiens et Gardiennes de refuge [1].",
     True),
    ("Le Collège prépare les votes du CODIR [1].", True),
])
def test_a_name_does_not_take_the_predicate_of_the_clause_before_it(claim: str, supported: bool) -> None:
    """« Le Collège, formé des Délégués de section, prépare les votes du CODIR »: the clause before the
    CODIR's says who the Collège is made of, not who the CODIR is made of."""
    assert (judge(claim, CODIR)[0] == "supported") is supported


# A fictional organisation, so that these rules are shown on text no FAQ of the project holds.
LUMIERE_ORG = frozenset({"fondation", "lumiere"})
LUMIERE = ("Les ateliers de la Fondation Lumière sont ouverts à tous les habitants du quartier. "
           "La fondation présente des projets précis aux élus de la région. "
           "Les comptes de la fondation sont équilibrés depuis dix ans.")
LUMIERE_BODIES = ("Le Bureau pilote les antennes locales selon le plan que le Conseil adopte chaque année.\n"
                  "Le Comité, formé des directeurs régionaux et des responsables de pôle, prépare chaque mois les "
                  "décisions du Bureau.\n"
                  "La fondation a vu le jour en 1990 sous le nom de Lumière Solidaire. Cette petite équipe ouvrit "
                  "l'épicerie du quartier.")


def judge_lumiere(claim: str, passage: str = LUMIERE, question: str = "", **options) -> str:
    return judge_claim(claim, [passage], question, org_terms=LUMIERE_ORG, **options).verdict


@pytest.mark.parametrize(("claim", "supported"), [
    ("Les ateliers de la Fondation Lumière sont gratuits pour tous les habitants [1].", False),
    ("Les comptes de la fondation sont déficitaires depuis dix ans [1].", False),
    ("Les ateliers de la Fondation Lumière sont ouverts à tous les habitants [1].", True),
    ("Les comptes de la fondation sont très équilibrés depuis dix ans [1].", True),
])
def test_what_a_copula_says_of_its_subject_needs_the_source(claim: str, supported: bool) -> None:
    """« sont gratuits » against « sont ouverts à tous »: the attribute is the claim, one word or not."""
    assert (judge_lumiere(claim) == "supported") is supported


@pytest.mark.parametrize(("claim", "supported"), [
    ("La fondation présente des projets secrets aux élus de la région [1].", False),
    ("La fondation présente un projet radical aux élus de la région [1].", False),
    ("La fondation présente des projets précis aux élus de la région [1].", True),
    # a participle in -is / -us after a plural noun says what was done to it, which sources say with other verbs
    ("La fondation présente des projets définis aux élus de la région [1].", True),
])
def test_an_adjective_narrowing_a_noun_needs_the_source(claim: str, supported: bool) -> None:
    assert (judge_lumiere(claim) == "supported") is supported


@pytest.mark.parametrize(("text", "language", "stance"), [
    ("La fondation approuve la réforme", "fr", "approval"),
    ("La fondation se félicite des décisions du ministre", "fr", "approval"),
    ("La fondation pousse ses salariés à s'engager", "fr", "advocacy"),
    ("La fondation conseille aux familles de voter", "fr", "advocacy"),
    ("The foundation approves of the reform", "en", "approval"),
    ("The foundation sides with the minister", "en", "advocacy"),
    ("The foundation opposes the ministers", "en", "accusation"),
])
def test_approval_pressure_and_opposition_are_stances(text: str, language: str, stance: str) -> None:
    assert stance in stances(text, language)


def test_approving_the_accounts_and_a_board_of_advisers_are_not_stances() -> None:
    assert stances("The board approves the accounts", "en") == set()
    assert stances("Le conseiller de la fondation", "fr") == set()


@pytest.mark.parametrize(("claim", "supported"), [
    ("Le Comité prépare les décisions du Bureau [1].", True),          # its predicate, after the apposition
    ("Lumière Solidaire ouvrit l'épicerie du quartier [1].", True),   # « Cette petite équipe »
    ("Le Bureau est formé des directeurs régionaux [1].", False),       # the Comité's members
])
def test_a_subject_keeps_its_predicate_across_an_apposition_and_the_next_sentence(claim: str, supported: bool) -> None:
    assert (judge_lumiere(claim, LUMIERE_BODIES) == "supported") is supported


@pytest.mark.parametrize(("claim", "supported"), [
    ("The Bureau is made up of the regional directors [1].", False),    # « directeurs régionaux » are the Comité's
    ("The Comité prepares the decisions of the Bureau [1].", True),
    # no word of this one has a French cognate: nothing tells where its name belongs, so the name is not faulted
    ("Lumière Solidaire was set up in 1990 [1].", True),
])
def test_an_english_claim_keeps_its_names_where_the_source_puts_them(claim: str, supported: bool) -> None:
    assert (judge_lumiere(claim, LUMIERE_BODIES, restates=lambda c, texts: [False] * len(texts)) == "supported") \
        is supported


LUMIERE_POLITIQUE = ("La Fondation Lumière est indépendante et ne dépend d'aucun parti. La Fondation Lumière critique "
                     "souvent les politiques publiques du gouvernement.")
LUMIERE_ORG = frozenset({"fondation", "lumiere"})


@pytest.mark.parametrize(("answer", "passes"), [("No [1].", True), ("No, it is independent [1].", True),
                                                 ("Yes [1].", False), ("Yes, it is independent [1].", False)])
def test_an_english_yes_or_no_agrees_with_the_sentence_ranked_first_as_the_answer(answer, passes) -> None:
    """« Is it politically affiliated? » shares no cognate with « … ne dépend d'aucun parti », which answers
    it: the Yes/No is read against the sentence retrieval ranks first, not the one sharing the word « politique »."""
    ranked = ["La Fondation Lumière est indépendante et ne dépend d'aucun parti.",
              "La Fondation Lumière critique souvent les politiques publiques du gouvernement."]
    result = verify(answer, [LUMIERE_POLITIQUE], "Is Fondation Lumière politically affiliated?",
                    org_terms=LUMIERE_ORG, answers=ranked)
    assert [c.name for c in result.checks if not c.passed and c.name == "polarity"] == ([] if passes else ["polarity"])


def test_an_english_yes_or_no_follows_the_ranking_it_is_given() -> None:
    """The ranking is what is read: the sentence without a negation ranked first makes « No » the wrong answer."""
    ranked = ["La Fondation Lumière critique souvent les politiques publiques du gouvernement.",
              "La Fondation Lumière est indépendante et ne dépend d'aucun parti."]
    result = verify("No [1].", [LUMIERE_POLITIQUE], "Does Fondation Lumière speak out on public policies?",
                    org_terms=LUMIERE_ORG, answers=ranked)
    assert not result.passed


@pytest.mark.parametrize("question", ["Existe-t-il ailleurs une fondation semblable ?",
                                      "Y a-t-il une fondation comparable en Europe ?",
                                      "Is there a similar foundation elsewhere in Europe?"])
def test_a_question_on_others_like_the_subject_is_answered_no_by_the_only_one(question) -> None:
    """« semblable », « ailleurs », « comparable » ask about others like the subject, as « d'autres » does: the
    sentence saying it is the only one answers no (and those words are not what that sentence writes)."""
    passage = "De toutes les fondations d'Europe, la Fondation Lumière est aujourd'hui la seule à fonctionner ainsi."
    ranked = [passage]
    assert verify("Non [1].", [passage], question, org_terms=LUMIERE_ORG, answers=ranked).passed
    assert not verify("Oui [1].", [passage], question, org_terms=LUMIERE_ORG, answers=ranked).passed


LUMIERE_ENGAGEE = ("Non. La Fondation Lumière ne dépend d'aucun parti. Elle gère trois ateliers de quartier. Chacun "
                   "de ses membres peut toutefois militer dans un parti s'il le souhaite.")


@pytest.mark.parametrize(("question", "passes"), [
    # The passage states the question's proposition as the FAQ's « Non. » does: it answers this question too.
    ("La Fondation Lumière est-elle liée à un parti ?", True),
    # Asked in other words, the FAQ's « Non. » still answers.
    ("La Fondation Lumière dépend-elle d'un parti ?", True),
    # The passage says a member may: the FAQ's « Non. » answered its own question, not this one.
    ("Un membre de la Fondation Lumière peut-il militer dans un parti ?", False),
])
def test_a_copied_yes_or_no_answers_only_the_question_its_sentence_answers(question, passes, monkeypatch) -> None:
    """With the borrowed-opener rule on (measured, off by default): an answer copying the FAQ's « Non. » keeps it
    unless the sentence stating the question's proposition says the opposite, bare or with the sentence it opens."""
    monkeypatch.setattr("chatbot.claims.BORROWED_OPENER", True)
    verdict = judge_claims("Non. La Fondation Lumière ne dépend d'aucun parti [1].", [LUMIERE_ENGAGEE], question,
                           org_terms=LUMIERE_ORG)[0]
    assert verdict.supported is passes
    bare = judge_claims("Non [1].", [LUMIERE_ENGAGEE], question, org_terms=LUMIERE_ORG)[0]
    assert bare.supported is passes


LUMIERE_FOOTER = "Fondation Lumière\n12 rue des Lilas 69001 Lyon\n04 72 00 00 00\ncontact@lumiere.example\nlumiere.example"


@pytest.mark.parametrize(("claim", "supported"), [
    ("The foundation's nurseries are located at 12 rue des Lilas 69001 Lyon [1].", False),
    ("Fondation Lumière's hospitals can be reached on 04 72 00 00 00 [1].", False),
    ("The foundation's head office is at 12 rue des Lilas 69001 Lyon [1].", True),
    ("The organisation's e-mail address is contact@lumiere.example [1].", True),
    ("The organisation's website is lumiere.example [1].", True),
])
def test_an_english_contact_detail_is_said_of_what_a_possessive_names(claim, supported) -> None:
    """« the group's nurseries »: the head noun follows the possessive, and the head office's address is not theirs."""
    verdict = judge_claim(claim, [LUMIERE_FOOTER], "Where can I find them?", org_terms=LUMIERE_ORG)
    assert (verdict.verdict == "supported") == supported, (verdict.reason, verdict.detail)


@pytest.mark.parametrize(("claim", "supported"), [
    ("Fondation Lumière is the offshoot of a political party [1].", False),
    ("Fondation Lumière belongs to a political party [1].", False),
    ("Fondation Lumière is independent and is not the offshoot of any political party [1].", True),
])
def test_an_english_clause_is_tied_to_the_french_clause_it_translates_despite_its_function_words(claim,
                                                                                                  supported) -> None:
    """« party » is « parti », and « with », « from » or « of » tie a clause to nothing: the claim's clause meets the
    source's « ne dépend d'aucun parti », whose negation it must keep."""
    passage = ("La Fondation Lumière est indépendante, et ne dépend d'aucun parti. Elle critique souvent les politiques "
               "publiques et en demande la réforme.")
    verdict = judge_claim(claim, [passage], "Is Fondation Lumière linked to a party?", org_terms=LUMIERE_ORG)
    assert (verdict.verdict == "supported") == supported, (verdict.reason, verdict.detail)


ANTENNES = ("Le siège de la Fondation Lumière est à Lyon. Elle dispose de trois antennes régionales, à Grenoble, Annecy "
            "et Valence.")
PREMIERE = ("La Fondation Lumière a vu le jour en 1990 sous le nom de Clarté Solidaire. Cette petite structure innova "
            "dans l'accueil de nuit des sans-abri.")


@pytest.mark.parametrize(("claim", "passage", "supported"), [
    ("Les antennes de la Fondation Lumière sont à Lyon, Grenoble, Annecy et Valence [1].", ANTENNES, False),
    ("Les antennes de la Fondation Lumière sont à Grenoble, Annecy et Valence [1].", ANTENNES, True),
    ("Le siège de la Fondation Lumière est à Lyon [1].", ANTENNES, True),
    ("Clarté Solidaire innova dans l'accueil de nuit des sans-abri [1].", PREMIERE, True),
])
def test_a_pronoun_opening_the_next_sentence_speaks_of_the_subject_not_of_a_place(claim, passage, supported) -> None:
    """« Le siège est à Lyon. Elle dispose d'antennes… »: « elle » is not Lyon, so Lyon gets no antenna; « … sous le
    nom de Clarté Solidaire. Cette petite structure innova… » does speak of Clarté Solidaire."""
    verdict = judge_claim(claim, [passage], "", org_terms=LUMIERE_ORG)
    assert (verdict.verdict == "supported") == supported, (verdict.reason, verdict.detail)


def test_a_figure_whose_topic_is_restated_after_it_keeps_its_noun() -> None:
    """« et » splits clauses, so « … de la lecture et l'écriture » once left « écriture » in another clause than the
    rank: a claim restating the topic before the rank, as the question put it, was rejected. A noun given to the
    figure before it and found after it only past a comma is still another clause's."""
    ranks = "La Fondation Lumière est reconnue :\n- 1er réseau de recyclage de quartier\n- 5e réseau de soutien à " \
            "la lecture et l'écriture,"
    lumiere = frozenset({"fondation", "lumiere"})
    question = "Le classement de la fondation pour la lecture et l'écriture, c'est quoi ?"
    restated = verify("Le classement de la fondation pour la lecture et l'écriture est le 5e réseau de soutien à la "
                      "lecture et l'écriture [1].", [ranks], question, org_terms=lumiere)
    assert restated.passed, restated.problems()
    result = "En 2021, la Fondation Lumière a dégagé un résultat de +3,2 millions d'euros, 6 % de son budget total."
    swapped = verify("En 2021, la Fondation Lumière a dégagé un budget de +3,2 millions d'euros [1].", [result],
                     "Quel est le budget ?", org_terms=lumiere)
    assert not swapped.passed, "the result's figure given to the budget is still caught"


RAIL = "Le bureau des Amis du Rail est présidé par Marie Dubois. Le conseil compte 12 membres bénévoles."


@pytest.mark.parametrize(("claim", "question", "supported"), [
    # An English role noun is a role: a chief financial officer is no chair.
    ("The chief financial officer of the Amis du Rail is Marie Dubois [1].",
     "Who is the chief financial officer of the Amis du Rail?", False),
    ("The chair of the board is Marie Dubois [1].", "Who chairs the board?", True),
    # A bare name answering « who is the <role>? » asserts the role asked.
    ("Marie Dubois [1].", "Who serves as treasurer of the Amis du Rail?", False),
    ("Marie Dubois [1].", "Qui est le trésorier des Amis du Rail ?", False),
    ("Marie Dubois [1].", "Qui préside le bureau ?", True),
    # A function no role noun names, in English: the name alone does not carry the claim past the cognate bar.
    ("The person in charge of fundraising at the Amis du Rail is Marie Dubois [1].",
     "Who is in charge of fundraising?", False),
    ("Marie Dubois looks after the club's accounts [1].", "Who looks after the accounts?", False),
    ("Marie Dubois presides over the bureau of the Amis du Rail [1].", "Who is Marie Dubois?", True),
    # A function asked in other words than a role noun is still a role the name is given.
    ("Marie Dubois [1].", "Who is in charge of fundraising at the Amis du Rail?", False),
    ("Marie Dubois [1].", "Qui est en charge de la trésorerie ?", False),
    ("Marie Dubois [1].", "Who is responsible for the accounts?", False),
    # A role of the chair's family is hers, unless it is the head of something the source does not name.
    ("The Amis du Rail are headed by Marie Dubois [1].", "Who heads the Amis du Rail?", True),
    ("The head of fundraising at the Amis du Rail is Marie Dubois [1].", "Who heads fundraising?", False),
])
def test_a_named_person_keeps_the_role_the_source_gives_in_any_language(claim: str, question: str,
                                                                      supported: bool) -> None:
    verdict = judge_claim(claim, [RAIL], question, org_terms=frozenset({"amis", "rail"}))
    assert verdict.supported is supported, verdict


def test_a_copied_question_before_a_citation_is_judged_as_the_question_it_is() -> None:
    """« … vont où ? [1] Elle ne verse… »: the marker after the question mark hides the sentence end, so the copied
    question and the sentence after it are one claim, which the source sentence supported as a whole."""
    source = "La Fondation Lumière ne compte aucun actionnaire et ne verse aucun dividende."
    question = "Les dividendes de la Fondation Lumière vont où ?"
    verdicts = judge_claims(f"{question} [1] La Fondation Lumière ne verse aucun dividende.", [source], question,
                            org_terms=frozenset({"fondation", "lumiere"}))
    assert [(v.verdict, v.reason) for v in verdicts] == [("unsupported", "echo")]
    assert judge_claim("La Fondation Lumière ne verse aucun dividende [1].", [source], question,
                       org_terms=frozenset({"fondation", "lumiere"})).supported


@pytest.mark.parametrize(("claim", "echo"), [
    ("La Fondation Lumière gère-t-elle des refuges [1].", True),
    ("Y a-t-il des refuges gardés dans les Alpes [1].", True),
    ("Est-ce que la Fondation Lumière gère 12 refuges [1].", True),
    ("Does the Fondation Lumière run 12 refuges [1].", True),
    ("La Fondation Lumière gère 12 refuges gardés, précise-t-elle [1].", False),  # a statement, then who says it
    ("La Fondation Lumière gère 12 refuges gardés avec ses vice-présidents [1].", False),
])
def test_a_question_copied_without_its_mark_is_no_answer(claim: str, echo: bool) -> None:
    """A small model may copy the question as its answer with a citation in place of the question mark: worded as a
    question (a verb joined to its subject pronoun, « est-ce que », an English auxiliary first), it states nothing,
    even when the source holds its words."""
    source = "La Fondation Lumière gère 12 refuges gardés dans les Alpes, avec son président et ses vice-présidents."
    verdict = judge_claim(claim, [source], "Combien de refuges la Fondation Lumière gère-t-elle ?",
                          org_terms=frozenset({"fondation", "lumiere"}))
    assert (verdict.reason == "echo") is echo, verdict
    assert verdict.supported is not echo, verdict


@pytest.mark.parametrize(("text", "language", "stance"), [
    ("La Fondation Lumière soutient les randonneurs blessés dans ses refuges.", "fr", False),  # help given
    ("Elle organise un soutien scolaire pour les enfants du village.", "fr", False),
    ("The Fondation Lumière supports injured hikers in its refuges.", "en", False),
    ("Pour la joindre, vous pouvez appeler le 04 12 34 56 78.", "fr", False),  # a phone call, not a call to act
    ("Pour la joindre, appelez le standard.", "fr", False),
    ("La Fondation Lumière soutient le parti des randonneurs.", "fr", True),  # a side of public life
    ("La Fondation Lumière apporte son soutien aux élus de la vallée.", "fr", True),
    ("La Fondation Lumière appelle les randonneurs à voter.", "fr", True),
    ("The Fondation Lumière supports the hikers' party.", "en", True),
    ("The Fondation Lumière backs the mayor's candidates.", "en", True),
])
def test_support_is_a_stance_only_when_it_goes_to_a_side_of_public_life(text: str, language: str, stance: bool) -> None:
    """« soutenir », "support" and « appeler » take a stance when they back a party, a candidate, elected officials or
    a law, or call someone to act; help given to people and a phone call take none (and so need none in the source)."""
    assert ("advocacy" in stances(text, language)) is stance


def test_help_given_is_supported_by_a_source_that_takes_no_stance() -> None:
    """« soutient les randonneurs » states the help the source describes in other words; backing a party does not."""
    source = "La Fondation Lumière accompagne les randonneurs blessés dans ses refuges."
    question = "Que fait la Fondation Lumière pour les randonneurs ?"
    org = frozenset({"fondation", "lumiere"})
    assert judge_claim("La Fondation Lumière soutient les randonneurs blessés dans ses refuges [1].", [source], question,
                       org_terms=org).supported
    assert not judge_claim("La Fondation Lumière soutient le parti des randonneurs dans ses refuges [1].", [source],
                           question, org_terms=org).supported


class _Anchors:
    """A similarity model that recognises no translation, with an index of the FAQ's sentences in which a claim's
    figure-free words single out the source (`singles`) or not; it records the words it was asked about."""

    def __init__(self, singles: bool) -> None:
        self.singles, self.asked = singles, []

    def __call__(self, claim: str, texts) -> list[bool]:
        return [False] * len(texts)

    def anchors(self, words: str, texts) -> list[bool]:
        self.asked.append(words)
        return [self.singles] * len(texts)


RAIL_ORG = frozenset({"amis", "rail"})
SHELTERS = "Les Amis du Rail ont ouvert 12 refuges en montagne en 2019."


@pytest.mark.parametrize("claim", ["The Amis du Rail hired 12 guides in 2019 [1].",
                                   "The Amis du Rail opened 12 mountain shelters in 2019 [1]."])
def test_an_english_figure_is_supported_only_when_its_words_single_out_the_source(claim: str) -> None:
    """No cognate ties « hired guides » or « opened shelters » to « ont ouvert 12 refuges »: the right figures alone
    once carried both. The claim's words without its figures must single out the source among the FAQ's sentences."""
    singles, other = _Anchors(True), _Anchors(False)
    assert judge_claim(claim, [SHELTERS], org_terms=RAIL_ORG, restates=singles).verdict == "supported"
    verdict = judge_claim(claim, [SHELTERS], org_terms=RAIL_ORG, restates=other)
    assert verdict.verdict == "unsupported" and verdict.reason == "words"
    assert not any(c.isdigit() for words in other.asked for c in words) and any("Rail" in w for w in other.asked)


CLUBS = "Parmi les 300 clubs employeurs de la région, 12 ont rejoint les Amis du Rail en 2019."


@pytest.mark.parametrize("claim", ["The Amis du Rail employ 12 people in the region [1].",
                                   "In 2019, the Amis du Rail hired 12 people [1]."])
def test_an_english_figure_must_count_what_the_source_counts(claim: str) -> None:
    """« employ » shares a cognate with « employeurs », and the figure and the year are the source's: what was once
    enough. The noun the figure counts (« people ») neither shares a cognate with the source nor singles it out."""
    verdict = judge_claim(claim, [CLUBS], org_terms=RAIL_ORG, restates=_Anchors(False))
    assert verdict.verdict == "unsupported" and verdict.reason == "words"
    singles = _Anchors(True)  # the sentence index says the counted noun names what the source counts
    assert judge_claim(claim, [CLUBS], org_terms=RAIL_ORG, restates=singles).verdict == "supported"


def test_people_counted_in_english_are_the_role_holders_the_source_counts() -> None:
    """« 3 people sit on the bureau » for « 3 vice-présidentes »: « people » counts persons, whatever their role; the
    same word for a figure that counts clubs is still refused."""
    bureau = "Le bureau des Amis du Rail compte une présidente (Marie Dubois) et 3 vice-présidentes."
    anchors = _Anchors(False)
    for claim in ("Besides its president, 3 people sit on the bureau [1].", "The bureau has 3 other persons beside its president [1]."):
        assert judge_claim(claim, [bureau], org_terms=RAIL_ORG, restates=anchors).verdict == "supported", claim
    verdict = judge_claim("The Amis du Rail employ 12 people [1].", [CLUBS], org_terms=RAIL_ORG, restates=anchors)
    assert verdict.verdict == "unsupported"


def test_an_english_figure_counting_a_cognate_of_the_source_needs_no_index() -> None:
    anchors = _Anchors(False)
    assert judge_claim("In 2019, the Amis du Rail took over 12 clubs [1].", [CLUBS], org_terms=RAIL_ORG,
                       restates=anchors).verdict == "supported"
    assert judge_claim("There are 300 employer clubs in the region [1].", [CLUBS], org_terms=RAIL_ORG,
                       restates=anchors).verdict == "supported"


def test_claims_read_by_their_words_are_not_anchored() -> None:
    """A French claim, or an English one sharing its words with the source, never asks the sentence index."""
    anchors = _Anchors(False)
    assert judge_claim("Les Amis du Rail ont ouvert 12 refuges en 2019 [1].", [SHELTERS], org_terms=RAIL_ORG,
                       restates=anchors).verdict == "supported"
    assert judge_claim("The Amis du Rail opened 12 refuges in montagne in 2019 [1].", [SHELTERS], org_terms=RAIL_ORG,
                       restates=anchors).verdict == "supported"
    assert anchors.asked == []


RESULT = "Le résultat 2019 des Amis du Rail s'établit à +2 millions d'euros."


@pytest.mark.parametrize("claim", ["The buildings that the Amis du Rail own are worth 2 million euros [1].",
                                   "The Amis du Rail pay their managers 2 million euros a year [1]."])
def test_an_english_amount_s_units_do_not_say_what_it_is_of(claim: str) -> None:
    """« million » and « euros » are the figure's, checked by value and currency: shared with « +2 millions d'euros »
    they once carried a claim giving the result as what the buildings are worth; nor do they anchor the claim."""
    anchors = _Anchors(False)
    verdict = judge_claim(claim, [RESULT], org_terms=RAIL_ORG, restates=anchors)
    assert verdict.verdict == "unsupported" and verdict.reason == "words"
    assert anchors.asked and not any(u in words for words in anchors.asked for u in ("million", "euros", "year"))
    assert judge_claim("The Amis du Rail's 2019 result was +2 million euros [1].", [RESULT], org_terms=RAIL_ORG,
                       restates=_Anchors(False)).verdict == "supported"


def test_a_figure_the_source_lacks_is_reported_as_such_not_as_said_of_something_else() -> None:
    """The misplaced-figure verdict is kept for a source that gives the claim's figures: one that lacks a figure says
    so (an answer whose figure is merely wrong is not one that took the FAQ's figure for another thing)."""
    verdict = judge_claim("The Amis du Rail opened 15 mountain shelters in 2019 [1].", [SHELTERS], org_terms=RAIL_ORG,
                          restates=_Anchors(False))
    assert verdict.verdict == "unsupported" and verdict.reason == "figures" and "15" in verdict.detail


@pytest.mark.parametrize(("claim", "supported"), [
    ("The association sells 12,000 tickets every year [1].", True),    # English thousands: « 12 000 » in French
    ("The association sells 12 000 tickets every year [1].", True),
    ("The association sells 13,000 tickets every year [1].", False),
    ("The association sells 12 tickets every year [1].", False),
    ("The association sells 12, 000 tickets every year [1].", True),   # the separator followed by a space
    ("The association sells 13, 000 tickets every year [1].", False),
])
def test_an_english_thousands_separator_is_read_as_grouping(claim: str, supported: bool) -> None:
    """« 12,000 » (or « 12, 000 ») is how an English answer writes the FAQ's « 12 000 »: the figure check once read it
    as 12.0 (or as 12 and 0) and rejected the right figure, leaving the answer to a quote."""
    source = "Les Amis du Rail vendent 12 000 billets chaque année."
    assert (judge_claim(claim, [source], org_terms=RAIL_ORG).verdict == "supported") is supported


LUMIERE_FUNDS = ("La Fondation Lumière ne compte aucun salarié : aucun salaire n'est donc versé. Comme elle ne "
                 "collecte pas de fonds chez les particuliers, elle ne fait pas de campagne d'affichage.")


@pytest.mark.parametrize(("claim", "question", "supported"), [
    # A cause is a clause of its own: two denials joined by it are two negative clauses, not one positive.
    ("La Fondation Lumière ne fait pas de campagne d'affichage parce qu'elle ne collecte pas de fonds chez les "
     "particuliers [1].", "Pourquoi pas d'affiches ?", True),
    ("The Fondation Lumière does not run campaigns because it does not collect funds from individuals [1].",
     "Why no posters?", True),
    ("La Fondation Lumière ne fait pas de campagne d'affichage parce qu'elle collecte des fonds chez les "
     "particuliers [1].", "Pourquoi pas d'affiches ?", False),
    # Spoken French drops « ne »: « pas de » denies.
    ("Non, pas de salaires [1].", "Donc pas de salaires non plus ?", True),
    ("Pas de salarié à la Fondation Lumière [1].", "La fondation a-t-elle des salariés ?", True),
    ("Des salaires sont versés [1].", "Donc pas de salaires non plus ?", False),
    # To a negative question, « Non » and « Oui » both confirm the denial: the body's polarity decides.
    ("Non, la Fondation Lumière ne compte aucun salarié [1].", "La fondation n'a-t-elle aucun salarié ?",
     True),
    ("Oui, aucun salaire n'est versé [1].", "Elle ne verse donc pas de salaires ?", True),
    ("Non, la Fondation Lumière compte des salariés [1].", "La fondation n'a-t-elle aucun salarié ?", False),
    ("Yes, the Fondation Lumière has employees [1].", "Doesn't the foundation have any employees?", False),
])
def test_each_clause_keeps_its_polarity_and_a_negative_question_is_answered_by_the_body(
        claim: str, question: str, supported: bool) -> None:
    """Causes, spoken denials and answers to negative questions were misread as saying the opposite of their source
    (« ne … pas … parce qu'il ne … pas » counted as two negations of one clause; « pas de » without « ne » read as an
    affirmation; « Non » to « … aucun salarié ? » read as denying the denial); a flip stays caught."""
    verdict = judge_claim(claim, [LUMIERE_FUNDS], question, org_terms=LUMIERE_ORG)
    assert (verdict.verdict == "supported") is supported, (verdict.reason, verdict.detail)


@pytest.mark.parametrize(("claim", "source", "supported"), [
    ("Oui, la Fondation Lumière reçoit des groupes scolaires et des centres de loisirs [1].",
     "La Fondation Lumière accueille des groupes scolaires et des centres de loisirs.", True),
    # The same words under the wrong opener, still in the question's form, or against a denial: rejected.
    ("Non, la Fondation Lumière reçoit des groupes scolaires et des centres de loisirs [1].",
     "La Fondation Lumière accueille des groupes scolaires et des centres de loisirs.", False),
    ("Oui, la Fondation Lumière reçoit-elle des groupes scolaires et des centres de loisirs [1].",
     "La Fondation Lumière accueille des groupes scolaires et des centres de loisirs.", False),
    ("Oui, la Fondation Lumière reçoit des groupes scolaires et des centres de loisirs [1].",
     "La Fondation Lumière n'accueille pas de groupes scolaires ni de centres de loisirs.", False),
])
def test_a_yes_restating_the_question_is_judged_as_the_bare_yes(claim: str, source: str, supported: bool) -> None:
    """« Oui, <the question restated> » says no more than « Oui »: where the source states the question's proposition
    (most of its words, in another verb here), it is supported as a bare « Oui » is, not rejected as an echo."""
    question = "La Fondation Lumière reçoit-elle des groupes scolaires et des centres de loisirs ?"
    verdict = judge_claim(claim, [source], question, org_terms=LUMIERE_ORG)
    assert (verdict.verdict == "supported") is supported, (verdict.reason, verdict.detail)
    bare = judge_claim("Oui [1].", [source], question, org_terms=LUMIERE_ORG)
    assert (bare.verdict == "supported") is ("n'accueille" not in source)


def test_who_represents_the_organisation_is_a_role_the_source_must_give() -> None:
    """« The bureau is represented by Marie Dubois » from « Le bureau est présidé par Marie Dubois »: presiding the
    bureau is not representing it, which the source never says."""
    source = "Le bureau des Amis du Rail est présidé par Marie Dubois."
    verdict = judge_claim("The bureau of the Amis du Rail is represented by Marie Dubois [1].", [source],
                          org_terms=RAIL_ORG)
    assert verdict.verdict == "unsupported" and verdict.reason == "role"
    assert judge_claim("The bureau of the Amis du Rail is chaired by Marie Dubois [1].", [source],
                       org_terms=RAIL_ORG).verdict == "supported"


def test_an_organisation_running_things_of_a_kind_holds_no_role() -> None:
    """« Le club dirige des refuges » says what the club runs, not whose head it is: the source listing the shelters
    among its activities supports it. A person heading a body still needs the source to give that role."""
    club = frozenset({"amis", "rail"})
    source = "Activités des Amis du Rail : refuges de montagne, ateliers de restauration, gares anciennes."
    for claim, question in [("Oui, les Amis du Rail dirige des refuges de montagne [1].",
                             "Les Amis du Rail dirigent-ils des refuges ?"),
                            ("Yes, the Amis du Rail heads several mountain refuges (refuges de montagne) [1].",
                             "Does the Amis du Rail head any mountain refuges?")]:
        verdict = judge_claim(claim, [source], question, org_terms=club)
        assert verdict.reason != "role", (claim, verdict)
    assert [k for _, k in roles("Le club dirige des refuges")] == []
    assert [k for _, k in roles("Marie Dubois dirige le bureau")] == ["head"]
    verdict = judge_claim("Marie Dubois dirige le bureau des Amis du Rail [1].",
                          ["Marie Dubois est trésorière du bureau des Amis du Rail."], org_terms=club)
    assert not verdict.supported and verdict.reason == "role"


@pytest.mark.parametrize(("claim", "question", "supported"), [
    ("Oui, le Club Azur gère des refuges [1].", "Le Club Azur gère-t-il des refuges ?", True),
    ("Oui, le Club Azur possède des gîtes d'étape [1].", "Le Club Azur possède-t-il des gîtes d'étape ?", True),
    # Things the source never names, and verbs that do something to what it names, are still unsupported.
    ("Oui, le Club Azur gère des piscines [1].", "Le Club Azur gère-t-il des piscines ?", False),
    ("Oui, le Club Azur ferme des refuges [1].", "Le Club Azur ferme-t-il des refuges ?", False),
    ("Oui, le Club Azur vend des refuges [1].", "Le Club Azur vend-il des refuges ?", False),
    # The question restated as a statement answers it as « Oui » (or « Non ») would.
    ("Le Club Azur gère des refuges [1].", "Le Club Azur gère-t-il des refuges ?", True),
    ("Le Club Azur ne gère aucun refuge [1].", "Le Club Azur gère-t-il des refuges ?", False),
    ("Le Club Azur gère des piscines [1].", "Le Club Azur gère-t-il des piscines ?", False),
])
def test_a_yes_to_whether_the_organisation_runs_what_its_activities_list(claim: str, question: str,
                                                                         supported: bool) -> None:
    """« Le club gère-t-il des refuges ? » is answered by the list of its activities naming them, which does not write
    « gère »: the verb of running or holding frames the question, as « existe » does."""
    source = "Les activités du Club Azur : refuges de montagne, gîtes d'étape, sorties en raquettes."
    verdict = judge_claim(claim, [source], question, org_terms=frozenset({"club", "azur"}))
    assert verdict.supported is supported, (claim, verdict)


@pytest.mark.parametrize(("text", "denies"), [
    ("Personne ne paie de cotisation au club.", True),  # a denial by its subject
    ("Rien ne justifie une exclusion.", True),
    ("Pour le club, nul n'est tenu de payer.", True),
    ("La personne ne vient qu'une fois.", False),  # « personne » the noun, « ne … que » restricts
    ("No matter how far, the club helps every walker.", False),  # "no matter" denies nothing
    ("No walker pays a fee.", True),
])
def test_a_denial_is_read_whatever_word_carries_it(text: str, denies: bool) -> None:
    from chatbot.negation import has_negation

    assert has_negation(text) is denies


@pytest.mark.parametrize(("sentence", "opener"), [
    ("Non, le club ne perçoit aucune cotisation [1].", "no"),
    ("Non [1]. Le club ne perçoit aucune cotisation.", "no"),
    ("No. The club charges no fee [1].", "no"),
    # A denial or an adjective opening the sentence is no answer « Non ».
    ("No one pays a fee to the club [1].", ""),
    ("No walker pays a fee [1].", ""),
    ("Non-lucratif, le club réinvestit ses bénéfices [1].", ""),
    ("Non seulement le club est gratuit, mais il prête le matériel [1].", ""),
])
def test_no_one_and_non_lucratif_are_not_the_answer_no(sentence: str, opener: str) -> None:
    from chatbot.claims import split_opener

    assert split_opener(sentence)[0] == opener


def test_a_denial_by_its_subject_is_not_read_as_an_affirmation() -> None:
    source = ["Personne ne paie de cotisation au club. Le club prête le matériel à ses membres."]
    question = "Faut-il payer pour entrer au club ?"
    assert judge_claim("Personne ne paie de cotisation au club [1].", source, question).supported
    assert not judge_claim("Chacun paie une cotisation au club [1].", source, question).supported


def test_an_adjective_with_non_does_not_hide_what_the_rest_of_the_claim_affirms() -> None:
    source = ["Sans cotisation, non-lucratif, le club réinvestit tous ses dons dans ses refuges."]
    claim = "Non-lucratif, le club réinvestit ses cotisations dans ses refuges [1]."
    assert not judge_claim(claim, source, "Que fait le club de ses bénéfices ?").supported
    assert judge_claim("Non-lucratif, le club réinvestit ses dons dans ses refuges [1].", source,
                       "Que fait le club de ses dons ?").supported


@pytest.mark.parametrize(("text", "only"), [
    ("L'accueil des randonneurs ne dépend que de la météo.", True),  # « ne … que » restricts
    ("Le club n'accueille que des adultes.", True),
    ("Le club accueille seulement des adultes.", True),
    ("Le club ne repose pas que sur ses dons.", False),  # « not only »
    ("Non seulement le club est gratuit, mais il prête le matériel.", False),
    ("Il ne faut pas que le club ferme.", False),
])
def test_only_is_read_in_ne_que_too(text: str, only: bool) -> None:
    from chatbot.claims import quantifiers

    assert ("only" in quantifiers(text)) is only


def test_a_restriction_said_by_ne_que_supports_only_and_stays_in_its_own_sentence() -> None:
    source = ["Le club travaille avec des guides et des moniteurs. Son accueil des randonneurs ne dépend que de la "
              "météo en montagne."]
    question = "Comment le club accueille-t-il les randonneurs ?"
    assert judge_claim("L'accueil des randonneurs par le club dépend uniquement de la météo en montagne [1].",
                       source, question).supported
    assert not judge_claim("Le club travaille seulement avec des guides [1].", source, question).supported


# A signed figure grouped in thousands (« +60 000 euros ») is a figure, not an international phone number: the stray-noun
# check reads it like any other (before, « +60 » followed by three digits looked like a phone's country code).
SIGNED_RESULT = ("Il ne faut pas mélanger budget et résultat : en 2022, le Club Azur a dégagé un résultat de {v}, près "
                 "de 8,3 % de son budget total.")


@pytest.mark.parametrize("value", ["+60 000 euros", "+120 000 euros", "+75 500 €", "-48 000 euros", "+310 000 euros"])
def test_a_signed_grouped_figure_given_to_another_noun_is_rejected(value) -> None:
    passage = SIGNED_RESULT.format(v=value)
    assert judge(f"En 2022, le Club Azur a dégagé un budget de {value} [1].", passage) == ("unsupported", "figures")
    assert judge(f"En 2022, le Club Azur a dégagé un résultat de {value} [1].", passage)[0] == "supported"
