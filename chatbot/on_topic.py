"""Is an answer about what was asked? A true sentence beside the question is no answer to it.

The claim checks ask whether each sentence of the model's own words is supported; they cannot see that « le 5e acteur
de l'économie circulaire » is a faithful answer to another question than « Quel rang pour la lutte contre X ? ». An
answer is beside the question when the source sentences its claims rest on share none of the question's words that
the passages write, while a passage sentence holds at least two of them (`BESIDE_MIN_SHARED`) and ranks clearly
above every sentence the answer rests on (by more than the quotes' `MARGIN`: a sentence within it answers as well,
as for the quotes). A sentence announcing a list (« … a pris position : ») is not where the FAQ answers: its items are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from chatbot.claims import Asked, content_stems, in_family
from chatbot.evidence import MARGIN
from ingest.normalize import fold, stem

if TYPE_CHECKING:
    from chatbot.claims import ClaimVerdict
    from chatbot.verify import Check

# The check runs unless switched off (kept for measurement, see docs/quality.md).
ON_TOPIC = True
# How many of the question's words one passage sentence must hold to show that the FAQ answers it elsewhere: one
# shared word is often a word every section writes (« personnes », « activités »); two name a topic.
BESIDE_MIN_SHARED = 2
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _stems(text: str, ignore: frozenset[str]) -> frozenset[str]:
    return frozenset(content_stems(text, ignore))


def _held(words: frozenset[str], stems: frozenset[str]) -> int:
    """How many of `words` (stems) a text of these `stems` holds, by word family."""
    return sum(in_family(w, stems) for w in words)


def _key(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


def _score(sentence: str, ranked: Sequence[str], scores: Sequence[float]) -> float | None:
    """The ranking's score of `sentence` (a claim's evidence is cut from the passage as the ranking cut it, give or
    take a list dash or an emphasis mark: compared without them); None when the ranking does not hold it."""
    key = _key(sentence)
    for text, score in zip(ranked, scores, strict=False):
        other = _key(text)
        if key and other and (key == other or key in other or other in key):
            return score
    return None


def check_on_topic(claims: Sequence[ClaimVerdict], question: Asked, *,
                   org_terms: frozenset[str] = frozenset()) -> Check:
    """Fails when the supported claims rest only on source sentences sharing none of the question's words while
    a sentence of the passages (`question.answers`) holds `BESIDE_MIN_SHARED` of them and ranks above them all by
    more than `MARGIN` (when the scores are known)."""
    from chatbot.verify import Check

    rests_on = [s for c in claims if c.verdict == "supported" and c.evidence for s in c.evidence.sentences]
    if not ON_TOPIC or not rests_on or not question.answers:
        return Check("on_topic", True, [], [])
    ignore = org_terms | frozenset(stem(t) for t in org_terms)
    ranked = [_stems(s, ignore) for s in question.answers]  # each ranked sentence read once
    written = frozenset().union(*ranked)
    # The question's words that the passages write (a word of the same family counts).
    words = frozenset(s for s in question.stems if in_family(s, written))
    if any(_held(words, _stems(s, ignore)) for s in rests_on):
        return Check("on_topic", True, [question.text], [])
    scores = question.answer_scores
    known = [x for x in (_score(s, question.answers, scores) for s in rests_on) if x is not None] if scores else []
    floor = max(known, default=float("-inf")) + MARGIN
    for i, (sentence, stems) in enumerate(zip(question.answers, ranked, strict=True)):
        if _held(words, stems) < BESIDE_MIN_SHARED or sentence.rstrip().endswith(":"):
            continue
        if scores and i < len(scores) and scores[i] <= floor:
            continue
        return Check("on_topic", False, [question.text],
                     [f"the answer rests on sentences beside the question; the FAQ answers it in « {sentence} »"])
    return Check("on_topic", True, [question.text], [])
