"""The ranked lines of a FAQ's passages (« - 2e réseau de refuges ») and the field each one names.

A FAQ often lists where an organisation leads as bulleted lines under short headings (« Santé : », « - 1er gestionnaire
de … »). A line names its field in its own words and in its heading's, which the line does not repeat; a question
asking a rank for a field is answered by the lines naming that field, and not by another field's rank, however close
its words (« … classement pour la mobilité inclusive ? » is not answered by « 3e acteur de l'inclusion par l'emploi »).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chatbot.markers import CITATION
from chatbot.numbers import RANK_TOKEN, ordinal_value
from chatbot.question import Question
from ingest.chunker import split_sentences
from ingest.normalize import STOPWORDS, fold, stem, tokens

# A rank asked for a named field is answered by that field's ranked lines (`field_lines`), checked and quoted so
# (kept for measurement).
FIELD_RANKS = True

_BULLET = "-*•"
# A heading introducing a list is a line that is no bullet, written as a markdown heading or ending with a colon, of at
# most this many words (a longer one is a sentence leading into the list).
_HEADING_WORDS = 12

# A rank: an ordinal figure or word, or a superlative that makes one first (« 2ème », « 1er », « troisième », « le plus
# grand », "third", "the largest"). Matched on the folded answer; « leader » or « seul » rank nothing.
_RANK = re.compile(r"\b\d+\s*(?:er|re|ere|e|eme|nd|nde|st|rd|th)\b|\b(?:premier|premiere|second|seconde|deuxieme|troisieme|"
                   r"quatrieme|cinquieme|sixieme|septieme|huitieme|neuvieme|dixieme|dernier|derniere|first|third|fourth|"
                   r"fifth|sixth|seventh|eighth|ninth|tenth|last|largest|biggest)\b|\bplus grande?s?\b|\bnumero (?:un|1)\b"
                   r"|\bnumber (?:one|1)\b|\btop \d+\b")


_POSITION = re.compile(rf"\b{RANK_TOKEN}\b")  # on folded text


def gives_rank(answer: str) -> bool:
    """True when `answer` states a position in a ranking (see `_RANK`), citation markers aside."""
    return bool(_RANK.search(_plain(CITATION.sub(" ", answer))))


def _plain(text: str) -> str:
    """`text` folded, its superscript tags dropped (« 2<sup>ème</sup> » reads « 2eme »)."""
    return fold(re.sub(r"</?sup>", "", text))


@dataclass(frozen=True)
class RankedLine:
    """A bulleted line giving a rank, and the heading of its list ("" when the passages read give none)."""

    text: str
    heading: str = ""

    @property
    def terms(self) -> frozenset[str]:
        """Stems of the content words of the line and its heading."""
        return terms_of(f"{self.text} {self.heading}")

    @property
    def position(self) -> int | None:
        """The rank the line states first (« 2<sup>e</sup> réseau … » gives 2), or None (« le plus grand … »)."""
        m = _POSITION.search(_plain(self.text))
        return ordinal_value(m.group(0)) if m else None


def terms_of(text: str) -> frozenset[str]:
    """Stems of the content words of `text`, read as a question's are."""
    return frozenset(stem(w) for w in tokens(text, keep_stopwords=True) if w not in STOPWORDS)


def _heading(line: str) -> str | None:
    """The heading `line` states, without its markup, or None when it is no heading."""
    plain = re.sub(r"</?\w+>|[*_]", "", line).strip()
    if not (plain.startswith("#") or plain.endswith(":")) or len(plain.split()) > _HEADING_WORDS:
        return None
    return plain.strip("#: ").strip()


def ranked_lines(passages: Sequence[str]) -> list[RankedLine]:
    """Every bulleted line of `passages` stating a rank, once, with the heading of its list; passages
    are read in their order, and a list cut between two of them keeps its heading (the chunker repeats the line on
    the cut, which tells where the list goes on)."""
    found: dict[str, RankedLine] = {}
    headings: dict[str, str] = {}  # every bulleted line seen, ranked or not, and its heading
    for passage in passages:
        heading = ""
        for raw in passage.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line[0] in _BULLET:
                item = line_key(line)
                heading = headings.setdefault(item, heading)  # a line seen before: its list goes on here
                if gives_rank(item):
                    found.setdefault(item, RankedLine(item, heading))
            else:
                heading = _heading(line) or ""
    return list(found.values())


def stated_positions(texts: Sequence[str]) -> frozenset[int]:
    """Every rank `texts` state anywhere, in figures or in words, lines and sentences alike (« 2e », « troisième »): a
    rank none of them states is given for no field."""
    return frozenset(v for text in texts for m in _POSITION.finditer(_plain(text)) if (v := ordinal_value(m.group(0))))


def line_key(line: str) -> str:
    """A list line as its passage and its evidence sentence both read it: no bullet, no trailing comma."""
    return line.strip().lstrip(_BULLET).strip().rstrip(",;.").strip()


def lines_of(passage: str) -> set[str]:
    """The bulleted lines of `passage` (`line_key`)."""
    return {line_key(line) for line in passage.splitlines() if line.strip()[:1] in _BULLET}


def field_lines(question: Question, lines: Sequence[RankedLine],
                ignore: frozenset[str] | set[str] = frozenset()) -> list[RankedLine]:
    """The ranked lines naming the field the question asks a rank for: those whose words and heading share most of
    its field's words, each weighed by how few lines hold it (« parmi les associations » shared by every line of a
    heading « Associations » weighs less than « aînés » held by one). A word more than half the lines hold counts
    only as the heading of their list (« social » in two headings and in lines of a third names no field: « Quel
    rang dans le logement social ? » is asked of a field the FAQ never ranks). [] when the question asks no rank,
    names no field, or no line names it."""
    if not (FIELD_RANKS and question.asks_rank and lines):
        return []
    if question.rank_given:
        # The field asked for a rank the question gives: the lines stating that rank, those naming its field among
        # them when it names one (« Dans quel domaine de la santé le club est-il 2e ? »).
        held = [line for line in lines if line.position == question.rank_given]
        return _named(question, held, ignore) or held
    return _named(question, lines, ignore)


def _named(question: Question, lines: Sequence[RankedLine], ignore: frozenset[str] | set[str]) -> list[RankedLine]:
    """The lines sharing most of the question's field words, each weighed by how few lines hold it (`field_lines`)."""
    if not lines:
        return []
    weight = {}
    for word in question.field_terms(ignore):
        holders = [line for line in lines if word in line.terms]
        if holders and (2 * len(holders) <= len(lines) or _one_heading(holders, lines)):
            weight[word] = 1 / len(holders)
    scores = [sum(weight.get(w, 0.0) for w in line.terms) for line in lines]
    best = max(scores)
    return [line for line, score in zip(lines, scores, strict=True) if best and score > best - 1e-9]


def _one_heading(holders: Sequence[RankedLine], lines: Sequence[RankedLine]) -> bool:
    """Whether `holders` are exactly the lines of one list, under one heading."""
    heading = holders[0].heading
    return bool(heading) and len(holders) == sum(line.heading == heading for line in lines) and all(
        line.heading == heading for line in holders)


def restated_line(sentence: str, lines: Sequence[RankedLine]) -> RankedLine | None:
    """The ranked line `sentence` restates: the one sharing most of its words (two at least), or None."""
    words = terms_of(sentence)
    scored = sorted(((len(words & line.terms), i) for i, line in enumerate(lines)), reverse=True)
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None  # no line, or two lines as close: which one is meant cannot be told
    return lines[scored[0][1]]


def other_field(answer: str, passages: Sequence[str], question: Question,
                ignore: frozenset[str] | set[str] = frozenset(), ranks: Sequence[RankedLine] | None = None
                ) -> RankedLine | None:
    """The ranked line of another field that `answer` gives for the rank asked, or None: when the FAQ ranks the
    question's field (`field_lines` of `ranks`, the whole FAQ's ranked lines, or else the passages') and none of the
    answer's sentences stating a rank restates one of its lines. For a question giving the rank (`Question.rank_given`),
    the first line holding it when the answer's sentences stating a rank name the field of none (`_names_field`)."""
    lines = ranked_lines(passages) if ranks is None else ranks
    named = field_lines(question, lines, ignore)
    if not named:
        return None
    stating = [s for s in split_sentences(answer) if gives_rank(s)]
    if question.rank_given:
        unnamed = stating and question.language == "fr" and not _names_field(stating, named, lines)
        return named[0] if unnamed else None
    given = [line for line in (restated_line(s, lines) for s in stating) if line]
    return given[0] if given and not any(line in named for line in given) else None


def _names_field(stating: Sequence[str], held: Sequence[RankedLine], lines: Sequence[RankedLine]) -> bool:
    """Whether one of the sentences `stating` a rank names the field of one of the `held` lines by a word of the line's
    own that no other ranked line writes (« … de l'asile » for « 5e acteur associatif de l'asile »; not the heading
    of another list, « 5e dans les ONG »). Read in French, the FAQ's language: an English answer names it by cognates
    this cannot count."""
    others = frozenset().union(*(_field_words(line.text) for line in lines if line not in held))
    own = [_field_words(line.text) - others for line in held]
    return any(words & _field_words(sentence) for sentence in stating for words in own)


def _field_words(text: str) -> frozenset[str]:
    """Stems of the content words of `text` but its ranks (« 3e » is the rank given, not the field)."""
    return frozenset(stem(w) for w in tokens(text, keep_stopwords=True) if w not in STOPWORDS and not ordinal_value(w))
