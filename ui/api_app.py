"""The HTTP API of `faqbot serve` (FastAPI): native `/v1/ask`, OpenAI-compatible `/v1/chat/completions`
and `/v1/models`, `/healthz`, `/metrics`, and the OpenAPI docs at `/docs`.

Errors are JSON, `{"error": {"message", "type", "code"}}` (the OpenAI shape, so its SDK shows them), with
the same messages as the command line; unexpected ones are logged with their traceback and the caller
gets a short message.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from chatbot import BackendError, Done, Replace, Rewritten, Sources, Token
from chatbot.answer import Answer
from chatbot.queue import QueueFull, QueueTimeout
from index.models import ModelError
from index.query import clean_question
from index.store import CorruptIndexError, IndexMissingError, StaleIndexError
from ingest.errors import FaqbotError, InputError
from ui.api_metrics import CONTENT_TYPE
from ui.api_openai import (
    ChatRequest,
    ChunkWriter,
    completion,
    conversation,
    models_list,
    shows_sources,
    sources_footer,
)
from ui.api_service import RateLimited, Service, Waiting
from ui.api_settings import MODEL_ID
from ui.app_html import replace_note

log = logging.getLogger("faqbot.serve")

ENDPOINTS = ("/v1/ask", "/v1/chat/completions", "/v1/models", "/healthz", "/metrics")
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class Unauthorized(FaqbotError):
    """A missing or wrong API token."""


class BodyTooLarge(FaqbotError):
    """A request body over the configured limit."""


class UnknownModel(FaqbotError):
    """A chat request for a model this server does not serve."""


class ClientGone(FaqbotError):
    """The client closed the connection while its question waited: nobody reads the reply."""


class Turn(BaseModel):
    """One earlier turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str


class AskRequest(BaseModel):
    """`POST /v1/ask`: a question, the conversation so far, and whether to stream Server-Sent Events."""

    question: str = Field(description="the question, in French or English (cut to 2,000 characters)")
    history: list[Turn] = Field(default_factory=list, description="earlier turns, oldest first")
    length: Literal["court", "developpe"] | None = Field(None, description="answer length (server default)")
    stream: bool = Field(False, description="Server-Sent Events: queue, rewritten, sources, token, replace, done")


# --- errors ------------------------------------------------------------------------------------------------------


def error_status(exc: BaseException) -> tuple[int, str]:
    """HTTP status and error type for an exception."""
    table: list[tuple[type[BaseException], int, str]] = [
        (Unauthorized, 401, "authentication_error"), (BodyTooLarge, 413, "invalid_request_error"),
        (UnknownModel, 404, "invalid_request_error"), (ClientGone, 499, "client_closed_request"), (InputError, 400, "invalid_request_error"),
        (RateLimited, 429, "rate_limit_error"), (QueueFull, 503, "overloaded_error"),
        (QueueTimeout, 503, "overloaded_error"), (BackendError, 502, "backend_error"),
        ((IndexMissingError, StaleIndexError, CorruptIndexError), 503, "index_error"),  # type: ignore[list-item]
        (ModelError, 503, "model_error"), (FaqbotError, 500, "faqbot_error"),
    ]
    for kind, status, name in table:
        if isinstance(exc, kind):
            return status, name
    return 500, "server_error"


def public_message(exc: BaseException) -> str:
    """What the caller reads: the command line's message, or a short one for the unexpected (logged in full)."""
    if isinstance(exc, FaqbotError):
        return str(exc)
    return "internal error: the server log has the details"


def log_failure(exc: BaseException) -> None:
    """Expected failures in one line (with the backend's cause), unexpected ones with their traceback."""
    if isinstance(exc, BackendError):
        log.warning("backend failure: %s", exc, exc_info=exc.__cause__ and exc)
    elif isinstance(exc, FaqbotError):
        log.info("refused: %s", exc)
    else:
        log.error("unexpected error while answering", exc_info=exc)


def error_response(exc: BaseException) -> JSONResponse:
    """The JSON error for `exc`, with `Retry-After` when coming back later helps."""
    status, kind = error_status(exc)
    headers: dict[str, str] = {}
    retry = getattr(exc, "retry_after", None)
    if isinstance(exc, QueueTimeout):
        retry = 30
    if retry:
        headers["Retry-After"] = str(int(retry))
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    body = {"error": {"message": public_message(exc), "type": kind, "code": getattr(exc, "code", None)}}
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


# --- middleware ----------------------------------------------------------------------------------------------


class Guard:
    """Pure ASGI middleware: refuse oversized bodies early, and count every request by endpoint and status."""

    def __init__(self, app: Any, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.service.settings.max_body_bytes
        endpoint = scope.get("path", "") if scope.get("path", "") in ENDPOINTS else "other"
        status = {"code": 500}

        async def counting_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode() or "0"
        try:
            if declared.isdigit() and int(declared) > limit:
                await error_response(BodyTooLarge(self._too_large(limit)))(scope, receive, counting_send)
                return
            received = 0

            async def limited_receive() -> dict:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:  # an HTTPException passes through FastAPI's body parsing as it is
                        raise StarletteHTTPException(413, detail=self._too_large(limit))
                return message

            await self.app(scope, limited_receive, counting_send)
        finally:
            self.service.metrics.requests.labels(endpoint, str(status["code"])).inc()

    @staticmethod
    def _too_large(limit: int) -> str:
        return (f"the request body is larger than {limit // 1024} KiB: send a shorter question or history "
                "(FAQBOT_API_MAX_BODY on the server)")


# --- the app -------------------------------------------------------------------------------------------------


def client_id(request: Request) -> str:
    """Who is asking, for the rate limit and the queue's fairness: the client address (behind a trusted
    proxy, uvicorn's `--forwarded-allow-ips` makes it the visitor's)."""
    return request.client.host if request.client else "unknown"


def sse(event: str, data: object) -> bytes:
    """One Server-Sent Event with a JSON payload."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def check_limits(service: Service, question: str, history: list[tuple[str, str]]) -> None:
    """Refuse an empty question and a history over the configured limits, before any queueing."""
    clean_question(question)
    settings = service.settings
    if len(history) > settings.max_history:
        raise InputError(f"the conversation has {len(history)} earlier messages, more than the {settings.max_history}"
                         " accepted: start a new conversation (FAQBOT_API_MAX_HISTORY on the server)")
    longest = max((len(text) for _, text in history), default=0)
    if longest > settings.max_message_chars:
        raise InputError(f"an earlier message has {longest} characters, more than the {settings.max_message_chars} "
                         "accepted: start a new conversation")


def create_app(service: Service) -> FastAPI:
    """The FastAPI application over a loaded `Service`."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start_warm_up()
        yield

    app = FastAPI(title="faqbot", version="1", lifespan=lifespan,
                  description="Questions sur la FAQ, réponses sourcées : API native et compatible OpenAI.")
    app.state.service = service
    app.add_middleware(Guard, service=service)

    async def authorised(request: Request) -> None:
        token = service.settings.api_token
        if not token:
            return
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            raise Unauthorized("missing or wrong API token: send `Authorization: Bearer <FAQBOT_API_TOKEN>`")

    @app.exception_handler(FaqbotError)
    async def faqbot_error(request: Request, exc: FaqbotError) -> JSONResponse:
        log_failure(exc)
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(InputError(_validation_message(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        return JSONResponse({"error": {"message": str(exc.detail), "type": kind, "code": None}},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log_failure(exc)
        return error_response(exc)

    guarded = [Depends(authorised)]

    @app.get("/healthz", summary="Liveness and readiness: models loaded, index version, queue")
    async def healthz() -> dict[str, Any]:
        manifest = service.bot.retriever.index.manifest
        faq = manifest.get("faq", {})
        return {
            "status": "ok" if service.models_loaded() else "loading",
            "backend": service.bot.backend_name, "model": service.bot.model_name,
            "models_loaded": service.models_loaded(),
            "index": {"faq": str(faq.get("path", "")).rsplit("/", 1)[-1], "faq_sha256": faq.get("sha256", ""),
                      "built_at": manifest.get("built_at"), "chunks": manifest.get("chunk_count"),
                      "embedder": manifest.get("embedder", {}).get("name")},
            "queue": {"slots": service.queue.slots, "running": service.queue.running,
                      "waiting": service.queue.waiting, "max_waiting": service.queue.max_waiting},
            "warm_up": service.warm.to_json(),
        }

    @app.get("/metrics", dependencies=guarded, summary="Prometheus metrics")
    async def metrics() -> Response:
        return Response(service.metrics.render(), media_type=CONTENT_TYPE)

    @app.get("/v1/models", dependencies=guarded, summary="OpenAI-compatible model list (one model: faqbot)")
    async def models() -> dict[str, Any]:
        return models_list(MODEL_ID, int(service.started))

    @app.post("/v1/ask", dependencies=guarded, summary="Answer a question (the `faqbot ask --json` object)",
              responses={200: {"content": {"text/event-stream": {}}}})
    async def ask(body: AskRequest, request: Request) -> Response:
        history = [(t.role, t.content) for t in body.history]
        check_limits(service, body.question, history)
        ticket = service.admit(client_id(request))
        started = time.perf_counter()
        events = service.answer(ticket, body.question, history, body.length, gone=request.is_disconnected)
        if not body.stream:
            answer = await _final(events)
            _observe(answer, "/v1/ask", started)
            return JSONResponse(answer.to_json())

        async def stream() -> AsyncIterator[bytes]:
            first = True
            try:
                async for event in events:
                    if isinstance(event, Waiting):
                        yield sse("queue", {"position": event.position})
                    elif isinstance(event, Rewritten):
                        yield sse("rewritten", {"question": event.question})
                    elif isinstance(event, Sources):
                        yield sse("sources", {"sources": [h.to_dict() for h in event.hits]})
                    elif isinstance(event, Token):
                        if first:
                            service.metrics.first_token.labels("/v1/ask").observe(time.perf_counter() - started)
                            first = False
                        yield sse("token", {"text": event.text})
                    elif isinstance(event, Replace):
                        yield sse("replace", {"text": event.text, "reason": event.reason})
                    elif isinstance(event, Done):
                        _observe(event.answer, "/v1/ask", started)
                        yield sse("done", event.answer.to_json())
            except Exception as exc:  # the 200 is sent: the failure travels as an event
                log_failure(exc)
                service.metrics.errors.labels(error_status(exc)[1]).inc()
                status, kind = error_status(exc)
                yield sse("error", {"error": {"message": public_message(exc), "type": kind, "status": status}})
            finally:
                await events.aclose()

        return StreamingResponse(stream(), media_type="text/event-stream", headers=SSE_HEADERS)

    @app.post("/v1/chat/completions", dependencies=guarded, summary="OpenAI-compatible chat completion",
              responses={200: {"content": {"text/event-stream": {}}}})
    async def chat_completions(body: ChatRequest, request: Request) -> Response:
        if body.model != MODEL_ID:
            raise UnknownModel(f"model {body.model!r} is not served here: use {MODEL_ID!r} (GET /v1/models)")
        question, history = conversation(body.messages)
        history = history[-service.settings.max_history:] if service.settings.max_history else []
        check_limits(service, question, history)
        ticket = service.admit(client_id(request))
        started = time.perf_counter()
        events = service.answer(ticket, question, history, None, gone=request.is_disconnected)
        if not body.stream:
            answer = await _final(events)
            _observe(answer, "/v1/chat/completions", started)
            return JSONResponse(completion(answer, MODEL_ID))
        writer = ChunkWriter(MODEL_ID)

        async def stream() -> AsyncIterator[bytes]:
            yield writer.chunk({"role": "assistant", "content": ""})
            shown, first = "", True
            try:
                async for event in events:
                    if isinstance(event, Waiting):
                        yield writer.comment(f"waiting for a free slot, position {event.position}")
                    elif isinstance(event, Rewritten):
                        yield writer.chunk({}, faqbot={"standalone_question": event.question})
                    elif isinstance(event, Sources):
                        yield writer.chunk({}, faqbot={"sources": [h.to_dict() for h in event.hits]})
                    elif isinstance(event, Token):
                        if first:
                            service.metrics.first_token.labels("/v1/chat/completions").observe(
                                time.perf_counter() - started)
                            first = False
                        shown += event.text
                        yield writer.chunk({"content": event.text})
                    elif isinstance(event, Replace):
                        # Streamed text cannot be taken back: the corrected answer follows, with the reason.
                        note = replace_note(event.reason, shown, event.text)
                        if note:
                            yield writer.chunk({"content": f"\n\n*{note}*\n\n{event.text}"})
                        shown = event.text
                    elif isinstance(event, Done):
                        answer = event.answer
                        _observe(answer, "/v1/chat/completions", started)
                        if shows_sources(answer):
                            yield writer.chunk({"content": sources_footer(answer.sources)})
                        yield writer.chunk({}, "stop", faqbot=answer.to_json())
                yield writer.done()
            except Exception as exc:  # the 200 is sent: the failure travels in the stream
                log_failure(exc)
                service.metrics.errors.labels(error_status(exc)[1]).inc()
                yield writer.error(public_message(exc), error_status(exc)[1])
            finally:
                await events.aclose()

        return StreamingResponse(stream(), media_type="text/event-stream", headers=SSE_HEADERS)

    async def _final(events: AsyncIterator[Any]) -> Answer:
        try:
            async for event in events:
                if isinstance(event, Done):
                    return event.answer
        except Exception as exc:
            service.metrics.errors.labels(error_status(exc)[1]).inc()
            raise
        finally:
            await events.aclose()  # type: ignore[attr-defined]
        raise ClientGone("the client went away before its turn came")

    def _observe(answer: Answer, endpoint: str, started: float) -> None:
        service.metrics.latency.labels(endpoint).observe(time.perf_counter() - started)
        service.metrics.answered(answer, endpoint)

    return app
