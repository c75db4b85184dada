"""Thresholds belong to the embedder and the FAQ: `faqbot calibrate` derives them from the tune cases, stores them
beside the index, and the chatbot reads them from there (the embedder's documented defaults otherwise)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from chatbot import Chatbot
from chatbot.settings import DEFAULT_THRESHOLDS, Thresholds, resolve_thresholds
from eval import calibrate as calibration
from eval.calibrate import Sample, separate
from index import THRESHOLDS_FILE, IndexSettings, load_retriever, read_manifest
from index.embedders import HashEmbedder
from ingest import IngestSettings
from tests.conftest import REPO
from ui.cli import main

OMBELLE = REPO / "data" / "faq_fondation_ombelle.md"
CASES = [REPO / "eval" / "cases" / "ombelle" / "tune.jsonl", REPO / "eval" / "cases" / "ombelle" / "test.jsonl"]


def test_the_cut_with_fewest_errors_sits_in_the_middle_of_the_widest_gap() -> None:
    assert separate([0.5, 0.6, 0.7], [0.1, 0.2]) == pytest.approx((0.35, 0, 0.2, 0.5))
    # Either cut makes one error; letting the must-stop 0.4 through costs more than stopping the 0.3 that should pass.
    cut, errors, below, above = separate([0.3, 0.5, 0.6], [0.1, 0.4])
    assert errors == 1 and (below, above) == (0.4, 0.5) and cut == pytest.approx(0.45)
    # Four wrongly stopped cases outweigh one let through.
    cut, errors, _, _ = separate([0.3, 0.31, 0.32, 0.325, 0.5], [0.1, 0.33])
    assert cut < 0.3 and errors == 1


def test_two_refusals_reaching_the_llm_place_the_quote_bar_and_none_keep_the_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules that refuse most must-abstain questions before the LLM leave few to place the quote bar: two still do
    (the embedder's hand-set default is far stricter than any calibration); none leave the default."""
    answers = [Sample(f"a{i}", "answer", 0.25 + i / 100, 0.5, False, False, False) for i in range(10)]
    off_topic = [Sample(f"r{i}", "refuse", 0.10 + i / 100, 0.3, False, False, False) for i in range(5)]
    # Two must-abstain questions that pass the off-topic gate (a FAQ name rescues them) and reach the LLM.
    asked = [Sample(f"late{i}", "refuse", 0.20 + i / 100, 0.4, True, False, False) for i in range(2)]
    monkeypatch.setattr(calibration, "measure", lambda *a, **k: answers + off_topic + asked)
    cuts = {c.name: c for c in calibration.calibrate([], None, DEFAULT_THRESHOLDS["gemma"]).cuts}
    assert cuts["quote_min"].calibrated and cuts["quote_min"].value < DEFAULT_THRESHOLDS["gemma"].quote_min
    monkeypatch.setattr(calibration, "measure", lambda *a, **k: answers + off_topic)
    cuts = {c.name: c for c in calibration.calibrate([], None, DEFAULT_THRESHOLDS["gemma"]).cuts}
    assert not cuts["quote_min"].calibrated and cuts["quote_min"].value == DEFAULT_THRESHOLDS["gemma"].quote_min


def test_a_question_on_the_faqs_subject_does_not_move_the_off_topic_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """A must-abstain question tagged `not_in_faq` scores like the answerable ones (« Combien de dettes ? »): the
    off-topic cut is placed between answerable and off-topic questions only; it still counts for the quote bar."""
    answers = [Sample(f"a{i}", "answer", 0.26 + i / 100, 0.5, False, False, False) for i in range(10)]
    off_topic = [Sample(f"r{i}", "refuse", 0.10 + i / 100, 0.3, False, False, False) for i in range(5)]
    on_topic = [Sample("nif", "refuse", 0.265, 0.4, False, False, False, on_topic=True)]
    monkeypatch.setattr(calibration, "measure", lambda *a, **k: answers + off_topic + on_topic)
    cuts = {c.name: c for c in calibration.calibrate([], None, DEFAULT_THRESHOLDS["gemma"]).cuts}
    assert cuts["off_topic"].value < 0.26 and cuts["off_topic"].negatives == 5
    assert cuts["quote_min"].negatives == 1


def test_every_embedder_has_documented_defaults() -> None:
    assert set(DEFAULT_THRESHOLDS) == {"gemma", "e5", "hash"}
    assert resolve_thresholds("gemma", None) == DEFAULT_THRESHOLDS["gemma"]
    assert resolve_thresholds("e5", None).off_topic > resolve_thresholds("gemma", None).off_topic, \
        "e5's cosines crowd near 1: its off-topic bar is higher"
    assert resolve_thresholds("unknown", None).origin.startswith("défaut gemma")
    stored = {"values": {"off_topic": 0.41, "bogus": 3}, "origin": "calibré sur 9 cas tune"}
    assert resolve_thresholds("gemma", stored) == Thresholds(off_topic=0.41, origin="calibré sur 9 cas tune")


def _cli(*args: str) -> int:
    return main([*args, "--faq", str(OMBELLE), "--embedder", "hash"])


def test_calibrate_stores_thresholds_the_chatbot_then_uses(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    faq = tmp_path / "faq.md"
    shutil.copy(OMBELLE, faq)
    index_dir = tmp_path / "index"
    common = ["--faq", str(faq), "--index-dir", str(index_dir), "--embedder", "hash"]
    assert main(["index", *common]) == 0
    ingest_settings = IngestSettings(faq_path=faq)
    index_settings = IndexSettings.from_env(index_dir=index_dir, embedder="hash")
    before = Chatbot(load_retriever(ingest_settings, index_settings, embedder=HashEmbedder()), None)
    assert before.thresholds == DEFAULT_THRESHOLDS["hash"]

    capsys.readouterr()
    assert main(["calibrate", *common, "--cases", *map(str, CASES)]) == 0
    out = capsys.readouterr().out
    assert "off_topic" in out and "should pass" in out
    stored = json.loads((index_dir / THRESHOLDS_FILE).read_text(encoding="utf-8"))
    assert stored["tune_cases"] == 24 and stored["cases"] == [str(p) for p in CASES]
    manifest = read_manifest(index_dir)
    assert manifest["thresholds"]["calibrated"] == sorted(stored["values"])
    assert manifest["thresholds"]["tune_cases"] == 24 and "details" not in manifest["thresholds"]
    bot = Chatbot(load_retriever(ingest_settings, index_settings, embedder=HashEmbedder()), None)
    assert bot.thresholds.origin == "calibré sur 24 cas tune"
    assert bot.thresholds.values() == {**DEFAULT_THRESHOLDS["hash"].values(), **stored["values"]}

    assert main(["calibrate", *common, "--if-stale", "--cases", *map(str, CASES)]) == 0
    assert "thresholds are up to date" in capsys.readouterr().out

    # A new version of the FAQ: the calibration made on the old one is not used.
    faq.write_text(faq.read_text(encoding="utf-8").replace("7,8 millions", "8,1 millions"), encoding="utf-8")
    assert main(["index", *common]) == 0
    (index_dir / THRESHOLDS_FILE).write_text(json.dumps(stored), encoding="utf-8")  # an old file left behind
    bot = Chatbot(load_retriever(ingest_settings, index_settings, embedder=HashEmbedder()), None)
    assert bot.thresholds == DEFAULT_THRESHOLDS["hash"]


def test_calibrate_without_tune_cases_keeps_the_defaults(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index_dir = tmp_path / "index"
    assert _cli("index", "--index-dir", str(index_dir)) == 0
    assert _cli("calibrate", "--index-dir", str(index_dir), "--cases", str(CASES[1])) == 0
    assert "the hash defaults apply" in capsys.readouterr().err
    assert json.loads((index_dir / THRESHOLDS_FILE).read_text(encoding="utf-8"))["values"] == {}


def test_a_cut_held_by_one_case_names_it() -> None:
    """One must-abstain question alone widens the gap the cut sits in: the report names it, with the cut it would
    have without it, so a maintainer knows the threshold may move with the next case written."""
    positives = [("a1", 0.30), ("a2", 0.32), ("a3", 0.40), ("a4", 0.50)]
    negatives = [("n1", 0.10), ("n2", 0.12), ("lone", 0.29)]
    value = separate([v for _, v in positives], [v for _, v in negatives])[0]
    assert value == pytest.approx(0.295)
    # Both cases bounding the gap hold it: without « a1 » it moves up, without « lone » far down.
    assert calibration.held_by(positives, negatives, value) == (("a1", pytest.approx(0.305)),
                                                                ("lone", pytest.approx(0.21)))
    # A gap bounded by two cases on each side is held by none alone.
    pinned = [("a1", 0.5), ("a2", 0.5), ("a3", 0.6)], [("n1", 0.1), ("n2", 0.2), ("n3", 0.2)]
    assert calibration.held_by(*pinned, separate([0.5, 0.5, 0.6], [0.1, 0.2, 0.2])[0]) == ()


def test_one_more_case_moves_a_cut_placed_on_the_score_distributions_little(monkeypatch: pytest.MonkeyPatch) -> None:
    """With enough cases on each side the cut sits where the sides' estimated distributions cost least, not at the
    fewest cases on the wrong side: one must-abstain question written at 0.275 moves the count's cut by 0.03, the
    distributions' by less than 0.005 (docs/quality.md)."""
    rng = np.random.RandomState(7)
    positives = list(np.round(rng.normal(0.5, 0.1, 200), 3))
    negatives = list(np.round(rng.normal(0.2, 0.06, 40), 3))
    before, after = separate(positives, negatives)[0], separate(positives, [*negatives, 0.275])[0]
    assert abs(after - before) < 0.005
    monkeypatch.setattr(calibration, "SMOOTHED_CUT", False)
    before, after = separate(positives, negatives)[0], separate(positives, [*negatives, 0.275])[0]
    assert abs(after - before) > 0.03
