"""An answer resting on a true sentence beside the question is caught (`chatbot.on_topic`)."""

from __future__ import annotations

import pytest

from chatbot import on_topic
from chatbot.verify import verify

ORG = frozenset({"fondation", "lumiere"})
RANKS = ("La Fondation Lumière est reconnue dans plusieurs secteurs :\n"
         "- 1er réseau de lecture publique en milieu rural\n"
         "- 5e réseau d'économie circulaire et locale")
BOARD = ("Le conseil d'administration de la Fondation Lumière valide les comptes chaque année. "
         "Le bureau prépare les décisions du conseil.")
SENTENCES = ["- 1er réseau de lecture publique en milieu rural",
             "- 5e réseau d'économie circulaire et locale",
             "Le conseil d'administration de la Fondation Lumière valide les comptes chaque année.",
             "Le bureau prépare les décisions du conseil."]


def _failed(answer: str, question: str, answers: list[str] = SENTENCES) -> set[str]:
    result = verify(answer, [RANKS, BOARD], question, org_terms=ORG, answers=answers)
    return {c.name for c in result.checks if not c.passed}


def test_a_true_sentence_on_another_topic_is_no_answer() -> None:
    question = "Quel rang occupe la fondation pour la lecture publique en milieu rural ?"
    beside = "La Fondation Lumière est le 5e réseau d'économie circulaire et locale [1]."
    # The rank check catches it too (another field's rank, `chatbot.rankings`); the on-topic check must on its own.
    assert "on_topic" in _failed(beside, question)
    assert not _failed("La Fondation Lumière est le 1er réseau de lecture publique en milieu rural [1].",
                       question)


def test_an_answer_in_other_words_passes_when_no_sentence_names_the_topic_better() -> None:
    # « approuve » is no word of the question, but no source sentence holds two of its words: nothing to point to.
    question = "Qui approuve le budget annuel ?"
    assert "on_topic" not in _failed("Le conseil d'administration valide les comptes chaque année [2].", question)


def test_the_check_reports_the_sentence_that_answers() -> None:
    question = "Quel rang occupe la fondation pour la lecture publique en milieu rural ?"
    result = verify("La Fondation Lumière est le 5e réseau d'économie circulaire et locale [1].",
                    [RANKS, BOARD], question, org_terms=ORG, answers=SENTENCES)
    [check] = [c for c in result.checks if c.name == "on_topic"]
    assert "lecture publique" in check.unsupported[0]


def test_without_ranked_sentences_or_with_the_switch_off_nothing_is_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    question = "Quel rang occupe la fondation pour la lecture publique en milieu rural ?"
    beside = "La Fondation Lumière est le 5e réseau d'économie circulaire et locale [1]."
    assert "on_topic" not in _failed(beside, question, answers=[])
    monkeypatch.setattr(on_topic, "ON_TOPIC", False)
    assert "on_topic" not in _failed(beside, question)


def test_a_sentence_ranked_about_as_high_as_the_best_answers_too() -> None:
    # The answer rests on a sentence ranked within the quotes' margin of the one naming the topic: both answer.
    question = "Quel rang occupe la fondation pour la lecture publique en milieu rural ?"
    beside = "La Fondation Lumière est le 5e réseau d'économie circulaire et locale [1]."
    close = verify(beside, [RANKS, BOARD], question, org_terms=ORG, answers=SENTENCES,
                   answer_scores=[0.60, 0.55, 0.30, 0.20])
    far = verify(beside, [RANKS, BOARD], question, org_terms=ORG, answers=SENTENCES,
                 answer_scores=[0.60, 0.40, 0.30, 0.20])
    assert "on_topic" not in {c.name for c in close.checks if not c.passed}
    assert "on_topic" in {c.name for c in far.checks if not c.passed}


def test_a_sentence_announcing_a_list_is_not_where_the_faq_answers() -> None:
    lead = "La Fondation Lumière a récemment pris position :"
    items = ["- Pour la lecture publique en milieu rural ;", "- Pour une économie circulaire et locale ;"]
    passage = "\n".join([lead, *items])
    answer = "Pour la lecture publique en milieu rural [1]. Pour une économie circulaire et locale [1]."
    result = verify(answer, [passage], "Sur quels sujets la fondation a-t-elle pris position récemment ?",
                    org_terms=ORG, answers=[lead, *items], answer_scores=[0.65, 0.50, 0.45])
    assert "on_topic" not in {c.name for c in result.checks if not c.passed}



class _Similarity:
    """A scripted sentence similarity: every sentence scores `score` against the question."""

    def __init__(self, score: float) -> None:
        self.score = score

    def __call__(self, claim: str, texts: list[str]) -> list[bool]:
        return [False] * len(texts)

    def similarity(self, claim: str, texts: list[str]) -> list[float]:
        return [self.score] * len(texts)


def _beside(answer: str, question: str, score: float = 0.3) -> bool:
    result = verify(answer, [RANKS, BOARD], question, org_terms=ORG, restates=_Similarity(score))
    return "on_topic" in {c.name for c in result.checks if not c.passed}


def test_a_yes_before_a_sentence_on_another_subject_answers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every sentence is true to its source, yet the « Oui » confirms a swimming pool nobody mentions.
    question = "La Fondation Lumière a-t-elle une piscine ?"
    beside = "Oui, le conseil d'administration valide les comptes chaque année [2]."
    assert _beside(beside, question)
    assert _beside("Non. Le conseil d'administration valide les comptes chaque année [2].", question)
    monkeypatch.setattr(on_topic, "YES_NO_ABOUT", False)
    assert not _beside(beside, question)


def test_a_yes_in_other_words_close_to_the_question_answers_it() -> None:
    # « boutiques » is no word of « des échoppes solidaires », which the embedder finds close to the question.
    question = "La Fondation Lumière a-t-elle des boutiques ?"
    answer = "Oui, la Fondation Lumière gère des échoppes solidaires [1]."
    assert _beside(answer, question, score=on_topic.YES_NO_RELATED - 0.01)
    assert not _beside(answer, question, score=on_topic.YES_NO_RELATED)
    # Without a similarity at hand, words alone would miss such synonyms: nothing is judged.
    assert "on_topic" not in _failed(answer, question, answers=[])


def test_a_yes_or_no_that_speaks_of_the_question_is_judged_by_the_claim_checks_alone() -> None:
    question = "Le conseil valide-t-il les comptes ?"
    assert not _beside("Oui, le conseil d'administration valide les comptes chaque année [2].", question)
    # Its word may come in a later sentence, and in another form of the word (« validation » for « valide »).
    later = "Oui [2]. Le conseil d'administration procède chaque année à la validation des comptes [2]."
    assert not _beside(later, "La fondation fait-elle valider ses comptes ?")
    # An open question answered without a Oui/Non is the on-topic check's (above), not this one's.
    assert not _beside("Le bureau prépare les décisions du conseil [2].", "Que fait la Fondation Lumière ?")


def test_a_yes_no_question_answered_without_yes_or_no_must_still_speak_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # True sentences on the board are no answer to whether the foundation sells insurance, « Oui » or not.
    question = "La Fondation Lumière vend-elle des assurances ?"
    beside = "Le bureau prépare les décisions du conseil [2]. Le conseil valide les comptes chaque année [2]."
    assert _beside(beside, question)
    assert _beside(beside, "Does the Lumière foundation sell insurance?")
    # One sentence holding its word, or close to it in other words, answers it.
    assert not _beside("Le conseil valide les comptes de la boutique d'assurances [2].", question)
    assert not _beside(beside, question, score=on_topic.YES_NO_RELATED)
    monkeypatch.setattr(on_topic, "POLAR_ABOUT", False)
    assert not _beside(beside, question)


def test_an_english_yes_no_question_is_answered_by_a_french_sentence_holding_its_cognate() -> None:
    # « parti » is the French of “party”: the FAQ's sentence quoted in French speaks of the question.
    assert not _beside("La Fondation Lumière n'est liée à aucun parti [2].", "Is the foundation tied to a party?")


def test_a_denial_answers_a_yes_no_question_without_saying_no() -> None:
    # « aucun parti » says no to « de gauche » in other words; the claim checks read what it denies.
    question = "La Fondation Lumière est-elle de gauche ?"
    assert not _beside("La Fondation Lumière n'est liée à aucun mouvement [2].", question)
    assert _beside("La Fondation Lumière est liée à un mouvement [2].", question)


def test_a_sole_one_answers_a_question_on_others() -> None:
    question = "Y a-t-il d'autres fondations comme la vôtre dans la région ?"
    assert not _beside("La Fondation Lumière est le seul réseau de ce type [1].", question)
    assert _beside("La Fondation Lumière est un réseau de ce type [1].", question)
