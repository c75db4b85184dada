"""`faqbot ui`: start the Streamlit chat UI (`streamlit run ui/app.py`) with the command's settings."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from ingest.errors import InputError

APP = Path(__file__).resolve().parent / "app.py"
DEFAULT_PORT = 8501
DEFAULT_HOST = "127.0.0.1"
# How long Streamlit gets to shut down cleanly after Ctrl-C before it is killed.
STOP_TIMEOUT_S = 10


def add_parsers(sub: argparse._SubParsersAction, add_faq: Callable, add_index: Callable) -> None:
    """Register `ui`."""
    from ui.cmd_ask import add_llm_options

    p = sub.add_parser("ui", help="start the chat UI in the browser (Streamlit, http://localhost:8501)")
    add_faq(p)
    add_index(p)
    add_llm_options(p)
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}: this machine only; 0.0.0.0 for the network)")
    p.add_argument("--staff", action="store_true",
                   help="also serve the staff page (/equipe: press drafts, settings, review of ratings); on an "
                        "address other than 127.0.0.1 it needs FAQBOT_STAFF_TOKEN")
    p.set_defaults(func=ui_cmd)


def ui_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    shown = "localhost" if host in ("127.0.0.1", "localhost", "0.0.0.0", "::", "::1") else host
    return f"http://{shown}:{port}"


def ui_env(args: argparse.Namespace, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the Streamlit process: the flags become the `FAQBOT_*` settings the app reads."""
    env = dict(os.environ if base is None else base)
    flags = {"FAQBOT_FAQ": getattr(args, "faq", None), "FAQBOT_INDEX_DIR": getattr(args, "index_dir", None),
             "FAQBOT_EMBEDDER": getattr(args, "embedder", None), "FAQBOT_LLM": getattr(args, "llm", None),
             "FAQBOT_LLM_MODEL": getattr(args, "model", None), "FAQBOT_K": getattr(args, "k", None),
             "FAQBOT_LENGTH": getattr(args, "length", None)}
    for name, value in flags.items():
        if value is None:
            continue
        if name in ("FAQBOT_FAQ", "FAQBOT_INDEX_DIR"):
            value = str(Path(value).expanduser().resolve())  # the app may run from another folder
        env[name] = str(value)
    # No model hub is reachable and none should be tried; Streamlit phones home unless told not to.
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env["FAQBOT_UI_HOST"] = str(getattr(args, "host", DEFAULT_HOST))
    if getattr(args, "staff", False):
        env["FAQBOT_STAFF"] = "1"
    else:
        env.pop("FAQBOT_STAFF", None)  # the staff page exists only when this command asks for it
    return env


def streamlit_command(host: str, port: int) -> list[str]:
    """The `streamlit run` command line for the app."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port), "--server.address", host, "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # A served app, not a development session: no reload on file changes, no developer menu.
        "--server.fileWatcherType", "none", "--server.runOnSave", "false", "--client.toolbarMode", "minimal",
        "--theme.base", "light",
        # Lets `faqbot ui` run the app once as soon as the server is up (see `preload`).
        "--server.scriptHealthCheckEnabled", "true",
    ]


def preload(host: str, port: int, *, timeout: float = 600.0) -> bool:
    """Run the app once, without a visitor, as soon as the server answers: the models load and the background
    warm-up of the answers starts at once rather than when the first page opens.

    Streamlit runs an app only for a session; its script health check (`/_stcore/script-health-check`, an
    internal endpoint enabled above) runs it in a session of its own. Best effort: if the endpoint is gone
    or fails, the first visitor's page does the same, a little later."""
    import time
    import urllib.error
    import urllib.request

    address = "127.0.0.1" if host in ("0.0.0.0", "", "localhost") else ("::1" if host == "::" else host)
    base = f"http://{f'[{address}]' if ':' in address else address}:{port}/_stcore"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5):
                break
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    else:
        return False
    try:  # returns when the app has run once (the models are loaded) or after Streamlit's own 60 s limit
        with urllib.request.urlopen(f"{base}/script-health-check", timeout=timeout):
            return True
    except (OSError, urllib.error.URLError):
        return False


def _check_index(args: argparse.Namespace) -> None:
    """Warn before starting when the index is missing (the page says it too, with the fix)."""
    from index.store import read_manifest
    from ingest.errors import FaqbotError
    from ui.cmd_data import index_settings

    try:
        read_manifest(index_settings(args).index_dir)
    except FaqbotError as exc:
        print(f"faqbot: warning: {exc} (or `make index`)", file=sys.stderr)


def ui_cmd(args: argparse.Namespace) -> int:
    """Run Streamlit in the foreground until it exits or Ctrl-C."""
    if not 1 <= args.port <= 65535:
        raise InputError(f"--port must be between 1 and 65535, not {args.port}")
    if args.k is not None and args.k < 1:
        raise InputError("-k must be at least 1")
    _check_index(args)
    loopback = args.host in ("127.0.0.1", "localhost", "::1")
    if args.staff and not loopback and not os.environ.get("FAQBOT_STAFF_TOKEN", "").strip():
        raise InputError(f"--staff on {args.host} would let anyone reach the staff page: set FAQBOT_STAFF_TOKEN, "
                         "or serve on 127.0.0.1")
    env = ui_env(args)
    print(f"faqbot: chat UI on {ui_url(args.host, args.port)}  (Ctrl-C to stop)", flush=True)
    if args.staff:
        guard = "token FAQBOT_STAFF_TOKEN" if os.environ.get("FAQBOT_STAFF_TOKEN", "").strip() else "this machine only"
        print(f"faqbot: staff page on {ui_url(args.host, args.port)}/equipe  ({guard})", flush=True)
    process = subprocess.Popen(streamlit_command(args.host, args.port), env=env)
    threading.Thread(target=preload, args=(args.host, args.port), name="faqbot-preload", daemon=True).start()
    # A service manager (or a test) stops us with SIGTERM: Streamlit must not outlive us.
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 0
