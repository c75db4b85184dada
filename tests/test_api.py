"""`faqbot serve` over HTTP: a real uvicorn server on 127.0.0.1, driven with httpx and the official openai client,
the scripted LLM behind it (tests/fakes.py)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from chatbot import Chatbot, ChatSettings
from chatbot.queue import QueueSettings
from index import IndexSettings, build, load_retriever
from ingest import IngestSettings
from tests.conftest import REAL_FAQ
from tests.fakes import ScriptedLLM, default_script, question_of
from tests.serve_helpers import running_app
from ui.api_app import create_app
from ui.api_service import Service
from ui.api_settings import ServeSettings
from ui.loadtest import sse_events

BUDGET = "Quel est le budget du Groupe SOS ?"


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    """The real FAQ indexed with hashed embeddings (read-only, shared by the module)."""
    ing = IngestSettings(faq_path=REAL_FAQ)
    idx = IndexSettings.from_env(index_dir=tmp_path_factory.mktemp("api") / "idx", embedder="hash")
    build(ing, idx)
    return load_retriever(ing, idx)


def make_service(retriever, llm=None, **settings) -> Service:
    queue = settings.pop("queue", QueueSettings())
    chat = ChatSettings(backend="scripted")
    return Service(Chatbot(retriever, llm or ScriptedLLM(), chat),
                   ServeSettings(queue=queue, warm_up=False, **settings))


@pytest.fixture
def server(retriever) -> Iterator[tuple[str, Service]]:
    service = make_service(retriever)
    with running_app(create_app(service)) as url:
        yield url, service


def http(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=30, trust_env=False)


def stream_events(client: httpx.Client, path: str, body: dict, headers: dict | None = None) -> list[tuple[str, dict]]:
    """The (event, JSON data) pairs of a streamed request."""
    import asyncio

    async def collect() -> list[tuple[str, dict]]:
        async with httpx.AsyncClient(base_url=str(client.base_url), timeout=30, trust_env=False) as aclient, \
                aclient.stream("POST", path, json=body, headers=headers or {}) as response:
            assert response.status_code == 200, await response.aread()
            assert response.headers["content-type"].startswith("text/event-stream")
            return [(e, json.loads(d)) async for e, d in sse_events(response)]

    return asyncio.run(collect())


# --- /v1/ask -------------------------------------------------------------------------------------------------------


def test_ask_returns_the_ask_json_object(server) -> None:
    url, _ = server
    with http(url) as client:
        data = client.post("/v1/ask", json={"question": BUDGET}).json()
    assert data["question"] == BUDGET and data["abstained"] is False
    assert "1,367 milliard" in data["answer"] and data["sources"][0]["section"] == 4
    assert data["backend"] == "scripted" and data["timings_ms"]["total"] >= 0 and "verification" in data


def test_ask_streams_events_in_the_order_the_ui_uses(server) -> None:
    url, _ = server
    with http(url) as client:
        events = stream_events(client, "/v1/ask", {"question": BUDGET, "stream": True})
    names = [e for e, _ in events]
    assert names[0] == "sources" and names[-1] == "done" and "token" in names
    assert names.index("sources") < names.index("token")
    streamed = "".join(d["text"] for e, d in events if e == "token")
    done = events[-1][1]
    assert streamed == done["answer"] and "1,367 milliard" in streamed
    assert events[0][1]["sources"][0]["section"] == 4


def test_a_follow_up_gets_its_history_and_the_rewritten_event(retriever) -> None:
    def script(system: str, user: str) -> str:
        if "reformules" in system:
            return "Quel est le budget du Groupe SOS en 2022 ?"
        return default_script(system, user)

    llm = ScriptedLLM(script=script)
    service = make_service(retriever, llm)
    history = [{"role": "user", "content": BUDGET}, {"role": "assistant", "content": "1,367 milliard [1]."}]
    with running_app(create_app(service)) as url, http(url) as client:
        events = stream_events(client, "/v1/ask", {"question": "Et en 2022 ?", "history": history, "stream": True})
    assert events[0] == ("rewritten", {"question": "Quel est le budget du Groupe SOS en 2022 ?"})
    assert BUDGET in llm.calls[0]["user"]  # the rewrite prompt saw the earlier turn


# --- OpenAI-compatible ----------------------------------------------------------------------------------------------


def openai_client(url: str, key: str = "none") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, http_client=httpx.Client(trust_env=False), max_retries=0)


def test_openai_client_lists_faqbot_and_gets_a_sourced_completion(server) -> None:
    url, _ = server
    client = openai_client(url)
    assert [m.id for m in client.models.list()] == ["faqbot"]
    completion = client.chat.completions.create(model="faqbot", messages=[
        {"role": "system", "content": "You are a pirate."}, {"role": "user", "content": BUDGET}])
    content = completion.choices[0].message.content
    assert "1,367 milliard" in content and completion.choices[0].finish_reason == "stop"
    assert "**Sources**" in content and "[1] Question 4 — Quel est le budget du Groupe SOS ?" in content
    extension = completion.model_extra["faqbot"]
    assert extension["sources"][0]["section"] == 4 and extension["answer"] in content


def test_openai_client_streams_the_answer_then_the_sources(server) -> None:
    url, _ = server
    stream = openai_client(url).chat.completions.create(
        model="faqbot", messages=[{"role": "user", "content": BUDGET}], stream=True)
    chunks = list(stream)
    content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert content.index("1,367 milliard") < content.index("**Sources**") and "Question 4" in content
    assert len({c.id for c in chunks}) == 1
    final = chunks[-1]
    assert final.choices[0].finish_reason == "stop" and final.model_extra["faqbot"]["sources"][0]["section"] == 4
    early = [c.model_extra["faqbot"] for c in chunks if c.model_extra.get("faqbot") and "sources" in
             c.model_extra["faqbot"] and not c.choices[0].finish_reason]
    assert early and early[0]["sources"][0]["section"] == 4  # the sources arrive before the text too


def test_earlier_turns_are_the_history_without_their_footer(retriever) -> None:
    llm = ScriptedLLM(script=lambda s, u: question_of(u) if "reformules" in s else default_script(s, u))
    service = make_service(retriever, llm)
    with running_app(create_app(service)) as url:
        client = openai_client(url)
        first = client.chat.completions.create(model="faqbot", messages=[{"role": "user", "content": BUDGET}])
        previous = first.choices[0].message.content
        client.chat.completions.create(model="faqbot", messages=[
            {"role": "user", "content": BUDGET}, {"role": "assistant", "content": previous},
            {"role": "user", "content": "Et en 2021 ?"}])
    rewrite = next(c for c in llm.calls if "reformules" in c["system"])
    assert BUDGET in rewrite["user"] and "1,367 milliard" in rewrite["user"] and "**Sources**" not in rewrite["user"]


def test_an_unknown_model_and_a_missing_question_are_openai_errors(server) -> None:
    url, _ = server
    client = openai_client(url)
    with pytest.raises(openai.NotFoundError, match="faqbot"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": BUDGET}])
    with pytest.raises(openai.BadRequestError, match="last message must be the user's question"):
        client.chat.completions.create(model="faqbot", messages=[{"role": "assistant", "content": "Bonjour"}])


# --- limits, errors, auth ----------------------------------------------------------------------------------------


def test_bad_input_gets_the_command_line_message_as_json(server) -> None:
    url, _ = server
    with http(url) as client:
        empty = client.post("/v1/ask", json={"question": "   "})
        missing = client.post("/v1/ask", json={"history": []})
        wrong_length = client.post("/v1/ask", json={"question": BUDGET, "length": "long"})
        too_long_history = client.post("/v1/ask", json={
            "question": BUDGET, "history": [{"role": "user", "content": "x"}] * 51})
        huge = client.post("/v1/ask", content=json.dumps({"question": "budget " * 60_000}),
                           headers={"content-type": "application/json"})
        truncated = client.post("/v1/ask", json={"question": "budget " * 1000})
    assert empty.status_code == 400 and "question is empty" in empty.json()["error"]["message"]
    assert missing.status_code == 400 and "question" in missing.json()["error"]["message"]
    assert wrong_length.status_code == 400 and "length" in wrong_length.json()["error"]["message"]
    assert too_long_history.status_code == 400 and "new conversation" in too_long_history.json()["error"]["message"]
    assert huge.status_code == 413 and "KiB" in huge.json()["error"]["message"]
    assert truncated.status_code == 200 and "tronquée" in truncated.json()["notice"]


def test_the_api_token_is_required_when_set(retriever) -> None:
    service = make_service(retriever, api_token="s3cret")
    with running_app(create_app(service)) as url, http(url) as client:
        refused = client.post("/v1/ask", json={"question": BUDGET})
        wrong = client.get("/v1/models", headers={"Authorization": "Bearer nope"})
        metrics = client.get("/metrics")
        health = client.get("/healthz")
        with pytest.raises(openai.AuthenticationError):
            openai_client(url, "nope").models.list()
        completion = openai_client(url, "s3cret").chat.completions.create(
            model="faqbot", messages=[{"role": "user", "content": BUDGET}])
    assert refused.status_code == 401 and "FAQBOT_API_TOKEN" in refused.json()["error"]["message"]
    assert refused.headers["www-authenticate"] == "Bearer"
    assert wrong.status_code == 401 and metrics.status_code == 401 and health.status_code == 200
    assert "1,367" in completion.choices[0].message.content


def test_a_client_over_its_rate_limit_is_told_when_to_come_back(retriever) -> None:
    service = make_service(retriever, rate_limit=2, rate_burst=2)
    with running_app(create_app(service)) as url, http(url) as client:
        codes = [client.post("/v1/ask", json={"question": BUDGET}).status_code for _ in range(2)]
        limited = client.post("/v1/ask", json={"question": BUDGET})
    assert codes == [200, 200] and limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1 and "too many requests" in limited.json()["error"]["message"]


class FailingMidStream(ScriptedLLM):
    """A backend whose connection drops after the first words."""

    def __init__(self, settings=None, error: Exception | None = None) -> None:
        super().__init__(settings)
        self.error = error or ConnectionResetError("connection reset by peer")

    def stream(self, messages, **kwargs):
        yield "En 2022,"
        try:
            raise self.error
        except Exception as exc:
            raise self.explain(exc) from exc


class Buggy(ScriptedLLM):
    def stream(self, messages, **kwargs):
        raise KeyError("a bug")
        yield ""  # pragma: no cover


def test_a_backend_failure_is_a_clear_error_and_a_bug_a_short_one_logged_in_full(retriever, caplog) -> None:
    with running_app(create_app(make_service(retriever, FailingMidStream()))) as url, http(url) as client:
        plain = client.post("/v1/ask", json={"question": BUDGET})
        events = stream_events(client, "/v1/ask", {"question": BUDGET, "stream": True})
    assert plain.status_code == 502 and "the scripted backend failed" in plain.json()["error"]["message"]
    assert events[-1][0] == "error" and "connection reset" in events[-1][1]["error"]["message"]
    with caplog.at_level(logging.ERROR, logger="faqbot.serve"), \
            running_app(create_app(make_service(retriever, Buggy()))) as url, http(url) as client:
        bug = client.post("/v1/ask", json={"question": BUDGET})
    assert bug.status_code == 500 and bug.json()["error"]["message"] == "internal error: the server log has the details"
    record = next(r for r in caplog.records if r.name == "faqbot.serve" and r.levelno >= logging.ERROR)
    assert record.exc_info[0] is KeyError and "KeyError" in caplog.text


# --- the queue -------------------------------------------------------------------------------------------------


class Gated(ScriptedLLM):
    """Holds every answer until the test opens the gate."""

    def __init__(self, settings=None) -> None:
        self.gate = threading.Event()
        self.entered = threading.Event()

        def script(system: str, user: str) -> str:
            self.entered.set()
            self.gate.wait(30)
            return default_script(system, user)

        super().__init__(settings, script=script)


def test_a_full_queue_answers_503_with_retry_after_and_a_waiting_client_learns_its_place(retriever) -> None:
    llm = Gated()
    service = make_service(retriever, llm, queue=QueueSettings(max_parallel=1, max_waiting=1))
    results: dict[str, object] = {}
    with running_app(create_app(service)) as url, http(url) as client:
        busy = threading.Thread(target=lambda: results.update(first=client.post("/v1/ask", json={"question": BUDGET})))
        busy.start()
        assert llm.entered.wait(10)
        waiting = threading.Thread(target=lambda: results.update(second=stream_events(
            client, "/v1/ask", {"question": BUDGET, "stream": True})))
        waiting.start()
        deadline = time.monotonic() + 10
        while service.queue.waiting < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        full = client.post("/v1/ask", json={"question": BUDGET})
        health = client.get("/healthz").json()
        llm.gate.set()
        busy.join(30)
        waiting.join(30)
    assert full.status_code == 503 and int(full.headers["retry-after"]) >= 1
    assert "waiting" in full.json()["error"]["message"]
    assert health["queue"] == {"slots": 1, "running": 1, "waiting": 1, "max_waiting": 1}
    assert results["first"].status_code == 200
    second = results["second"]
    assert second[0] == ("queue", {"position": 1}) and second[-1][0] == "done"
    assert "1,367" in second[-1][1]["answer"]


# --- health, metrics, docs ------------------------------------------------------------------------------------


def test_health_metrics_and_docs(server) -> None:
    url, _ = server
    with http(url) as client:
        client.post("/v1/ask", json={"question": BUDGET})
        client.post("/v1/ask", json={"question": "Quelle est la capitale du Japon ?"})
        client.post("/v1/ask", json={"question": ""})
        health = client.get("/healthz").json()
        metrics = client.get("/metrics").text
        docs = client.get("/docs")
        spec = client.get("/openapi.json").json()
    assert health["status"] == "ok" and health["models_loaded"] is True and health["backend"] == "scripted"
    assert len(health["index"]["faq_sha256"]) == 64 and health["index"]["chunks"] > 10
    assert 'faqbot_http_requests_total{endpoint="/v1/ask",status="200"} 2.0' in metrics
    assert 'faqbot_http_requests_total{endpoint="/v1/ask",status="400"} 1.0' in metrics
    assert 'faqbot_request_duration_seconds_bucket{endpoint="/v1/ask",le="+Inf"} 2.0' in metrics
    assert "faqbot_abstentions_total{reason=" in metrics and "faqbot_queue_length 0.0" in metrics
    assert "faqbot_verification_failures_total" in metrics or "faqbot_verification_failures" in metrics
    assert docs.status_code == 200 and "/v1/ask" in spec["paths"] and "/v1/chat/completions" in spec["paths"]


def test_verification_failures_are_counted(retriever) -> None:
    def script(system: str, user: str) -> str:
        if "budget" in question_of(user).lower():
            return "Le budget du Groupe SOS est de 10 milliards d'euros [1]."  # not in the passages
        return "HORS_FAQ"

    with running_app(create_app(make_service(retriever, ScriptedLLM(script=script)))) as url, http(url) as client:
        answer = client.post("/v1/ask", json={"question": BUDGET}).json()
        metrics = client.get("/metrics").text
    assert answer["verification"]["attempts"] > 1
    assert "faqbot_verification_failures_total{outcome=" in metrics


def test_the_serve_command_refuses_a_missing_index(tmp_path: Path, capsys) -> None:
    from ui.cli import main

    code = main(["serve", "--index-dir", str(tmp_path / "nothing"), "--embedder", "hash", "--faq", str(REAL_FAQ),
                 "--llm", "tests.fakes:ScriptedLLM", "--port", "1"])
    assert code == 1 and "run `faqbot index`" in capsys.readouterr().err


class Warmable(ScriptedLLM):
    """A backend that keeps prompt states, as llama.cpp does: counts the prefixes it is asked to prepare."""

    def __init__(self, settings=None) -> None:
        super().__init__(settings)
        self.warmed: list[str] = []

    def warm(self, messages, reuse_prefix: str) -> bool:
        self.warmed.append(messages[-1].content[:40])
        return True


def test_start_up_warms_the_prompt_states_in_the_background(retriever) -> None:
    llm = Warmable()
    service = Service(Chatbot(retriever, llm, ChatSettings(backend="scripted")),
                      ServeSettings(queue=QueueSettings(), warm_up=True))
    with running_app(create_app(service)) as url, http(url) as client:
        deadline = time.monotonic() + 30
        while client.get("/healthz").json()["warm_up"]["state"] == "running" and time.monotonic() < deadline:
            time.sleep(0.05)
        warm = client.get("/healthz").json()["warm_up"]
        answer = client.post("/v1/ask", json={"question": BUDGET}).json()
    assert warm["state"] == "done" and warm["computed"] == len(llm.warmed) > 0
    assert "1,367" in answer["answer"]
