"""Settings of the index stage, read from `FAQBOT_*` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from index.models import default_models_dir
from ingest.settings import cache_dir

DEFAULT_EMBEDDER = "gemma"
DEFAULT_K = 4


def default_index_dir() -> Path:
    """`FAQBOT_INDEX_DIR`, else `$XDG_CACHE_HOME/faqbot/index`, else `~/.cache/faqbot/index`."""
    return cache_dir("FAQBOT_INDEX_DIR", "index")


@dataclass(frozen=True)
class IndexSettings:
    """Where the index and the models live, and which embedder builds and queries it."""

    index_dir: Path
    models_dir: Path
    embedder: str = DEFAULT_EMBEDDER
    threads: int = os.cpu_count() or 1

    @classmethod
    def from_env(cls, **overrides: object) -> IndexSettings:
        """Settings from `FAQBOT_INDEX_DIR`, `FAQBOT_MODELS_DIR`, `FAQBOT_EMBEDDER`, `FAQBOT_THREADS`."""
        threads = os.environ.get("FAQBOT_THREADS", "").strip()
        values: dict[str, object] = {
            "index_dir": default_index_dir(),
            "models_dir": default_models_dir(),
            "embedder": os.environ.get("FAQBOT_EMBEDDER", "").strip() or DEFAULT_EMBEDDER,
            "threads": int(threads) if threads.isdigit() and int(threads) > 0 else (os.cpu_count() or 1),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("index_dir", "models_dir"):
            values[key] = Path(values[key]).expanduser()  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]
