"""Real `faqbot serve` servers on 127.0.0.1 for the tests: the app in a thread, or the command in a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from tests.conftest import REPO
from ui.app_driver import free_port

START_TIMEOUT_S = 60.0


@contextmanager
def running_app(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a background thread on a free port; yield its URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@contextmanager
def running_serve(*flags: str, env: dict[str, str] | None = None, log: Path | None = None) -> Iterator[str]:
    """Run `faqbot serve` in its own process on a free port with extra flags; yield its URL once /healthz answers."""
    port = free_port()
    command = [sys.executable, "-m", "ui.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *flags]
    out = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
                               cwd=REPO, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S * 3
        while True:
            if process.poll() is not None:
                detail = log.read_text(encoding="utf-8")[-2000:] if log else ""
                raise RuntimeError(f"faqbot serve exited with code {process.returncode}\n{detail}")
            try:
                if httpx.get(f"{url}/healthz", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"faqbot serve did not answer on {url}")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if log:
            out.close()
