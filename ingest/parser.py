"""Parse a FAQ written in Markdown (or plain text) into numbered question sections.

A FAQ is often a noisy PDF-to-Markdown export: question headings at varying levels (`# 1.`,
`### 3.`), stray `**`, a table of contents that repeats each question with extra sub-questions, and a
contact footer. The rules, deliberately:

- a heading that starts with a number (`## 3. ...`) or ends with `?` opens a question section;
- a plain heading at the same or a higher level than the current question closes it (footer, appendix);
- the list of numbered questions before the first section is a table of contents: its sub-questions
  become paraphrases (`aliases`) of the matching section, and it is not kept as text;
- paragraphs made only of questions right below a question heading are paraphrases too;
- a line `Q : …?` (or `Question 3 : …?`) opens a question too, below any heading (FAQs written as `Q :` / `R :`
  pairs under thematic headings); the `R :` (`Réponse :`) that opens its answer is dropped;
- a thematic break (`---`, `***`) closes the current question: what follows it (a contact block, say) is not
  part of the answer;
- with no Markdown headings at all, standalone lines ending with `?` are the questions (plain text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.normalize import normalize

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^(\d{1,3})\s*[.)°]\s*(.+)$")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
_PLAIN_QUESTION = re.compile(r"^\s*(?:(?:Q|Question)\s*\d*\s*[:.-]\s*|(\d{1,3})\s*[.)]\s+)?(.{3,250}\?)\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_SUP = re.compile(r"<sup>(.*?)</sup>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_SPACES = re.compile(r"[ \t\u00a0]+")
_QUESTION_SPLIT = re.compile(r"(?<=\?)\s+")
_QR_QUESTION = re.compile(r"^\s*(?:\*\*|__)?\s*(?:Q|Question)\s*(\d{1,3})?\s*[:.)–—-]\s*(.{3,250}\?)\s*(?:\*\*|__)?\s*$",
                          re.IGNORECASE)
_QR_ANSWER = re.compile(r"^\s*(?:\*\*|__)?\s*(?:R|Réponse|Reponse)\s*[:.)–—-]\s*(?:\*\*|__)?\s*", re.IGNORECASE)
_BREAK = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
# A `Q :` question sits below every heading level, so that any heading that follows closes it.
_QR_LEVEL = 7


@dataclass(frozen=True)
class Block:
    """One unit of section text: a paragraph, a list item or a sub-heading."""

    kind: str  # "paragraph" | "item" | "heading"
    text: str
    level: int = 0  # list nesting depth, or heading level


@dataclass
class Section:
    """A question of the FAQ (or, with `number` None, text outside any numbered question)."""

    number: int | None
    title: str
    level: int = 0
    aliases: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class FaqDocument:
    """The parsed FAQ: its title and its sections in reading order."""

    title: str
    sections: list[Section]


def clean_inline(text: str) -> str:
    """Strip Markdown inline markup (emphasis, links, <sup>, escapes) and tidy spaces."""
    text = _LINK.sub(r"\1", text)
    text = _SUP.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _SPACES.sub(" ", text).strip()
    return text.strip("_ ").strip()


def _is_question_heading(text: str) -> tuple[int | None, str] | None:
    match = _NUMBERED.match(text)
    if match:
        return int(match.group(1)), match.group(2).strip()
    if text.endswith("?"):
        return None, text
    return None


def _split_questions(text: str) -> list[str]:
    return [q.strip() for q in _QUESTION_SPLIT.split(text) if q.strip().endswith("?")]


def _only_questions(text: str) -> bool:
    parts = [p.strip() for p in _QUESTION_SPLIT.split(text) if p.strip()]
    return bool(parts) and all(p.endswith("?") for p in parts)


def _toc_entry(text: str) -> tuple[int | None, str, list[str]] | None:
    """Parse a table-of-contents line: number, title question and its sub-questions."""
    match = _NUMBERED.match(text)
    number = int(match.group(1)) if match else None
    body = clean_inline(match.group(2) if match else text)
    questions = _split_questions(body)
    if not questions:
        return None
    return number, questions[0], questions[1:]


def _has_markdown_headings(lines: list[str]) -> bool:
    return any(_HEADING.match(line) for line in lines)


def _plain_text_to_markdown(lines: list[str]) -> list[str]:
    """Turn standalone question lines of a plain-text FAQ into headings so one parser serves both."""
    out: list[str] = []
    for i, line in enumerate(lines):
        prev_blank = i == 0 or not lines[i - 1].strip()
        match = _PLAIN_QUESTION.match(line)
        if match and prev_blank and not _LIST_ITEM.match(line):
            number = match.group(1)
            title = match.group(2).strip()
            out.append(f"## {number}. {title}" if number else f"## {title}")
        else:
            out.append(line)
    return out


def _paragraphs(lines: list[str]) -> list[Block]:
    """Group body lines into paragraph, list-item and heading blocks."""
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            text = clean_inline(" ".join(current))
            if text:
                blocks.append(Block("paragraph", text))
            current.clear()

    for line in lines:
        heading = _HEADING.match(line)
        item = _LIST_ITEM.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            text = clean_inline(heading.group(2))
            if text:
                blocks.append(Block("heading", text, len(heading.group(1))))
        elif item:
            flush()
            text = clean_inline(item.group(2))
            if text:
                blocks.append(Block("item", text, len(item.group(1).expandtabs(4)) // 2))
        elif blocks and blocks[-1].kind == "item" and not current and line.startswith((" ", "\t")):
            # A continuation line of a list item.
            last = blocks.pop()
            blocks.append(Block("item", clean_inline(f"{last.text} {line}"), last.level))
        else:
            current.append(line.strip())
    flush()
    return blocks


def _drop_empty_headings(blocks: list[Block]) -> list[Block]:
    """Remove sub-headings with nothing under them (charts lost in the PDF export, say)."""
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            following = next((b for b in blocks[i + 1 :] if b.kind != "heading" or b.level <= block.level), None)
            if following is None or following.kind == "heading":
                continue
        kept.append(block)
    return kept


def parse_faq(text: str, *, default_title: str = "FAQ") -> FaqDocument:
    """Parse FAQ text into a document of question sections, aliases taken from the table of contents."""
    lines = text.split("\n")
    if not _has_markdown_headings(lines):
        lines = _plain_text_to_markdown(lines)

    title = ""
    preamble: list[str] = []
    sections: list[Section] = []
    bodies: list[list[str]] = []
    current: Section | None = None
    next_number = 1
    for line in lines:
        qr = None if _LIST_ITEM.match(line) else _QR_QUESTION.match(line)
        if qr:
            number = int(qr.group(1)) if qr.group(1) else next_number
            next_number = number + 1
            current = Section(number=number, title=clean_inline(qr.group(2)), level=_QR_LEVEL)
            sections.append(current)
            bodies.append([])
            continue
        if _BREAK.match(line) and current is not None and current.number is not None:
            current = Section(number=None, title="", level=1)
            sections.append(current)
            bodies.append([])
            continue
        if current is not None and current.level == _QR_LEVEL and not any(x.strip() for x in bodies[-1]):
            line = _QR_ANSWER.sub("", line, count=1)
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            text_ = clean_inline(heading.group(2))
            question = _is_question_heading(text_)
            if question is not None:
                number, q_title = question
                if number is None:
                    number = next_number
                next_number = number + 1
                current = Section(number=number, title=q_title, level=level)
                sections.append(current)
                bodies.append([])
                continue
            if current is None and not sections and not title and level == 1:
                title = text_
                continue
            if current is None or (current.number is not None and level <= current.level):
                # A plain heading at the question's level or above closes it: what follows is not an answer.
                current = Section(number=None, title=text_, level=level)
                sections.append(current)
                bodies.append([])
                continue
        if current is None:
            preamble.append(line)
        else:
            bodies[-1].append(line)

    # Merge consecutive loose (unnumbered) sections so a footer made of several headings stays one unit.
    merged_sections: list[Section] = []
    merged_bodies: list[list[str]] = []
    for section, body in zip(sections, bodies, strict=True):
        if merged_sections and section.number is None and merged_sections[-1].number is None:
            merged_bodies[-1].extend([f"{'#' * max(section.level, 2)} {section.title}", *body])
            continue
        merged_sections.append(section)
        merged_bodies.append(body)

    by_number = {s.number: s for s in merged_sections if s.number is not None}
    by_title = {normalize(s.title): s for s in merged_sections if s.number is not None}
    leftover: list[str] = []
    for line in preamble:
        item = _LIST_ITEM.match(line)
        entry = _toc_entry(item.group(2) if item else line.strip()) if line.strip() else None
        target = None
        if entry is not None:
            number, q_title, subs = entry
            target = by_number.get(number) if number is not None else by_title.get(normalize(q_title))
        if target is None:
            leftover.append(line)
            continue
        for alias in (q_title, *subs):
            _add_alias(target, alias)

    for section, body in zip(merged_sections, merged_bodies, strict=True):
        blocks = _drop_empty_headings(_paragraphs(body))
        if section.number is not None:
            # Paragraphs of pure questions right under the heading are paraphrases, not answer text.
            while blocks and blocks[0].kind == "paragraph" and _only_questions(blocks[0].text):
                for alias in _split_questions(blocks.pop(0).text):
                    _add_alias(section, alias)
        section.blocks = blocks

    for section in merged_sections:
        if not section.title and section.blocks:
            # Text after a thematic break has no heading: its first line names it ("Fondation X" above an address).
            first = section.blocks[0].text.split("\n")[0]
            section.title = first if len(first) <= 80 else first[:77].rsplit(" ", 1)[0] + "…"
    result = [s for s in merged_sections if s.blocks]
    intro = _drop_empty_headings(_paragraphs(leftover))
    if intro:
        result.insert(0, Section(number=None, title=title or default_title, blocks=intro))
    return FaqDocument(title=title or default_title, sections=result)


def _add_alias(section: Section, alias: str) -> None:
    alias = clean_inline(alias)
    key = normalize(alias)
    if not key or key == normalize(section.title):
        return
    if all(normalize(a) != key for a in section.aliases):
        section.aliases.append(alias)
