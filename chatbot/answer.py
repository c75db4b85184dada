"""The result of asking: the answer text, whether the bot abstained, the sources, and how it was checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.retriever import Hit


@dataclass(frozen=True)
class Answer:
    """A finished answer, serialisable to the `faqbot ask --json` contract."""

    question: str
    text: str
    abstained: bool
    sources: tuple[Hit, ...]
    backend: str
    model: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str | None = None
    abstain_reason: str | None = None
    verification: dict[str, object] = field(default_factory=dict)
    notice: str | None = None
    prompt_tokens: int | None = None

    def to_json(self) -> dict[str, object]:
        """The contract of DESIGN.md, plus `standalone_question`, `abstain_reason`, `verification`, `notice`."""
        out: dict[str, object] = {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "sources": [h.to_dict() for h in self.sources],
            "backend": self.backend,
            "model": self.model,
            "timings_ms": {k: round(v) for k, v in self.timings_ms.items()},
        }
        if self.standalone_question is not None:
            out["standalone_question"] = self.standalone_question
        if self.abstain_reason:
            out["abstain_reason"] = self.abstain_reason
        out["verification"] = self.verification
        if self.notice:
            out["notice"] = self.notice
        return out
