"""Which passages the LLM sees: the best question's whole answer, plus the best passage of a close runner-up.

Whole sections, always in FAQ order, make a prompt prefix that recurs from one question to the next, so its
llama.cpp state is saved once and reused (see backends/prefix_cache.py); a runner-up passage is appended after
that prefix. Sources are the same passages, best first; citations are renumbered from prompt order to source
order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.retriever import Evidence, Hit
from ingest.chunker import passage_sentences
from ingest.profile import contact_kinds

# A runner-up question within this fused score of the best one adds its best passage (measured on the
# development set: closer runner-ups are the multi-question cases).
RUNNER_UP_MARGIN = 0.03


@dataclass(frozen=True)
class Context:
    """The passages in prompt order, and the same passages best first as shown to the user."""

    prompt: tuple[Hit, ...]
    sources: tuple[Hit, ...]

    def source_number(self, prompt_number: int) -> int | None:
        """The 1-based source number of the 1-based prompt passage number (None if out of range)."""
        if not 1 <= prompt_number <= len(self.prompt):
            return None
        return self.number_of(self.prompt[prompt_number - 1])

    def number_of(self, hit: Hit) -> int | None:
        """The 1-based source number of `hit` (None when it is not a source)."""
        return next((n for n, h in enumerate(self.sources, start=1) if h.chunk.chunk_id == hit.chunk.chunk_id), None)

    def joined(self, hit: Hit) -> Context:
        """This context with `hit` after its passages (after the saved prompt prefix) and after its sources."""
        return Context((*self.prompt, hit), (*self.sources, hit))

    def cited(self, hits: Sequence[Hit]) -> Context:
        """This context with those of `hits` not yet among its sources after them (not in the prompt: passages the
        answer may cite, quoted, while the model reads the same passages); itself when there are none."""
        held = {h.chunk.chunk_id for h in self.sources}
        extra: list[Hit] = []
        for hit in hits:
            if hit.chunk.chunk_id not in held:
                held.add(hit.chunk.chunk_id)
                extra.append(hit)
        return Context(self.prompt, (*self.sources, *extra)) if extra else self

    def number_of_evidence(self, item: Evidence) -> int | None:
        """The 1-based source number of the passage an evidence sentence comes from."""
        return self.number_of(item.hit)

    @property
    def sections(self) -> list[int | None]:
        """The FAQ questions the passages come from, in prompt order."""
        seen: list[int | None] = []
        for hit in self.prompt:
            if hit.chunk.section not in seen:
                seen.append(hit.chunk.section)
        return seen


def select_context(ranked: Sequence[Hit], *, max_passages: int = 8, contact: frozenset[str] = frozenset()
                   ) -> Context:
    """Choose the prompt passages from every chunk ranked for the question; `contact`: the kinds of contact detail
    it asks for (`Question.contact`), whose lines join the passages when none holds one."""
    if not ranked:
        return Context((), ())
    context = _best_section(ranked, max_passages)
    if not contact or any(_holds_contact(h, contact) for h in context.prompt):
        return context
    # « Où se trouve le siège ? » ranks the passages where the FAQ's members « siègent » above its contact lines:
    # asked for a detail, the chunk that gives it is a passage too (after the others, so the saved prefix holds).
    extra = next((h for h in ranked if _holds_contact(h, contact)), None)
    if extra is None:
        return context
    return context.joined(extra)


def _holds_contact(hit: Hit, wanted: frozenset[str]) -> bool:
    """True when a line of the chunk gives a contact detail of a kind in `wanted` ("any": of any kind)."""
    return any((kinds := contact_kinds(line)) and ("any" in wanted or kinds & wanted)
               for line in passage_sentences(hit.chunk.text))


def _best_section(ranked: Sequence[Hit], max_passages: int) -> Context:
    best_section = ranked[0].chunk.section
    block = sorted((h for h in ranked if h.chunk.section == best_section), key=lambda h: h.chunk.position)
    if len(block) > max_passages:
        keep = {h.chunk.chunk_id for h in sorted(block, key=lambda h: -h.score)[:max_passages]}
        block = [h for h in block if h.chunk.chunk_id in keep]
    runner_up = next((h for h in ranked if h.chunk.section != best_section), None)
    prompt = list(block)
    if runner_up is not None and runner_up.score >= ranked[0].score - RUNNER_UP_MARGIN:
        prompt.append(runner_up)
    sources = sorted(prompt, key=lambda h: -h.score)
    return Context(tuple(prompt), tuple(sources))
