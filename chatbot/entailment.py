"""Whether a source sentence says what a claim says, asked of the language model: « oui » or « non ».

The claim checks count words (`chatbot.claims`), which rejects faithful paraphrases (« implanté dans 12 pays » for
« présent dans 12 pays »), and a rejected answer is replaced by FAQ quotes or generated again. The
model reads those words instead, but only for a claim whose figures, names, roles, stances and polarity already
hold on the source sentence (`claims.Entails`). Off by default (`FAQBOT_CLAIM_JUDGE`): docs/verifier.md measures what
it lets through.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable

from chatbot.backends.base import LLM, BackendError
from chatbot.backends.cache import CacheMiss
from chatbot.prompts import ENTAILMENT_MARKER, entailment_messages
from ingest.normalize import fold

log = logging.getLogger(__name__)

CACHE_SIZE = 1024  # (claim, source) verdicts kept: a regenerated answer often repeats a sentence of the first
MAX_TOKENS = 3  # « oui » / « non »: the first word is the verdict


class Entailment:
    """`entails(claim, source)`: whether the model of `llm()` reads `source` as saying what `claim` says.

    `llm` is called at each question, so the judge asks whatever backend the bot holds then (the evaluation wraps it
    in its answer cache)."""

    def __init__(self, llm: Callable[[], LLM | None], cache_size: int = CACHE_SIZE) -> None:
        self.llm = llm
        self.cache_size = cache_size
        self._verdicts: OrderedDict[tuple[str, str], bool] = OrderedDict()

    def __call__(self, claim: str, source: str) -> bool:
        key = (claim, source)
        if key in self._verdicts:
            self._verdicts.move_to_end(key)
            return self._verdicts[key]
        llm = self.llm()
        if llm is None:
            return False
        try:
            reply = llm.complete(entailment_messages(claim, source), max_tokens=MAX_TOKENS,
                                 reuse_prefix=ENTAILMENT_MARKER)
        except CacheMiss:
            raise  # an evaluation replaying its cache must say the cache is stale, not judge otherwise
        except BackendError as exc:
            # The word checks' verdict stands: a claim they reject stays rejected.
            log.warning("the claim judge failed (%s): the word checks decide", exc)
            return False
        verdict = fold(reply).strip().startswith(("oui", "yes"))
        self._verdicts[key] = verdict
        while len(self._verdicts) > self.cache_size:
            self._verdicts.popitem(last=False)
        return verdict
