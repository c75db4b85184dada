"""Drive the chat UI in a real browser: start `faqbot ui` on a free local port, open Debian's Chromium
headless through Playwright, ask questions and wait for the answers.

Used by the browser end-to-end test and by `scripts/screenshots.py`; Playwright is a dev dependency and is
imported only here, late. Chromium comes from Debian (`make browser`), never from `playwright install`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Model loading and a cold first answer take tens of seconds on 2 cores: wait generously, poll often.
START_TIMEOUT_S = 90.0
ANSWER_TIMEOUT_S = 180.0
# Records when the first source card, the first answer text and a place in the queue appear (set before any page
# script runs).
TIMING_SCRIPT = """
window.__faq = {sources: null, token: null, start: null, queued: null};
new MutationObserver(() => {
  const now = performance.now();
  if (window.__faq.sources === null && document.querySelector('.faq-source')) window.__faq.sources = now;
  if (window.__faq.queued === null && document.querySelector('.faq-queue')) window.__faq.queued = now;
  const a = document.querySelector('.faq-answer');
  if (window.__faq.token === null && a && a.textContent.trim()) window.__faq.token = now;
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = START_TIMEOUT_S) -> None:
    """Wait until Streamlit answers its health check (fail early if the server died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"faqbot ui exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"faqbot ui did not answer on {url} within {timeout:.0f} s")


def _stop_group(process: subprocess.Popen) -> None:
    """Stop `faqbot ui` and the Streamlit server it started (SIGTERM, then SIGKILL after 15 s)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(process.pid, 0)  # anything left in the group (the server) is stopped too
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@contextmanager
def running_ui(*flags: str, env: dict[str, str] | None = None, log: Path | None = None) -> Iterator[str]:
    """Run `faqbot ui` on 127.0.0.1 and a free port with extra flags; yield its URL; stop it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "ui.cli", "ui", "--host", "127.0.0.1", "--port", str(port), *flags]
    out = log.open("w") if log else subprocess.DEVNULL
    # Its own process group, so that stopping it also stops the Streamlit server it runs.
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
                               cwd=Path(__file__).resolve().parent.parent, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        _stop_group(process)
        if log:
            out.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make browser`")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_chat(browser: Any, url: str, *, width: int = 1200, height: int = 900) -> Any:
    """A new page (its own Streamlit session) on the app, with the timing recorder installed."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(TIMING_SCRIPT)
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=START_TIMEOUT_S * 1000)
    return page


def submit(page: Any, question: str) -> None:
    """Type a question in the chat input and send it."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    page.evaluate("window.__faq.start = performance.now()")
    box.press("Enter")


def wait_answer(page: Any, turn: int = 1, timeout: float = ANSWER_TIMEOUT_S) -> dict[str, float]:
    """Wait until answer number `turn` is final (redrawn with its sources and its feedback controls);
    return the timings in seconds since the question was sent."""
    page.wait_for_function(f"document.querySelectorAll('.faq-answer[data-state=final]').length >= {turn}",
                           timeout=timeout * 1000, polling=250)
    marks = page.evaluate("window.__faq")
    done = page.evaluate("performance.now()")
    page.get_by_test_id("stFeedback").nth(turn - 1).wait_for(timeout=30_000)
    start = marks.get("start") or 0.0

    def since(value: float | None) -> float:
        return round(((value or done) - start) / 1000, 2)

    timings = {"sources_s": since(marks.get("sources")), "first_text_s": since(marks.get("token")),
               "answer_s": since(done)}
    if marks.get("queued") is not None:
        timings["queued_s"] = since(marks["queued"])  # this visitor was told their place in the queue
    return timings


def wait_models(page: Any, timeout: float = START_TIMEOUT_S * 2) -> None:
    """Wait until the page has finished loading the models (its spinner is gone)."""
    page.wait_for_function("!document.querySelector('[data-testid=stSpinner]')", timeout=timeout * 1000,
                           polling=250)
