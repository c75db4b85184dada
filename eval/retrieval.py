"""Retrieval-only evaluation: run each case's question through the retriever and score the sections."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from chatbot.language import Lexicon, faq_lexicon
from chatbot.question import parse_question
from chatbot.scope import retriever_terms
from eval.cases import SPLITS, Case
from eval.metrics import mean, retrieval_scores
from index.retriever import Retriever


def retrieval_query(case: Case, lexicon: Lexicon | None = None) -> str:
    """The text retrieved for a case: the question, preceded for follow-ups by the user's earlier turns.

    Without an LLM to rewrite follow-ups, the earlier user turns give the retriever the missing subject. The question
    is read as the chatbot reads it (`chatbot.question.parse_question` with the FAQ's `lexicon`: capitals, chat forms,
    misspelt words, a retraction, the wording of a FAQ question it names by number, then without its task frame).
    """
    earlier = [content for role, content in case.history if role == "user"]
    question = parse_question(case.question, lexicon=lexicon).search_text
    return " ".join([*earlier[-2:], question]) if earlier else question


def run_retrieval(cases: Iterable[Case], retriever: Retriever, *, k: int = 4,
                  progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """One result record per case: the sources retrieved and, when sections are expected, the scores."""
    cases = list(cases)
    lexicon = faq_lexicon(retriever.chunks, retriever_terms(retriever))
    records = []
    for i, case in enumerate(cases, start=1):
        started = time.perf_counter()
        hits = retriever.search(retrieval_query(case, lexicon), k=k)
        record: dict = {
            "id": case.id,
            "question": case.question,
            "kind": case.kind,
            "expect_sections": list(case.expect_sections),
            "split": case.split,
            "sources": [h.to_dict(with_text=False) for h in hits],
            "timings_ms": {"retrieval": round((time.perf_counter() - started) * 1000, 1)},
        }
        if case.expect_sections:
            record["retrieval"] = retrieval_scores([h.chunk.section for h in hits], case.expect_sections, k)
        records.append(record)
        if progress:
            progress(i, len(cases))
    return records


def summarise_retrieval(records: list[dict], k: int = 4) -> dict:
    """hit@1, hit@k and MRR over the records that expect sections, then per split (`tune.…`, `test.…`)."""
    summary = _scores(records, k)
    for split in SPLITS:
        chosen = [r for r in records if r.get("split", "test") == split]
        if any("retrieval" in r for r in chosen):
            summary.update({f"{split}.{key}": value for key, value in _scores(chosen, k).items()})
    return summary


def _scores(records: list[dict], k: int) -> dict:
    scored = [r["retrieval"] for r in records if "retrieval" in r]
    return {
        "retrieval_cases": len(scored),
        "hit@1": mean([s["hit@1"] for s in scored]),
        f"hit@{k}": mean([s[f"hit@{k}"] for s in scored]),
        "mrr": mean([s["rr"] for s in scored]),
    }
