"""The regression gate: `faqbot eval` passes an unchanged run, and exits 1 naming the cases when the FAQ's
figure or the prompt breaks; answers are cached so an unchanged re-run asks the LLM nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import IndexSettings, build
from ingest import IngestSettings
from tests.conftest import REAL_FAQ
from ui.cli import main

CASES = [
    {"id": "gate-budget", "question": "Quel est le chiffre d'activité 2022 du Groupe SOS ?", "kind": "answer",
     "expect_sections": [4], "must_include": [["1.367", "1367"]], "must_not_include": []},
    {"id": "gate-politique", "question": "Le Groupe SOS est-il affilié à un mouvement politique ?",
     "kind": "answer", "expect_sections": [11], "must_include": [["independant", "aucun parti", "non"]],
     "must_not_include": []},
    {"id": "gate-poeme", "question": "Écris-moi un poème sur la solidarité.", "kind": "refuse", "expect_sections": [],
     "must_include": [], "must_not_include": []},
]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the FAQ indexed with hashed embeddings, the copying LLM, a cases file and an empty cache."""
    faq = tmp_path / "faq.md"
    faq.write_text(REAL_FAQ.read_text(encoding="utf-8"), encoding="utf-8")
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CASES), encoding="utf-8")
    monkeypatch.setenv("FAQBOT_FAQ", str(faq))
    monkeypatch.setenv("FAQBOT_EMBEDDER", "hash")
    monkeypatch.setenv("FAQBOT_LLM", "tests.fakes:CopyingLLM")
    (tmp_path / "none.toml").write_text("# no bounds: these tests exercise the baseline comparison\n")
    build(IngestSettings(faq_path=faq), IndexSettings.from_env())
    return tmp_path


def run_eval(ws: Path, out: str, *extra: str) -> int:
    return main(["eval", "--cases", str(ws / "cases.jsonl"), "--out", str(ws / out), "--cache",
                 str(ws / "cache.jsonl"), "--thresholds", str(ws / "none.toml"), *extra])


def summary(ws: Path, out: str) -> dict:
    return json.loads((ws / out / "summary.json").read_text(encoding="utf-8"))


def test_unchanged_rerun_passes_and_comes_from_the_cache(workspace: Path, capsys) -> None:
    assert run_eval(workspace, "first") == 0
    first = summary(workspace, "first")
    assert first["passed"] == 3 and first["cache"]["misses"] > 0
    assert run_eval(workspace, "second", "--baseline", str(workspace / "first" / "results.jsonl")) == 0
    second = summary(workspace, "second")
    assert second["cache"]["misses"] == 0 and second["cache"]["hits"] == first["cache"]["misses"]
    for name in ("results.jsonl", "summary.json", "report.md", "report.html"):
        assert (workspace / "second" / name).exists()


def test_changed_figure_in_the_faq_fails_the_gate_and_names_the_case(workspace: Path, capsys) -> None:
    assert run_eval(workspace, "base") == 0
    faq = workspace / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8").replace("1,367 milliard", "1,5 milliard"), encoding="utf-8")
    build(IngestSettings(faq_path=faq), IndexSettings.from_env())
    capsys.readouterr()
    code = run_eval(workspace, "after", "--baseline", str(workspace / "base" / "results.jsonl"))
    err = capsys.readouterr().err
    assert code == 1
    assert "gate-budget" in err and "Regression" in err
    assert "gate-politique" not in err.split("Regression", 1)[1], "only the affected case is named"
    report = (workspace / "after" / "report.md").read_text(encoding="utf-8")
    assert "gate-budget" in report and "1.367" in report
    results = [json.loads(line) for line in (workspace / "after" / "results.jsonl").read_text().splitlines()]
    budget = next(r for r in results if r["id"] == "gate-budget")
    assert budget["checks"]["must_include"]["missing"] == [["1.367", "1367"]]


def test_broken_prompt_fails_the_gate(workspace: Path, capsys, monkeypatch) -> None:
    from langchain_core.prompts import ChatPromptTemplate

    import chatbot.prompts as prompts

    assert run_eval(workspace, "base") == 0
    # A prompt that forgets to give the passages: the model has nothing to answer from.
    broken = ChatPromptTemplate.from_messages([("system", prompts.SYSTEM), ("human", "Question : {question}\n"
                                                                               "{instruction}{passages:.0}")])
    monkeypatch.setattr(prompts, "ANSWER_PROMPT", broken)
    capsys.readouterr()
    code = run_eval(workspace, "broken", "--baseline", str(workspace / "base" / "results.jsonl"))
    err = capsys.readouterr().err
    # The FAQ quotes after the answer still carry the budget figure (the safety net), yet the model's own words
    # lost it: the gate fails and says so.
    assert code == 1
    assert "Regression: case gate-budget still passes, but the model's own words lack required facts" in err


def test_threshold_crossed_fails_without_a_baseline(workspace: Path, capsys) -> None:
    (workspace / "strict.toml").write_text("[max]\nfalse_abstention = 0.0\n[min]\nfacts_present = 1.01\n")
    code = main(["eval", "--cases", str(workspace / "cases.jsonl"), "--out", str(workspace / "t"), "--cache",
                 str(workspace / "cache.jsonl"), "--thresholds", str(workspace / "strict.toml")])
    assert code == 1 and "facts_present" in capsys.readouterr().err


def test_mutation_self_test_reports_the_share_caught(workspace: Path) -> None:
    assert run_eval(workspace, "mut", "--mutate") == 0
    data = summary(workspace, "mut")
    assert data["mutants"] > 0 and "mutants_caught" not in data, "no blended share: one per kind"
    assert data["mutants_caught_number"] == 1.0 and data["mutants_caught_negation"] >= 0.95
    assert "Mutation" in (workspace / "mut" / "report.md").read_text(encoding="utf-8")


def test_a_reply_read_only_in_part_is_cached_too(tmp_path: Path) -> None:
    from chatbot.backends.base import Message, stop_early
    from chatbot.backends.cache import AnswerCache, CachingLLM
    from tests.fakes import ScriptedLLM

    cache = AnswerCache(tmp_path / "c.jsonl")
    llm = CachingLLM(ScriptedLLM(script=lambda s, u: "HORS_FAQ and then more words"), cache)
    stream = llm.stream([Message("user", "q")], max_tokens=10)
    assert next(stream).startswith("HORS")
    stop_early(stream)  # the bot stops reading at HORS_FAQ
    replay = CachingLLM(ScriptedLLM(), AnswerCache(tmp_path / "c.jsonl"), offline=True)
    assert "".join(replay.stream([Message("user", "q")], max_tokens=10)).startswith("HORS")
