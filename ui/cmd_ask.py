"""`faqbot ask` and `faqbot chat`: questions in the terminal, answers streamed with their sources."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from chatbot import Chatbot, ChatSettings, Done, Replace, Rewritten, Sources, Token, build_chatbot
from chatbot.answer import Answer
from chatbot.warmup import start_background_warmup
from index.query import read_stdin_question
from ingest.errors import FaqbotError
from ui.cmd_data import index_settings, ingest_settings
from ui.organisation import terminal_banner
from ui.render import print_json, source_block


def add_llm_options(p: argparse.ArgumentParser) -> None:
    """Flags choosing and tuning the LLM backend."""
    p.add_argument("--llm", metavar="NAME", help="LLM backend: llamacpp (default), ollama, openai")
    p.add_argument("--model", metavar="NAME", help="model name (llamacpp: qwen-1.5b or qwen-0.5b)")
    p.add_argument("-k", type=int, default=None, help="passages retrieved (default 4)")
    p.add_argument("--length", choices=["court", "developpe"], default=None, help="answer length")


def add_parsers(sub: argparse._SubParsersAction, add_faq: Callable, add_index: Callable) -> None:
    """Register `ask` and `chat`."""
    p = sub.add_parser("ask", help="answer one question from the FAQ, with citations")
    add_faq(p)
    add_index(p)
    add_llm_options(p)
    p.add_argument("question", nargs="?", help="the question (read from stdin when omitted)")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.set_defaults(func=ask_cmd)

    p = sub.add_parser("draft", help="press-officer draft reply to a journalist's question or e-mail")
    add_faq(p)
    add_index(p)
    add_llm_options(p)
    p.add_argument("request", nargs="?", help="the journalist's question or e-mail (stdin when omitted)")
    p.add_argument("--tone", choices=["factuel", "institutionnel"], default="institutionnel")
    p.add_argument("--draft-length", dest="draft_length", choices=["court", "developpe"], default="court",
                   help="draft length (default court)")
    p.add_argument("--out", type=Path, metavar="FILE", help="also write the draft to FILE (.md or .docx)")
    p.add_argument("--json", action="store_true", help="print the draft as JSON")
    p.set_defaults(func=draft_cmd)

    p = sub.add_parser("chat", help="interactive conversation in the terminal")
    add_faq(p)
    add_index(p)
    add_llm_options(p)
    p.set_defaults(func=chat_cmd)


def chat_settings(args: argparse.Namespace) -> ChatSettings:
    """Chat settings from the environment and the flags."""
    return ChatSettings.from_env(backend=getattr(args, "llm", None), model=getattr(args, "model", None),
                                 k=getattr(args, "k", None), length=getattr(args, "length", None))


def make_bot(args: argparse.Namespace) -> Chatbot:
    """The chatbot the flags describe."""
    return build_chatbot(ingest_settings(args), index_settings(args), chat_settings(args))


def print_sources(answer: Answer, out=None) -> None:
    """The numbered sources under an answer."""
    out = out or sys.stdout
    if not answer.sources or (answer.abstained and answer.abstain_reason != "not_in_faq"):
        return
    print("\nSources :", file=out)
    for n, hit in enumerate(answer.sources, start=1):
        print(source_block(n, hit.chunk.section, hit.chunk.title, hit.chunk.text, score=hit.score), file=out)


def stream_answer(bot: Chatbot, question: str, history, out=None) -> Answer:
    """Print an answer as it streams, then its sources; return it."""
    out = out or sys.stdout
    answer: Answer | None = None
    for event in bot.stream(question, history):
        if isinstance(event, Rewritten):
            print(f"Question comprise : {event.question}\n", file=out, flush=True)
        elif isinstance(event, Sources):
            continue
        elif isinstance(event, Token):
            print(event.text, end="", file=out, flush=True)
        elif isinstance(event, Replace):
            note = {"strict": "réponse régénérée : la première citait un élément absent des sources",
                    "extractive": "réponse remplacée par une citation de la FAQ : les réponses générées citaient "
                                  "des éléments absents des sources",
                    "model": "le modèle indique que la FAQ ne répond pas",
                    "out_of_remit": "réponse retirée", "unverifiable": "réponse retirée : invérifiable"}.get(
                event.reason, "réponse complétée (citations)")
            print(f"\n\n[{note}]\n{event.text}", end="", file=out, flush=True)
        elif isinstance(event, Done):
            answer = event.answer
    assert answer is not None
    print(file=out)
    if answer.notice:
        print(f"({answer.notice})", file=sys.stderr)
    print_sources(answer, out)
    return answer


def ask_cmd(args: argparse.Namespace) -> int:
    """Answer one question."""
    question = args.question if args.question is not None else read_stdin_question()
    from index.query import clean_question

    clean_question(question)  # refuse an empty question before loading any model
    bot = make_bot(args)
    if args.json:
        print_json(bot.ask(question).to_json())
    else:
        stream_answer(bot, question, ())
    return 0


def draft_cmd(args: argparse.Namespace) -> int:
    """Write a press draft; print it (Markdown or JSON) and optionally save it as .md or .docx."""
    from chatbot.draft import Draft, Drafter
    from index.query import clean_question
    from ui.export import draft_docx

    request = args.request if args.request is not None else read_stdin_question()
    clean_question(request)
    if args.out and args.out.suffix.lower() not in (".md", ".docx"):
        from ingest.errors import InputError

        raise InputError(f"--out must end with .md or .docx, not {args.out.suffix or 'nothing'}")
    drafter = Drafter(make_bot(args))
    draft: Draft | None = None
    for item in drafter.stream(request, tone=args.tone, length=args.draft_length):
        if isinstance(item, Draft):
            draft = item
        elif not args.json:
            print(item, end="", file=sys.stderr, flush=True)
    assert draft is not None
    if args.json:
        print_json(draft.to_json())
    else:
        print("\n", file=sys.stderr)
        print(draft.to_markdown())
        if draft.flagged:
            print(f"\n{len(draft.flagged)} phrase(s) à vérifier : elles ne sont pas traçables dans les sources.",
                  file=sys.stderr)
    if args.out:
        if args.out.suffix.lower() == ".docx":
            args.out.write_bytes(draft_docx(draft))
        else:
            args.out.write_text(draft.to_markdown() + "\n", encoding="utf-8")
        print(f"draft written to {args.out}", file=sys.stderr)
    return 0


def chat_cmd(args: argparse.Namespace) -> int:
    """Interactive conversation; /nouveau starts over, /quitter (or Ctrl-D) leaves."""
    bot = make_bot(args)
    # While the user types, every FAQ section's prompt state is prepared (see chatbot/warmup.py).
    start_background_warmup(bot)
    history: list[tuple[str, str]] = []
    print(terminal_banner(bot.profile))
    while True:
        try:
            question = input("\nVous : ")
        except EOFError:
            print()
            return 0
        if question.strip() in ("/quitter", "/quit", "/exit"):
            return 0
        if question.strip() in ("/questions", "/sommaire"):
            print("\n".join(f"{n}. {title}" for n, title in sorted(bot.sections.items())))
            continue
        if question.strip() in ("/nouveau", "/reset"):
            history.clear()
            print("Nouvelle conversation.")
            continue
        if not question.strip():
            continue
        print("faqbot : ", end="", flush=True)
        try:
            answer = stream_answer(bot, question, history)
        except FaqbotError as exc:
            print(f"\nfaqbot: {exc}", file=sys.stderr)
            if exc.exit_code != 2:
                return exc.exit_code
            continue
        history.extend([("user", answer.question), ("assistant", answer.text)])
