"""The result of asking: the answer text, whether the bot abstained, the sources, and how it was checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from chatbot.claims import ClaimVerdict
from index.retriever import Hit
from ingest.chunker import passage_sentences


@dataclass(frozen=True)
class Quote:
    """A FAQ sentence quoted word for word after an answer: which source it comes from and how well it answers."""

    source: int | None  # 1-based number of the source passage (as cited: [n])
    section: int | None
    text: str
    score: float

    def to_dict(self) -> dict[str, object]:
        """JSON form (the `verification.quoted` entries of `faqbot ask --json`)."""
        return {"source": self.source, "section": self.section, "score": round(self.score, 4), "text": self.text}


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
    # The answer in parts, so nothing downstream re-parses `text`: the model's own words (empty when the answer is
    # a refusal or the FAQ quoted in its place), then the FAQ sentences quoted after them. `text` is what is shown.
    model_text: str = ""
    quotes: tuple[Quote, ...] = ()
    caveat: str = ""  # the note saying which part of the question the FAQ does not answer (in `text`)
    # The question's premise the FAQ denies (« succursales » in « Combien de succursales … ? »): the answer corrects it
    # and owes no figure.
    premise: tuple[str, ...] = ()
    # Each sentence of the model's own words as verification judged it, with the source sentence(s) stating it.
    claims: tuple[ClaimVerdict, ...] = ()

    def support(self) -> dict[int, set[int]]:
        """Source number -> indexes of its sentences (over `passage_sentences`) that state the model's own words:
        what a reader should see highlighted. An answer that quotes the FAQ instead highlights the quote."""
        marks: dict[int, set[int]] = {}
        for claim in self.claims:
            if claim.verdict == "supported" and claim.evidence is not None:
                marks.setdefault(claim.evidence.passage, set()).update(claim.evidence.indexes)
        if not self.abstained and not self.model_text:
            for n, hit in enumerate(self.sources, start=1):
                for i, sentence in enumerate(passage_sentences(hit.chunk.text)):
                    if len(sentence) > 20 and sentence in self.text:
                        marks.setdefault(n, set()).add(i)
        return marks

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
