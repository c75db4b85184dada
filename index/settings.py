"""Settings of the index stage, read from `FAQBOT_*` environment variables."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from index.models import default_models_dir
from ingest.settings import DEFAULT_FAQ, cache_dir

DEFAULT_EMBEDDER = "gemma"
DEFAULT_K = 4


def default_index_dir(faq_path: Path | str | None = None) -> Path:
    """`FAQBOT_INDEX_DIR`, else `$XDG_CACHE_HOME/faqbot/index` (or `~/.cache/faqbot/index`) for the project's FAQ
    and `…/faqbot/index-<name>-<hash of its path>` for any other FAQ, so that indexing a second FAQ never
    replaces the first one's index."""
    base = cache_dir("FAQBOT_INDEX_DIR", "index")
    if os.environ.get("FAQBOT_INDEX_DIR", "").strip() or faq_path is None:
        return base
    path = Path(faq_path).expanduser().resolve()
    if path == DEFAULT_FAQ.resolve():
        return base
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40] or "faq"
    return base.with_name(f"index-{slug}-{hashlib.sha1(str(path).encode()).hexdigest()[:8]}")


@dataclass(frozen=True)
class IndexSettings:
    """Where the index and the models live, and which embedder builds and queries it."""

    index_dir: Path
    models_dir: Path
    embedder: str = DEFAULT_EMBEDDER
    threads: int = os.cpu_count() or 1

    @classmethod
    def from_env(cls, *, faq_path: Path | str | None = None, **overrides: object) -> IndexSettings:
        """Settings from `FAQBOT_INDEX_DIR`, `FAQBOT_MODELS_DIR`, `FAQBOT_EMBEDDER`, `FAQBOT_THREADS`; the
        default index folder depends on the FAQ (`faq_path`, else `FAQBOT_FAQ`)."""
        threads = os.environ.get("FAQBOT_THREADS", "").strip()
        faq = faq_path or os.environ.get("FAQBOT_FAQ", "").strip() or None
        values: dict[str, object] = {
            "index_dir": default_index_dir(faq),
            "models_dir": default_models_dir(),
            "embedder": os.environ.get("FAQBOT_EMBEDDER", "").strip() or DEFAULT_EMBEDDER,
            "threads": int(threads) if threads.isdigit() and int(threads) > 0 else (os.cpu_count() or 1),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("index_dir", "models_dir"):
            values[key] = Path(values[key]).expanduser()  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]
