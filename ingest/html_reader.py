"""Turn an HTML FAQ page into the Markdown the parser reads: headings, paragraphs, list items, line breaks.

FAQ pages come in a few shapes: question headings (`<h2>…?</h2>`), definition lists (`<dt>` question, `<dd>`
answer) and disclosure widgets (`<details><summary>` question). Each question becomes a `##` heading; scripts,
styles, navigation menus and forms are dropped; the footer is kept (that is where the contact details are).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "blockquote", "address", "figure",
          "figcaption", "table", "tr", "ul", "ol", "dl", "details", "aside", "pre", "hr", "body", "center"}
_SKIP = {"script", "style", "noscript", "template", "nav", "form", "svg", "button", "select", "iframe", "head"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
FOOTER_TITLE = "Pied de page"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
_LOOKS_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
                         re.IGNORECASE | re.DOTALL)


def looks_like_html(raw: bytes) -> bool:
    """True when the bytes start like an HTML document (a doctype, `<html>`, `<head>` or `<body>`)."""
    return bool(_LOOKS_HTML.match(raw[:4096].lstrip(b"\xef\xbb\xbf")))


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in its `<meta>` tags, if any."""
    match = _META_CHARSET.search(raw[:8192])
    return match.group(1).decode("ascii", "replace").lower() if match else None


class _Converter(HTMLParser):
    """Collects Markdown lines while walking the HTML tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.prefix = ""  # "## " for a heading, "- " for a list item
        self.skip_depth = 0
        self.list_depth = 0
        self.title: list[str] = []
        self.in_title = False
        self.cells: list[str] | None = None

    # Blocks -------------------------------------------------------------------------------------------------
    def flush(self, *, blank: bool = True) -> None:
        text = _SPACES.sub(" ", "".join(self.current)).strip()
        text = "\n".join(part.strip() for part in text.split("\n") if part.strip())
        if text:
            if self.prefix.startswith("#"):
                text = text.replace("\n", " ")
            self.lines.append(self.prefix + text)
            if blank:
                self.lines.append("")
        self.current.clear()
        self.prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            if tag == "head":
                return  # only its <title> matters, read below
            self.skip_depth += 1
            return
        if tag == "title":
            self.in_title = True
            return
        if self.skip_depth:
            return
        if tag in _HEADINGS:
            self.flush()
            self.prefix = "#" * _HEADINGS[tag] + " "
        elif tag in ("dt", "summary"):
            self.flush()
            self.prefix = "## "
        elif tag == "li":
            self.flush(blank=False)
            self.prefix = "  " * max(self.list_depth - 1, 0) + "- "
        elif tag in ("ul", "ol"):
            self.flush(blank=self.list_depth == 0)
            self.list_depth += 1
        elif tag in ("td", "th"):
            if self.cells is None:
                self.cells = []
            self.current.append(" | " if self.cells else "")
            self.cells.append("")
        elif tag == "br":
            # A line break inside a paragraph separates lines that stand apart (an address, a phone number):
            # it ends the paragraph, except inside a list item or a heading.
            if self.prefix:
                self.current.append(" ")
            else:
                self.flush()
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.current.append(f" {alt} ")
        elif tag == "footer" and self.lines:
            # A page footer is not part of the last answer: a heading of its own closes that question (the
            # parser treats a plain top-level heading so), and the contact details found there stay apart.
            self.flush()
            self.lines.extend([f"# {FOOTER_TITLE}", ""])
        elif tag in _BLOCK or tag == "dd":
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            return
        if tag in _SKIP:
            self.skip_depth = max(self.skip_depth - 1, 0)
            return
        if tag == "title":
            self.in_title = False
            return
        if self.skip_depth:
            return
        if tag in ("ul", "ol"):
            self.flush(blank=False)
            self.list_depth = max(self.list_depth - 1, 0)
            if self.list_depth == 0:
                self.lines.append("")
        elif tag == "li":
            self.flush(blank=False)
        elif tag == "tr":
            self.cells = None
            self.flush(blank=False)
        elif tag in _HEADINGS or tag in ("dt", "summary", "dd", "table") or tag in _BLOCK:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip_depth:
            self.current.append(data.replace("\n", " "))


def html_to_markdown(html: str) -> str:
    """The Markdown form of an HTML FAQ page (the page's `<title>` is its title when it has no `<h1>`)."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    converter.flush()
    lines = converter.lines
    title = _SPACES.sub(" ", "".join(converter.title)).strip()
    if title and not any(line.startswith("# ") for line in lines):
        lines = [f"# {title}", "", *lines]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
