"""Draft exports: Markdown and Word (.docx), flagged sentences highlighted, sources appendix quoting the FAQ."""

from __future__ import annotations

import io

from chatbot.draft import Draft
from ingest.chunker import split_sentences
from ui.render import section_label


def draft_markdown(draft: Draft) -> str:
    """The draft as Markdown (what the copy button and the .md download give)."""
    return draft.to_markdown()


def draft_docx(draft: Draft) -> bytes:
    """The draft as a Word document: flagged sentences highlighted in yellow, then the sources appendix."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = f"Projet de réponse presse — {draft.organisation or draft.faq_label}"
    flagged = {s.text for s in draft.flagged}
    for paragraph_text in draft.body.split("\n"):
        if not paragraph_text.strip():
            continue
        paragraph = document.add_paragraph()
        for i, sentence in enumerate(split_sentences(paragraph_text)):
            run = paragraph.add_run(("" if i == 0 else " ") + sentence)
            if sentence in flagged:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                note = paragraph.add_run(" [À VÉRIFIER : absent des sources]")
                note.bold = True
    if draft.uncovered:
        document.add_paragraph("Points non couverts par la FAQ : " + " ; ".join(draft.uncovered)).italic = True
    document.add_heading(f"Sources ({draft.faq_label})", level=2)
    for n, hit, quote in draft.appendix():
        head = document.add_paragraph()
        head.add_run(f"[{n}] {section_label(hit.chunk.section)} — {hit.chunk.title}").bold = True
        body = document.add_paragraph(f"« {quote} »")
        body.paragraph_format.left_indent = Pt(18)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
