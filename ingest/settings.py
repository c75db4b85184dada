"""Settings of the ingestion stage, read from `FAQBOT_*` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FAQ = REPO_ROOT / "data" / "faq_groupe_sos.md"
# Chunks of about 700 characters keep 3-4 passages under ~900 prompt tokens, which is what keeps the
# first token under 3 s with the 1.5B model on 2 cores; one sentence of overlap keeps context across cuts.
DEFAULT_MAX_CHARS = 700
DEFAULT_OVERLAP_CHARS = 160


def cache_dir(variable: str, name: str) -> Path:
    """The folder `variable` names, else `$XDG_CACHE_HOME/faqbot/<name>`, else `~/.cache/faqbot/<name>`."""
    explicit = os.environ.get(variable, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "faqbot" / name


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    """A whole-number setting from the environment (`default` when unset), refused below `minimum` when given."""
    from ingest.errors import InputError

    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise InputError(f"{name} must be at least {minimum}, not {value}")
    return value


@dataclass(frozen=True)
class IngestSettings:
    """Where the FAQ is and how it is cut into chunks."""

    faq_path: Path = DEFAULT_FAQ
    max_chars: int = DEFAULT_MAX_CHARS
    overlap_chars: int = DEFAULT_OVERLAP_CHARS

    @classmethod
    def from_env(cls, **overrides: object) -> IngestSettings:
        """Settings from `FAQBOT_FAQ`, `FAQBOT_CHUNK_CHARS`, `FAQBOT_CHUNK_OVERLAP`, then explicit overrides."""
        values: dict[str, object] = {
            "faq_path": Path(os.environ.get("FAQBOT_FAQ") or DEFAULT_FAQ).expanduser(),
            "max_chars": env_int("FAQBOT_CHUNK_CHARS", DEFAULT_MAX_CHARS),
            "overlap_chars": env_int("FAQBOT_CHUNK_OVERLAP", DEFAULT_OVERLAP_CHARS),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values["faq_path"], str):
            values["faq_path"] = Path(values["faq_path"]).expanduser()
        return cls(**values)  # type: ignore[arg-type]


__all__ = ["DEFAULT_FAQ", "REPO_ROOT", "IngestSettings", "cache_dir"]
