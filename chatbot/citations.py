"""Citation markers: renumbering them while they stream, and adding one where the model forgot."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chatbot.verify import check_proper_nouns, figures, supported_values
from ingest.chunker import split_sentences
from ingest.normalize import stem, tokens

_MARKER = re.compile(r"\[(\d{1,2})\]")


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
