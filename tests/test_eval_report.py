"""The regression report: pass/fail changes against the baseline, thresholds, and the answer diffs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eval.report import (
    Comparison,
    compare,
    diff_html,
    diff_markdown,
    failure_reasons,
    format_value,
    load_thresholds,
    render_html,
    render_markdown,
    span_ranges,
    word_diff,
    write_reports,
)
from ingest.errors import InputError

GOOD = "En 2023, les dépenses du Club Azur atteignent 2,45 millions d'euros [1]."
WRONG = "En 2023, les dépenses du Club Azur atteignent 2,65 millions d'euros [1]."
THRESHOLDS = {"min": {"facts_present": 0.9, "retrieval_hit@4": 0.95}, "max": {"false_abstention": 0.05}}
SUMMARY = {"cases": 3, "facts_present": 1.0, "false_abstention": 0.0, "retrieval_hit@4": 1.0,
           "retrieval_mrr": 0.9167, "total_p50_ms": 968, "model": "qwen"}


def record(case_id: str, passed: bool, answer: str = GOOD, *, question: str = "Quel est le budget ?",
           kind: str = "answer", abstained: bool = False, **checks: dict) -> dict:
    """A judged record as eval.answers.run_case writes it (only the keys the report reads)."""
    base = {"abstention": {"passed": not abstained if kind == "answer" else abstained,
                           "expected": kind != "answer", "abstained": abstained},
            "must_include": {"passed": True, "missing": []}, "must_not_include": {"passed": True, "found": []}}
    return {"id": case_id, "question": question, "kind": kind, "mode": "ask", "answer": answer,
            "abstained": abstained, "abstain_reason": "not_in_faq" if abstained else None, "sources": [],
            "verification": {}, "passed": passed, "checks": {**base, **checks}}


def wrong_figure(case_id: str = "budget") -> dict:
    """The budget case answered with a figure the FAQ does not have."""
    return record(case_id, False, WRONG, must_include={"passed": False, "missing": [["2.45", "245"]]},
                  grounding={"passed": False, "unsupported": ["2,65 millions"],
                             "details": {"figures": ["2,65 millions"]}})


def test_a_regression_fails_the_gate_and_is_named() -> None:
    baseline = [record("budget", True), record("valeurs", True)]
    current = [wrong_figure(), record("valeurs", True)]
    result = compare(current, baseline, SUMMARY, SUMMARY, THRESHOLDS)
    assert result.regressions == ["budget"] and result.fixes == []
    assert result.exit_code == 1 and not result.passed
    [reason] = result.reasons
    assert "budget" in reason and "2.45" in reason and "2,65 millions" in reason


def test_a_fix_is_listed_and_does_not_fail_the_gate() -> None:
    result = compare([record("budget", True)], [wrong_figure()], SUMMARY, SUMMARY, THRESHOLDS)
    assert result.fixes == ["budget"] and result.regressions == []
    assert result.exit_code == 0 and result.reasons == []


@pytest.mark.parametrize(("metric", "value", "side", "words"), [
    ("facts_present", 0.85, "min", "below the minimum 90.0%"),
    ("false_abstention", 0.0612, "max", "above the maximum 5.0%"),
])
def test_a_threshold_failure_fails_the_gate_naming_the_metric(metric: str, value: float, side: str,
                                                              words: str) -> None:
    summary = {**SUMMARY, metric: value}
    result = compare([record("budget", True)], [record("budget", True)], summary, SUMMARY, THRESHOLDS)
    assert result.exit_code == 1 and result.regressions == []
    [failure] = result.threshold_failures
    assert (failure.metric, failure.value, failure.side) == (metric, value, side)
    [reason] = result.reasons
    assert metric in reason and words in reason and f"{value * 100:.1f}%" in reason


def test_a_value_on_its_bound_passes() -> None:
    summary = {**SUMMARY, "facts_present": 0.9, "false_abstention": 0.05}
    assert compare([record("budget", True)], None, summary, None, THRESHOLDS).exit_code == 0


def test_without_baseline_only_the_thresholds_apply() -> None:
    current = [wrong_figure(), record("valeurs", True)]
    result = compare(current, None, SUMMARY, None, THRESHOLDS)
    assert (result.regressions, result.fixes, result.new_cases, result.missing_cases) == ([], [], [], [])
    assert result.exit_code == 0 and not result.has_baseline
    assert all(row.baseline is None and row.change is None for row in result.metric_rows)
    failing = compare(current, None, {**SUMMARY, "retrieval_hit@4": 0.5}, None, THRESHOLDS)
    assert failing.exit_code == 1 and "retrieval_hit@4" in failing.reasons[0]


def test_an_unmeasured_threshold_is_a_note_not_a_failure() -> None:
    thresholds = {"min": {"mutants_caught": 0.95, "refuse_abstained": 0.9}}
    result = compare([record("budget", True)], None, {**SUMMARY, "refuse_abstained": None}, None, thresholds)
    assert result.exit_code == 0
    assert result.notes == ["Thresholds not checked, metric not measured in this run: mutants_caught.",
                            "Thresholds not checked, metric has no value (no cases of its kind): refuse_abstained."]


def test_new_and_missing_cases_are_listed_without_failing() -> None:
    result = compare([record("budget", True), record("nouveau", False)], [record("budget", True),
                                                                         record("ancien", True)],
                     SUMMARY, SUMMARY, {})
    assert result.new_cases == ["nouveau"] and result.missing_cases == ["ancien"]
    assert result.exit_code == 0 and any("ancien" in n for n in result.notes)


def test_a_case_repeated_passes_only_if_every_run_passes() -> None:
    current = [record("budget", True), wrong_figure()]  # --repeat 2: one good run, one bad
    result = compare(current, [record("budget", True)], SUMMARY, SUMMARY, {})
    assert result.regressions == ["budget"] and result.flaky == ["budget"]
    assert "2,65" in result.reasons[0]  # the failing run is the one explained


def test_metric_rows_and_formatting() -> None:
    result = compare([record("budget", True)], [record("budget", True)],
                     {**SUMMARY, "facts_present": 0.875}, {**SUMMARY, "total_p50_ms": 1200}, {})
    rows = {row.metric: row for row in result.metric_rows}
    assert "model" not in rows and ("model", "qwen", "qwen") in result.run_info
    assert rows["facts_present"].change == -0.125
    assert format_value("facts_present", 0.875) == "87.5%"
    assert format_value("retrieval_mrr", 0.9167) == "0.917"  # a mean rank, not a share
    assert format_value("total_p50_ms", 968) == "968 ms" and format_value("cases", 3) == "3"
    text = render_markdown(result, [record("budget", True)], [record("budget", True)])
    assert "| facts_present | 100.0% | 87.5% | -12.5 pts |" in text
    assert "| total_p50_ms | 1200 ms | 968 ms | -232 ms |" in text


def test_failure_reasons_say_what_is_wrong() -> None:
    assert failure_reasons(wrong_figure()) == [
        "missing required facts: «2.45» or «245»", "not grounded in its sources: figures «2,65 millions»"]
    abstained = record("budget", False, "Je ne sais pas.", abstained=True)
    abstained["checks"]["abstention"]["passed"] = False
    assert failure_reasons(abstained)[0] == "abstained (not_in_faq) although the FAQ answers it"
    answered = record("capitale", False, "Tokyo.", kind="refuse")
    assert failure_reasons(answered) == ["answered although it should have abstained"]
    forbidden = record("mafia", False, "Oui, 10 milliards.",
                       must_not_include={"passed": False, "found": ["10 milliards"]})
    assert failure_reasons(forbidden) == ["forbidden strings found: «10 milliards»"]
    assert failure_reasons({"id": "x", "passed": False}) == ["failed (no check recorded why)"]
    english = record("valeurs", False, "The values are courage [1].",
                     language={"passed": False, "expected": "fr", "answer": "en"})
    assert failure_reasons(english) == ["answered in en to a question in fr"]
    stale = {"id": "x", "passed": False, "checks": {"cache": {"passed": False, "error": "prompt changed"}}}
    assert failure_reasons(stale) == ["no cached answer (prompt changed)"]
    other = {"id": "x", "passed": False, "checks": {"tone": {"passed": False, "score": 0.2}}}
    assert failure_reasons(other) == ['tone check failed ({"score": 0.2})']


def test_the_diff_highlights_an_inserted_wrong_figure() -> None:
    baseline, current = [record("budget", True)], [wrong_figure()]
    result = compare(current, baseline, SUMMARY, SUMMARY, THRESHOLDS)
    text = render_markdown(result, current, baseline)
    assert "~~2,45~~ ⚠**==2,65==** ==millions==" in text
    page = render_html(result, current, baseline)
    assert "<del>2,45 </del><ins><mark>2,65 </mark></ins><mark>millions </mark>" in page
    assert "Why it fails now" in text and "missing required facts" in text


def test_forbidden_strings_are_found_in_their_written_form() -> None:
    answer = "Le budget est de 10 Milliards d'euros, soit 10 000 millions."
    spans = [answer[a:b] for a, b in span_ranges(answer, ["10 milliards", "10000 millions"])]
    assert spans == ["10 Milliards", "10 000 millions"]


def test_unrelated_answers_are_shown_whole_not_as_confetti() -> None:
    pieces = word_diff("Je ne trouve pas cette information dans la FAQ.", GOOD)
    assert [state for _, state, _ in pieces] == ["del", "same", "ins"]
    assert diff_markdown(pieces).startswith("> ~~Je ne trouve pas")


def test_html_escapes_every_answer_and_question() -> None:
    attack = '<script>alert("x")</script> <img src=x onerror=alert(1)>'
    baseline = [record("budget", True)]
    current = [record("budget", False, GOOD + " " + attack, question="Budget ? " + attack,
                      must_not_include={"passed": False, "found": ["<script>"]})]
    result = compare(current, baseline, SUMMARY, SUMMARY, THRESHOLDS)
    page = render_html(result, current, baseline)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    assert diff_html([("<b>", "ins", True)]) == "<ins><mark>&lt;b&gt;</mark></ins>"
    # Markdown viewers render raw HTML too: it is escaped there as well.
    assert "<script>" not in render_markdown(result, current, baseline)


def test_write_reports_writes_both_files(tmp_path: Path) -> None:
    baseline = [record("budget", True), wrong_figure("valeurs")]
    current = [wrong_figure(), record("valeurs", True), record("religion", False, "Je ne sais pas.",
                                                                 abstained=True)]
    current[2]["checks"]["abstention"]["passed"] = False
    result = compare(current, baseline, {**SUMMARY, "facts_present": 0.5}, SUMMARY, THRESHOLDS)
    md, page = write_reports(tmp_path / "out", result, current, baseline)
    text, html_text = md.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
    for needed in ("## Metrics", "**FAIL** (exit code 1)", "## Regressions (pass → fail)", "### `budget`",
                   "## Fixes (fail → pass)", "### `valeurs`", "Why it failed in the baseline",
                   "## Currently failing cases", "`religion`: abstained (not_in_faq)"):
        assert needed in text, needed
    # Sections in the order asked for: metrics, verdict, regressions, fixes, failing cases.
    order = [text.index(h) for h in ("## Metrics", "## Verdict", "## Regressions", "## Fixes", "## Currently")]
    assert order == sorted(order)
    # The regression is not listed again among the other failing cases.
    assert "- `budget`" not in text
    assert html_text.startswith("<!DOCTYPE html>") and "<style>" in html_text
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html_text)  # no external resources


def test_the_mutation_section_goes_into_both_reports(tmp_path: Path) -> None:
    from eval.mutate import Mutant, MutantResult, MutationReport

    mutant = Mutant("negation", GOOD, "Avec <b>gardien</b> [1].", "negation removed: Sans → Avec",
                    "remove:sans")
    mutation = MutationReport([MutantResult("refuges", mutant, False),
                               MutantResult("budget", Mutant("number", GOOD, WRONG, "figure 2,45 → 2,65"),
                                            True, ("verify:figures",))])
    result = compare([record("budget", True)], None, {**SUMMARY, **mutation.metrics()}, None,
                     {"min": {"mutants_caught_negation": 0.95, "mutants_caught_number": 0.95}})
    # Gated per kind: the caught number mutant does not hide the uncaught negation one.
    assert result.exit_code == 1 and len(result.reasons) == 1
    assert "mutants_caught_negation is 0.0%" in result.reasons[0]
    md, page = write_reports(tmp_path, result, [record("budget", True)], None, mutation)
    text, html_text = md.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
    assert "## Mutation test" in text and "| negation | 0 | 1 | 0.0% |" in text and "`refuges`" in text
    assert "<h2>Mutation test</h2>" in html_text and "Avec &lt;b&gt;gardien&lt;/b&gt;" in html_text


def test_thresholds_file(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.toml"
    path.write_text('[min]\nfacts_present = 0.9\n"retrieval_hit@4" = 0.95\n[max]\nfalse_abstention = 0.05\n',
                    encoding="utf-8")
    assert load_thresholds(path) == {"min": {"facts_present": 0.9, "retrieval_hit@4": 0.95},
                                     "max": {"false_abstention": 0.05}}
    path.write_text("[minimum]\nfacts_present = 0.9\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[min\] and \[max\]"):
        load_thresholds(path)
    path.write_text('[min]\nfacts_present = "high"\n', encoding="utf-8")
    with pytest.raises(InputError, match="min.facts_present must be a number"):
        load_thresholds(path)
    with pytest.raises(InputError, match="not found"):
        load_thresholds(tmp_path / "missing.toml")


def test_comparison_serialises() -> None:
    result = compare([wrong_figure()], [record("budget", True)], SUMMARY, SUMMARY, THRESHOLDS)
    data = result.to_dict()
    assert data["regressions"] == ["budget"] and data["passed"] is False and data["exit_code"] == 1
    assert isinstance(Comparison(), Comparison)
