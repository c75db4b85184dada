"""Is an answer about what was asked? A true sentence beside the question is no answer to it.

The claim checks ask whether each sentence of the model's own words is supported; they cannot see that « le 5e acteur
de l'économie circulaire » is a faithful answer to another question than « Quel rang pour la lutte contre X ? ». An
answer is beside the question when the source sentences its claims rest on share none of the question's words that
the passages write, while a passage sentence holds at least two of them (`BESIDE_MIN_SHARED`) and ranks clearly
above every sentence the answer rests on (by more than the quotes' `MARGIN`: a sentence within it answers as well,
as for the quotes). A sentence announcing a list (« … a pris position : ») is not where the FAQ answers: its items are.

A yes or no is about what was asked only when the answer says something of it: « Oui, le club organise des concerts »
to « Le club a-t-il une piscine ? » is true sentence by sentence, yet its « Oui » confirms a proposition the answer
never states. An answer opening with Oui/Non/Yes/No whose sentences hold none of the question's words, and none of
which the embedder finds close to the question (`YES_NO_RELATED`: « Le club fait-il du lobbying ? » is answered by
« il plaide la cause des cyclistes auprès de la mairie »), is beside it (`YES_NO_ABOUT`). A yes/no question answered
without a yes or no is read the same way (`POLAR_ABOUT`): « Le club vend-il des assurances ? » is not answered by
true sentences on the club's shops, though none of them says « Oui ».
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from chatbot.claims import ONLY_WORDS, Asked, claim_body, content_stems, in_family, opens_with_yes_or_no
from chatbot.evidence import MARGIN
from chatbot.negation import denies
from ingest.normalize import fold, stem

if TYPE_CHECKING:
    from chatbot.claims import ClaimVerdict
    from chatbot.verify import Check

# The check runs unless switched off (kept for measurement, see docs/quality.md).
ON_TOPIC = True
# How many of the question's words one passage sentence must hold to show that the FAQ answers it elsewhere: one
# shared word is often a word every section writes (« personnes », « activités »); two name a topic.
BESIDE_MIN_SHARED = 2
# A Oui/Non answer must hold one of the question's words, or say something close to it (kept switchable for
# measurement, see docs/quality.md).
YES_NO_ABOUT = True
# The sentence similarity (the embedder's, `chatbot.restatement`) at which an answer's sentence speaks of the question
# in other words. Chosen on `tune` (docs/quality.md, « The third stop of 5 December »): the answers the word rule
# rejected scored 0.44-0.53 when beside the question and 0.58-0.80 when answering it in other words (one beside
# answer, 0.61, among the latter); the bar sits in that gap.
YES_NO_RELATED = 0.55
# A yes/no question's answer that does not open with Oui/Non is held to the same rule (kept switchable for measurement,
# see docs/quality.md, « The first stop of 8 December »): it answers the question only by speaking of it.
POLAR_ABOUT = True
# related(question, sentences) -> the similarity of each sentence to the question.
Related = Callable[[str, Sequence[str]], Sequence[float]]
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


def _yes_no_beside(claims: Sequence[ClaimVerdict], question: Asked, ignore: frozenset[str],
                   related: Related | None) -> str:
    """Why an answer opening with Oui/Non/Yes/No, or any answer to a yes/no question (`POLAR_ABOUT`), answers nothing
    that was asked: none of its sentences holds a word of the question (by word family) or is `related` to it; "" when
    one is, when it neither opens so nor answers a yes/no question, when it says nothing beyond its yes or no (a bare
    « Non » is read against the sources by the claim checks), or when no similarity is at hand (words alone miss
    synonyms: « boutiques » for « échoppes »)."""
    if not YES_NO_ABOUT or related is None or not claims or not question.stems:
        return ""
    opens = opens_with_yes_or_no(claims[0].text)
    if not opens and not (POLAR_ABOUT and question.polar):
        return ""
    bodies = [claim_body(c.text) for c in claims]
    stems = [frozenset(content_stems(body, ignore)) for body in bodies]
    # An English question's words are also read by their French cognates: its answer may quote the FAQ's French.
    words = question.stems | question.cognates if question.english else question.stems
    if not any(stems) or any(_held(words, s) for s in stems):
        return ""
    if not opens and any(denies(body) or (question.other and ONLY_WORDS.search(fold(body))) for body in bodies):
        # Without a yes or no, a denial is one (« n'est lié à aucun parti » to « Est-il de gauche ? »), as is a
        # « seul » to a question on others (« Y en a-t-il d'autres ? »): the claim checks read what it denies.
        return ""
    said = [body for body, s in zip(bodies, stems, strict=True) if s]
    if max(related(question.text, said)) >= YES_NO_RELATED:
        return ""
    if not opens:
        return (f"« {claims[0].text.strip()[:60]} » answers a yes/no question none of its sentences speaks of: "
                "the answer states something else")
    return (f"« {claims[0].text.strip()[:60]} » says yes or no to a question none of its sentences speaks of: "
            "the answer states something else")


def check_on_topic(claims: Sequence[ClaimVerdict], question: Asked, *,
                   org_terms: frozenset[str] = frozenset(), related: Related | None = None) -> Check:
    """Fails when the supported claims rest only on source sentences sharing none of the question's words while
    a sentence of the passages (`question.answers`) holds `BESIDE_MIN_SHARED` of them and ranks above them all by
    more than `MARGIN` (when the scores are known); or when it opens with Oui/Non/Yes/No and none of its sentences
    speaks of the question, by its words or, by `related` (the embedder's sentence similarity), in others."""
    from chatbot.verify import Check

    ignore = org_terms | frozenset(stem(t) for t in org_terms)
    beside = _yes_no_beside(claims, question, ignore, related)
    if beside:
        return Check("on_topic", False, [question.text], [beside])
    rests_on = [s for c in claims if c.verdict == "supported" and c.evidence for s in c.evidence.sentences]
    if not ON_TOPIC or not rests_on or not question.answers:
        return Check("on_topic", True, [], [])
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
