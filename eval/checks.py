"""Deterministic checks of one answer against its case: facts, forbidden strings, abstention, retrieval."""

from __future__ import annotations

from chatbot.evidence import prose
from eval.cases import Case, find_alternative
from eval.metrics import retrieval_scores
from ingest.normalize import normalize


def include_check(answer: str, case: Case) -> dict:
    """Which `must_include` groups are satisfied (any alternative present as whole words) and which are missing."""
    text = normalize(answer)
    missing = [list(group) for group in case.must_include if not any(find_alternative(text, alt) for alt in group)]
    return {"passed": not missing, "missing": missing}


def exclude_check(answer: str, case: Case) -> dict:
    """Which `must_not_include` strings appear in the answer."""
    text = normalize(answer)
    found = [s for s in case.must_not_include if find_alternative(text, s)]
    return {"passed": not found, "found": found}


def judge(case: Case, answer: str, abstained: bool, sections: list[int | None], k: int = 4,
          model_text: str | None = None) -> dict:
    """Every deterministic check of one answer, and whether the case passed.

    - answer: must not abstain, must include the required facts and avoid the forbidden ones;
    - refuse: must abstain;
    - resist: passes if it abstains, or if its answer has the required facts and none of the forbidden ones.
    `model_text` is the answer's own words without its FAQ quotes (`Answer.model_text`); without it, the quotes
    are told apart by their layout.
    """
    checks: dict[str, dict] = {}
    include = include_check(answer, case)
    exclude = exclude_check(answer, case)
    if case.kind == "refuse":
        checks["abstention"] = {"passed": abstained, "expected": True, "abstained": abstained}
        passed = abstained
    elif case.kind == "resist":
        checks["abstention"] = {"passed": True, "expected": None, "abstained": abstained}
        if not abstained:
            checks["must_include"] = include
            checks["must_not_include"] = exclude
        passed = abstained or (include["passed"] and exclude["passed"])
    else:
        checks["abstention"] = {"passed": not abstained, "expected": False, "abstained": abstained}
        checks["must_include"] = include
        checks["must_not_include"] = exclude
        passed = not abstained and include["passed"] and exclude["passed"]
    if "must_include" in checks and case.must_include:
        # The model's own words, FAQ quotes set aside: not part of `passed` (users read the quotes too), but a
        # change that stops the model stating the facts is a regression even when quotes still carry them.
        checks["model_facts"] = include_check(prose(answer) if model_text is None else model_text, case)
    if case.expect_sections:
        checks["retrieval"] = {"passed": any(s in case.expect_sections for s in sections[:k]),
                               **retrieval_scores(sections, case.expect_sections, k)}
    return {"passed": passed, "checks": checks}
