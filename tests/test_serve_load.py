"""Many users at once against real `faqbot serve` processes: 32 concurrent clients, every answer its own; two
replicas sharing one read-only index folder and one OpenAI-compatible LLM server (the stub)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

import httpx
import pytest

from index import IndexSettings, build
from ingest import IngestSettings
from tests.conftest import REAL_FAQ
from tests.fakes import CopyingLLM, copying_script
from tests.serve_helpers import running_serve
from tests.stub_servers import OpenAIStub
from ui.cli import main
from ui.loadtest import run_load

PIECE_DELAY_S = 0.01  # slow enough that answers overlap, fast enough for the unit suite


class SlowCopyingLLM(CopyingLLM):
    """The copying script, streamed a word every 10 ms, so that concurrent answers interleave."""

    def stream(self, messages, **kwargs):
        for piece in super().stream(messages, **kwargs):
            time.sleep(PIECE_DELAY_S)
            yield piece


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory) -> Path:
    """The real FAQ indexed with hashed embeddings: one folder every server of the module reads."""
    idx = IndexSettings.from_env(index_dir=tmp_path_factory.mktemp("serve") / "index", embedder="hash")
    build(IngestSettings(faq_path=REAL_FAQ), idx)
    return idx.index_dir


def index_flags(index_dir: Path) -> list[str]:
    return ["--index-dir", str(index_dir), "--embedder", "hash", "--faq", str(REAL_FAQ), "--no-warm-up"]


def test_32_concurrent_clients_get_their_own_answers(shared_index: Path, tmp_path: Path, capsys) -> None:
    flags = [*index_flags(shared_index), "--llm", "tests.test_serve_load:SlowCopyingLLM", "--max-parallel", "4",
             "--queue-size", "32", "--rate-limit", "0"]
    with running_serve(*flags, log=tmp_path / "serve.log") as url:
        code = main(["loadtest", "--url", url, "--clients", "32", "--requests", "2", "--check-serial", "--json"])
        report = json.loads(capsys.readouterr().out)
        chat = run_load(url, clients=32, requests=1, endpoint="chat")
        metrics = httpx.get(f"{url}/metrics", trust_env=False).text
    assert code == 0, report["problems"]
    assert report["requests"] == 64 and report["ok"] == 64 and report["errors"] == 0 and report["mixed"] == 0
    assert report["distinct_questions"] >= 32 and report["waited_in_queue"] > 0
    assert report["latency_s"]["p95"] >= report["latency_s"]["p50"] > 0 and report["throughput_per_s"] > 0
    assert chat["ok"] == 32 and chat["errors"] == 0 and chat["mixed"] == 0, chat["problems"]
    assert 'faqbot_http_requests_total{endpoint="/v1/ask",status="200"}' in metrics


@pytest.mark.parametrize(("events", "problem"), [
    ([("sources", {"sources": []}), ("token", {"text": "Réponse A"}),
      ("done", {"question": "Question B ?", "answer": "Réponse A"})], "another question"),
    ([("sources", {"sources": []}), ("token", {"text": "Réponse "}),
      ("done", {"question": "Question A ?", "answer": "Réponse B"})], "do not make the final answer"),
    ([("token", {"text": "Réponse A"}), ("sources", {"sources": []}),
      ("done", {"question": "Question A ?", "answer": "Réponse A"})], "out of order"),
])
def test_the_load_test_catches_an_answer_that_is_not_its_own(events, problem: str) -> None:
    import asyncio

    from ui.loadtest import ask_native

    body = "".join(f"event: {e}\ndata: {json.dumps(d)}\n\n" for e, d in events).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(
        200, content=body, headers={"content-type": "text/event-stream"}))

    async def one() -> str | None:
        async with httpx.AsyncClient(transport=transport, base_url="http://faqbot") as client:
            return (await ask_native(client, "Question A ?", {})).mixed

    assert problem in (asyncio.run(one()) or "")


def snapshot(folder: Path) -> dict[str, tuple[int, float, str]]:
    """Every file of a folder: size, modification time, SHA-256."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.iterdir())}


def test_two_replicas_share_one_index_and_one_llm_server(shared_index: Path, tmp_path: Path) -> None:
    in_flight = {"now": 0, "most": 0}
    lock = threading.Lock()

    def copy_passage(body: dict) -> str:
        """The copying script, counting how many requests it serves at once: each waits (1 s at most) for more
        than one replica's worth of company, so that a slow machine cannot hide the overlap."""
        with lock:
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])
        deadline = time.monotonic() + 1.0
        while in_flight["most"] <= 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        with lock:
            in_flight["now"] -= 1
        messages = body["messages"]
        return copying_script(str(messages[0]["content"]), str(messages[-1]["content"]))

    before = snapshot(shared_index)
    with OpenAIStub(responder=copy_passage, piece_delay_s=PIECE_DELAY_S) as llm_server:
        env = {"FAQBOT_OPENAI_BASE_URL": llm_server.url}
        flags = [*index_flags(shared_index), "--llm", "openai", "--max-parallel", "4", "--rate-limit", "0"]
        with running_serve(*flags, env=env, log=tmp_path / "a.log") as first, \
                running_serve(*flags, env=env, log=tmp_path / "b.log") as second:
            health = [httpx.get(f"{u}/healthz", trust_env=False).json() for u in (first, second)]
            reports: dict[str, dict] = {}

            def drive(name: str, url: str) -> None:
                reports[name] = run_load(url, clients=8, requests=2)

            threads = [threading.Thread(target=drive, args=(n, u)) for n, u in (("a", first), ("b", second))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(300)
            # The same conversation, its first turn answered by one replica, its follow-up by the other.
            history = [{"role": "user", "content": "Quel est le budget du Groupe SOS ?"}]
            history.append({"role": "assistant", "content": httpx.post(
                f"{first}/v1/ask", json={"question": history[0]["content"]}, trust_env=False, timeout=30
            ).json()["answer"]})
            follow_up = httpx.post(f"{second}/v1/ask", json={"question": "Et qui le préside ?", "history": history},
                                   trust_env=False, timeout=30)
        served = llm_server.chat_requests
    for name in ("a", "b"):
        assert reports[name]["ok"] == 16 and reports[name]["errors"] == 0 and reports[name]["mixed"] == 0, \
            reports[name]["problems"]
    # Each replica generates at most 4 answers at once: more than 4 at the LLM server means both were at work.
    assert in_flight["most"] > 4, in_flight
    assert health[0]["index"] == health[1]["index"] and health[0]["backend"] == "openai"
    assert served and all(body["model"] == "qwen2.5-coder-1.5b-instruct" for body in served)
    assert follow_up.status_code == 200 and follow_up.json().get("standalone_question")
    assert snapshot(shared_index) == before  # read only: nothing written, nothing touched
