"""Retrieval metrics over sections: hit@1, hit@k and reciprocal rank."""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank(sections: Sequence[int | None], expected: Sequence[int]) -> float:
    """1/rank of the first retrieved passage from an expected section (0 when none is retrieved)."""
    for rank, section in enumerate(sections, start=1):
        if section in expected:
            return 1.0 / rank
    return 0.0


def retrieval_scores(sections: Sequence[int | None], expected: Sequence[int], k: int = 4) -> dict[str, float]:
    """hit@1, hit@k and reciprocal rank of one retrieved list against the expected sections."""
    return {
        "hit@1": float(bool(sections) and sections[0] in expected),
        f"hit@{k}": float(any(s in expected for s in sections[:k])),
        "rr": reciprocal_rank(sections[:k], expected),
    }


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean, None for no values."""
    return round(sum(values) / len(values), 4) if values else None
