"""A FAQ question named by its number: « Que dit la question 7 ? », “What does question 9 of the FAQ say?”.

Every refusal lists the FAQ's questions by number, and a press officer cites them so: the number alone carries none of
the words retrieval and the model need (« Que dit la question 7 de la FAQ ? » lay under the off-topic cut on the
project's FAQ, docs/quality.md, the second stop of 7 December). The question's text gets the numbered question's own
wording beside its number; a number the FAQ has no question for is left as typed (and judged as any question is).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.chunker import Chunk

# Kept for measurement: off, a number is read as typed (as before 7 December).
NUMBERS_NAMED = True

# « la question 7 », « question n° 12 », « FAQ question 2 »; « le point 5 », « la rubrique 3 », "item 3" only in a
# text naming the FAQ (« le point 2 du plan » is another list's); not a figure (« question 2022 », « point 5 % »), not
# a count before the noun (« les 13 questions »).
_NUMBER = r"\s*(?:n\s*[°ºo]\.?\s*|num[ée]ro\s*|number\s*|#\s*)?(\d{1,2})\b(?!\s*(?:%|[.,]\d))"
_QUESTION = re.compile(r"\bquestions?" + _NUMBER, re.IGNORECASE)
_ANY_PART = re.compile(r"\b(?:questions?|points?|rubriques?|sections?|items?)" + _NUMBER, re.IGNORECASE)
_FAQ = re.compile(r"\bfaq\b", re.IGNORECASE)


def named_by_number(text: str, questions: Iterable[tuple[int, str]]) -> str:
    """`text` with each FAQ question it names by number followed by that question's wording (« la question 7 » ->
    « la question 7 (« Pourquoi … ? ») »); `questions`: the FAQ's (number, wording) pairs. Unchanged when it names
    none the FAQ has."""
    wording = dict(questions)
    if not NUMBERS_NAMED or not wording:
        return text

    def named(match: re.Match[str]) -> str:
        title = wording.get(int(match.group(1)))
        return f"{match.group(0)} (« {title} »)" if title else match.group(0)

    return (_ANY_PART if _FAQ.search(text) else _QUESTION).sub(named, text)


def numbered_questions(chunks: Iterable[Chunk]) -> tuple[tuple[int, str], ...]:
    """The FAQ's (number, wording) pairs, as its refusals list them: each section's title."""
    return tuple(sorted({c.section: c.title for c in chunks if c.section is not None}.items()))
