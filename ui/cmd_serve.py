"""`faqbot serve` (the HTTP API under uvicorn) and `faqbot loadtest` (N concurrent clients against it)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from chatbot.queue import QueueSettings
from ingest.errors import InputError
from ui.api_settings import DEFAULT_HOST, DEFAULT_PORT, ServeSettings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def add_parsers(sub: argparse._SubParsersAction, add_faq: Callable, add_index: Callable) -> None:
    """Register `serve` and `loadtest`."""
    from ui.cmd_ask import add_llm_options

    p = sub.add_parser("serve", help="serve the HTTP API: /v1/ask, OpenAI-compatible /v1/chat/completions, /metrics")
    add_faq(p)
    add_index(p)
    add_llm_options(p)
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}: this machine only; 0.0.0.0 for the network)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--max-parallel", type=int, metavar="N",
                   help="answers generated at once with Ollama or an OpenAI-compatible server (default 4, "
                        "FAQBOT_MAX_PARALLEL); the in-process llama.cpp model always answers one at a time")
    p.add_argument("--queue-size", type=int, metavar="N",
                   help="questions that may wait for a free slot before the server answers 503 (default 16, "
                        "FAQBOT_QUEUE_SIZE)")
    p.add_argument("--rate-limit", type=int, metavar="N",
                   help="requests a minute per client, 0 for none (default 30, FAQBOT_RATE_LIMIT)")
    p.add_argument("--forwarded-allow-ips", metavar="IPS",
                   help="addresses of trusted reverse proxies whose X-Forwarded-For names the client (uvicorn)")
    p.add_argument("--no-warm-up", dest="warm_up", action="store_false",
                   help="do not compute the llama.cpp prompt states of every FAQ question in the background")
    p.set_defaults(func=serve_cmd)

    p = sub.add_parser("loadtest", help="N concurrent clients against a running `faqbot serve`; p50/p95, throughput")
    p.add_argument("--url", default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}", help="the server's address")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    p.add_argument("--requests", type=int, default=2, help="questions per client (default 2)")
    p.add_argument("--endpoint", choices=["ask", "chat"], default="ask",
                   help="/v1/ask (SSE) or /v1/chat/completions (OpenAI chunks); both streamed")
    p.add_argument("--check-serial", action="store_true",
                   help="first ask every question alone, then require the concurrent answers to be identical "
                        "(for deterministic backends)")
    p.add_argument("--token", help="API token (default FAQBOT_API_TOKEN)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds a single answer may take (default 600)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=loadtest_cmd)


def serve_settings(args: argparse.Namespace) -> ServeSettings:
    """Server settings from the environment and the flags."""
    queue = QueueSettings.from_env(max_parallel=args.max_parallel, max_waiting=args.queue_size)
    return ServeSettings.from_env(queue, host=args.host, port=args.port, rate_limit=args.rate_limit,
                                  warm_up=args.warm_up)


def serve_cmd(args: argparse.Namespace) -> int:
    """Load the models, then serve the API until Ctrl-C (or SIGTERM)."""
    import uvicorn

    from ui.api_app import create_app
    from ui.api_service import Service
    from ui.cmd_ask import make_bot

    settings = serve_settings(args)
    if args.k is not None and args.k < 1:
        raise InputError("-k must be at least 1")
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    print("faqbot: loading the models…", file=sys.stderr, flush=True)
    service = Service(make_bot(args), settings)  # a missing or stale index fails here, with the fix
    service.load()
    shown = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0", "::", "::1") else settings.host
    print(f"faqbot: API on http://{shown}:{settings.port}  (docs: /docs, OpenAI base URL: "
          f"http://{shown}:{settings.port}/v1; {service.bot.backend_name} {service.bot.model_name}, "
          f"{service.queue.slots} answer(s) at once, {settings.queue.max_waiting} waiting at most"
          f"{', token required' if settings.api_token else ''}; Ctrl-C to stop)", file=sys.stderr, flush=True)
    config = uvicorn.Config(create_app(service), host=settings.host, port=settings.port, log_level="info",
                            proxy_headers=bool(args.forwarded_allow_ips),
                            forwarded_allow_ips=args.forwarded_allow_ips, timeout_graceful_shutdown=10)
    uvicorn.Server(config).run()
    return 0


def loadtest_cmd(args: argparse.Namespace) -> int:
    """Run the load test and print its figures; exit 1 on any error or mixed answer."""
    import os

    from ui.loadtest import format_report, run_load

    if args.clients < 1 or args.requests < 1:
        raise InputError("--clients and --requests must be at least 1")
    token = args.token if args.token is not None else os.environ.get("FAQBOT_API_TOKEN", "").strip()
    report = run_load(args.url, clients=args.clients, requests=args.requests, endpoint=args.endpoint,
                      check_serial=args.check_serial, token=token or None, timeout_s=args.timeout)
    if args.json:
        from ui.render import print_json

        print_json(report)
    else:
        print(format_report(report))
    return 0 if report["errors"] == 0 and report["mixed"] == 0 else 1
