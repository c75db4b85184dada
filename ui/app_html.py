"""HTML for the chat UI: answers with clickable citations, source cards with the supporting sentences highlighted,
abstentions, and press drafts with flagged sentences.

Everything that comes from the FAQ, the model or the user goes through `html.escape` before our own tags
are added. Each fragment is one `<div>` without blank lines, so Markdown treats it as a raw HTML block
and never re-interprets model text as Markdown (links, images) either.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

from chatbot.draft import Draft
from chatbot.evidence import HEAD_LINE, is_quote_line
from index.retriever import Hit
from ingest.chunker import split_sentences
from ui.render import section_label

_MARKER = re.compile(r"\[(\d{1,2})\]")

# Why a streamed answer was replaced; a replacement that only added citation markers gets no note.
REPLACE_NOTES = {
    "strict": "Réponse régénérée : la première version citait un élément absent des sources.",
    "extractive": "Réponse remplacée par un extrait de la FAQ : les réponses générées contenaient des "
                  "éléments absents des sources.",
    "model": "Le modèle indique que la FAQ ne répond pas à cette question.",
    "out_of_remit": "Réponse retirée : la demande sort du rôle de l'assistant.",
    "unverifiable": "Réponse retirée : elle n'a pas pu être vérifiée dans les sources.",
}

CSS = """<style>
.faq-answer { line-height: 1.6; }
.faq-quote-head { font-weight: 600; margin-top: .2rem; }
.faq-quote { border-left: 3px solid #93c5fd; padding-left: .6rem; margin: .25rem 0; }
.faq-answer a.faq-cite, .faq-draft a.faq-cite { text-decoration: none; font-weight: 600; }
.faq-abstain { border-left: 4px solid #d97706; background: #fffbeb; color: #3f2a00; padding: .6rem .9rem;
  border-radius: .3rem; line-height: 1.5; }
.faq-abstain-title { font-weight: 700; margin-bottom: .3rem; }
.faq-rewritten { color: #4b5563; font-style: italic; margin-bottom: .4rem; }
.faq-note { color: #6b7280; font-size: .85rem; margin-top: .3rem; }
.faq-queue { color: #374151; background: #f3f4f6; border-radius: .5rem; padding: .5rem .75rem; }
.faq-sources-title { font-weight: 700; margin: .8rem 0 .3rem; }
.faq-source { border: 1px solid #e5e7eb; border-radius: .4rem; padding: .5rem .7rem; margin: .4rem 0;
  font-size: .9rem; scroll-margin-top: 4rem; }
.faq-source:target { border-color: #2563eb; box-shadow: 0 0 0 2px #bfdbfe; }
.faq-source-head { font-weight: 600; margin-bottom: .25rem; cursor: pointer; }
.faq-source-num { color: #2563eb; margin-right: .3rem; }
.faq-passage { color: #374151; }
.faq-passage mark { background: #fef08a; padding: 0 .1rem; }
.faq-question { white-space: pre-wrap; }
.faq-draft { line-height: 1.6; border: 1px solid #e5e7eb; border-radius: .4rem; padding: .8rem 1rem; }
.faq-draft mark.faq-flag { background: #fecaca; }
.faq-flag-label { font-weight: 700; color: #b91c1c; }
.faq-flags { border-left: 4px solid #dc2626; background: #fef2f2; padding: .5rem .8rem; margin: .6rem 0;
  border-radius: .3rem; font-size: .9rem; }
.faq-uncovered { font-style: italic; color: #4b5563; margin-top: .5rem; }
</style>"""


def esc(text: str) -> str:
    """`text` safe inside our HTML: escaped, line breaks as `<br>` (a blank line would end the HTML block)."""
    lines = html.escape(text, quote=True).split("\n")
    return "<br>".join(line.replace("  ", "&nbsp;&nbsp;") for line in lines)


def source_anchor(turn: int | str, n: int) -> str:
    """The id of source `n` of turn `turn` (what citation `[n]` links to)."""
    return f"source-{turn}-{n}"


def link_citations(escaped: str, turn: int | str, n_sources: int) -> str:
    """Already escaped text with each valid `[n]` turned into a link to its source card."""
    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if not 1 <= n <= n_sources:
            return match.group(0)
        return f'<a class="faq-cite" href="#{source_anchor(turn, n)}">[{n}]</a>'

    return _MARKER.sub(link, escaped)


def answer_html(text: str, turn: int | str, n_sources: int, *, final: bool = False) -> str:
    """An answer (streaming or finished) with its citations linked to the source cards, and its FAQ quotes
    set apart under their heading."""
    state = "final" if final else "streaming"
    parts: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            parts.append(link_citations(esc("\n".join(prose)), turn, n_sources))
            prose.clear()

    for line in text.split("\n"):
        if HEAD_LINE.match(line):
            flush()
            parts.append(f'<div class="faq-quote-head">{esc(line.strip())}</div>')
        elif line.lstrip().startswith("- ") and is_quote_line(line):
            flush()
            quote = link_citations(esc(line.lstrip()[2:]), turn, n_sources)
            parts.append(f'<div class="faq-quote">{quote}</div>')
        else:
            prose.append(line)
    flush()
    return f'<div class="faq-answer" data-state="{state}">{"".join(parts)}</div>'


def abstention_html(text: str, *, final: bool = False) -> str:
    """An abstention: styled apart, with the refusal text (which lists the topics the FAQ covers)."""
    state = "final" if final else "streaming"
    return (f'<div class="faq-abstain faq-answer" data-state="{state}"><div class="faq-abstain-title">'
            f"La FAQ ne permet pas de répondre à cette question</div>{esc(text)}</div>")


def note_html(text: str) -> str:
    """A short note under an answer (why it was replaced)."""
    return f'<div class="faq-note">{esc(text)}</div>'


def rewritten_html(question: str) -> str:
    """The standalone question a follow-up was understood as."""
    return f'<div class="faq-rewritten">Question comprise : {esc(question)}</div>'


def question_html(text: str, limit: int = 2000) -> str:
    """The user's message as typed (very long messages are cut for display only)."""
    shown = text if len(text) <= limit else text[:limit].rstrip() + " […]"
    return f'<div class="faq-question">{esc(shown)}</div>'


def replace_note(reason: str, before: str, after: str) -> str | None:
    """The note for a `Replace` event, or None when the replacement only added or moved citation markers."""
    def bare(text: str) -> str:
        return " ".join(_MARKER.sub(" ", text).split())

    if bare(before) == bare(after):
        return None
    return REPLACE_NOTES.get(reason)


def passage_html(passage: str, marks: set[int]) -> str:
    """The passage, line breaks kept, with the sentences in `marks` wrapped in `<mark>`."""
    out_lines, i = [], 0
    for line in passage.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        parts = []
        for sentence in split_sentences(line):
            piece = html.escape(sentence, quote=True)
            parts.append(f"<mark>{piece}</mark>" if i in marks else piece)
            i += 1
        if parts:
            out_lines.append("&nbsp;" * indent + " ".join(parts))
    return "<br>".join(out_lines)


def sources_html(hits: Sequence[Hit], turn: int | str, answer: str = "", *, title: str = "Sources",
                 marks: Mapping[int, set[int]] | None = None) -> str:
    """The numbered source cards of a turn: section number and question, passage, and highlighted the sentences
    that state the answer's own words (`marks`: source number -> sentence indexes, from `Answer.support()`).

    Once the answer is known, passages it does not cite are folded (one click opens them)."""
    marks = marks or {}
    cited = {n for n in range(1, len(hits) + 1) if f"[{n}]" in answer or n in marks}
    cards = []
    for n, hit in enumerate(hits, start=1):
        state = " open" if n in cited or not cited else ""
        cards.append(
            f'<details class="faq-source" id="{source_anchor(turn, n)}"{state}><summary class="faq-source-head">'
            f'<span class="faq-source-num">[{n}]</span>{esc(section_label(hit.chunk.section))} — '
            f'{esc(hit.chunk.title)}</summary><div class="faq-passage">{passage_html(hit.chunk.text, marks.get(n, set()))}'
            "</div></details>")
    return f'<div class="faq-sources"><div class="faq-sources-title">{esc(title)}</div>{"".join(cards)}</div>'


def draft_html(draft: Draft) -> str:
    """The draft body, each untraceable sentence visibly flagged (the reasons in its tooltip)."""
    problems = {s.text: s.problems for s in draft.flagged}
    lines = []
    for paragraph in draft.body.split("\n"):
        parts = []
        for sentence in split_sentences(paragraph):
            piece = link_citations(html.escape(sentence, quote=True), "draft", len(draft.sources))
            if sentence in problems:
                why = html.escape("; ".join(problems[sentence]), quote=True)
                piece = (f'<mark class="faq-flag" title="{why}"><span class="faq-flag-label">⚠ À vérifier :</span> '
                         f"{piece}</mark>")
            parts.append(piece)
        lines.append(" ".join(parts))
    body = "<br>".join(lines)
    if draft.uncovered:
        body += (f'<div class="faq-uncovered">Points non couverts par la FAQ : '
                 f'{esc(" ; ".join(draft.uncovered))}</div>')
    return f'<div class="faq-draft">{body}</div>'


def flags_html(draft: Draft) -> str:
    """The list of flagged sentences and why each could not be traced to its source."""
    items = "".join(f"<li>{esc(s.text)} <em>({esc('; '.join(s.problems))})</em></li>" for s in draft.flagged)
    count = len(draft.flagged)
    return (f'<div class="faq-flags"><strong>{count} phrase{"s" if count > 1 else ""} à vérifier</strong> : '
            f"introuvable{'s' if count > 1 else ''} telle{'s' if count > 1 else ''} quelle"
            f"{'s' if count > 1 else ''} dans les sources citées.<ul>{items}</ul></div>")


def appendix_html(draft: Draft) -> str:
    """The numbered sources appendix, each quoting the FAQ sentences the draft relies on."""
    cards = []
    for n, hit, quote in draft.appendix():
        cards.append(
            f'<div class="faq-source" id="{source_anchor("draft", n)}"><div class="faq-source-head">'
            f'<span class="faq-source-num">[{n}]</span>{esc(section_label(hit.chunk.section))} — '
            f'{esc(hit.chunk.title)}</div><div class="faq-passage">« {esc(quote)} »</div></div>')
    return (f'<div class="faq-sources"><div class="faq-sources-title">Sources ({esc(draft.faq_label)})</div>'
            f'{"".join(cards)}</div>')
