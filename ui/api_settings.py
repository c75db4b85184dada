"""Settings of `faqbot serve`: where it listens, who may call it, how much, and how big a request may be."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from chatbot.queue import QueueSettings
from ingest.errors import InputError
from ingest.settings import env_int

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Requests a minute per client, and how many may come at once before the limit bites.
DEFAULT_RATE_LIMIT = 30
DEFAULT_RATE_BURST = 10
# Request bodies: an OpenAI client sends the whole conversation with every question.
DEFAULT_MAX_BODY = 256 * 1024
DEFAULT_MAX_HISTORY = 50
DEFAULT_MAX_MESSAGE_CHARS = 10_000
MODEL_ID = "faqbot"


@dataclass(frozen=True)
class ServeSettings:
    """What `faqbot serve` needs beyond the chatbot's own settings."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    api_token: str = ""  # empty: no token required
    rate_limit: int = DEFAULT_RATE_LIMIT  # per client and minute; 0 turns the limit off
    rate_burst: int = DEFAULT_RATE_BURST
    max_body_bytes: int = DEFAULT_MAX_BODY
    max_history: int = DEFAULT_MAX_HISTORY
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    warm_up: bool = True
    queue: QueueSettings = field(default_factory=QueueSettings)

    @classmethod
    def from_env(cls, queue: QueueSettings | None = None, **overrides: object) -> ServeSettings:
        """`FAQBOT_API_TOKEN`, `FAQBOT_RATE_LIMIT`, `FAQBOT_RATE_BURST`, `FAQBOT_API_MAX_BODY`,
        `FAQBOT_API_MAX_HISTORY`, then the command's flags (`overrides`, None meaning "not given")."""
        values: dict[str, object] = {
            "api_token": os.environ.get("FAQBOT_API_TOKEN", "").strip(),
            "rate_limit": env_int("FAQBOT_RATE_LIMIT", DEFAULT_RATE_LIMIT, 0),
            "rate_burst": env_int("FAQBOT_RATE_BURST", DEFAULT_RATE_BURST, 1),
            "max_body_bytes": env_int("FAQBOT_API_MAX_BODY", DEFAULT_MAX_BODY, 1024),
            "max_history": env_int("FAQBOT_API_MAX_HISTORY", DEFAULT_MAX_HISTORY, 0),
            "queue": queue or QueueSettings.from_env(),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        if not 1 <= settings.port <= 65535:
            raise InputError(f"--port must be between 1 and 65535, not {settings.port}")
        if settings.rate_limit < 0:
            raise InputError("--rate-limit must be 0 (off) or more requests a minute")
        return settings
