"""Ratings: a capped, rotated log; cases only through the staff's review (`faqbot feedback`); `faqbot ui --staff`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from chatbot.answer import Answer
from eval.cases import load_cases
from index.retriever import Hit
from ingest import Chunk
from ui import feedback
from ui.cli import main
from ui.cmd_feedback import review_cmd

BUDGET = "À combien s'élève le budget du Club Azur ?"
PASSAGE = "En 2023, les dépenses du Club Azur atteignent 2,45 millions d'euros."


def budget_answer(question: str = BUDGET) -> Answer:
    hit = Hit(Chunk(chunk_id="q04-test", section=4, title=BUDGET, text=PASSAGE), 0.8, 0.8, 0.0, 1)
    return Answer(question=question, text="Les dépenses atteignent 2,45 millions d'euros [1].",
                  abstained=False, sources=(hit,), backend="scripted", model="m")


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "feedback.jsonl"
    monkeypatch.setenv("FAQBOT_FEEDBACK_FILE", str(path))
    monkeypatch.setenv("FAQBOT_FEEDBACK_CASES", str(tmp_path / "cases.jsonl"))
    return path


def rate(question: str, rating: str = feedback.UP, reason: str | None = None) -> dict:
    record = feedback.feedback_record(budget_answer(question), rating=rating, reason=reason)
    feedback.log_rating(record)
    return record


def test_the_rating_log_is_capped_and_rotated(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAQBOT_FEEDBACK_MAX_BYTES", "4000")
    for n in range(40):
        rate(f"Question {n} sur le budget ?")
    files = sorted(p.name for p in log.parent.iterdir() if p.name.startswith("feedback.jsonl"))
    assert files == ["feedback.jsonl", "feedback.jsonl.1", "feedback.jsonl.2", "feedback.jsonl.3"]
    assert all(p.stat().st_size <= 4000 for p in log.parent.glob("feedback.jsonl*"))
    kept = feedback.read_ratings()
    assert kept[-1]["question"] == "Question 39 sur le budget ?" and 0 < len(kept) < 40  # the oldest went first
    assert [r["question"] for r in kept] == sorted((r["question"] for r in kept), key=lambda q: int(q.split()[1]))


def test_accept_writes_the_case_where_the_staff_says_and_only_once(log: Path, tmp_path: Path, capsys) -> None:
    good = rate(BUDGET)
    tone = rate("Le ton ?", feedback.DOWN, feedback.TONE)
    assert main(["feedback", "list", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [item["rating"]["id"] for item in listed] == [tone["id"], good["id"]]  # newest first
    assert listed[0]["case"] is None and listed[1]["case"]["kind"] == "answer"
    target = tmp_path / "mes-cas.jsonl"
    assert main(["feedback", "accept", good["id"], "--cases", str(target)]) == 0
    (case,) = load_cases([target])
    assert case.question == BUDGET and case.must_include == (("2.45", "245"),) and case.expect_sections == (4,)
    assert not (tmp_path / "cases.jsonl").exists()
    assert main(["feedback", "accept", tone["id"]]) == 2 and "makes no case" in capsys.readouterr().err
    assert main(["feedback", "reject", tone["id"]]) == 0
    assert feedback.pending() == []
    assert main(["feedback", "accept", "r-nope"]) == 2 and "no rating with id r-nope" in capsys.readouterr().err


def test_interactive_review_accepts_skips_and_rejects(log: Path, tmp_path: Path, capsys) -> None:
    rate("Question une sur le budget ?")
    rate("Question deux sur le budget ?")
    rate("Question trois sur le budget ?")
    answers = iter(["x", "a", "s", "r"])  # newest first: trois accepted (after a bad key), deux skipped, une set aside
    target = tmp_path / "revus.jsonl"
    args = argparse.Namespace(log=None, cases=target)
    assert review_cmd(args, ask=lambda prompt: next(answers)) == 0
    (case,) = load_cases([target])
    assert case.question == "Question trois sur le budget ?"
    assert [r["question"] for r in feedback.pending()] == ["Question deux sur le budget ?"]
    assert "1 case(s) added" in capsys.readouterr().out


def test_staff_page_on_the_network_needs_a_token(tmp_path: Path, capsys) -> None:
    assert main(["ui", "--staff", "--host", "0.0.0.0", "--index-dir", str(tmp_path / "i")]) == 2
    assert "FAQBOT_STAFF_TOKEN" in capsys.readouterr().err


def test_ui_env_turns_the_staff_page_on_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.cmd_ui import ui_env

    on = ui_env(argparse.Namespace(host="127.0.0.1", staff=True), base={"FAQBOT_STAFF": "1"})
    off = ui_env(argparse.Namespace(host="0.0.0.0", staff=False), base={"FAQBOT_STAFF": "1"})
    assert on["FAQBOT_STAFF"] == "1" and on["FAQBOT_UI_HOST"] == "127.0.0.1"
    assert "FAQBOT_STAFF" not in off and off["FAQBOT_UI_HOST"] == "0.0.0.0"


def test_a_thumbs_up_case_requires_the_figures_of_the_model_s_own_words() -> None:
    """The quotes after an answer bring neighbouring facts (the 2022 surplus after the spending): the case a 👍 makes
    requires what the answer said, read back from the log, not every figure quoted after it."""
    passage = PASSAGE + " Le solde 2022 du Club Azur atteint +7 millions d'euros."
    hit = Hit(Chunk(chunk_id="q04-test", section=4, title=BUDGET, text=passage), 0.8, 0.8, 0.0, 1)
    own = "Les dépenses atteignent 2,45 millions d'euros [1]."
    answer = Answer(question=BUDGET, abstained=False, sources=(hit,), backend="scripted", model="m", model_text=own,
                    text=own + "\n\nLa FAQ précise :\n- « Le solde 2022 du Club Azur atteint +7 millions "
                               "d'euros. » [1]")
    record = feedback.feedback_record(answer, rating=feedback.UP)
    assert feedback.case_of(json.loads(json.dumps(record))).must_include == (("2.45", "245"),)
    record.pop("model_text")  # a record logged before the model's words were kept: every figure, as before
    assert feedback.case_of(record).must_include == (("2.45", "245"), ("7",))
