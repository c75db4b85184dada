"""Bad FAQ files get a one-line message that says what is wrong, and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import IngestSettings, InputError, ingest
from ui.cli import main


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"%PDF-1.7\n...", "is a damaged PDF"),
        (b"PK\x03\x04rest-of-zip", "ZIP archive"),
        (b"\x00\x01\x02binary\x00data", "binary"),
        ("Quel est le budget ?\nIl est élevé.".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_unusable_faq_files_are_refused_with_the_reason(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "faq.md"
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        ingest(IngestSettings(faq_path=path))


def test_latin1_file_gets_the_conversion_hint(tmp_path: Path) -> None:
    path = tmp_path / "faq.md"
    path.write_bytes("## 1. Qui êtes-vous ?\n\nUne association.".encode("cp1252"))
    with pytest.raises(InputError, match="iconv -f cp1252 -t utf-8"):
        ingest(IngestSettings(faq_path=path))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found.*--faq PATH or set FAQBOT_FAQ"):
        ingest(IngestSettings(faq_path=tmp_path / "absent.md"))
    with pytest.raises(InputError, match="is a directory"):
        ingest(IngestSettings(faq_path=tmp_path))


def test_cli_prints_one_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "faq.md"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["ingest", "--faq", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("faqbot: FAQ file") and "Traceback" not in err


def test_utf8_bom_and_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "faq.md"
    path.write_bytes("\ufeff## 1. Où ?\r\n\r\nÀ Lyon.\r\n".encode())
    faq = ingest(IngestSettings(faq_path=path))
    assert faq.sections == {1: "Où ?"} and faq.chunks[0].text == "À Lyon."
