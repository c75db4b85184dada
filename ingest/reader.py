"""Read a FAQ file as text, refusing what is not a UTF-8 Markdown or plain-text file with a clear message."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import InputError

# Signatures of formats people commonly pass by mistake, with the fix for each.
_SIGNATURES = (
    (b"%PDF-", "is a PDF document: export it to Markdown or plain text first"),
    (b"PK\x03\x04", "is a ZIP archive (a .docx or .odt?): export it to Markdown or plain text first"),
    (b"\xd0\xcf\x11\xe0", "is an old Office document: export it to Markdown or plain text first"),
    (b"\x89PNG", "is a PNG image, not a text FAQ"),
    (b"\xff\xd8\xff", "is a JPEG image, not a text FAQ"),
)


def read_faq_text(path: Path) -> str:
    """Return the text of the FAQ at `path`, or raise InputError saying what is wrong with the file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"FAQ file not found: {path} (pass --faq PATH or set FAQBOT_FAQ)")
    if path.is_dir():
        raise InputError(f"FAQ path is a directory, not a file: {path} (pass the Markdown file itself)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read FAQ file {path}: {exc.strerror or exc}") from None
    if not raw.strip():
        raise InputError(f"FAQ file is empty: {path} (it must contain the questions and their answers)")
    for signature, problem in _SIGNATURES:
        if raw.startswith(signature):
            raise InputError(f"FAQ file {path} {problem}")
    if b"\x00" in raw[:65536]:
        raise InputError(f"FAQ file {path} looks binary (it contains NUL bytes), not Markdown or plain text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = "re-save it as UTF-8"
        try:
            raw.decode("cp1252")
            hint = "it looks like Windows-1252/Latin-1: convert it with `iconv -f cp1252 -t utf-8`"
        except UnicodeDecodeError:
            pass
        raise InputError(
            f"FAQ file {path} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}): {hint}"
        ) from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise InputError(f"FAQ file {path} looks binary ({controls} control characters), not Markdown or text")
    return text.replace("\r\n", "\n").replace("\r", "\n")
