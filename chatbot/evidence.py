"""The FAQ sentences that answer the question, quoted after the generated answer.

A 1.5B model often copies one sentence of the right passage and stops, or copies a neighbour of the sentence
that answers. Retrieval already knows, sentence by sentence, what answers best (sentence vectors in the index):
the best sentences the answer does not already say are quoted verbatim after it, each with its citation. The
user reads the model's answer first and the FAQ's own words right below; a press officer has every fact at hand,
traceable to its passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from chatbot.markers import ELISION, OPENER
from chatbot.negation import has_negation
from chatbot.question import Question, as_question
from index.retriever import Evidence
from ingest.normalize import stem, terms, tokens

_DIGIT = re.compile(r"\d")
# Measured on the development cases (eval/cases/*.jsonl, 108 answerable): quoting up to 3 sentences within 0.10
# cosine of the best one that the answer does not already cover puts the required facts in 89 % of answers, up
# from 63 % for the model's answer alone (simulated on the same answers: 2 sentences 83 %, within 0.05 80-83 %).
# Sentences the answer already says do not count against the 3 (until 2 December they did: an answer copying the
# two best sentences left one quote; counting only new ones raised the required facts 85.8 -> 87.0 % on tune).
MAX_QUOTES = 3
MARGIN = 0.10
# An answer that already holds this share of a sentence's content words says what the sentence says.
COVERED = 0.6
# How closely a sentence must answer to overrule a declining model is `Thresholds.overrule_min` (chatbot/settings.py),
# calibrated for the embedder and the FAQ.


# A question asking for a figure ("combien", "quel budget") is answered by a sentence holding one: sentences without a
# digit rank as if this much less similar.
NO_FIGURE_PENALTY = 0.03


# A question whose premise the FAQ denies is answered by the sentence that denies it: such sentences rank as if
# this much more similar.
DENIAL_BONUS = 0.10
# A premise taken for granted without being named (`Question.presumes`): the sentence denying it ranks first (kept for
# measurement).
PRESUMED_FIRST = True


def for_question(question: Question | str, evidence: Sequence[Evidence], premise: Sequence[str] = ()
                 ) -> list[Evidence]:
    """The evidence rescored for what the question asks: a figure question prefers sentences with figures, and
    a question presupposing what the FAQ denies (`premise`: stems) prefers the sentences that deny it."""
    question = as_question(question)
    if not question.asks_figure and not premise:
        return list(evidence)

    def denies(item: Evidence, stems: set[str]) -> bool:
        return has_negation(item.text) and bool({stem(w) for w in tokens(item.text)} & stems)

    def score(item: Evidence) -> float:
        if premise:
            return item.score + (DENIAL_BONUS if denies(item, set(premise)) else 0.0)
        return item.score - (0.0 if _DIGIT.search(item.text) else NO_FIGURE_PENALTY)

    rescored = sorted((replace(e, score=score(e)) for e in evidence), key=lambda e: -e.score)
    # A premise the question takes for granted without naming it (« pour qui voter ? » presumes a party) shares no
    # word with the sentence denying it, which may rank below one about elections: that sentence is the answer.
    unsaid = set(premise) & question.presumes
    first = next((e for e in rescored if denies(e, unsaid)), None) if PRESUMED_FIRST and unsaid else None
    if first is not None and first is not rescored[0]:
        rescored.remove(first)
        rescored.insert(0, replace(first, score=rescored[0].score))
    return rescored


def is_list_item(text: str) -> bool:
    """A list item that closes on the body it names (« Refuges de montagne, gîtes d'étape, ateliers...
    (pôle Montagne) »): no sentence, but it answers as one does."""
    text = text.rstrip()
    return text.endswith(")") and "(" in text and len(text.split()) >= 6


def is_sentence(text: str) -> bool:
    """A real sentence, fit to quote: headings lost their role in the export ("Le calendrier de nos
    sorties", "D'une équipe bénévole et soudée"); or a list item (`is_list_item`)."""
    return is_list_item(text) or (text.rstrip().endswith((".", "!", "?", "…", ";")) and len(text.split()) >= 4)


def coverage(sentence: str, answer: str) -> float:
    """The share of `sentence`'s content words that `answer` already contains."""
    words = set(terms(sentence))
    return len(words & set(terms(answer))) / len(words) if words else 1.0


def to_quote(answer: str, evidence: Sequence[Evidence]) -> list[Evidence]:
    """The best sentences (at most MAX_QUOTES, within MARGIN of the best) that `answer` does not cover yet."""
    if not evidence:
        return []
    best = evidence[0].score
    chosen: list[Evidence] = []
    said = answer
    for item in evidence:
        if item.score < best - MARGIN or len(chosen) == MAX_QUOTES:
            break
        if not is_sentence(item.text) or coverage(item.text, said) >= COVERED:
            continue
        chosen.append(item)
        said += " " + item.text
    return chosen


# A FAQ sentence opening with its own « Oui, » or « Non. » answers the FAQ's own question. Quoted under another one,
# that word reads as the answer to it (« …, c'est vrai ? » then « Oui, le club défend … »): the quote leaves the word
# out and shows the cut (kept for measurement).
OPENER_ELIDED = True


def quoted_words(sentence: str) -> str:
    """`sentence` as a quote shows it: without an opening Oui/Non/Yes/No of its own, the cut marked « […] »."""
    opener = OPENER.match(sentence) if OPENER_ELIDED else None
    rest = sentence[opener.end():] if opener else ""
    return f"{ELISION} {rest}" if rest.strip() else sentence


# A line of quotes: optionally one of our own lead-ins ("La FAQ précise :", "D'après la FAQ (question 4) :"), then
# only quotes of at least 12 characters (what verify.check_quotes checks word for word) and citations. Any other
# lead-in is prose ("Le budget est de 10 milliards : « ... »") and gets every check.
_HEAD = (r"(?:La FAQ précise|Comme le précise notre FAQ|D'après la FAQ(?: \([^)\n]{1,80}\))?"
         r"|The FAQ(?: \([^)\n]{1,80}\))? (?:says|states)(?: \(in French\))?"
         r"|The FAQ answers this in French(?: \([^)\n]{1,80}\))?)\s*:")
_QUOTE = r"(?:«[^»]{12,}»|“[^”]{12,}”)\s*(?:\[\d{1,2}\]\s*)*"
# Our own heading of a quote block (« La FAQ précise : », « The FAQ states (in French): »): layout, never a claim.
QUOTE_HEAD = re.compile(_HEAD)
QUOTE_LINE = re.compile(rf"^\s*(?:- )?(?:{_HEAD}\s*)?(?:{_QUOTE})+$")
HEAD_LINE = re.compile(rf"^\s*{_HEAD}\s*$")


def is_quote_line(line: str) -> bool:
    """True for a line that only quotes the FAQ (or introduces quotes): verified word for word, not as prose."""
    return bool(QUOTE_LINE.match(line) or HEAD_LINE.match(line))


def prose(answer: str) -> str:
    """The answer without its quote lines: what the model wrote in its own words."""
    if not any(is_quote_line(line) for line in answer.splitlines()):
        return answer
    return "\n".join(line for line in answer.splitlines() if not is_quote_line(line)).rstrip()


def quote_block(quotes: Sequence[Evidence], number: Callable[[Evidence], int | None], *,
                language: str = "fr", lead: bool = False, head: str = "") -> str:
    """The quotes under a heading, one a line with its citation: `La FAQ précise :` then `- « ... » [2]`.

    With `lead`, the block is the whole answer (the model declined): its heading names the FAQ question.
    `head` replaces the heading (it must be one that `is_quote_line` knows)."""
    if not quotes:
        return ""
    if not head and lead:
        section = quotes[0].hit.chunk.section
        where = f"question {section}" if section is not None else quotes[0].hit.chunk.title
        # An English reader is told the quote is in French, in a sentence of English (not a bare label).
        head = f"The FAQ answers this in French ({where}):" if language == "en" else f"D'après la FAQ ({where}) :"
    elif not head:
        head = "The FAQ states (in French):" if language == "en" else "La FAQ précise :"
    lines = [head]
    for item in quotes:
        n = number(item)
        cite = f" [{n}]" if n is not None else ""
        words = quoted_words(item.text)
        lines.append(f"- “{words}”{cite}" if language == "en" else f"- « {words} »{cite}")
    return "\n".join(lines)


def to_json(quotes: Sequence[Evidence], number: Callable[[Evidence], int | None]) -> list[dict[str, object]]:
    """The quoted sentences for the `verification` part of the JSON answer."""
    return [{"source": number(q), "section": q.hit.chunk.section, "score": round(q.score, 4), "text": q.text}
            for q in quotes]
