"""Read a FAQ file as Markdown text: Markdown and plain text as they are, HTML and text-layer PDF converted;
what cannot be read gets a one-line message saying what is wrong and the fix."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import InputError
from ingest.html_reader import declared_charset, html_to_markdown, looks_like_html

# Signatures of formats people commonly pass by mistake, with the fix for each.
_SIGNATURES = (
    (b"PK\x03\x04", "is a ZIP archive (a .docx or .odt?): export it to Markdown, HTML, PDF or plain text first"),
    (b"\xd0\xcf\x11\xe0", "is an old Office document: export it to Markdown, HTML, PDF or plain text first"),
    (b"\x89PNG", "is a PNG image, not a text FAQ (run OCR on it, or type the FAQ out)"),
    (b"\xff\xd8\xff", "is a JPEG image, not a text FAQ (run OCR on it, or type the FAQ out)"),
)
PDF_SIGNATURE = b"%PDF-"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FORMATS = "Markdown, plain text, HTML or PDF"


def read_faq_text(path: Path) -> str:
    """Return the FAQ at `path` as Markdown text, or raise InputError saying what is wrong with the file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"FAQ file not found: {path} (pass --faq PATH or set FAQBOT_FAQ)")
    if path.is_dir():
        raise InputError(f"FAQ path is a directory, not a file: {path} (pass the FAQ file itself: {FORMATS})")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read FAQ file {path}: {exc.strerror or exc}") from None
    if not raw.strip():
        raise InputError(f"FAQ file is empty: {path} (it must contain the questions and their answers)")
    # Readers accept a PDF header anywhere in the first kilobyte; a .pdf name says the same.
    if PDF_SIGNATURE in raw[:1024] and (raw.lstrip().startswith(PDF_SIGNATURE) or path.suffix.lower() == ".pdf"):
        from ingest.pdf_reader import pdf_to_markdown

        return _checked(pdf_to_markdown(path), path)
    for signature, problem in _SIGNATURES:
        if raw.startswith(signature):
            raise InputError(f"FAQ file {path} {problem}")
    if b"\x00" in raw[:65536]:
        raise InputError(f"FAQ file {path} looks binary (it contains NUL bytes), not {FORMATS}")
    is_html = path.suffix.lower() in HTML_SUFFIXES or looks_like_html(raw)
    text = _decode(raw, path, declared_charset(raw) if is_html else None)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise InputError(f"FAQ file {path} looks binary ({controls} control characters), not {FORMATS}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _checked(html_to_markdown(text), path) if is_html else text


def _decode(raw: bytes, path: Path, charset: str | None) -> str:
    """UTF-8 (with or without BOM), or the charset an HTML page declares."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if charset and charset.replace("_", "-") not in ("utf-8", "utf8"):
            try:
                return raw.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
        hint = "re-save it as UTF-8"
        try:
            raw.decode("cp1252")
            hint = "it looks like Windows-1252/Latin-1: convert it with `iconv -f cp1252 -t utf-8`"
        except UnicodeDecodeError:
            pass
        raise InputError(
            f"FAQ file {path} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}): {hint}"
        ) from None


def _checked(markdown: str, path: Path) -> str:
    """A converted HTML or PDF file must still hold some text."""
    if not markdown.strip():
        raise InputError(f"FAQ file {path} has no readable text (nothing but markup, images or scripts)")
    return markdown
