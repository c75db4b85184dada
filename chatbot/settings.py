"""Settings of the chatbot stage, read from `FAQBOT_*` (and `OLLAMA_HOST`) environment variables."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from index.models import QWEN_15B

DEFAULT_BACKEND = "llamacpp"
DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434"
DEFAULT_OLLAMA_MODEL = "qwen2.5-coder:1.5b"
DEFAULT_OPENAI_BASE_URL = "http://127.0.0.1:8080/v1"
DEFAULT_OPENAI_MODEL = "qwen2.5-coder-1.5b-instruct"
# How long a backend may take to answer a reachability check before we say it is down.
CONNECT_TIMEOUT_S = 5.0
SEED = 42
LENGTHS = {"court": 220, "developpe": 420}


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _env_switch(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "on", "true", "yes", "oui"):
        return True
    if raw in ("0", "off", "false", "no", "non"):
        return False
    from ingest.errors import InputError

    raise InputError(f"{name}={raw!r}: use 1 (on) or 0 (off)")


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        from ingest.errors import InputError

        raise InputError(f"{name}={raw!r} is not a number") from None


def ollama_host(raw: str) -> str:
    """`OLLAMA_HOST` as a URL, following the ollama client's rule: `gpu-box` -> `http://gpu-box:11434`,
    `https://host` -> port 443, `0.0.0.0` (a listen address) -> `http://127.0.0.1:11434`."""
    from urllib.parse import urlsplit

    raw = raw.strip() or DEFAULT_OLLAMA_HOST
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    host = parts.hostname or "127.0.0.1"
    if host == "0.0.0.0":  # a server's listen address: clients reach it on loopback
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    # With a scheme, the scheme's port (as the ollama client does); without one, Ollama's 11434.
    port = parts.port or ({"https": 443, "http": 80}.get(parts.scheme, 11434) if "://" in raw else 11434)
    return f"{parts.scheme}://{host}:{port}{parts.path.rstrip('/')}"


@dataclass(frozen=True)
class ChatSettings:
    """Which LLM answers, how, and how retrieval scores decide to abstain."""

    backend: str = DEFAULT_BACKEND
    model: str = ""  # empty: the backend's default
    ollama_host: str = DEFAULT_OLLAMA_HOST
    openai_base_url: str = DEFAULT_OPENAI_BASE_URL
    openai_api_key: str = ""
    k: int = 4
    length: str = "court"
    temperature: float = 0.0
    seed: int = SEED
    n_ctx: int = 4096
    threads: int = os.cpu_count() or 1
    timeout_s: float = CONNECT_TIMEOUT_S
    request_timeout_s: float = 120.0
    # The LLM reads the claims the word checks alone reject (`chatbot.entailment`). Off by default: with the 1.5B
    # model it let wrong claims of real answers through (docs/verifier.md); for a stronger model, measure it first.
    claim_judge: bool = False

    @classmethod
    def from_env(cls, **overrides: object) -> ChatSettings:
        """Settings from `FAQBOT_LLM`, `FAQBOT_LLM_MODEL`, `OLLAMA_HOST`, `FAQBOT_OPENAI_BASE_URL`, ..."""
        host = ollama_host(_env("OLLAMA_HOST", DEFAULT_OLLAMA_HOST))
        threads = os.environ.get("FAQBOT_THREADS", "").strip()
        values: dict[str, object] = {
            "backend": _env("FAQBOT_LLM", DEFAULT_BACKEND),
            "model": os.environ.get("FAQBOT_LLM_MODEL", "").strip(),
            "ollama_host": host.rstrip("/"),
            "openai_base_url": _env("FAQBOT_OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL).rstrip("/"),
            # Deliberately not OPENAI_API_KEY: a user's real OpenAI key must not reach whatever local server
            # the base URL names.
            "openai_api_key": os.environ.get("FAQBOT_OPENAI_API_KEY", "").strip(),
            "request_timeout_s": _env_float("FAQBOT_LLM_REQUEST_TIMEOUT", 120.0),
            "k": int(_env_float("FAQBOT_K", 4)),
            "length": _env("FAQBOT_LENGTH", "court"),
            "timeout_s": _env_float("FAQBOT_LLM_TIMEOUT", CONNECT_TIMEOUT_S),
            "claim_judge": _env_switch("FAQBOT_CLAIM_JUDGE", False),
        }
        if threads.isdigit() and int(threads) > 0:
            values["threads"] = int(threads)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse settings that cannot work, saying which values are valid."""
        from ingest.errors import InputError

        if self.length not in LENGTHS:
            raise InputError(f"answer length {self.length!r} is not valid: choose one of {', '.join(LENGTHS)}")
        if self.k < 1:
            raise InputError("the number of passages (-k / FAQBOT_K) must be at least 1")

    @property
    def max_tokens(self) -> int:
        """Token budget of an answer for the chosen length."""
        return LENGTHS[self.length]

    def model_for(self, backend: str) -> str:
        """The model name to use with `backend` (the configured one, else the backend's default)."""
        if self.model:
            return self.model
        return {"llamacpp": QWEN_15B.name, "ollama": DEFAULT_OLLAMA_MODEL, "openai": DEFAULT_OPENAI_MODEL}.get(
            backend, "")


@dataclass(frozen=True)
class Thresholds:
    """The score thresholds the chatbot decides with. They belong to the embedder and the FAQ: `faqbot
    calibrate` derives them from the `tune` cases and stores them beside the index; without that, the
    documented defaults of the embedder apply (`DEFAULT_THRESHOLDS`)."""

    # Best passage score (fused) below which a question is off topic, unless it names one of the FAQ's names.
    off_topic: float = 0.30
    # Best passage score a question needs before a declining model is overruled by a quote of the FAQ.
    quote_min: float = 0.50
    # Best sentence score (cosine) at which that quote answers closely enough to overrule the model.
    overrule_min: float = 0.65
    # How far (in standard deviations over all the FAQ's sentences, Retriever.distinctness) the best sentence must
    # stand out before it is quoted for a declined question in another language than the FAQ's, where no shared
    # word can tell an answer from a neighbour. A z-score does not depend on the embedder's cosine scale; chosen on
    # the `tune` eval results (docs/quality.md, "cross-lingual quotes"), since which questions the model declines
    # only an LLM run shows.
    cross_quote_z: float = 2.5
    # The same for a declined yes/no question in another language, denial or not: its nearest sentence may state
    # something else (« Does the club run an airline? » lies nearest « Le club n'a aucun propriétaire ») or answer it
    # in other words (« Does the club run mountain huts? » by the list naming its refuges). On `tune`, the
    # must-abstain ones reached 2.98 and the answerable ones started at 3.16: the middle of that gap
    # (docs/quality.md, « A declined English yes/no question »).
    cross_polar_z: float = 3.07
    # Sentence similarity (the embedder's statement vectors) at which a claim in another language than its source
    # translates it (`chatbot.restatement`); above 1: never. Chosen on the verifier benchmark's tune pairs, above
    # the highest similarity of an unsupported claim that passes every other check (docs/verifier.md).
    restate_min: float = 0.85
    origin: str = "défaut"  # "calibré (…)", "défaut gemma", …

    FIELDS = ("off_topic", "quote_min", "overrule_min", "cross_quote_z", "cross_polar_z", "restate_min")

    def values(self) -> dict[str, float]:
        """The thresholds by name."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def with_values(self, values: dict[str, object], origin: str) -> Thresholds:
        """These thresholds with the known names of `values` replaced (other keys are ignored)."""
        known = {k: float(v) for k, v in values.items() if k in self.FIELDS and isinstance(v, int | float)}
        return dataclasses.replace(self, origin=origin, **known)


# Defaults when no calibration is stored beside the index (`faqbot calibrate` writes one). gemma: calibrated by hand on
# the Groupe SOS development cases (README, "Abstention calibration"); e5: `faqbot calibrate --embedder e5` on the
# Groupe SOS tune split (181 cases; multilingual-e5-small's cosines crowd between 0.7 and 0.9, so its bars are
# higher); hash: the toy test embedder, given the gemma values its unit tests were written against.
DEFAULT_THRESHOLDS: dict[str, Thresholds] = {
    "gemma": Thresholds(origin="défaut gemma"),
    # e5's similarity was not measured as a translation test: its claims are read by their words alone.
    "e5": Thresholds(off_topic=0.77, quote_min=0.75, overrule_min=0.83, restate_min=1.01, origin="défaut e5"),
    "hash": Thresholds(origin="défaut hash"),
}


def default_thresholds(embedder: str) -> Thresholds:
    """The documented defaults of an embedder (by its `--embedder` name), gemma's for an unknown one."""
    return DEFAULT_THRESHOLDS.get(embedder or "gemma", dataclasses.replace(DEFAULT_THRESHOLDS["gemma"],
                                                                origin=f"défaut gemma (embedder {embedder})"))


def resolve_thresholds(embedder: str, stored: dict | None) -> Thresholds:
    """The thresholds to use: the calibration stored beside the index when there is one, else the embedder's
    defaults. `stored` is what `index.thresholds.read_thresholds` returns."""
    base = default_thresholds(embedder)
    if not stored or not stored.get("values"):
        return base
    return base.with_values(stored["values"], origin=str(stored.get("origin") or "calibré"))
