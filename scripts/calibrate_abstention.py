"""Print the retrieval scores of the evaluation cases by kind: the data OFF_TOPIC_SCORE is calibrated on.

Usage: .venv/bin/python scripts/calibrate_abstention.py [eval/cases/*.jsonl]
"""

from __future__ import annotations

import sys
from pathlib import Path

from chatbot.scope import OFF_TOPIC_SCORE, faq_names, out_of_remit, rare_term_match
from eval.cases import load_cases
from eval.retrieval import retrieval_query
from index import IndexSettings, load_retriever
from ingest import IngestSettings
from ingest.settings import REPO_ROOT


def main() -> int:
    """Score every case and show how the off-topic threshold separates them."""
    files = [Path(a) for a in sys.argv[1:]] or sorted((REPO_ROOT / "eval" / "cases").glob("*.jsonl"))
    retriever = load_retriever(IngestSettings.from_env(), IndexSettings.from_env())
    names = faq_names(retriever.chunks)
    rows = []
    for case in load_cases(files):
        query = retrieval_query(case)
        hits = retriever.search(query, k=4)
        remit = not out_of_remit(query).answer
        rare = rare_term_match(query, hits, names)
        rows.append((hits[0].score, case.kind, case.id, remit, rare))
    rows.sort()
    print(f"{'score':>6}  {'kind':7} {'remit':5} {'rare':5} id")
    for score, kind, case_id, remit, rare in rows:
        mark = "  <-- below OFF_TOPIC_SCORE" if score < OFF_TOPIC_SCORE else ""
        print(f"{score:6.3f}  {kind:7} {remit!s:5} {rare!s:5} {case_id}{mark}")
    answerable = [s for s, k, _, remit, rare in rows if k != "refuse" and not rare]
    offtopic = [s for s, k, _, remit, _ in rows if k == "refuse" and s < OFF_TOPIC_SCORE]
    print(f"\nOFF_TOPIC_SCORE = {OFF_TOPIC_SCORE}: lowest answerable score without a rare term "
          f"{min(answerable):.3f}; {len(offtopic)} refuse cases fall below it (refused without the LLM)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
