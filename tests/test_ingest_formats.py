"""A FAQ exported to HTML or to a text-layer PDF is read like its Markdown; what cannot be read gets one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import IngestSettings, InputError, ingest
from ingest.chunker import split_sentences
from ui.cli import main

HTML = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>FAQ</title>
<style>h2 { color: red }</style><script>document.write("<h2>Faux ?</h2>")</script></head>
<body><nav><a href="/">Accueil</a> <a href="/dons">Faire un don ?</a></nav>
<h1>Questions fréquentes sur la Fondation Lumen</h1>
<h2>Quand la fondation a-t-elle été créée ?</h2>
<p>La <strong>Fondation Lumen</strong> a été créée en 1998 par M. Dupont.<br>Elle emploie 42&nbsp;salariés.</p>
<dl><dt>Où la fondation agit-elle ?</dt><dd>Dans 12 départements &amp; 3 pays.</dd></dl>
<details><summary>Combien coûte l'adhésion ?</summary><p>L'adhésion coûte 20 € par an :</p>
<ul><li>10 € pour les étudiants ;</li><li>gratuite pour les bénévoles.</li></ul></details>
<footer><p>Fondation Lumen<br>8 rue des Lilas<br>69003 Lyon<br>04 72 10 20 30 —
<a href="mailto:contact@lumen.example">contact@lumen.example</a></p></footer></body></html>
"""


def _pdf(path: Path, blocks: list[tuple[int, str]]) -> Path:
    """A text-layer PDF: (font size, text) blocks, larger sizes for the title and the questions."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    for size, text in blocks:
        pdf.set_font("Helvetica", "B" if size > 11 else "", size)
        pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return path


def test_an_html_faq_is_read_as_questions_answers_and_footer(tmp_path: Path) -> None:
    path = tmp_path / "faq.html"
    path.write_text(HTML, encoding="utf-8")
    faq = ingest(IngestSettings(faq_path=path))
    assert faq.sections == {1: "Quand la fondation a-t-elle été créée ?", 2: "Où la fondation agit-elle ?",
                            3: "Combien coûte l'adhésion ?"}
    texts = {c.section: c.text for c in faq.chunks}
    assert texts[1] == "La Fondation Lumen a été créée en 1998 par M. Dupont.\nElle emploie 42 salariés."
    assert texts[2] == "Dans 12 départements & 3 pays."
    assert "- 10 € pour les étudiants ;" in texts[3] and "Faux" not in "".join(texts.values())
    assert "Accueil" not in "".join(texts.values()), "navigation menus are not FAQ text"
    assert faq.profile.of_name == "de la Fondation Lumen"
    assert faq.profile.contact.summary() == "contact@lumen.example, 04 72 10 20 30"
    assert faq.profile.contact.address == "8 rue des Lilas, 69003 Lyon"


def test_an_html_page_in_the_charset_it_declares_is_read(tmp_path: Path) -> None:
    path = tmp_path / "faq.htm"
    path.write_bytes(HTML.replace("utf-8", "windows-1252").encode("cp1252"))
    assert ingest(IngestSettings(faq_path=path)).sections[3] == "Combien coûte l'adhésion ?"


def test_a_text_layer_pdf_is_read_with_its_headings(tmp_path: Path) -> None:
    body = "La Fondation Lumen a été créée en 1998 par M. Dupont, à Lyon, avec le soutien de la ville. " * 3
    path = _pdf(tmp_path / "faq.pdf", [
        (18, "Questions fréquentes sur la Fondation Lumen"),
        (13, "1. Quand la fondation a-t-elle été créée, par qui et avec quels moyens au tout début de son histoire ?"),
        (11, body.strip()), (11, "Elle emploie 42 salariés."),
        (13, "2. Combien coûte l'adhésion ?"), (11, "- 20 euros par an ;"), (11, "- gratuite pour les bénévoles."),
        (13, "Nous contacter"), (11, "8 rue des Lilas"), (11, "69003 Lyon"), (11, "contact@lumen.example"),
    ])
    faq = ingest(IngestSettings(faq_path=path))
    assert faq.title == "Questions fréquentes sur la Fondation Lumen"
    assert faq.sections == {1: "Quand la fondation a-t-elle été créée, par qui et avec quels moyens au tout début de "
                               "son histoire ?", 2: "Combien coûte l'adhésion ?"}
    first = " ".join(c.text for c in faq.chunks if c.section == 1)
    assert body.strip() in first and "Elle emploie 42 salariés." in first, "wrapped lines are joined back"
    assert split_sentences(first)[0] == "La Fondation Lumen a été créée en 1998 par M. Dupont, à Lyon, avec le " \
                                        "soutien de la ville."
    second = next(c.text for c in faq.chunks if c.section == 2)
    assert second == "- 20 euros par an ;\n- gratuite pour les bénévoles."
    assert faq.profile.contact.email == "contact@lumen.example"
    assert faq.profile.contact.address == "8 rue des Lilas, 69003 Lyon"


def test_a_pdf_in_one_font_size_finds_its_questions_as_plain_text_does(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "faq.pdf", [
        (11, "Quand la fondation a-t-elle été créée ?"), (11, "En 1998."),
        (11, "Combien coûte l'adhésion ?"), (11, "20 euros par an."),
    ])
    faq = ingest(IngestSettings(faq_path=path))
    assert faq.sections == {1: "Quand la fondation a-t-elle été créée ?", 2: "Combien coûte l'adhésion ?"}


def test_an_image_only_pdf_says_it_needs_ocr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text: what a scan looks like to a text extractor
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(InputError, match="without a text layer.*OCR"):
        ingest(IngestSettings(faq_path=path))
    assert main(["ingest", "--faq", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("faqbot: FAQ file") and "Traceback" not in err


def test_a_truncated_pdf_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _pdf(tmp_path / "good.pdf", [(11, "Quand ?"), (11, "En 1998.")])
    path = tmp_path / "broken.pdf"
    path.write_bytes(good.read_bytes()[:300])
    assert main(["ingest", "--faq", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged PDF" in err


def test_an_html_page_with_nothing_but_scripts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body><nav>Menu</nav></body></html>",
                    encoding="utf-8")
    with pytest.raises(InputError, match="no readable text|no text to index"):
        ingest(IngestSettings(faq_path=path))
