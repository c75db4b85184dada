"""Case files: the held-out split, tags, and honest whole-word matching of required and forbidden facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.answers import summarise_answers
from eval.cases import load_cases, matches
from eval.checks import judge
from eval.report import category_rows
from ingest.errors import InputError


def write(tmp_path: Path, *cases: dict) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "alternative", "found"), [
    ("Le budget est de 2,458 millions d'euros.", "2.458", True),
    ("Le budget est de 12,458 millions.", "2.458", False),
    ("Le budget est de 2,4580 millions.", "2.458", False),
    ("Fondé en 2013.", "13", False),
    ("Les 13 refuges rénovés.", "13", True),
    ("Merci de votre question.", "vot", False),
    ("Un groupe indépendant.", "independ*", True),
    ("Son indépendance financière.", "independ*", True),
    ("Un groupe indépendant.", "independ", False),
    ("48 000 randonneurs accueillis.", "48000", True),
    ("Il n'a aucun gardien.", "aucun gardien", True),
    ("Il n'a aucun gardien permanent.", "gardien", True),
    ("Les gardiens reçoivent...", "gardien", False),
])
def test_alternatives_match_whole_words_only(text: str, alternative: str, found: bool) -> None:
    assert matches(text, alternative) is found


def test_split_defaults_to_test_and_tags_are_kept(tmp_path: Path) -> None:
    cases = load_cases([write(tmp_path, {"id": "a", "question": "q ?"},
                              {"id": "b", "question": "q ?", "split": "tune", "tags": ["yes_no"], "extra": 1})])
    assert [c.split for c in cases] == ["test", "tune"]
    assert cases[1].tags == ("yes_no",) and cases[1].to_dict()["tags"] == ["yes_no"]


def test_a_case_can_name_the_language_its_answer_must_be_in(tmp_path: Path) -> None:
    """Without the field the check trusts the bot's own reading of the question, so a question it misreads as
    French could never fail; with it, a French answer to an English question fails."""
    from eval.answers import _with_fidelity

    question = "Randonnée wardens?"  # a French letter: read as French
    plain, named = load_cases([write(tmp_path, {"id": "a", "question": question},
                                     {"id": "b", "question": question, "language": "en"})])
    verdict = {"passed": True, "checks": {}}
    french = "Le Club n'emploie aucun gardien [1]."
    assert _with_fidelity(plain, verdict, french, False, None)["passed"]
    assert not _with_fidelity(named, verdict, french, False, None)["passed"]
    assert _with_fidelity(named, verdict, "The club employs no wardens [1].", False, None)["passed"]
    assert named.to_dict()["language"] == "en" and "language" not in plain.to_dict()
    # An answer whose own words tell no language (an e-mail, a phone number) is in none: no mismatch.
    assert _with_fidelity(named, verdict, "contact@amis.example [1]", False, None)["passed"]


@pytest.mark.parametrize("bad", [{"split": "dev"}, {"tags": "yes_no"}, {"tags": [""]}, {"language": "de"}])
def test_bad_split_or_tags_name_the_line(tmp_path: Path, bad: dict) -> None:
    with pytest.raises(InputError, match="cases.jsonl:1"):
        load_cases([write(tmp_path, {"id": "a", "question": "q ?", **bad})])


def test_a_figure_inside_another_does_not_satisfy_a_case(tmp_path: Path) -> None:
    case = load_cases([write(tmp_path, {"id": "a", "question": "q ?", "must_include": [["13"]],
                                        "must_not_include": ["10 milliards"]})])[0]
    assert not judge(case, "Créé en 2013 [1].", False, [])["passed"]
    assert judge(case, "Il a repris 13 associations et pèse 110 milliards [1].", False, [])["passed"]


def _record(split: str, kind: str, passed: bool, tags: tuple[str, ...] = (), abstained: bool = False) -> dict:
    checks = {"must_include": {"passed": passed}} if kind == "answer" else {}
    return {"id": f"{split}-{kind}-{passed}", "kind": kind, "split": split, "tags": list(tags), "passed": passed,
            "abstained": abstained, "checks": checks, "verification": {}, "timings_ms": {}}


def test_every_metric_is_reported_per_split_and_the_suite_of_ordinary_questions_apart() -> None:
    records = [_record("tune", "answer", True), _record("test", "answer", False, ("false_positive",), True),
               _record("test", "answer", True, ("false_positive",)), _record("test", "refuse", True, (), True)]
    summary = summarise_answers(records)
    assert summary["facts_present"] == pytest.approx(2 / 3, abs=1e-4)
    assert summary["tune.facts_present"] == 1.0 and summary["test.facts_present"] == 0.5
    assert summary["test.false_positive_answered"] == 0.5 and summary["test.refuse_abstained"] == 1.0
    assert "tune.refuse_abstained" in summary and summary["tune.refuse_abstained"] is None


def test_cases_passed_by_category_per_split() -> None:
    records = [_record("tune", "answer", True, ("yes_no",)), _record("test", "answer", False, ("yes_no",)),
               _record("test", "answer", True, ("yes_no", "english"))]
    rows = {row[0]: row[1:] for row in category_rows(records)}
    assert rows["yes_no"] == (1, 1, 1, 2) and rows["english"] == (0, 0, 1, 1)
