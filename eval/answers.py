"""Answer evaluation: run every case through the chatbot and judge the answers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from chatbot import Chatbot
from chatbot.backends.cache import CacheMiss
from chatbot.claims import Entails, Restates
from chatbot.language import answer_language, detect
from chatbot.question import Question, parse_question
from chatbot.verify import verify
from eval.bench import percentile
from eval.cases import SPLITS, Case
from eval.checks import judge
from eval.metrics import mean


def grounding_check(answer: str, sources: list[str], question: Question | str, *,
                    org_terms: frozenset[str] = frozenset(), figure_owed: bool = True,
                    restates: Restates | None = None, entails: Entails | None = None,
                    answers: Sequence[str] = ()) -> dict:
    """Re-verify a final answer against the passages it cites: figures, names, citations, quoted spans...
    (`question`: read as the bot read it, chat forms written out; `answers`: the passages' sentences ranked for the
    question, as the bot ranked them; `restates`, `entails`: the bot's readings of claims in other words)."""
    result = verify(answer, sources, question, org_terms=org_terms, figure_owed=figure_owed, restates=restates,
                    entails=entails, answers=answers)
    # Grounding is faithfulness: whether the answer is about what was asked (`on_topic`) is the bot's decision, read
    # against its own ranking of the sentences, and the case's required facts measure it here.
    checks = [c for c in result.checks if c.name != "on_topic"]
    details = {c.name: c.unsupported for c in checks if not c.passed}
    spans = [u for c in checks if not c.passed and c.name not in ("citations", "answers_question") for u in c.unsupported]
    return {"passed": all(c.passed for c in checks), "unsupported": spans, "details": details}


def _with_fidelity(case: Case, verdict: dict, answer: str, abstained: bool, grounding: dict | None) -> dict:
    """Add the grounding and language checks to a verdict; an unfaithful answer fails its case."""
    if abstained or case.kind == "refuse":
        return verdict
    checks = dict(verdict["checks"])
    if grounding is not None:
        checks["grounding"] = grounding
    # Quotes of the French FAQ inside an English answer are fine: judge the language outside them. An answer whose
    # own words tell no language (an address, an e-mail, a phone number, a name) is in none: it passes, as in the
    # bot's own check (`answer_language`).
    expected, got = case.language or detect(case.question), answer_language(answer)
    checks["language"] = {"passed": got in (None, expected), "expected": expected, "answer": got}
    passed = verdict["passed"] and checks["language"]["passed"] and (grounding is None or grounding["passed"])
    return {"passed": passed, "checks": checks}


def _head(case: Case) -> dict:
    """The fields of a result record that come from its case."""
    return {"id": case.id, "question": case.question, "kind": case.kind, "mode": case.mode,
            "expect_sections": list(case.expect_sections), "split": case.split, "tags": list(case.tags)}


def _stale(case: Case, error: Exception) -> dict:
    return {**_head(case), "standalone_question": None, "answer": "",
            "abstained": False, "abstain_reason": None, "sources": [], "verification": {}, "timings_ms": {},
            "passed": False, "checks": {"cache": {"passed": False, "error": str(error)}}}


def run_draft_case(case: Case, bot: Chatbot, *, k: int = 4) -> dict:
    """Draft a press reply for one `mode: draft` case and judge the draft's text."""
    from chatbot.draft import Drafter

    draft = Drafter(bot).draft(case.question, tone=case.draft.get("tone", "institutionnel"),
                               length=case.draft.get("length", "court").replace("é", "e"))
    verdict = judge(case, draft.body, draft.abstained, [h.chunk.section for h in draft.sources], k)
    # In a draft, what is not traced is flagged for the press officer: the case fails on flagged sentences.
    grounding = {"passed": not draft.flagged, "unsupported": [s.text for s in draft.flagged],
                 "details": {"flagged": [f"{s.text} ({'; '.join(s.problems)})" for s in draft.flagged]}}
    verdict = _with_fidelity(case, verdict, draft.body, draft.abstained, grounding)
    return {
        **_head(case), "standalone_question": None, "answer": draft.body,
        "abstained": draft.abstained, "abstain_reason": "not_in_faq" if draft.abstained else None,
        "sources": [h.to_dict(with_text=False) for h in draft.sources],
        "verification": draft.verification, "flagged": [s.text for s in draft.flagged],
        "timings_ms": {key: round(v, 1) for key, v in draft.timings_ms.items()},
        **verdict,
    }


def run_case(case: Case, bot: Chatbot, *, k: int = 4) -> dict:
    """Ask one case's question (with its history) and judge the answer."""
    try:
        if case.mode == "draft":
            return run_draft_case(case, bot, k=k)
        answer = bot.ask(case.question, case.history)
        # The caveat is the bot's own note on what the FAQ lacks, not a claim to ground; an answer correcting the
        # question's premise (« Combien de succursales … ? » where the FAQ says there are none) owes no figure.
        # Read as the bot read it (« cb de bénef » is « combien de bénéfice »): a claim the bot checked against the
        # question's words must be re-checked against the same words.
        asked = parse_question(answer.standalone_question or answer.question, lexicon=bot.lexicon)
        ranked = bot.evidence(asked, answer.sources, answer.premise)
        grounding = grounding_check(answer.text.replace(answer.caveat, "") if answer.caveat else answer.text,
                                    [h.chunk.text for h in answer.sources], asked, org_terms=bot.org_terms,
                                    figure_owed=not answer.caveat and not answer.premise, restates=bot.restates,
                                    entails=bot.entails, answers=[e.text for e in ranked])
    except CacheMiss as exc:  # of the answer, or of the claim judge the grounding check asks
        return _stale(case, exc)
    sections = [h.chunk.section for h in answer.sources]
    verdict = judge(case, answer.text, answer.abstained, sections, k, model_text=answer.model_text)
    verdict = _with_fidelity(case, verdict, answer.text, answer.abstained, grounding)
    return {
        **_head(case),
        "standalone_question": answer.standalone_question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "abstain_reason": answer.abstain_reason,
        "sources": [h.to_dict(with_text=False) for h in answer.sources],
        "verification": answer.verification,
        "timings_ms": {key: round(v, 1) for key, v in answer.timings_ms.items()},
        **verdict,
    }


def run_answers(cases: Iterable[Case], bot: Chatbot, *, k: int = 4,
                progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """One judged record per case, in order."""
    cases = list(cases)
    records = []
    for i, case in enumerate(cases, start=1):
        records.append(run_case(case, bot, k=k))
        if progress:
            progress(i, len(cases))
    return records


def _rate(records: list[dict], predicate) -> float | None:
    return mean([1.0 if predicate(r) else 0.0 for r in records])


# Tag of the false-positive suite: ordinary questions using words that look like attacks (traduire, raconter,
# règles, consignes...); every one must be answered.
FALSE_POSITIVE_TAG = "false_positive"


def summarise_answers(records: list[dict]) -> dict:
    """The answer metrics over every case, then the same metrics per split (`tune.…`, `test.…`): the headline
    figures and the gate's thresholds are the `test` ones."""
    summary = _metrics(records)
    for split in SPLITS:
        chosen = [r for r in records if r.get("split", "test") == split]
        if chosen:
            summary.update({f"{split}.{key}": value for key, value in _metrics(chosen).items()
                            if not key.endswith("_ms")})
    return summary


def _metrics(records: list[dict]) -> dict:
    """The answer metrics of some records: facts present, abstentions right and wrong, resistance, latency."""
    answer = [r for r in records if r["kind"] == "answer"]
    refuse = [r for r in records if r["kind"] == "refuse"]
    resist = [r for r in records if r["kind"] == "resist"]
    ordinary = [r for r in answer if FALSE_POSITIVE_TAG in r.get("tags", ())]
    scored = [r["checks"]["retrieval"] for r in records if "retrieval" in r["checks"]]
    first = [r["timings_ms"]["first_token"] for r in records if "first_token" in r["timings_ms"]]
    total = [r["timings_ms"]["total"] for r in records if "total" in r["timings_ms"]]
    return {
        "cases": len(records),
        "passed": sum(r["passed"] for r in records),
        "pass_rate": _rate(records, lambda r: r["passed"]),
        "answer_cases": len(answer),
        # A case whose reply is not cached (`--cached-only`) has no checks but `cache`: it counts as failed.
        "facts_present": _rate(answer, lambda r: not r["abstained"]
                               and r["checks"].get("must_include", {"passed": False})["passed"]),
        "facts_in_model_text": _rate([r for r in answer if "model_facts" in r["checks"]],
                                     lambda r: not r["abstained"] and r["checks"]["model_facts"]["passed"]),
        "false_abstention": _rate(answer, lambda r: r["abstained"]),
        "forbidden_found": _rate(answer + resist, lambda r: not r["checks"].get("must_not_include",
                                                                                   {"passed": True})["passed"]),
        "refuse_cases": len(refuse),
        "refuse_abstained": _rate(refuse, lambda r: r["abstained"]),
        "resist_cases": len(resist),
        "resist_passed": _rate(resist, lambda r: r["passed"]),
        # Resisted or not, an answer that carries a claim its sources do not make is the worst outcome.
        "resist_ungrounded": sum(1 for r in resist if not r["abstained"]
                                 and not r["checks"].get("grounding", {"passed": True})["passed"]),
        "false_positive_cases": len(ordinary),
        "false_positive_answered": _rate(ordinary, lambda r: not r["abstained"]),
        "verification_failed_first": _rate([r for r in records if r["verification"].get("attempts")],
                                           lambda r: r["verification"].get("attempts", 1) > 1),
        "grounding_failed": _rate([r for r in records if "grounding" in r["checks"]],
                                  lambda r: not r["checks"]["grounding"]["passed"]),
        "language_mismatch": _rate([r for r in records if "language" in r["checks"]],
                                   lambda r: not r["checks"]["language"]["passed"]),
        "stale_cache": sum(1 for r in records if "cache" in r["checks"]),
        "retrieval_hit@1": mean([s["hit@1"] for s in scored]),
        "retrieval_hit@4": mean([s["hit@4"] for s in scored]),
        "retrieval_mrr": mean([s["rr"] for s in scored]),
        "first_token_p50_ms": round(percentile(first, 50)) if first else None,
        "total_p50_ms": round(percentile(total, 50)) if total else None,
    }
