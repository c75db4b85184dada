"""The last resort when generated answers fail verification: quote the FAQ sentence that best matches."""

from __future__ import annotations

import re
from collections.abc import Sequence

from chatbot.scope import asks_for_figure
from index.retriever import Hit
from ingest.chunker import passage_sentences, split_sentences
from ingest.normalize import stem, tokens

_HAS_NUMBER = re.compile(r"\d")


def _focus(question: str) -> set[str]:
    return {stem(w) for w in tokens(question) if len(w) > 2} - {"groupe", "sos"}


def extractive_answer(question: str, sources: Sequence[Hit], *, language: str = "fr", min_overlap: int = 0
                      ) -> str | None:
    """A verbatim quote of the best-matching sentence of the sources with its citation, or None when the
    question wants a figure and the best sentence has none, or no sentence shares `min_overlap` of its words.

    FAQ answers state their core first, so the opening sentence of the best passage gets a head start over
    sentences that merely share words with the question.
    """
    if not sources:
        return None
    focus = _focus(question)
    best: tuple[float, int, str] | None = None
    for n, hit in enumerate(sources, start=1):
        position = 0
        for line in hit.chunk.text.splitlines():
            for sentence in split_sentences(line):
                words = {stem(w) for w in tokens(sentence)}
                overlap = len(focus & words)
                if overlap < min_overlap:
                    continue
                score = overlap + hit.score + (0.5 if _HAS_NUMBER.search(sentence) else 0.0)
                if n == 1 and position == 0:
                    score += 1.5
                position += 1
                # Headings lost their role in the export ("D'un management salarié collégial"): a quote must
                # be a real sentence.
                real = sentence.rstrip().endswith((".", "!", "?", "…", ";")) and len(sentence) > 30
                if real and (best is None or score > best[0]):
                    best = (score, n, sentence.strip())
    if best is None:
        return None
    _, n, sentence = best
    # A short quote gains the sentence that follows it in the passage: an answer often takes two.
    following = _next_sentence(sources[n - 1].chunk.text, sentence)
    if following and len(sentence) + len(following) < 320 and following.rstrip().endswith((".", "!", "?", "…")):
        sentence = f"{sentence} {following}"
    if asks_for_figure(question) and not _HAS_NUMBER.search(sentence):
        return None
    section = sources[n - 1].chunk.section
    where = f"question {section}" if section is not None else sources[n - 1].chunk.title
    if language == "en":
        return f"The FAQ ({where}) says: “{sentence}” [{n}]"
    return f"D'après la FAQ ({where}) : « {sentence} » [{n}]"


def _next_sentence(text: str, sentence: str) -> str | None:
    sentences = passage_sentences(text)
    try:
        index = sentences.index(sentence)
    except ValueError:
        return None
    return sentences[index + 1] if index + 1 < len(sentences) else None
