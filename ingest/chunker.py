"""Cut parsed FAQ sections into retrieval chunks that respect paragraph and sentence boundaries."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.parser import Block, FaqDocument, Section

# A sentence ends at . ! ? or … followed by a space and something that can start a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-ÖØ-Ý0-9])")
# ...unless the period belongs to an abbreviation that a name, a number or more words follow: titles (M. Dupont,
# Mme., Dr., Pr., Me, Mgr, St., Ste), initials (J.-M. Durand), references (p. 12, art. 3, n. 4, vol. 2, cf.,
# p. ex., env., tél.) and months (le 3 janv. 2019). "etc." followed by a capital does end its sentence (French
# writes one period for both), so it is not listed. The rules are French typography, not words of one FAQ.
_ABBREVIATION = re.compile(
    r"(?:^|[\s(«\"'’-])(?:M|MM|Mme|Mmes|Mlle|Mlles|Dr|Drs|Pr|Me|Mgr|St|Ste|Sts|Cie|Ets|cf|Cf|ex|Ex|p|pp|n|no|"
    r"No|art|Art|vol|chap|fig|env|av|bd|tél|Tél|janv|févr|avr|juil|sept|oct|nov|déc|[A-ZÀ-Ý])\.$")


@dataclass(frozen=True)
class Chunk:
    """A passage of the FAQ: which question it answers, its text, and a stable id."""

    chunk_id: str
    section: int | None
    title: str
    text: str
    aliases: tuple[str, ...] = ()
    position: int = 0
    # The section's subheadings (`section_outline`): the items an answer organised under headings lists.
    outline: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (used by the index metadata and `faqbot ingest --json`)."""
        return {
            "chunk_id": self.chunk_id,
            "section": self.section,
            "title": self.title,
            "text": self.text,
            "aliases": list(self.aliases),
            "position": self.position,
            "outline": list(self.outline),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Chunk:
        """Inverse of `to_dict`."""
        section = data.get("section")
        return cls(
            chunk_id=str(data["chunk_id"]),
            section=int(section) if section is not None else None,  # type: ignore[arg-type]
            title=str(data["title"]),
            text=str(data["text"]),
            aliases=tuple(str(a) for a in data.get("aliases") or ()),  # type: ignore[union-attr]
            position=int(data.get("position") or 0),  # type: ignore[arg-type]
            outline=tuple(str(h) for h in data.get("outline") or ()),  # type: ignore[union-attr]
        )


def split_sentences(text: str) -> list[str]:
    """Split French prose into sentences (keeps numbers such as 2,5 or 0,8% and abbreviations such as
    M. Dupont, p. ex. or n° 3 whole)."""
    out: list[str] = []
    glue = False
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if glue and out:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
        glue = bool(_ABBREVIATION.search(piece))
    return out


def passage_sentences(text: str) -> list[str]:
    """The sentences of a passage, line by line (a list item or a heading is a sentence of its own)."""
    return [s for line in text.splitlines() for s in split_sentences(line)]


def _render(block: Block) -> str:
    if block.kind == "item":
        return "  " * block.level + "- " + block.text
    return block.text


def _units(blocks: list[Block], max_chars: int) -> list[tuple[str, bool]]:
    """Text units in order, each flagged True when it starts a new block (a clean place to cut)."""
    units: list[tuple[str, bool]] = []
    pending_heading: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            pending_heading.append(block.text)
            continue
        text = _render(block)
        prefix = "\n".join(pending_heading)
        pending_heading.clear()
        if len(text) + len(prefix) <= max_chars:
            units.append(((prefix + "\n" + text) if prefix else text, True))
            continue
        sentences = split_sentences(text)
        if prefix:
            sentences[0] = prefix + "\n" + sentences[0]
        units.append((sentences[0], True))
        units.extend((s, False) for s in sentences[1:])
    return units


def _overlap(previous: list[tuple[str, bool]], limit: int) -> list[tuple[str, bool]]:
    """The last sentence of the previous chunk, when short enough to repeat."""
    if not previous or limit <= 0:
        return []
    line = previous[-1][0].split("\n")[-1]
    last = [line] if line.lstrip().startswith("- ") else split_sentences(line)
    if last and len(last[-1]) <= limit:
        return [(last[-1], True)]
    return []


def _section_texts(section: Section, max_chars: int, overlap_chars: int) -> list[str]:
    chunks: list[list[tuple[str, bool]]] = []
    current: list[tuple[str, bool]] = []
    size = 0
    for text, new_block in _units(section.blocks, max_chars):
        if current and size + len(text) + 1 > max_chars:
            chunks.append(current)
            # Repeating the last sentence at the top of the next chunk keeps the thread across the cut.
            current = _overlap(current, overlap_chars)
            size = sum(len(t) + 1 for t, _ in current)
        current.append((text, new_block))
        size += len(text) + 1
    if current:
        chunks.append(current)
    # A short tail reads better merged into the chunk before it.
    if len(chunks) > 1 and sum(len(t) for t, _ in chunks[-1]) < max_chars // 4:
        tail = chunks.pop()
        chunks[-1] = chunks[-1] + [u for u in tail if u[0] not in {t for t, _ in chunks[-1]}]
    return [_join(parts) for parts in chunks]


def _join(parts: list[tuple[str, bool]]) -> str:
    """Blocks go on their own lines; sentences of one paragraph stay on one line."""
    out = ""
    for text, new_block in parts:
        out = text if not out else out + ("\n" if new_block else " ") + text
    return out.strip()


def make_chunk_id(section: int | None, text: str, taken: set[str]) -> str:
    """A stable id: the question number plus a hash of the text (unchanged text keeps its id)."""
    prefix = f"q{section:02d}" if section is not None else "extra"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
    chunk_id = f"{prefix}-{digest[:8]}"
    n = 2
    while chunk_id in taken:
        chunk_id = f"{prefix}-{digest[:8]}-{n}"
        n += 1
    taken.add(chunk_id)
    return chunk_id


def section_outline(section: Section) -> tuple[str, ...]:
    """The subheadings of `section` at its shallowest heading level, when there are two or more: a FAQ answering
    « Quelles sont les valeurs du club ? » with one heading per value, the prose under each, lists its answer in
    them (in the passages they are lines like any other)."""
    headings = [b for b in section.blocks if b.kind == "heading"]
    if not headings:
        return ()
    top = min(b.level for b in headings)
    outline = tuple(_render(b) for b in headings if b.level == top)
    return outline if len(outline) >= 2 else ()


def chunk_document(doc: FaqDocument, *, max_chars: int, overlap_chars: int) -> list[Chunk]:
    """Cut every section of `doc` into chunks of at most about `max_chars` characters."""
    chunks: list[Chunk] = []
    taken: set[str] = set()
    for section in doc.sections:
        outline = section_outline(section)
        for text in _section_texts(section, max_chars, overlap_chars):
            chunks.append(
                Chunk(
                    chunk_id=make_chunk_id(section.number, text, taken),
                    section=section.number,
                    title=section.title,
                    text=text,
                    aliases=tuple(section.aliases),
                    position=len(chunks),
                    outline=outline,
                )
            )
    return chunks
