"""Prompt-lookup drafts: which tokens are proposed, how the text is streamed and cut at a stop string."""

from __future__ import annotations

import numpy as np
import pytest

from chatbot.backends.lookup import (
    DEFAULT_DRAFT_TOKENS,
    DraftPace,
    draft_tokens_setting,
    lookup_draft,
    stream_text,
)
from ingest.errors import InputError


def test_the_draft_continues_the_passage_the_answer_is_copying() -> None:
    # prompt: "a b c d e f"; the answer so far ends with "b c": the draft is what followed "b c" in the prompt.
    history = np.array([1, 2, 3, 4, 5, 6, 9, 2, 3])
    assert lookup_draft(history, 3) == [4, 5, 6]


def test_the_occurrence_with_the_longest_agreeing_context_wins() -> None:
    # "3" follows both "1 2" (then 7) and "8 2" (then 4): the answer ends with "8 2 3", so 4 comes next.
    history = np.array([8, 2, 3, 4, 0, 1, 2, 3, 7, 0, 8, 2, 3])
    assert lookup_draft(history, 2) == [4, 0]


def test_no_draft_without_an_earlier_occurrence_or_room() -> None:
    assert lookup_draft(np.array([1, 2, 3]), 4) == []
    assert lookup_draft(np.array([1, 2, 1]), 0) == []
    assert lookup_draft(np.array([5]), 4) == []


def test_the_draft_stops_at_the_end_of_what_is_known() -> None:
    assert lookup_draft(np.array([1, 2, 3, 1, 2]), 8) == [3, 1, 2]


class _Bytes:
    """A fake llama whose tokens are the UTF-8 bytes of the text (a token may hold half a character)."""

    def detokenize(self, tokens: list[int]) -> bytes:
        return bytes(tokens)


def _stream(text: str, stops: list[str]) -> list[str]:
    return list(stream_text(_Bytes(), iter(text.encode("utf-8")), stops))


def test_the_text_comes_whole_with_accents_split_across_tokens() -> None:
    pieces = _stream("Créée en 1998, l’amicale « Les Rails »", [])
    assert "".join(pieces) == "Créée en 1998, l’amicale « Les Rails »"
    assert len(pieces) > 1 and all("\ufffd" not in p for p in pieces)


def test_the_text_ends_before_a_stop_string_and_never_shows_part_of_it() -> None:
    pieces = _stream("Oui [1].\nQuestion : autre", ["\nQuestion :"])
    assert "".join(pieces) == "Oui [1]."
    assert all("\n" not in p for p in pieces)


def test_a_text_that_only_starts_like_a_stop_string_is_kept() -> None:
    assert "".join(_stream("Oui.\nQuelle", ["\nQuestion :"])) == "Oui.\nQuelle"


def test_draft_size_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAQBOT_DRAFT_TOKENS", raising=False)
    assert draft_tokens_setting() == DEFAULT_DRAFT_TOKENS
    monkeypatch.setenv("FAQBOT_DRAFT_TOKENS", "0")
    assert draft_tokens_setting() == 0
    monkeypatch.setenv("FAQBOT_DRAFT_TOKENS", "beaucoup")
    with pytest.raises(InputError, match="FAQBOT_DRAFT_TOKENS"):
        draft_tokens_setting()


def test_no_draft_until_enough_tokens_agree_with_the_prompt() -> None:
    history = np.array([1, 2, 3, 4, 5, 6, 9, 2, 3])
    assert lookup_draft(history, 3, min_agree=2) == [4, 5, 6]
    assert lookup_draft(history, 3, min_agree=3) == []


def test_drafts_stop_where_they_are_slower_than_single_steps_and_are_tried_again_now_and_then() -> None:
    pace = DraftPace()
    assert pace.allow()  # nothing measured yet
    for _ in range(60):
        pace.record(True, 0.200, 3)   # 67 ms a token with drafts
        pace.record(False, 0.040, 1)  # 40 ms without
    allowed = [pace.allow() for _ in range(DraftPace.PROBE_EVERY * 2)]
    assert allowed.count(True) == 2
    for _ in range(200):
        pace.record(True, 0.100, 5)  # the machine got faster at batches: 20 ms a token
    assert pace.allow() and pace.ms_per_token(True) < pace.ms_per_token(False)
