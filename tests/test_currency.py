"""An amount given in another currency than its source's is caught (`chatbot.currency`, the claim checks, the
mutation self-test)."""

from __future__ import annotations

import pytest

from chatbot.currency import currencies
from chatbot.verify import verify
from eval.mutate import currency_mutants

ORG = frozenset({"fondation", "lumiere"})
BUDGET = ("Le budget 2023 de la Fondation Lumière s'élève à 4,2 millions d'euros. "
          "La fondation ne reçoit aucun don de particuliers.")


def _figures_fail(answer: str, question: str = "Quel est le budget de la fondation ?") -> bool:
    result = verify(answer, [BUDGET], question, org_terms=ORG)
    return "figures" in {c.name for c in result.checks if not c.passed}


@pytest.mark.parametrize("text, expected", [
    ("4,2 millions d'euros", {"EUR"}), ("€4.2 million", {"EUR"}), ("4,2 M€", {"EUR"}),
    ("4.2 million dollars", {"USD"}), ("$4.2 million", {"USD"}), ("4,2 millions de dollars canadiens", {"CAD"}),
    ("4,2 millions de francs suisses", {"CHF"}), ("500 livres sterling", {"GBP"}),
    ("un livre sur la fondation", set()), ("un franc succès au village", set()),
])
def test_currencies_are_read_by_word_and_sign(text: str, expected: set[str]) -> None:
    assert currencies(text) == expected


@pytest.mark.parametrize("answer", [
    "The Fondation Lumière's 2023 budget is 4.2 million dollars [1].",
    "Le budget 2023 de la Fondation Lumière s'élève à 4,2 millions de dollars [1].",
    "The 2023 budget was £4.2 million [1].",
])
def test_the_source_figure_in_another_currency_is_rejected(answer: str) -> None:
    assert _figures_fail(answer)


@pytest.mark.parametrize("answer", [
    "The Fondation Lumière's 2023 budget is 4.2 million euros [1].",
    "Le budget 2023 de la Fondation Lumière s'élève à 4,2 M€ [1].",
    "The 2023 budget was €4.2 million [1].",
])
def test_the_source_currency_written_otherwise_passes(answer: str) -> None:
    assert not _figures_fail(answer)


def test_the_mutation_self_test_swaps_the_currency_and_the_checks_catch_it() -> None:
    answer = "Le budget 2023 de la Fondation Lumière s'élève à 4,2 millions d'euros [1]."
    [mutant] = currency_mutants(answer)
    assert mutant.kind == "currency"
    assert mutant.mutated == "Le budget 2023 de la Fondation Lumière s'élève à 4,2 millions de dollars [1]."
    assert not _figures_fail(answer) and _figures_fail(mutant.mutated)
    assert currency_mutants("La fondation ne reçoit aucun don de particuliers [1].") == []
