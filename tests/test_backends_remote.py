"""The HTTP backends (Ollama, OpenAI-compatible) against stub servers on 127.0.0.1: what a user would notice."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from chatbot.backends import BackendError, Message, make_backend
from chatbot.settings import ChatSettings
from tests.stub_servers import Blackhole, OllamaStub, OpenAIStub, Trickle, dead_address

MESSAGES = [Message("system", "Réponds d'après la FAQ du Club Azur."),
            Message("user", "À combien s'élève le budget du Club Azur ?")]
REPLY = "Le Club Azur a engagé des dépenses de 2,45 millions d'euros en 2023."
BUDGET = 77  # a token budget no default would produce by accident
SEED = 1234  # likewise for the seed
# "A backend that cannot be reached fails within 5 s" (the default connect timeout).
UNREACHABLE_BOUND_S = 5.0


@pytest.fixture(autouse=True)
def no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only 127.0.0.1, and no Ollama/OpenAI address, key or proxy from the caller's shell."""
    for name in ("OLLAMA_HOST", "OLLAMA_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def ollama_stub() -> Iterator[OllamaStub]:
    """An Ollama stub serving qwen2.5-coder:1.5b with the scripted reply."""
    with OllamaStub(reply=REPLY) as stub:
        yield stub


@pytest.fixture
def openai_stub() -> Iterator[OpenAIStub]:
    """An OpenAI-compatible stub serving qwen2.5-coder-1.5b-instruct with the scripted reply."""
    with OpenAIStub(reply=REPLY) as stub:
        yield stub


def _ollama(url: str, **kw: object) -> object:
    return make_backend(ChatSettings(backend="ollama", ollama_host=url, **kw))  # type: ignore[arg-type]


def _openai(url: str, **kw: object) -> object:
    return make_backend(ChatSettings(backend="openai", openai_base_url=url, **kw))  # type: ignore[arg-type]


def _failure(action, *needles: str, within_s: float = UNREACHABLE_BOUND_S) -> str:
    """Run `action`, expecting a BackendError within `within_s` whose message contains every needle."""
    start = time.monotonic()
    with pytest.raises(BackendError) as info:
        action()
    elapsed = time.monotonic() - start
    message = str(info.value)
    assert elapsed < within_s, f"took {elapsed:.1f} s: {message}"
    for needle in needles:
        assert needle in message
    return message


# --- Ollama ---------------------------------------------------------------------------------------------------

def test_ollama_streams_the_reply_in_several_pieces(ollama_stub: OllamaStub) -> None:
    pieces = list(_ollama(ollama_stub.url).stream(MESSAGES, max_tokens=BUDGET))
    assert len(pieces) > 1
    assert "".join(pieces) == REPLY


def test_ollama_request_carries_model_messages_and_generation_options(ollama_stub: OllamaStub) -> None:
    _ollama(ollama_stub.url, seed=SEED).complete(MESSAGES, max_tokens=BUDGET)
    [body] = ollama_stub.chat_requests
    assert body["model"] == "qwen2.5-coder:1.5b"
    assert body["messages"] == [{"role": "system", "content": MESSAGES[0].content},
                                {"role": "user", "content": MESSAGES[1].content}]
    assert body["stream"] is True
    assert body["options"]["temperature"] == 0
    assert body["options"]["seed"] == SEED
    assert body["options"]["num_predict"] == BUDGET


def test_ollama_token_budget_shortens_the_answer(ollama_stub: OllamaStub) -> None:
    assert _ollama(ollama_stub.url).complete(MESSAGES, max_tokens=3) == "Le Club Azur"


def test_ollama_stop_sequences_end_the_answer(ollama_stub: OllamaStub) -> None:
    text = _ollama(ollama_stub.url).complete(MESSAGES, max_tokens=BUDGET, stop=["millions"])
    assert ollama_stub.chat_requests[0]["options"]["stop"] == ["millions"]
    assert "millions" not in text
    assert text.startswith("Le Club Azur a engagé")


def test_ollama_host_without_scheme_from_env_is_honoured(ollama_stub: OllamaStub, monkeypatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", ollama_stub.address)  # as people write it: 127.0.0.1:PORT
    settings = ChatSettings.from_env(backend="ollama")
    assert settings.ollama_host == ollama_stub.url
    backend = make_backend(settings)
    backend.check()
    assert backend.complete(MESSAGES, max_tokens=BUDGET) == REPLY
    assert len(ollama_stub.chat_requests) == 1


def test_ollama_host_setting_without_scheme_works(ollama_stub: OllamaStub) -> None:
    backend = _ollama(ollama_stub.address + "/")
    backend.check()
    assert backend.complete(MESSAGES, max_tokens=BUDGET) == REPLY


def test_ollama_check_passes_when_the_model_is_pulled(ollama_stub: OllamaStub) -> None:
    _ollama(ollama_stub.url).check()
    assert ollama_stub.requests_to("/api/tags", "GET")


def test_ollama_check_accepts_a_name_without_tag_as_latest() -> None:
    with OllamaStub(models=["mistral:latest"]) as stub:
        _ollama(stub.url, model="mistral").check()


def test_ollama_check_says_to_pull_a_missing_model(ollama_stub: OllamaStub) -> None:
    message = _failure(_ollama(ollama_stub.url, model="mistral:7b").check, "ollama pull mistral:7b", "'mistral:7b'")
    assert "qwen2.5-coder:1.5b" in message  # what is available instead


def test_ollama_check_rejects_a_server_that_is_not_ollama(openai_stub: OpenAIStub) -> None:
    _failure(_ollama(openai_stub.url.removesuffix("/v1")).check, "HTTP 404", "Ollama")


def test_ollama_streaming_an_unknown_model_says_to_pull_it(ollama_stub: OllamaStub) -> None:
    backend = _ollama(ollama_stub.url, model="llama3")
    _failure(lambda: backend.complete(MESSAGES, max_tokens=BUDGET), "ollama pull llama3")


def test_ollama_server_error_becomes_a_backend_error() -> None:
    with OllamaStub(fail=(500, "llama runner process has terminated")) as stub:
        _failure(lambda: _ollama(stub.url).complete(MESSAGES, max_tokens=BUDGET),
                 "llama runner process has terminated", stub.url)


def test_ollama_check_fails_fast_when_nothing_listens() -> None:
    address = dead_address()
    _failure(_ollama(f"http://{address}").check, address, "ollama serve", "--llm llamacpp")


def test_ollama_streaming_fails_fast_when_nothing_listens() -> None:
    address = dead_address()
    backend = _ollama(f"http://{address}")
    _failure(lambda: next(iter(backend.stream(MESSAGES, max_tokens=BUDGET))), address, "ollama serve",
             "--llm llamacpp")


def test_ollama_check_gives_up_on_a_silent_server_within_the_timeout() -> None:
    with Blackhole() as hole:
        _failure(_ollama(hole.url, timeout_s=1).check, hole.address, "ollama serve", "--llm llamacpp",
                 within_s=3)


def test_ollama_check_gives_up_on_a_trickling_server_within_the_timeout() -> None:
    with Trickle() as slow:
        _failure(_ollama(slow.url, timeout_s=0.5).check, slow.url, "ollama serve", within_s=2)


# --- OpenAI-compatible ----------------------------------------------------------------------------------------

def test_openai_streams_the_reply_in_several_pieces(openai_stub: OpenAIStub) -> None:
    pieces = list(_openai(openai_stub.url).stream(MESSAGES, max_tokens=BUDGET))
    assert len(pieces) > 1
    assert "".join(pieces) == REPLY


def test_openai_request_carries_model_messages_and_generation_options(openai_stub: OpenAIStub) -> None:
    _openai(openai_stub.url, seed=SEED).complete(MESSAGES, max_tokens=BUDGET)
    [body] = openai_stub.chat_requests
    assert body["model"] == "qwen2.5-coder-1.5b-instruct"
    assert [(m["role"], m["content"]) for m in body["messages"]] == [(m.role, m.content) for m in MESSAGES]
    assert body["stream"] is True
    assert body["temperature"] == 0
    assert body["seed"] == SEED
    # `max_tokens`, the field Ollama's /v1, LM Studio and llama.cpp-based servers read.
    assert body["max_tokens"] == BUDGET


def test_openai_token_budget_shortens_the_answer(openai_stub: OpenAIStub) -> None:
    assert _openai(openai_stub.url).complete(MESSAGES, max_tokens=3) == "Le Club Azur"


def test_openai_stop_sequences_end_the_answer(openai_stub: OpenAIStub) -> None:
    text = _openai(openai_stub.url).complete(MESSAGES, max_tokens=BUDGET, stop=["millions"])
    assert openai_stub.chat_requests[0]["stop"] == ["millions"]
    assert "millions" not in text


def test_openai_base_url_from_env_is_honoured(openai_stub: OpenAIStub, monkeypatch) -> None:
    monkeypatch.setenv("FAQBOT_OPENAI_BASE_URL", openai_stub.url + "/")
    settings = ChatSettings.from_env(backend="openai")
    assert settings.openai_base_url == openai_stub.url
    backend = make_backend(settings)
    backend.check()
    assert backend.complete(MESSAGES, max_tokens=BUDGET) == REPLY
    assert len(openai_stub.chat_requests) == 1


def test_openai_check_passes_against_a_live_server(openai_stub: OpenAIStub) -> None:
    _openai(openai_stub.url).check()
    assert openai_stub.requests_to("/v1/models", "GET")


def test_openai_check_flags_a_base_url_without_v1(openai_stub: OpenAIStub) -> None:
    _failure(_openai(openai_stub.url.removesuffix("/v1")).check, "HTTP 404", "FAQBOT_OPENAI_BASE_URL", "/v1")


def test_openai_api_key_is_sent_as_bearer() -> None:
    with OpenAIStub(reply=REPLY, api_key="sk-right") as stub:
        backend = _openai(stub.url, openai_api_key="sk-right")
        backend.check()
        assert backend.complete(MESSAGES, max_tokens=BUDGET) == REPLY
        assert {r.header("Authorization") for r in stub.requests} == {"Bearer sk-right"}


@pytest.mark.parametrize("key", ["sk-wrong", ""])
def test_openai_check_reports_a_refused_api_key(key: str) -> None:
    with OpenAIStub(api_key="sk-right") as stub:
        _failure(_openai(stub.url, openai_api_key=key).check, "FAQBOT_OPENAI_API_KEY", stub.url)


def test_openai_streaming_reports_a_refused_api_key() -> None:
    with OpenAIStub(api_key="sk-right") as stub:
        backend = _openai(stub.url, openai_api_key="sk-wrong")
        _failure(lambda: backend.complete(MESSAGES, max_tokens=BUDGET), "FAQBOT_OPENAI_API_KEY", stub.url)


def test_openai_streaming_an_unknown_model_names_it(openai_stub: OpenAIStub) -> None:
    backend = _openai(openai_stub.url, model="gpt-imaginary")
    _failure(lambda: backend.complete(MESSAGES, max_tokens=BUDGET), "'gpt-imaginary'", "FAQBOT_LLM_MODEL")


def test_openai_server_error_becomes_a_backend_error() -> None:
    with OpenAIStub(fail=(500, "KV cache is full")) as stub:
        _failure(lambda: _openai(stub.url).complete(MESSAGES, max_tokens=BUDGET), "KV cache is full", "500")


def test_openai_check_fails_fast_when_nothing_listens() -> None:
    url = f"http://{dead_address()}/v1"
    _failure(_openai(url).check, url, "FAQBOT_OPENAI_BASE_URL", "--llm llamacpp")


def test_openai_streaming_fails_fast_when_nothing_listens() -> None:
    url = f"http://{dead_address()}/v1"
    backend = _openai(url)
    _failure(lambda: next(iter(backend.stream(MESSAGES, max_tokens=BUDGET))), url, "FAQBOT_OPENAI_BASE_URL",
             "--llm llamacpp")


def test_openai_check_gives_up_on_a_silent_server_within_the_timeout() -> None:
    with Blackhole() as hole:
        _failure(_openai(f"{hole.url}/v1", timeout_s=0.5).check, hole.url, "FAQBOT_OPENAI_BASE_URL", within_s=2)


# --- registry -------------------------------------------------------------------------------------------------

def test_unknown_backend_name_lists_the_valid_ones() -> None:
    _failure(lambda: make_backend(ChatSettings(backend="nope")), "'nope'", "llamacpp, ollama, openai")


@pytest.mark.parametrize(("raw", "url"), [
    ("127.0.0.1:11434", "http://127.0.0.1:11434"), ("gpu-box", "http://gpu-box:11434"),
    ("0.0.0.0", "http://127.0.0.1:11434"), ("https://ollama.example.com", "https://ollama.example.com:443"),
    ("http://10.0.0.5:8000/", "http://10.0.0.5:8000"),
])
def test_ollama_host_follows_the_ollama_client_rules(raw: str, url: str) -> None:
    from chatbot.settings import ollama_host

    assert ollama_host(raw) == url
