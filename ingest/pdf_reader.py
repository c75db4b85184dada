"""Turn a PDF FAQ (one with a text layer) into the Markdown the parser reads.

A PDF has no headings, only text drawn in fonts of some size at some place: lines set larger than the body
text become headings (the largest sizes the highest levels), hard-wrapped body lines are joined back into
paragraphs, list bullets become list items, and the page headers and footers repeated on every page (page
numbers, the document's running title) are dropped. A PDF whose pages have no text at all is a scan: it needs
OCR first, which the error says.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import InputError

# A line set this much larger than the body text is a heading.
HEADING_RATIO = 1.15
# A body line shorter than this share of a full line ends its paragraph.
SHORT_LINE = 0.8
_BULLET = re.compile(r"^\s*(?:[•▪◦‣●○■□–—*-]|\d{1,2}[.)](?=\s))\s*")
_QUESTION = re.compile(r"\?\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:/|sur|of)\s*\d{1,4})?\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:»…)]\s*$")


@dataclass
class _Line:
    text: str
    size: float
    page: int


def _lines_of_page(page, number: int) -> list[_Line]:
    """The text lines of one page with their font size (the size in text space times the text matrix scale)."""
    lines: list[_Line] = []
    current: list[str] = []
    sizes: Counter[float] = Counter()

    def end_line() -> None:
        text = " ".join("".join(current).split())
        if text:
            size = sizes.most_common(1)[0][0] if sizes else 0.0
            lines.append(_Line(text, size, number))
        current.clear()
        sizes.clear()

    def visit(text: str, cm, tm, font, size) -> None:  # pypdf's visitor_text signature
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) if tm and cm else 1.0
        effective = round(float(size or 0) * (scale or 1.0), 1)
        for i, part in enumerate(text.split("\n")):
            if i:
                end_line()
            if part.strip():
                current.append(part)
                sizes[effective] += len(part.strip())

    page.extract_text(visitor_text=visit)
    end_line()
    return lines


def _drop_running_lines(lines: list[_Line], pages: int) -> list[_Line]:
    """Page numbers, and lines repeated on at least half the pages (running headers and footers)."""
    if pages >= 3:
        on_pages: dict[str, set[int]] = {}
        for line in lines:
            on_pages.setdefault(re.sub(r"\d+", "#", line.text), set()).add(line.page)
        running = {t for t, p in on_pages.items() if len(p) >= max(3, pages // 2)}
    else:
        running = set()
    return [x for x in lines if not _PAGE_NUMBER.match(x.text) and re.sub(r"\d+", "#", x.text) not in running]


def _markdown(lines: list[_Line]) -> str:
    by_size: Counter[float] = Counter()
    for line in lines:
        by_size[line.size] += len(line.text)
    body = by_size.most_common(1)[0][0] if by_size else 0.0
    heading_sizes = sorted({x.size for x in lines if body and x.size >= body * HEADING_RATIO}, reverse=True)
    level = {size: min(n + 1, 4) for n, size in enumerate(heading_sizes)}
    body_lengths = sorted(len(x.text) for x in lines if x.size not in level)
    full = body_lengths[int(len(body_lengths) * 0.9)] if body_lengths else 80
    # With no larger heading font, standalone question lines are the questions (as in a plain-text FAQ).
    plain = not level

    out: list[str] = []
    paragraph: list[str] = []
    heading: tuple[int, list[str]] | None = None

    def close_paragraph() -> None:
        if paragraph:
            out.extend([_join(paragraph), ""])
            paragraph.clear()

    def close_heading() -> None:
        nonlocal heading
        if heading:
            out.extend([f"{'#' * heading[0]} {_join(heading[1])}", ""])
            heading = None

    for line in lines:
        if line.size in level:
            close_paragraph()
            if heading and heading[0] == level[line.size]:
                heading[1].append(line.text)  # a heading wrapped over two lines
            else:
                close_heading()
                heading = (level[line.size], [line.text])
            continue
        close_heading()
        bullet = _BULLET.match(line.text)
        if bullet and not (plain and _QUESTION.search(line.text)):
            close_paragraph()
            paragraph.append("- " + line.text[bullet.end():])
        elif plain and _QUESTION.search(line.text) and (not paragraph or _SENTENCE_END.search(paragraph[-1])):
            close_paragraph()
            out.extend([line.text, ""])
            continue
        else:
            if paragraph and paragraph[0].startswith("- ") and line.text[:1].isupper() and \
                    _SENTENCE_END.search(paragraph[-1]):
                close_paragraph()  # the line after a finished list item starts a paragraph
            paragraph.append(line.text)
        if len(line.text) < full * SHORT_LINE:
            close_paragraph()  # wrapping fills a line: a short one ends its paragraph (or is a line of its own)
    close_paragraph()
    close_heading()
    return "\n".join(out).strip() + "\n"


def _join(parts: list[str]) -> str:
    """Wrapped lines joined back: a line ending with a hyphen joins the next without a space."""
    text = ""
    for part in parts:
        if text.endswith("-") and part[:1].islower():
            text += part
        else:
            text = f"{text} {part}" if text else part
    return text


def pdf_to_markdown(path: Path) -> str:
    """The Markdown form of a text-layer PDF; InputError for a damaged, encrypted or image-only PDF."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("reading a PDF FAQ needs pypdf: run `make install`") from None
    # pypdf logs what it repairs ("EOF marker not found"); the user gets one line, from us, or none.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"FAQ file {path} is a password-protected PDF: remove the password or export "
                             "it to text first")
        lines: list[_Line] = []
        for number, page in enumerate(reader.pages, start=1):
            lines.extend(_lines_of_page(page, number))
        pages = len(reader.pages)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"FAQ file {path} is a damaged PDF that cannot be read ({type(exc).__name__}): "
                         "re-export it, or export it to Markdown or plain text") from None
    if not any(line.text.strip() for line in lines):
        raise InputError(f"FAQ file {path} is a PDF without a text layer (scanned images only): run OCR on it "
                         "first (e.g. `ocrmypdf in.pdf out.pdf`) or export it to text")
    return _markdown(_drop_running_lines(lines, pages))
