"""Shared fixtures: an isolated environment, small FAQs, and indexes built with cheap or real embeddings."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
REAL_FAQ = REPO / "data" / "faq_groupe_sos.md"

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


def _shared_index_dir() -> Path:
    """The index `make index` built for the caller (read before any test changes FAQBOT_INDEX_DIR)."""
    from index.settings import default_index_dir

    return default_index_dir()


SHARED_INDEX = _shared_index_dir()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test gets its own index folder and no stray FAQBOT_* settings from the caller's shell."""
    for key in list(os.environ):
        # Kept: where the models are, and the precision the shared real index was built in (`make test` builds it
        # in float32 on every CPU, the gate's reference).
        if key.startswith("FAQBOT_") and key not in ("FAQBOT_MODELS_DIR", "FAQBOT_KV_CACHE_DIR", "FAQBOT_EMBED_DTYPE"):
            monkeypatch.delenv(key, raising=False)
    for key in ("OLLAMA_HOST", "OPENAI_API_KEY", "OPENAI_BASE_URL", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("FAQBOT_INDEX_DIR", str(tmp_path / "index"))


@pytest.fixture
def mini_faq(tmp_path: Path) -> Path:
    """A writable copy of the three-question Markdown fixture."""
    target = tmp_path / "mini_faq.md"
    shutil.copy(FIXTURES / "mini_faq.md", target)
    return target


@pytest.fixture
def plain_faq() -> Path:
    """A plain-text FAQ without Markdown headings."""
    return FIXTURES / "plain_faq.txt"


@pytest.fixture(scope="session")
def gemma_index(tmp_path_factory: pytest.TempPathFactory):
    """The real FAQ indexed with the real EmbeddingGemma model: the index `make index` built (`make test`
    builds it first; tests only read it), else one built for this session."""
    from index import IndexSettings, build, check_index, make_embedder
    from ingest import IngestSettings
    from ingest.errors import FaqbotError

    ing = IngestSettings(faq_path=REAL_FAQ)
    idx = IndexSettings.from_env(index_dir=SHARED_INDEX, embedder="gemma")
    try:
        check_index(ing, idx)
        embedder = make_embedder("gemma", idx.models_dir)
    except FaqbotError:  # missing or stale: build one for this session, leave the caller's alone
        idx = IndexSettings.from_env(index_dir=tmp_path_factory.mktemp("gemma") / "index", embedder="gemma")
        embedder = make_embedder("gemma", idx.models_dir)
        build(ing, idx, embedder=embedder)
    return ing, idx, embedder


@pytest.fixture(scope="session")
def gemma_retriever(gemma_index):
    """A retriever over the real index, sharing the loaded embedding model."""
    from index import load_retriever

    ing, idx, embedder = gemma_index
    return load_retriever(ing, idx, embedder=embedder)


@pytest.fixture(scope="session")
def session_kv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of saved llama.cpp prompt states for the whole session: a FAQ section's prompt computed by
    one real-model test (or by the browser test's server) is restored by the next instead of recomputed."""
    return tmp_path_factory.mktemp("kv")


@pytest.fixture(scope="session")
def real_bot(gemma_retriever, session_kv):
    """The real pipeline: EmbeddingGemma retrieval and Qwen2.5-Coder-1.5B through llama.cpp (loaded once)."""
    from chatbot import Chatbot, ChatSettings, make_backend

    kv = session_kv
    previous = os.environ.get("FAQBOT_KV_CACHE_DIR")
    os.environ["FAQBOT_KV_CACHE_DIR"] = str(kv)
    settings = ChatSettings(backend="llamacpp")
    bot = Chatbot(gemma_retriever, make_backend(settings), settings)
    bot.llm.chat_model()  # load now, while the KV cache folder points at the session's own
    yield bot
    bot.llm.close()
    if previous is None:
        os.environ.pop("FAQBOT_KV_CACHE_DIR", None)
    else:
        os.environ["FAQBOT_KV_CACHE_DIR"] = previous
