"""Citation markers: renumbering them while they stream, adding one where the model forgot; a reply's
unfinished last sentence dropped before they are placed."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chatbot.verify import check_proper_nouns, figures, supported_values
from ingest.chunker import passage_sentences, split_sentences
from ingest.normalize import stem, tokens

_MARKER = re.compile(r"\[(\d{1,2})\]")
# A finished sentence ends on a closing mark, perhaps followed by its citations (and a period after them).
_FINISHED = re.compile(r"[.!?…»)\"”]\s*(?:\[\d{1,2}\]\s*)*[.!?]?$")
_ITEM = r"(?:\d{1,2}[.)]|[-•*])"  # a list marker: « 2. », « - », « • »
_LIST_MARKER = re.compile(rf"^\s*{_ITEM}\s+")
# A line left with nothing but a list marker once its item is dropped.
_BARE_MARKER = re.compile(rf"^\s*{_ITEM}?\s*$")
# A reply at least this many characters per token of its budget may have been cut by the budget: the default
# model writes 3.8 to 4.6 characters per token in French and English; the floor keeps short replies whole.
_CUT_CHARS_PER_TOKEN = 3.0


class CitationRenumberer:
    """Rewrites `[j]` markers in a token stream through `mapping`, holding back a marker until it closes."""

    def __init__(self, mapping: Callable[[int], int | None]) -> None:
        self.mapping = mapping
        self.pending = ""

    def _rewrite(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            number = self.mapping(int(match.group(1)))
            return f"[{number}]" if number is not None else ""

        return _MARKER.sub(replace, text)

    def feed(self, piece: str) -> str:
        """Text safe to show now (an unfinished `[12` is kept until the next piece)."""
        text, self.pending = self.pending + piece, ""
        cut = text.rfind("[")
        if cut != -1 and "]" not in text[cut:]:
            tail = text[cut + 1 :]
            if tail == "" or (len(tail) <= 2 and tail.isdigit()):
                self.pending, text = text[cut:], text[:cut]
        return self._rewrite(text)

    def flush(self) -> str:
        """Whatever was held back."""
        text, self.pending = self.pending, ""
        return self._rewrite(text)


def renumber(text: str, mapping: Callable[[int], int | None]) -> str:
    """`text` with every `[j]` rewritten through `mapping` (markers mapping to None are dropped)."""
    renumberer = CitationRenumberer(mapping)
    return renumberer.feed(text) + renumberer.flush()


def without_unfinished(reply: str, max_tokens: int, passages: Sequence[str] = ()) -> str:
    """The model's `reply` (citations as it wrote them) without its unfinished last sentences: one announcing what
    never follows (it ends on a colon or a comma) is dropped; in a reply long enough to have used its `max_tokens`
    budget, one cut off mid-way is finished from the `passages` sentence it was copying word for word, else
    dropped. A reply that would be left empty is returned whole (its checks judge it)."""
    body = reply.rstrip()
    for _ in range(3):  # a dropped list item can leave its announcing line dangling in turn
        lines = body.split("\n")
        last = lines[-1]
        dangling = _MARKER.sub("", last).rstrip().endswith((":", ",", ";"))
        # A citation the model wrote after its words closes them (a list item often has no period).
        finished = bool(_FINISHED.search(last) or _MARKER.search(last[-4:]))
        if not dangling and (finished or len(body) < _CUT_CHARS_PER_TOKEN * max_tokens):
            break
        sentences = split_sentences(last)
        whole = None if dangling or not sentences else _copied_whole(sentences[-1], passages)
        if whole:
            lines[-1] = " ".join([*sentences[:-1], whole])
            return "\n".join(lines)
        lines[-1] = " ".join(sentences[:-1])
        while lines and _BARE_MARKER.match(lines[-1]):
            lines.pop()
        if not lines:
            return reply
        body = "\n".join(lines).rstrip()
    return body


def _copied_whole(cut: str, passages: Sequence[str], *, min_words: int = 6) -> str | None:
    """The passage sentence that `cut` (a list item perhaps) begins word for word, in its place; None if none."""
    marker = _LIST_MARKER.match(cut)
    head = cut[marker.end():] if marker else cut
    head = _MARKER.sub("", head).strip().replace("’", "'")
    if len(head.split()) < min_words:
        return None
    for passage in passages:
        for sentence in passage_sentences(passage):
            if len(sentence) > len(head) and sentence.replace("’", "'").startswith(head):
                return (marker.group(0) if marker else "") + sentence
    return None


def attach_missing(answer: str, passages: Sequence[str], *, min_overlap: int = 2,
                   skip: Callable[[str], object] | None = None) -> str:
    """Add `[n]` after each sentence that cites nothing, naming the passage sharing most words with it
    (sentences for which `skip` is true, such as greetings, are left alone)."""
    stems = [{stem(w) for w in tokens(p)} for p in passages]
    out = []
    for line in answer.split("\n"):
        sentences = split_sentences(line) if line.strip() else [line]
        fixed = []
        for sentence in sentences:
            if sentence.strip() and not _MARKER.search(sentence) and passages and not (skip and skip(sentence)):
                words = {stem(w) for w in tokens(sentence)}
                scores = [len(words & s) for s in stems]
                best = max(range(len(scores)), key=scores.__getitem__)
                if scores[best] >= min_overlap:
                    end = len(sentence.rstrip(" .!?…"))
                    sentence = f"{sentence[:end]} [{best + 1}]{sentence[end:]}"
            fixed.append(sentence)
        out.append(" ".join(fixed))
    return "\n".join(out)


def _support(sentence: str, passage: str, passage_stems: set[str], passage_values: set[float]
             ) -> tuple[int, int, int]:
    values = [f.values for f in figures(sentence)]
    figures_found = sum(1 for v in values if v & passage_values)
    names = check_proper_nouns(sentence, [passage])
    names_found = len(names.checked) - len(names.unsupported)
    words = {stem(w) for w in tokens(_MARKER.sub(" ", sentence))}
    return figures_found, names_found, len(words & passage_stems)


def fix_citations(answer: str, passages: Sequence[str]) -> str:
    """Point each sentence's citation at the passage that actually holds its figures, names and words.

    Small models often cite the wrong passage number; a sentence whose cited passage lacks its figures or
    names (or shares no word with it) is re-pointed at the passage that supports it best.
    """
    if len(passages) < 2:
        return answer
    stems = [{stem(w) for w in tokens(p)} for p in passages]
    values = [supported_values([p]) for p in passages]
    out_lines = []
    for line in answer.split("\n"):
        fixed = []
        for sentence in split_sentences(line) if line.strip() else [line]:
            cited = [int(m) for m in _MARKER.findall(sentence) if 1 <= int(m) <= len(passages)]
            if len(cited) == 1:
                scores = [_support(sentence, p, s, v) for p, s, v in zip(passages, stems, values, strict=True)]
                best = max(range(len(scores)), key=scores.__getitem__)
                current = scores[cited[0] - 1]
                words = max(1, len({stem(w) for w in tokens(_MARKER.sub(" ", sentence))}))
                # Re-point when another passage holds more of the sentence's figures or names, or when the
                # cited one holds too few of its words (below the support check's 60 %) and another does.
                weak = current[2] / words < 0.6 <= scores[best][2] / words
                if scores[best] > current and (scores[best][0] > current[0] or scores[best][1] > current[1]
                                               or current[2] == 0 or weak):
                    sentence = _MARKER.sub(f"[{best + 1}]", sentence)
            fixed.append(sentence)
        out_lines.append(" ".join(fixed))
    return "\n".join(out_lines)
