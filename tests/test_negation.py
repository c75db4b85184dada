"""Negation: a litotes affirms, a verb of refraining denies."""

from __future__ import annotations

import pytest

from chatbot.claims import judge_claim
from chatbot.negation import has_negation, negated

ORG = frozenset({"club", "azur"})
PLAIDOYER = ("Le Club Azur est indépendant, et ne dépend d'aucun parti. Le Club Azur n'hésite pas à exprimer son "
             "désaccord et à réclamer des changements dans les règles d'accès à la montagne, quels que soient les "
             "gouvernements.")


@pytest.mark.parametrize("sentence", [
    "Le club n'hésite pas à exprimer son désaccord.",
    "Le club n'a jamais hésité à réclamer des changements.",
    "Le club ne manque pas de rappeler ses valeurs.",
    "Le club ne cesse de grandir depuis sa création.",
    "Le club n'a cessé d'ouvrir des refuges.",
    "Le club ne s'est jamais privé de critiquer la mairie.",
    "Le club ne se contente pas de gérer des refuges : il forme aussi des guides.",
    "Il n'est pas rare que le club recrute des guides en hiver.",
    "The club does not hesitate to voice its disagreement.",
    "The club never fails to thank its volunteers.",
])
def test_a_litotes_is_no_denial(sentence: str) -> None:
    assert not has_negation(sentence) and not negated(sentence)


@pytest.mark.parametrize("sentence", [
    "Le club hésite à exprimer son désaccord.",
    "Le club a cessé de gérer des refuges.",
    "Le club a arrêté de réclamer des changements.",
    "Le club renonce à ouvrir un refuge.",
    "The club hesitates to voice its disagreement.",
    # A plain denial stays one, and a litotes beside it does not cancel it.
    "Le club ne dépend d'aucun parti.",
    "Le club n'hésite pas à critiquer la mairie, mais ne dépend d'aucun parti.",
])
def test_a_verb_of_refraining_and_a_plain_denial_deny(sentence: str) -> None:
    assert has_negation(sentence) and negated(sentence)


@pytest.mark.parametrize(("claim", "question", "verdict"), [
    ("Oui, le Club Azur exprime son désaccord avec les gouvernements [1].",
     "Le Club Azur critique-t-il les gouvernements ?", "supported"),
    ("Le Club Azur réclame des changements dans les règles d'accès à la montagne [1].", "", "supported"),
    ("Le Club Azur n'exprime pas son désaccord avec les gouvernements [1].", "", "unsupported"),
    ("Non, le Club Azur ne réclame pas de changements dans les règles d'accès à la montagne [1].",
     "Le Club Azur réclame-t-il des changements ?", "unsupported"),
    ("Le Club Azur hésite à exprimer son désaccord [1].", "", "unsupported"),
    ("Le Club Azur ne dépend d'aucun parti [1].", "", "supported"),
])
def test_a_claim_keeps_the_polarity_a_litotes_means(claim: str, question: str, verdict: str) -> None:
    assert judge_claim(claim, [PLAIDOYER], question, org_terms=ORG).verdict == verdict
