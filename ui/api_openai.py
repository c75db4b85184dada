"""The OpenAI-compatible face of `faqbot serve`: chat requests in, chat completions (or their chunks) out.

faqbot appears as one model (`faqbot`). The last user message is the question, the earlier user and
assistant turns are the conversation (system messages are ignored: faqbot keeps its own rules). The
sources travel twice: as a Markdown footer at the end of the content, which any chat front-end shows,
and as the structured `faqbot` extension field (the `faqbot ask --json` object), which a program reads.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from chatbot.answer import Answer
from index.retriever import Hit
from ingest.errors import InputError
from ui.render import section_label

FOOTER_RULE = "\n\n---\n**Sources**"
EXCERPT_CHARS = 160


class ChatMessage(BaseModel):
    """One message of an OpenAI chat request (text content, or a list of parts of which the text counts)."""

    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text, parts joined."""
        if isinstance(self.content, str):
            return self.content
        parts = self.content or []
        return "\n".join(str(p.get("text", "")) for p in parts if isinstance(p, dict) and p.get("type") == "text")


class ChatRequest(BaseModel):
    """`POST /v1/chat/completions`; sampling fields (temperature, max_tokens...) are accepted and ignored:
    faqbot answers deterministically within its own length settings."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[ChatMessage]
    stream: bool = False


def strip_footer(text: str) -> str:
    """An earlier answer without the sources footer faqbot appended to it."""
    cut = text.find(FOOTER_RULE)
    return text[:cut] if cut >= 0 else text


def conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    """(question, history) from a chat request: the last message must be the user's."""
    turns = [(m.role, m.text()) for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1][0] != "user":
        raise InputError("the last message must be the user's question (role \"user\")")
    question = turns[-1][1]
    history = [(role, strip_footer(text) if role == "assistant" else text) for role, text in turns[:-1]]
    return question, history


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def shows_sources(answer: Answer) -> bool:
    """Sources are shown under an answer, and under a refusal only when the FAQ lacks the fact asked for."""
    return bool(answer.sources) and (not answer.abstained or answer.abstain_reason == "not_in_faq")


def sources_footer(sources: Sequence[Hit]) -> str:
    """The sources as Markdown, numbered like the answer's `[n]` citations."""
    lines = [FOOTER_RULE]
    for n, hit in enumerate(sources, start=1):
        chunk = hit.chunk
        lines.append(f"\n[{n}] {section_label(chunk.section)} — {chunk.title} : « {_excerpt(chunk.text)} »")
    return "\n".join(lines) if len(lines) > 1 else ""


def content_of(answer: Answer) -> str:
    """The message content: the answer, then its sources footer."""
    return answer.text + (sources_footer(answer.sources) if shows_sources(answer) else "")


def completion_id() -> str:
    """A fresh `chatcmpl-…` id."""
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def completion(answer: Answer, model: str) -> dict[str, Any]:
    """A `chat.completion` object with the `faqbot` extension field."""
    return {
        "id": completion_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content_of(answer)},
                     "finish_reason": "stop", "logprobs": None}],
        "faqbot": answer.to_json(),
    }


class ChunkWriter:
    """The `chat.completion.chunk` events of one streamed completion, as SSE `data:` lines."""

    def __init__(self, model: str) -> None:
        self.id = completion_id()
        self.created = int(time.time())
        self.model = model

    def chunk(self, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
        """One chunk; `extra` adds top-level fields (the `faqbot` extension)."""
        data = {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
        return b"data: " + json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n\n"

    @staticmethod
    def done() -> bytes:
        """The stream's terminator."""
        return b"data: [DONE]\n\n"

    @staticmethod
    def comment(text: str) -> bytes:
        """An SSE comment line: clients ignore it; it keeps the connection alive while a request waits."""
        return f": {text}\n\n".encode()

    @staticmethod
    def error(message: str, kind: str) -> bytes:
        """An error inside a stream, in the shape the OpenAI SDK raises as an APIError."""
        body = {"error": {"message": message, "type": kind, "code": None, "param": None}}
        return b"data: " + json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n\n"


def models_list(model: str, created: int) -> dict[str, Any]:
    """`GET /v1/models`: faqbot is the one model served."""
    return {"object": "list", "data": [{"id": model, "object": "model", "created": created, "owned_by": "faqbot"}]}
