"""Shared plumbing of the HTTP backends: a fast reachability probe that fails within the connect timeout."""

from __future__ import annotations

import threading

import httpx

from chatbot.backends.base import BackendError


def timeouts(connect_s: float, read_s: float) -> httpx.Timeout:
    """Connect quickly or fail; let a long answer take its time."""
    return httpx.Timeout(read_s, connect=connect_s)


def server_url(address: str) -> str:
    """`address` as a base URL: `http://` added when no scheme is given, no trailing slash."""
    address = address.strip()
    if "://" not in address:
        address = f"http://{address}"
    return address.rstrip("/")


def probe(url: str, *, timeout_s: float, unreachable: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """GET `url` within `timeout_s` seconds overall, or raise BackendError(`unreachable`)."""
    outcome: dict[str, httpx.Response | Exception] = {}

    def get() -> None:
        try:
            outcome["response"] = httpx.get(url, timeout=httpx.Timeout(timeout_s), headers=headers or {},
                                            follow_redirects=True)
        except Exception as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    # httpx bounds each phase (connect, each read), not the whole exchange, and not the DNS lookup: a slow
    # resolver or a server trickling bytes could hold the caller far beyond the promised bound. A daemon
    # thread gives a hard deadline; an abandoned request still ends on its own per-phase timeouts.
    worker = threading.Thread(target=get, name="faqbot-probe", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise BackendError(f"{unreachable} (no answer within {timeout_s:g} s)")
    error = outcome.get("error")
    if isinstance(error, httpx.TimeoutException):
        raise BackendError(f"{unreachable} (no answer within {timeout_s:g} s)")
    if isinstance(error, httpx.HTTPError | httpx.InvalidURL):
        raise BackendError(f"{unreachable} ({type(error).__name__}: {error})")
    if error is not None:
        raise error
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    return response
