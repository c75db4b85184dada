"""Stub LLM servers on 127.0.0.1 speaking the Ollama and OpenAI wire protocols, for offline tests.

Usage::

    with OllamaStub(reply="Le budget est de 2,45 millions d'euros.") as stub:
        settings = ChatSettings(backend="ollama", ollama_host=stub.url)
        ...
        body = stub.chat_requests[-1]  # the JSON the client posted to /api/chat

Both stubs stream the scripted reply in several pieces (one piece per word by default), honour the
token budget (one piece counts as one token) and stop sequences the way the real servers do, and answer
errors with the real servers' status codes and JSON shapes. Only the standard library is used.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

HOST = "127.0.0.1"
DEFAULT_REPLY = "Le Club Azur a engagé des dépenses de 2,45 millions d'euros en 2023."


def split_reply(text: str) -> list[str]:
    """Split `text` into word pieces (each keeps its leading whitespace) whose concatenation is `text`."""
    return [piece for piece in re.split(r"(?<=\S)(?=\s)", text) if piece]


def _now_iso() -> str:
    """The current UTC time the way Ollama writes `created_at`."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000000Z", time.gmtime())


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the stub received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        """A request header, case-insensitively."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class Reply:
    """What a stub answers: a JSON body, or a stream of byte chunks sent with chunked transfer encoding."""

    status: int = 200
    body: Any = None
    stream: Iterable[bytes] | None = None
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the owning stub and writes its Reply."""

    protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, like the real servers
    disable_nagle_algorithm = True  # small pieces go out at once, not 40 ms later
    server: _Server
    timeout = 10  # drop idle keep-alive connections so that threads end

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = RecordedRequest(self.command, self.path, dict(self.headers.items()), body)
        stub = self.server.stub
        stub._record(request)
        try:
            reply = stub.handle(request)
        except Exception as exc:  # a bug in a stub must show up as a 500, not as a hung client
            reply = Reply(500, {"error": f"stub failure: {type(exc).__name__}: {exc}"})
        self._write(reply)

    def _write(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.stream is None:
            data = b"" if reply.body is None else (
                reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode())
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for chunk in reply.stream:
                self.wfile.write(f"{len(chunk):X}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: fine
            self.close_connection = True

    do_GET = do_POST = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, stub: StubServer) -> None:
        self.stub = stub
        super().__init__((HOST, 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hangs up (tests do that on purpose); report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class StubServer:
    """An HTTP server on 127.0.0.1 (ephemeral port) in a background thread that records what it receives."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def handle(self, request: RecordedRequest) -> Reply:
        """Answer one request (subclasses speak a protocol)."""
        return Reply(404, {"error": "not found"})

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def start(self) -> Self:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                                        name=f"{type(self).__name__}-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the stub listens on."""
        if self._server is None:
            raise RuntimeError("the stub server is not started")
        return int(self._server.server_address[1])

    @property
    def address(self) -> str:
        """`127.0.0.1:PORT`, without a scheme (as people write OLLAMA_HOST)."""
        return f"{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """The root URL clients should be given."""
        return f"http://{self.address}"

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """The recorded requests whose path (query string ignored) is `path`."""
        with self._lock:
            return [r for r in self.requests
                    if r.path.split("?")[0] == path and (method is None or r.method == method)]


def _truncate(pieces: list[str], stop: Sequence[str], limit: Any) -> tuple[list[str], str]:
    """The pieces a server would send given stop sequences and a token budget, and why it stopped."""
    if stop:
        text = "".join(pieces)
        cut = min((i for i in (text.find(s) for s in stop if s) if i >= 0), default=-1)
        if cut >= 0:
            kept: list[str] = []
            for piece in pieces:
                room = cut - sum(map(len, kept))
                if room <= 0:
                    break
                kept.append(piece[:room])
            pieces = kept
    if isinstance(limit, int) and not isinstance(limit, bool) and 0 < limit < len(pieces):
        return pieces[:limit], "length"
    return pieces, "stop"


class OllamaStub(StubServer):
    """A stub `ollama serve`: GET /api/tags, /api/version, POST /api/chat (NDJSON stream or one JSON)."""

    def __init__(self, reply: str | Sequence[str] = DEFAULT_REPLY, *,
                 models: Sequence[str] = ("qwen2.5-coder:1.5b",), piece_delay_s: float = 0.0,
                 fail: tuple[int, str] | None = None) -> None:
        """`reply` is a string (split into word pieces) or the exact pieces; `fail` = (status, error text)."""
        super().__init__()
        self.pieces = split_reply(reply) if isinstance(reply, str) else list(reply)
        self.models = list(models)
        self.piece_delay_s = piece_delay_s
        self.fail = fail

    @property
    def reply(self) -> str:
        """The whole scripted reply."""
        return "".join(self.pieces)

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies posted to /api/chat, oldest first."""
        return [r.json() for r in self.requests_to("/api/chat", "POST")]

    def _resolve(self, name: str) -> str | None:
        """The listed model `name` refers to (Ollama adds the tag `:latest` when none is given)."""
        wanted = name if ":" in name else f"{name}:latest"
        return next((m for m in self.models if m in (name, wanted)), None)

    def _tag(self, name: str) -> dict[str, Any]:
        return {"name": name, "model": name, "modified_at": "2025-01-01T00:00:00.000000000Z",
                "size": 986061892, "digest": "0" * 64,
                "details": {"parent_model": "", "format": "gguf", "family": "qwen2", "families": ["qwen2"],
                            "parameter_size": "1.5B", "quantization_level": "Q4_K_M"}}

    def handle(self, request: RecordedRequest) -> Reply:
        path = request.path.split("?")[0]
        if request.method in ("GET", "HEAD") and path == "/":
            return Reply(200, b"Ollama is running", content_type="text/plain; charset=utf-8")
        if request.method == "GET" and path == "/api/tags":
            return Reply(200, {"models": [self._tag(m) for m in self.models]})
        if request.method == "GET" and path == "/api/version":
            return Reply(200, {"version": "0.12.0"})
        if request.method == "POST" and path == "/api/chat":
            return self._chat(request.json() or {})
        return Reply(404, b"404 page not found", content_type="text/plain")

    def _chat(self, body: dict[str, Any]) -> Reply:
        if self.fail is not None:
            return Reply(self.fail[0], {"error": self.fail[1]})
        name = str(body.get("model", ""))
        if not name:
            return Reply(400, {"error": "model is required"})
        model = self._resolve(name)
        if model is None:
            return Reply(404, {"error": f"model '{name}' not found"})
        options = body.get("options") or {}
        stop = options.get("stop") or []
        pieces, reason = _truncate(self.pieces, [stop] if isinstance(stop, str) else stop,
                                   options.get("num_predict"))
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        final = {"model": model, "created_at": _now_iso(), "message": {"role": "assistant", "content": ""},
                 "done_reason": reason, "done": True, "total_duration": 1_200_000_000,
                 "load_duration": 50_000_000, "prompt_eval_count": prompt_tokens,
                 "prompt_eval_duration": 300_000_000, "eval_count": len(pieces),
                 "eval_duration": 800_000_000}
        if body.get("stream", True) is False:  # Ollama streams unless told not to
            final["message"]["content"] = "".join(pieces)
            return Reply(200, final)

        def lines() -> Iterator[bytes]:
            for piece in pieces:
                if self.piece_delay_s:
                    time.sleep(self.piece_delay_s)
                yield json.dumps({"model": model, "created_at": _now_iso(),
                                  "message": {"role": "assistant", "content": piece}, "done": False}).encode() + b"\n"
            yield json.dumps(final).encode() + b"\n"

        return Reply(200, stream=lines(), content_type="application/x-ndjson")


def _openai_error(message: str, kind: str, code: str | None, param: str | None = None) -> dict[str, Any]:
    """OpenAI's error body."""
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


class OpenAIStub(StubServer):
    """A stub OpenAI-compatible server: GET /v1/models, POST /v1/chat/completions (SSE stream or one JSON).

    Like Ollama's /v1, LM Studio and llama-cpp-python's server, it honours `max_tokens` (not the newer
    `max_completion_tokens`) as the token budget.
    """

    def __init__(self, reply: str | Sequence[str] = DEFAULT_REPLY, *,
                 models: Sequence[str] = ("qwen2.5-coder-1.5b-instruct",), api_key: str | None = None,
                 piece_delay_s: float = 0.0, fail: tuple[int, str] | None = None,
                 responder: Callable[[dict[str, Any]], str] | None = None) -> None:
        """`api_key` set: requests must carry `Authorization: Bearer <api_key>`; `fail` = (status, message);
        `responder`: the reply is computed from each request's JSON body instead of being fixed."""
        super().__init__()
        self.pieces = split_reply(reply) if isinstance(reply, str) else list(reply)
        self.responder = responder
        self.models = list(models)
        self.api_key = api_key
        self.piece_delay_s = piece_delay_s
        self.fail = fail
        self._ids = 0

    @property
    def reply(self) -> str:
        """The whole scripted reply."""
        return "".join(self.pieces)

    @property
    def url(self) -> str:
        """The API root clients should be given (ends with /v1)."""
        return f"http://{self.address}/v1"

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies posted to /v1/chat/completions, oldest first."""
        return [r.json() for r in self.requests_to("/v1/chat/completions", "POST")]

    def _unauthorized(self, request: RecordedRequest) -> Reply | None:
        if self.api_key is None:
            return None
        given = request.header("Authorization") or ""
        if given == f"Bearer {self.api_key}":
            return None
        if not given.startswith("Bearer ") or not given[7:].strip():
            message = ("You didn't provide an API key. You need to provide your API key in an Authorization "
                       "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
            return Reply(401, _openai_error(message, "invalid_request_error", None))
        key = given[7:].strip()
        shown = f"{key[:3]}*****{key[-4:]}" if len(key) > 8 else key
        return Reply(401, _openai_error(f"Incorrect API key provided: {shown}. You can find your API key at "
                                        "https://platform.openai.com/account/api-keys.",
                                        "invalid_request_error", "invalid_api_key"))

    def handle(self, request: RecordedRequest) -> Reply:
        path = request.path.split("?")[0]
        if path.startswith("/v1/") and (refusal := self._unauthorized(request)) is not None:
            return refusal
        if request.method == "GET" and path == "/v1/models":
            return Reply(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 1735689600, "owned_by": "faqbot-stub"} for m in self.models]})
        if request.method == "POST" and path == "/v1/chat/completions":
            return self._chat(request.json() or {})
        return Reply(404, _openai_error(f"Invalid URL ({request.method} {path})", "invalid_request_error", None))

    def _chat(self, body: dict[str, Any]) -> Reply:
        if self.fail is not None:
            return Reply(self.fail[0], _openai_error(self.fail[1], "server_error", None))
        model = str(body.get("model", ""))
        if model not in self.models:
            return Reply(404, _openai_error(f"The model `{model}` does not exist or you do not have access to it.",
                                            "invalid_request_error", "model_not_found"))
        stop = body.get("stop") or []
        scripted = split_reply(self.responder(body)) if self.responder else self.pieces
        pieces, reason = _truncate(scripted, [stop] if isinstance(stop, str) else stop, body.get("max_tokens"))
        with self._lock:
            self._ids += 1
            number = self._ids
        head = {"id": f"chatcmpl-stub{number}", "created": int(time.time()), "model": model,
                "system_fingerprint": "fp_stub"}
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(pieces),
                 "total_tokens": prompt_tokens + len(pieces)}
        if not body.get("stream"):
            return Reply(200, {**head, "object": "chat.completion", "choices": [
                {"index": 0, "message": {"role": "assistant", "content": "".join(pieces), "refusal": None},
                 "logprobs": None, "finish_reason": reason}], "usage": usage})
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

        def chunk(delta: dict[str, Any], finish: str | None) -> bytes:
            data = {**head, "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
            if include_usage:
                data["usage"] = None
            return b"data: " + json.dumps(data).encode() + b"\n\n"

        def events() -> Iterator[bytes]:
            yield chunk({"role": "assistant", "content": "", "refusal": None}, None)
            for piece in pieces:
                if self.piece_delay_s:
                    time.sleep(self.piece_delay_s)
                yield chunk({"content": piece}, None)
            yield chunk({}, reason)
            if include_usage:
                yield b"data: " + json.dumps({**head, "object": "chat.completion.chunk", "choices": [],
                                              "usage": usage}).encode() + b"\n\n"
            yield b"data: [DONE]\n\n"

        return Reply(200, stream=events(), content_type="text/event-stream; charset=utf-8")


def dead_address() -> str:
    """`127.0.0.1:PORT` where nothing listens (a port bound, then released): connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return f"{HOST}:{sock.getsockname()[1]}"


class Blackhole:
    """A listening socket on 127.0.0.1 that never accepts: TCP connects succeed, no byte ever comes back."""

    def __init__(self) -> None:
        self._sock: socket.socket | None = None

    def __enter__(self) -> Self:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((HOST, 0))
        self._sock.listen(16)  # the kernel completes handshakes into the backlog; nobody reads them
        return self

    def __exit__(self, *exc: object) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None

    @property
    def address(self) -> str:
        """`127.0.0.1:PORT`, without a scheme."""
        if self._sock is None:
            raise RuntimeError("the blackhole is not open")
        return f"{HOST}:{self._sock.getsockname()[1]}"

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://{self.address}"


class Trickle:
    """A server on 127.0.0.1 that answers every request with one byte at a time, never finishing its headers.

    Each byte resets a client's read timeout, so only an overall deadline stops a client from waiting.
    The connection is closed after `give_up_s`, so that a client without a deadline fails a test, not hangs it.
    """

    def __init__(self, interval_s: float = 0.2, give_up_s: float = 10.0) -> None:
        self.interval_s = interval_s
        self.give_up_s = give_up_s
        self._sock: socket.socket | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> Self:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((HOST, 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in list(self._threads):
            thread.join(timeout=2)
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _spawn(self, target: Any, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="Trickle")
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self._spawn(self._drip, conn)

    def _drip(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(1)
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Trickle: ")
            deadline = time.monotonic() + self.give_up_s
            while not self._stop.wait(self.interval_s) and time.monotonic() < deadline:
                conn.sendall(b"a")

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        if self._sock is None:
            raise RuntimeError("the trickle server is not open")
        return f"http://{HOST}:{self._sock.getsockname()[1]}"
