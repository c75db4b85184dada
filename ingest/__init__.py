"""Stage 1: read a FAQ file into typed, stable chunks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.chunker import Chunk, chunk_document, split_sentences
from ingest.errors import FaqbotError, InputError
from ingest.parser import FaqDocument, parse_faq
from ingest.profile import EMAIL, PHONE, Contact, Profile, find_contact_details, profile_path, read_profile
from ingest.reader import read_faq_text
from ingest.settings import IngestSettings

# Paraphrases given to a contact block outside the numbered questions (a footer with an address, a phone, an
# e-mail): nothing in its text says "contact", so "à quel numéro appeler ?" would not find it.
CONTACT_ALIASES = ("Comment contacter, joindre, appeler ou écrire ? Contact", "Adresse postale, numéro de téléphone, "
                   "adresse e-mail, site internet, réseaux sociaux")


@dataclass(frozen=True)
class Faq:
    """An ingested FAQ: where it came from, its hash, its title, its chunks and the organisation it speaks for."""

    path: Path
    sha256: str
    title: str
    chunks: tuple[Chunk, ...]
    profile: Profile = field(default_factory=Profile)

    @property
    def sections(self) -> dict[int, str]:
        """Question number -> question title, in FAQ order."""
        return {c.section: c.title for c in self.chunks if c.section is not None}

    def contact(self) -> str:
        """The contact details of the profile (e-mail, phone), or an empty string."""
        return self.profile.contact.summary()


def find_contact(chunks: tuple[Chunk, ...] | list[Chunk]) -> str:
    """E-mail and phone found in the FAQ, preferring text outside the numbered questions (the footer)."""
    return find_contact_details(chunks).summary()


def _is_contact(chunk: Chunk) -> bool:
    return chunk.section is None and not chunk.aliases and bool(EMAIL.search(chunk.text) or PHONE.search(chunk.text))


def ingest(settings: IngestSettings | None = None) -> Faq:
    """Read, parse and chunk the FAQ named by `settings`; raise InputError on an unusable file."""
    settings = settings or IngestSettings.from_env()
    text = read_faq_text(settings.faq_path)
    doc = parse_faq(text, default_title=settings.faq_path.stem)
    chunks = chunk_document(doc, max_chars=settings.max_chars, overlap_chars=settings.overlap_chars)
    if not chunks:
        raise InputError(f"FAQ file {settings.faq_path} has no text to index")
    chunks = [replace(c, aliases=CONTACT_ALIASES) if _is_contact(c) else c for c in chunks]
    profile = read_profile(doc.title, chunks, settings.faq_path, has_title=doc.title != settings.faq_path.stem)
    return Faq(
        path=settings.faq_path,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=doc.title,
        chunks=tuple(chunks),
        profile=profile,
    )


__all__ = [
    "Chunk",
    "Contact",
    "Faq",
    "FaqDocument",
    "FaqbotError",
    "IngestSettings",
    "InputError",
    "Profile",
    "find_contact",
    "ingest",
    "parse_faq",
    "profile_path",
    "read_profile",
    "split_sentences",
]
