"""`faqbot ask` end to end in-process: the JSON contract, streamed citations, and clean refusals of bad input."""

from __future__ import annotations

import io
import json
import sys

import pytest

from index import IndexSettings, build
from ingest import IngestSettings
from tests.conftest import REAL_FAQ
from ui.cli import main


@pytest.fixture
def hash_index(tmp_path, monkeypatch):
    """The real FAQ indexed with hashed embeddings, and the scripted LLM selected through FAQBOT_LLM."""
    idx = IndexSettings.from_env(index_dir=tmp_path / "idx", embedder="hash")
    build(IngestSettings(faq_path=REAL_FAQ), idx)
    monkeypatch.setenv("FAQBOT_INDEX_DIR", str(idx.index_dir))
    monkeypatch.setenv("FAQBOT_EMBEDDER", "hash")
    monkeypatch.setenv("FAQBOT_FAQ", str(REAL_FAQ))
    monkeypatch.setenv("FAQBOT_LLM", "tests.fakes:ScriptedLLM")
    return idx


def test_ask_json_prints_the_contract(hash_index, capsys) -> None:
    assert main(["ask", "--json", "Quel est le budget du Groupe SOS ?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["question"] == "Quel est le budget du Groupe SOS ?"
    assert "1,367 milliard" in data["answer"] and data["abstained"] is False
    assert data["sources"][0]["section"] == 4 and data["backend"] == "scripted"
    assert data["model"] == "scripted-model" and data["timings_ms"]["total"] >= 0


def test_ask_streams_answer_then_numbered_sources(hash_index, capsys) -> None:
    assert main(["ask", "Quel est le budget du Groupe SOS ?"]) == 0
    out = capsys.readouterr().out
    assert out.index("1,367 milliard") < out.index("Sources :") < out.index("[1] Question 4 — Quel est le budget")


def test_question_from_stdin(hash_index, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Quel est le budget ?")))
    assert main(["ask", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["question"] == "Quel est le budget ?"


@pytest.mark.parametrize(("stdin", "message"), [
    (b"\xff\xfebudget", "not valid UTF-8"),
    (b"   \n\t  ", "question is empty"),
    (b"\x00\x01\x02", "question is empty"),
])
def test_bad_stdin_exits_2_without_traceback(hash_index, capsys, monkeypatch, stdin: bytes, message: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    assert main(["ask"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_huge_question_is_truncated_with_a_notice(hash_index, capsys) -> None:
    assert main(["ask", "--json", "budget " * 4000]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "tronquée" in data["notice"] and len(data["question"]) <= 2000


def test_unknown_backend_lists_the_valid_ones(hash_index, capsys) -> None:
    assert main(["ask", "--llm", "gpt", "Quel est le budget ?"]) == 1
    assert "choose one of llamacpp, ollama, openai" in capsys.readouterr().err


def test_unreachable_ollama_is_reported_with_the_fix(hash_index, capsys, monkeypatch) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{port}")
    assert main(["ask", "--llm", "ollama", "Quel est le budget du Groupe SOS ?"]) == 1
    err = capsys.readouterr().err
    assert f"Ollama is not reachable at http://127.0.0.1:{port}" in err and "ollama serve" in err
