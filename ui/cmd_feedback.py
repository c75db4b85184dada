"""`faqbot feedback`: the staff's review of visitors' ratings in the terminal (list, review, accept, reject)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from ingest.errors import InputError
from ui import feedback
from ui.render import print_json


def add_parsers(sub: argparse._SubParsersAction, add_faq: Callable, add_index: Callable) -> None:
    """Register `feedback` and its actions."""
    p = sub.add_parser("feedback", help="review visitors' ratings; accepted ones become regression cases")
    p.add_argument("--log", type=Path, metavar="FILE",
                   help="the rating log (default FAQBOT_FEEDBACK_FILE or ~/.local/share/faqbot/feedback.jsonl)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("list", help="ratings waiting for a decision, newest first")
    a.add_argument("--json", action="store_true", help="one JSON object a line: the rating and its case")
    a.set_defaults(func=list_cmd)
    a = actions.add_parser("review", help="go through the pending ratings one by one: accept, set aside, skip")
    a.add_argument("--cases", type=Path, metavar="FILE",
                   help="where accepted cases go (default FAQBOT_FEEDBACK_CASES or eval/cases/feedback.jsonl)")
    a.set_defaults(func=review_cmd)
    a = actions.add_parser("accept", help="turn ratings into regression cases")
    a.add_argument("ids", nargs="+", metavar="ID", help="rating ids (from `faqbot feedback list`)")
    a.add_argument("--cases", type=Path, metavar="FILE", help="where the cases go (as for review)")
    a.set_defaults(func=accept_cmd)
    a = actions.add_parser("reject", help="set ratings aside (they make no case)")
    a.add_argument("ids", nargs="+", metavar="ID", help="rating ids")
    a.set_defaults(func=reject_cmd)


def _describe(record: dict) -> str:
    verdict = "👍" if record.get("rating") == feedback.UP else f"👎 {record.get('reason') or ''}".rstrip()
    answer = " ".join(str(record.get("answer", "")).split())
    answer = answer if len(answer) <= 300 else answer[:300] + "…"
    return (f"{record['id']}  {record.get('timestamp', '')}  {verdict}\n  question : {record.get('question', '')}\n"
            f"  réponse  : {answer}")


def list_cmd(args: argparse.Namespace) -> int:
    """Print the pending ratings."""
    waiting = feedback.pending(args.log)
    if args.json:
        for record in waiting:
            case = feedback.case_of(record)
            print_json({"rating": record, "case": case.to_dict() if case else None})
        return 0
    if not waiting:
        print("no rating waiting for review")
        return 0
    for record in waiting:
        case = feedback.case_of(record)
        print(_describe(record))
        print(f"  cas      : {case.kind} {case.id}" if case else "  cas      : aucun (motif sans bonne réponse connue)")
        print()
    print(f"{len(waiting)} rating(s) waiting; `faqbot feedback review` to decide", file=sys.stderr)
    return 0


def _find(ids: list[str], log: Path | None) -> list[dict]:
    by_id = {r["id"]: r for r in feedback.read_ratings(log)}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise InputError(f"no rating with id {', '.join(missing)} in the log: see `faqbot feedback list`")
    return [by_id[i] for i in ids]


def accept_cmd(args: argparse.Namespace) -> int:
    """Accept ratings: their cases are appended to the cases file."""
    target = args.cases or feedback.cases_file()
    for record in _find(args.ids, args.log):
        if feedback.case_of(record) is None:
            raise InputError(f"rating {record['id']} makes no case (the right answer is unknown): reject it or "
                             "write the case by hand")
    for record in _find(args.ids, args.log):
        case = feedback.decide(record, feedback.ACCEPTED, cases=target, log=args.log)
        assert case is not None
        print(f"{record['id']}: case {case.id} ({case.kind}) -> {target}")
    return 0


def reject_cmd(args: argparse.Namespace) -> int:
    """Set ratings aside."""
    for record in _find(args.ids, args.log):
        feedback.decide(record, feedback.REJECTED, log=args.log)
        print(f"{record['id']}: set aside")
    return 0


def review_cmd(args: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    """Interactive review: each pending rating, its case, then [a]ccept, [r]eject, [s]kip or [q]uit."""
    target = args.cases or feedback.cases_file()
    waiting = feedback.pending(args.log)
    if not waiting:
        print("no rating waiting for review")
        return 0
    accepted = 0
    for n, record in enumerate(waiting, start=1):
        case = feedback.case_of(record)
        print(f"\n[{n}/{len(waiting)}] {_describe(record)}")
        if case:
            print("  cas proposé :\n" + json.dumps(case.to_dict(), ensure_ascii=False, indent=1))
        else:
            print("  aucun cas automatique : la bonne réponse n'est pas connue")
        choices = "[a]ccepter, [r]ejeter, [s]auter, [q]uitter" if case else "[r]ejeter, [s]auter, [q]uitter"
        while True:
            try:
                answer = ask(f"{choices} ? ").strip().lower()[:1]
            except EOFError:
                answer = "q"
            if answer in ("a", "r", "s", "q") and not (answer == "a" and case is None):
                break
        if answer == "q":
            break
        if answer == "a":
            feedback.decide(record, feedback.ACCEPTED, cases=target, log=args.log)
            accepted += 1
            print(f"  -> cas {case.id} ajouté à {target}")
        elif answer == "r":
            feedback.decide(record, feedback.REJECTED, log=args.log)
            print("  -> écarté")
    print(f"\n{accepted} case(s) added to {target}")
    return 0
