"""Test doubles: a scripted LLM behind the real LangChain seam, and a retriever with scripted scores."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict

from chatbot.backends.base import LLM
from chatbot.settings import ChatSettings
from index.lexical import BM25
from index.retriever import Evidence, Hit, Retriever
from index.store import sentence_inputs
from ingest import Chunk

Script = Callable[[str, str], str]  # (system prompt, last user message) -> reply


def question_of(user: str) -> str:
    """The question line of an answer prompt (or the new question of a rewrite prompt)."""
    match = re.search(r"(?:Nouvelle question|Question) : (.*)", user)
    return match.group(1).strip() if match else user


class ScriptedChatModel(BaseChatModel):
    """A LangChain chat model that replies from a script and streams the reply word by word."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    script: Any
    calls: Any = None  # the ScriptedLLM's list itself (a typed list field would be copied)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _reply(self, messages: list[BaseMessage]) -> str:
        system = next((str(m.content) for m in messages if m.type == "system"), "")
        user = str(messages[-1].content)
        self.calls.append({"system": system, "user": user, "messages": len(messages)})
        return self.script(system, user)

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for piece in re.findall(r"\S+\s*|\s+", self._reply(messages)):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])


def default_script(system: str, user: str) -> str:
    """Answers the budget question correctly, refuses anything else with the model's signal."""
    if "reformules" in system:
        return question_of(user)
    if "budget" in question_of(user).lower():
        return "En 2022, le chiffre d'activité du Groupe SOS ressort à 1,367 milliard d'euros [1]."
    return "HORS_FAQ"


class ScriptedLLM(LLM):
    """The scripted model as an faqbot backend (selectable as `--llm tests.fakes:ScriptedLLM`)."""

    name = "scripted"

    def __init__(self, settings: ChatSettings | None = None, script: Script = default_script) -> None:
        super().__init__(settings or ChatSettings(backend="scripted"))
        self.model = "scripted-model"
        self.script = script
        self.calls: list[dict] = []

    def build_chat_model(self) -> BaseChatModel:
        return ScriptedChatModel(script=self.script, calls=self.calls)


class ScriptedRetriever(Retriever):
    """A retriever over real chunks whose scores come from a table: keyword in the query -> section scores."""

    def __init__(self, chunks: list[Chunk] | tuple[Chunk, ...], table: dict[str, dict[int | None, float]],
                 default: float = 0.1, overrides: dict[str, float] | None = None) -> None:
        self.overrides = overrides or {}
        self.chunks = tuple(chunks)
        self.table = table
        self.default = default
        self.bm25 = BM25([f"{c.title} {' '.join(c.aliases)} {c.text}" for c in self.chunks])
        self.queries: list[str] = []
        self.sentence_scores: dict[str, float] = {}
        self.distinct = float("inf")  # Retriever.distinctness of every query: no sentence is held back by default

    def distinctness(self, query: str) -> float:
        return self.distinct

    def rank(self, query: str) -> list[Hit]:
        self.queries.append(query)
        scores: dict[int | None, float] = {}
        for keyword, by_section in self.table.items():
            if keyword.lower() in query.lower():
                scores = by_section
                break
        scored = [(self.overrides.get(c.chunk_id, scores.get(c.section, self.default) - 0.001 * c.position), c)
                  for c in self.chunks]
        scored.sort(key=lambda pair: -pair[0])
        return [Hit(c, s, s, 0.0, i) for i, (s, c) in enumerate(scored, start=1)]

    def evidence(self, query: str, hits: Sequence[Hit]) -> list[Evidence]:
        """The sentences of `hits` given a score in `sentence_scores` (none by default: nothing is quoted)."""
        by_id = {h.chunk.chunk_id: h for h in hits}
        out: list[Evidence] = []
        for row, text in sentence_inputs(self.chunks):
            hit = by_id.get(self.chunks[row].chunk_id)
            if hit is not None and text in self.sentence_scores and text not in {e.text for e in out}:
                out.append(Evidence(text, hit, self.sentence_scores[text]))
        return sorted(out, key=lambda e: -e.score)


def copying_script(system: str, user: str) -> str:
    """Answers like a faithful model: copies the first sentence of the first passage, with its citation."""
    if "reformules" in system:
        return question_of(user)
    match = re.search(r"^\[1\] (.+)$", user, re.MULTILINE)
    if not match:
        return "HORS_FAQ"
    sentence = re.split(r"(?<=[.!?])\s", match.group(1))[0].rstrip(".")
    return f"{sentence} [1]."


class CopyingLLM(ScriptedLLM):
    """The copying script as a backend (`--llm tests.fakes:CopyingLLM`)."""

    name = "copying"

    def __init__(self, settings: ChatSettings | None = None) -> None:
        super().__init__(settings, script=copying_script)
        self.model = "copying-model"


def scripted_bot(chunks: Sequence[Chunk], profile: Any, reply: str, table: dict[str, dict[int | None, float]],
                 sentence_scores: dict[str, float]) -> Any:
    """A chatbot over `chunks` whose model always says `reply`, retrieval scored by `table` (ScriptedRetriever) and
    sentences by `sentence_scores`."""
    from chatbot import Chatbot  # the stage under test, imported late so the fakes load without it

    retriever = ScriptedRetriever(chunks, table)
    retriever.sentence_scores = dict(sentence_scores)
    return Chatbot(retriever, ScriptedLLM(script=lambda system, user: reply), ChatSettings(backend="scripted"),
                   profile=profile)


def ingested(tmp_path: Any, text: str) -> Any:
    """The ingested FAQ of markdown `text`, written under `tmp_path`."""
    from ingest import IngestSettings, ingest

    path = tmp_path / "faq.md"
    path.write_text(text, encoding="utf-8")
    return ingest(IngestSettings(faq_path=path))
