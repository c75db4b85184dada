"""The prompts name the FAQ's organisation, and for the Groupe SOS FAQ stay byte-identical to the ones the committed
answer cache was generated with (the cache is keyed by the full prompt text: a changed byte is a cache miss).

`tests/fixtures/prompts_groupe_sos.json` holds hashes of prompts rendered by the code before the organisation was
read from the FAQ (every section's context, with and without a runner-up passage; court, développé, strict,
English; a rewrite; press drafts in both tones, lengths and the strict retry). The answer prompts were re-hashed
when the short instruction replaced the passage hints (the answer cache was regenerated with them), and again when
the FAQ's own bare « Non. » was hidden from the passages (`prompts.HIDE_SECTION_PARTICLE`: the contexts holding
section 11 changed, no other)."""

from __future__ import annotations

import hashlib
import json

import pytest

from chatbot import Chatbot
from chatbot.context import select_context
from chatbot.draft import Drafter
from chatbot.prompts import answer_messages, rewrite_messages, system_prompt_fragments
from index.retriever import Hit
from ingest import IngestSettings, ingest
from ingest.profile import Profile
from tests.conftest import FIXTURES, REAL_FAQ
from tests.fakes import ScriptedRetriever

GOLDEN = json.loads((FIXTURES / "prompts_groupe_sos.json").read_text(encoding="utf-8"))


def _hash(messages) -> str:
    rows = [[m.role, m.content] for m in messages]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


def _ranked(chunks, best, runner=None) -> list[Hit]:
    scored = []
    for c in chunks:
        if c.section == best:
            s = 0.8 - 0.001 * c.position
        else:
            s = 0.79 if c.section == runner else 0.2 - 0.001 * c.position
        scored.append((s, c))
    scored.sort(key=lambda p: -p[0])
    return [Hit(c, s, s, 0.0, i) for i, (s, c) in enumerate(scored, 1)]


@pytest.fixture(scope="module")
def faq():
    return ingest(IngestSettings(faq_path=REAL_FAQ))


def test_chunks_of_the_groupe_sos_faq_are_unchanged(faq) -> None:
    """Chunk ids and texts feed the prompts: the sentence splitter's abbreviation rules must not move a cut."""
    rows = [[c.chunk_id, c.text] for c in faq.chunks]
    assert hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16] == GOLDEN["chunks"]


def test_answer_and_rewrite_prompts_are_byte_identical_for_the_groupe_sos(faq) -> None:
    rendered = []
    for section in [*sorted(faq.sections), None]:
        for runner in (None, (section or 0) % 13 + 1):
            context = select_context(_ranked(faq.chunks, section, runner))
            for options in ({}, {"length": "developpe"}, {"strict": True}, {"language": "en"}):
                rendered.append(_hash(answer_messages("Quel est le budget du Groupe SOS ?", context.prompt,
                                                      profile=faq.profile, **options)))
    assert rendered == GOLDEN["answer"]
    history = [("user", "Qui préside le Directoire ?"), ("assistant", "Jean-Marc Borello [1].")]
    assert [_hash(rewrite_messages("Et depuis quand ?", history, profile=faq.profile))] == GOLDEN["rewrite"]


def test_draft_prompts_are_byte_identical_for_the_groupe_sos(faq) -> None:
    drafter = Drafter(Chatbot(ScriptedRetriever(faq.chunks, {}), None, profile=faq.profile))
    context = select_context(_ranked(faq.chunks, 4, 5))
    rendered = []
    for tone in ("factuel", "institutionnel"):
        for length in ("court", "developpe"):
            for strict in (False, True):
                rendered.append(_hash(drafter.messages(
                    "Bonjour, quel est le budget du Groupe SOS ? Et qui le dirige ?", context,
                    ["Qui le dirige ?"] if strict else [], tone, length, strict=strict)))
    assert rendered == GOLDEN["draft"]


def test_another_organisation_is_named_in_every_prompt(faq) -> None:
    other = Profile(name="Fondation Lumen", article="la")
    context = select_context(_ranked(faq.chunks, 4))
    texts = [m.content for m in answer_messages("Quel budget ?", context.prompt, profile=other)]
    texts += [m.content for m in rewrite_messages("Et alors ?", [("user", "Qui ?")], profile=other)]
    drafter = Drafter(Chatbot(ScriptedRetriever(faq.chunks, {}), None, profile=other))
    texts += [m.content for m in drafter.messages("Votre budget ?", context, [], "factuel", "court")]
    system = "\n".join(t for t in texts if "Tu " in t[:20])
    assert "FAQ de la Fondation Lumen" in system and "service de presse de la Fondation Lumen" in system
    assert "« Le service de presse de la Fondation Lumen »" in system
    instructions = "\n".join(system_prompt_fragments(other))
    assert "Groupe SOS" not in instructions and "de la Fondation Lumen" in instructions
