"""Follow-up questions ("Et en 2019 ?", "Qui le préside ?") rewritten into standalone questions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from chatbot.backends.base import LLM
from chatbot.evidence import prose
from chatbot.prompts import NO_ANSWER, REWRITE_MARKER, rewrite_messages
from chatbot.question import Question, as_question
from ingest.normalize import normalize
from ingest.profile import Profile

# History kept for rewriting: the last turns are what a follow-up refers to.
MAX_TURNS = 4
MAX_TURN_CHARS = 600
_DEPENDENT = re.compile(
    r"^(?:et|mais|donc|alors|and|what about|ok|d'accord)\b|\b(?:il|elle|ils|elles|le|la|les|lui|leur|leurs|"
    r"ça|cela|celui|celle|ceux|celles|ce chiffre|cette|ces|son|sa|ses|en|y|it|they|them|that|this|those|its|"
    r"their|he|she|his|her)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?:question (?:réécrite|reformulée)|rewritten question|question)\s*:\s*", re.IGNORECASE)


def needs_rewrite(question: Question | str, history: Sequence[tuple[str, str]]) -> bool:
    """True when there is a conversation and the question looks like it depends on it."""
    if not history:
        return False
    question = as_question(question)
    return len(question.words) <= 12 or bool(_DEPENDENT.search(question.text))


def heuristic_rewrite(question: str, history: Sequence[tuple[str, str]]) -> str:
    """Without an LLM: the previous user question followed by this one (gives retrieval the subject)."""
    previous = [content for role, content in history if role == "user"]
    return f"{previous[-1]} {question}" if previous else question


def clean_rewrite(text: str, question: str) -> str | None:
    """The first line of the LLM's rewrite, unlabelled and unquoted; None when it is unusable."""
    line = next((ln.strip() for ln in text.strip().splitlines() if ln.strip()), "")
    line = _LABEL.sub("", line).strip().strip("«»\"“” ").strip()
    if not line or NO_ANSWER in line or len(line) > max(300, 3 * len(question)) or len(line) < 3:
        return None
    if not line.endswith("?") and question.rstrip().endswith("?"):
        line = line.rstrip(".") + " ?"
    return line


def rewrite(question: str, history: Sequence[tuple[str, str]], llm: LLM | None, *,
            profile: Profile | None = None) -> str:
    """A standalone version of `question` given the conversation `history`."""
    # The assistant's own words are what a follow-up refers to; its FAQ quotes would only lengthen the prompt.
    turns = [(role, (prose(content) if role == "assistant" else content)[:MAX_TURN_CHARS])
             for role, content in history[-MAX_TURNS:]]
    if llm is None:
        return heuristic_rewrite(question, turns)
    reply = llm.complete(rewrite_messages(question, turns, profile=profile), max_tokens=80, stop=["\n"],
                         reuse_prefix=REWRITE_MARKER)
    rewritten = clean_rewrite(reply, question)
    if rewritten is None or normalize(rewritten).rstrip(" ?") == normalize(question).rstrip(" ?"):
        # The model returned the question as it was: give retrieval the subject from the conversation.
        return heuristic_rewrite(question, turns)
    return rewritten
