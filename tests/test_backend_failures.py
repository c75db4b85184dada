"""Failed or interrupted generations are never cached; backend errors keep their cause and reach the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from chatbot.backends.base import BackendError, Message, stop_early
from chatbot.backends.cache import AnswerCache, CachingLLM
from tests.fakes import ScriptedLLM

PROMPT = [Message("user", "Quel est le budget ?")]


class BreaksMidStream(ScriptedLLM):
    """A provider whose connection drops after two pieces of the reply."""

    def build_chat_model(self):
        model = super().build_chat_model()
        original = model._stream

        def stream(*args, **kwargs):
            for n, chunk in enumerate(original(*args, **kwargs)):
                if n == 2:
                    raise ConnectionResetError("connection reset by peer")
                yield chunk

        object.__setattr__(model, "_stream", stream)
        return model


def _reply(system: str, user: str) -> str:
    return "Les dépenses atteignent 2,45 millions d'euros [1]."


def entries(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_a_stream_failure_leaves_no_cache_entry(tmp_path: Path) -> None:
    cache_file = tmp_path / "answers.jsonl"
    llm = CachingLLM(BreaksMidStream(script=_reply), AnswerCache(cache_file))
    seen: list[str] = []
    with pytest.raises(BackendError):
        seen.extend(llm.stream(PROMPT, max_tokens=50))
    assert seen, "the failure came after some text had been streamed"
    assert entries(cache_file) == []
    # The next run asks the backend again and gets (and stores) the whole reply.
    whole = "".join(CachingLLM(ScriptedLLM(script=_reply), AnswerCache(cache_file)).stream(PROMPT, max_tokens=50))
    assert whole == _reply("", "") and len(entries(cache_file)) == 1


def test_an_interrupted_generation_is_not_cached(tmp_path: Path) -> None:
    cache_file = tmp_path / "answers.jsonl"
    stream = CachingLLM(ScriptedLLM(script=_reply), AnswerCache(cache_file)).stream(PROMPT, max_tokens=50)
    next(stream)
    stream.close()  # the reader went away (a closed browser tab, Ctrl-C)
    assert entries(cache_file) == []


def test_a_reply_ended_on_purpose_is_cached_as_read(tmp_path: Path) -> None:
    cache_file = tmp_path / "answers.jsonl"
    stream = CachingLLM(ScriptedLLM(script=lambda s, u: "HORS_FAQ puis du bavardage"),
                        AnswerCache(cache_file)).stream(PROMPT, max_tokens=50)
    assert next(stream).startswith("HORS_FAQ")
    stop_early(stream)
    replay = CachingLLM(ScriptedLLM(), AnswerCache(cache_file), offline=True)
    assert "".join(replay.stream(PROMPT, max_tokens=50)) == "HORS_FAQ "


def test_a_backend_error_keeps_its_cause_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    llm = BreaksMidStream(script=_reply)
    with caplog.at_level(logging.WARNING, logger="faqbot.backend"), pytest.raises(BackendError) as caught:
        "".join(llm.stream(PROMPT, max_tokens=50))
    assert isinstance(caught.value.__cause__, ConnectionResetError)
    record = next(r for r in caplog.records if r.name == "faqbot.backend")
    assert record.exc_info and record.exc_info[0] is ConnectionResetError
    assert "connection reset by peer" in caplog.text
