"""`faqbot calibrate`: the chatbot's score thresholds, derived from the `tune` cases for this embedder and FAQ.

Scores mean different things for different embedders (EmbeddingGemma's cosines spread from 0 to 0.8,
multilingual-e5's crowd between 0.7 and 0.9) and for different FAQs, so each threshold is chosen on the
`tune` cases of the FAQ, with the index it will serve, and stored beside that index (`thresholds.json`,
recorded in the manifest). `test` cases are never looked at: they measure the result.

Each threshold separates the cases that should pass a gate from those that should not, at the cut with the
lowest cost (errors, a wrongly passed case weighing NEGATIVE_COST): with SMOOTH_MIN cases on each side, the lowest
expected cost under each side's score distribution as Gaussian kernels estimate it (a next unseen question falls
where those distributions put it, not on one of the scores seen); with fewer, the lowest count of errors and, among
equally good cuts, the middle of the widest gap between the scores. The gates, in the order the chatbot
applies them:

- `off_topic`: best passage score. Answerable questions should pass; must-abstain questions that no other
  rule refuses (requests outside the remit, facts the passages lack) should not. A question naming one of the
  FAQ's own names passes whatever its score, so it does not count; nor does one tagged `not_in_faq`: it is on the
  FAQ's subject by its writer's label (« Combien de dettes a le groupe ? »), so it scores like the answerable ones,
  and counting it moved the cut over answerable questions without stopping it (the fact rules and the model do).
- `quote_min`: best passage score of the questions the LLM gets. When the model declines, an answerable
  question deserves a quote of the FAQ; a must-abstain one does not.
- `overrule_min`: best sentence score at which a quote replaces a declining model without the word-overlap guard.
  Which questions the model declines only an LLM run shows, so this one keeps the embedder's default (the
  report says so) and `faqbot eval` measures it.
- `cross_quote_z`: how far the best sentence must stand out from all the FAQ's sentences before it is quoted for a
  question in another language the model declined or failed to ground. Kept at its default for the same reason.
- `cross_polar_z`: the same for a yes/no question in another language that the model declined. Kept at its default
  for the same reason.

A threshold needs at least MIN_CASES cases on each side; otherwise the embedder's default stays, and the report
says so. A case let through that should have been stopped counts NEGATIVE_COST times a case wrongly stopped.
Follow-ups (their question depends on the LLM's rewrite) and press drafts are left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from chatbot.judgement import judge
from chatbot.language import faq_lexicon
from chatbot.question import parse_question
from chatbot.scope import Scope, out_of_remit, rare_term_match, retriever_terms
from chatbot.settings import Thresholds
from eval.cases import Case
from index.retriever import Retriever

# Two a side: the rules before the LLM refuse most must-abstain tune questions, and as few as two may still reach it
# (the project's FAQ, docs/quality.md); with three, a fresh calibration fell back to the hand-set quote_min (0.50,
# far above every calibrated value) and answerable cases became refusals. With none on a side, the default stays.
MIN_CASES = 2
# Letting through a case that should be stopped (a must-abstain question answered, an unrelated FAQ sentence quoted
# as the answer) costs as much as stopping this many that should pass (a refusal the FAQ could have answered): a
# policy choice made before calibrating, not a fitted number.
NEGATIVE_COST = 3
# The cut is placed on the sides' score distributions, estimated with Gaussian kernels, rather than on the count of
# cases each side of it, when each side has SMOOTH_MIN cases at least (kept for measurement). The count is a step
# function whose least value can jump between distant cuts as single cases are written (this project's off-topic cut
# went 0.204 -> 0.248 -> 0.212 within a day of tune cases, each time held by one case); the expected cost under the
# estimated distributions moves little (docs/quality.md). Fewer cases than SMOOTH_MIN estimate no distribution.
SMOOTHED_CUT = True
SMOOTH_MIN = 20
SMOOTH_GRID = 2001
# A cut that moves by more than this when one tune case is left out is held by that case alone: the report names it,
# since a threshold no other case pins may move again with the next case written (docs/quality.md).
HELD_MOVE = 0.005


@dataclass(frozen=True)
class Sample:
    """What the thresholds see of one tune case."""

    case_id: str
    kind: str
    best: float  # best passage score
    sentence: float  # best sentence score among the prompt passages (-1 when none)
    rescued: bool  # names one of the FAQ's own names found in a retrieved passage
    remit: bool  # refused as out of the assistant's remit, before any score
    fact_refused: bool  # refused because the passages lack the kind of fact asked for
    on_topic: bool = False  # tagged `not_in_faq`: about the FAQ's subject, a fact it lacks (no score can tell)
    language: str = "fr"


@dataclass(frozen=True)
class Cut:
    """One calibrated threshold and the evidence for it."""

    name: str
    value: float
    default: float
    calibrated: bool
    positives: int
    negatives: int
    errors: int = 0
    below: float | None = None  # the nearest case score under the cut
    above: float | None = None  # and above it
    note: str = ""
    held: tuple[tuple[str, float], ...] = ()  # cases that alone hold the cut (leaving one out moves it): id, cut

    def to_dict(self) -> dict[str, object]:
        """JSON form (the manifest and `faqbot calibrate --json`)."""
        out: dict[str, object] = {"value": round(self.value, 4), "default": self.default,
                                  "calibrated": self.calibrated, "positives": self.positives,
                                  "negatives": self.negatives, "errors": self.errors}
        if self.below is not None:
            out["gap"] = [round(self.below, 4), round(self.above, 4) if self.above is not None else None]
        if self.note:
            out["note"] = self.note
        if self.held:
            out["held_by"] = {case_id: moved for case_id, moved in self.held}
        return out


@dataclass
class Calibration:
    """The calibrated thresholds of one index, with what they were derived from."""

    cuts: list[Cut]
    tune_cases: int
    used_cases: int
    samples: list[Sample] = field(default_factory=list)

    @property
    def values(self) -> dict[str, float]:
        """The calibrated thresholds only (defaults are not stored: the chatbot has them)."""
        return {c.name: round(c.value, 4) for c in self.cuts if c.calibrated}

    def thresholds(self, base: Thresholds) -> Thresholds:
        """`base` with the calibrated values."""
        return base.with_values(self.values, origin=f"calibré sur {self.tune_cases} cas tune")

    def refused_without_llm(self, off_topic: float) -> dict[str, float]:
        """Share of the used tune cases the rules refuse before any LLM call, by kind, with this `off_topic`."""
        out = {}
        for kind in ("answer", "refuse"):
            chosen = [s for s in self.samples if s.kind == kind]
            refused = [s for s in chosen if s.remit or s.fact_refused or (s.best < off_topic and not s.rescued)]
            out[kind] = round(len(refused) / len(chosen), 4) if chosen else float("nan")
        return out


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """The standard normal distribution function, elementwise (Abramowitz and Stegun 7.1.26: error under 1.5e-7)."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * (1.0 + np.sign(x) * erf)


def _bandwidth(scores: np.ndarray) -> float:
    """Silverman's rule of thumb for a Gaussian kernel over `scores`."""
    spread = min(float(np.std(scores, ddof=1)), float(np.subtract(*np.percentile(scores, [75, 25]))) / 1.34)
    return max(0.9 * spread * len(scores) ** -0.2, 1e-4)


def _smoothed_costs(pos: np.ndarray, neg: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate cuts, and for each case (rows: positives, then negatives) its expected cost at each cut when each
    side's scores are read as the distribution a Gaussian kernel estimates from them (`_bandwidth`): the share of a
    side on the wrong side of a cut is smooth in the cut, not a step at each case."""
    cuts = np.linspace(min(pos.min(), neg.min()) - 0.01, max(pos.max(), neg.max()) + 0.01, SMOOTH_GRID)
    stopped = _normal_cdf((cuts[None, :] - pos[:, None]) / _bandwidth(pos))
    passed = NEGATIVE_COST * (1.0 - _normal_cdf((cuts[None, :] - neg[:, None]) / _bandwidth(neg)))
    return cuts, stopped, passed


def _smoothed_cut(pos: np.ndarray, neg: np.ndarray) -> float:
    """The cut of least expected cost under the sides' kernel estimates (`_smoothed_costs`)."""
    cuts, stopped, passed = _smoothed_costs(pos, neg)
    return float(cuts[int(np.argmin(stopped.sum(axis=0) + passed.sum(axis=0)))])


def separate(positives: Sequence[float], negatives: Sequence[float]) -> tuple[float, int, float | None, float | None]:
    """The cut that lets the most `positives` (score >= cut) through and stops the most `negatives` (score < cut).

    Returns (cut, errors, nearest score below, nearest score above). Ties go to the middle of the widest gap. With
    SMOOTH_MIN cases on each side, the cut of least expected cost under the sides' kernel estimates
    (`_smoothed_cut`)."""
    pos, neg = np.sort(np.asarray(positives, dtype=float)), np.sort(np.asarray(negatives, dtype=float))
    values = np.unique(np.concatenate([pos, neg]))
    if SMOOTHED_CUT and min(len(pos), len(neg)) >= SMOOTH_MIN:
        cut = _smoothed_cut(pos, neg)
        errors = int(np.searchsorted(pos, cut, side="left") + len(neg) - np.searchsorted(neg, cut, side="left"))
        under, over = values[values < cut], values[values >= cut]
        return (cut, errors, float(under[-1]) if len(under) else None, float(over[0]) if len(over) else None)
    # Candidates in ascending order: under every score, between each two, over every score.
    cuts = np.concatenate([[values[0] - 0.01], (values[:-1] + values[1:]) / 2, [values[-1] + 0.01]])
    gaps = np.concatenate([[0.0], values[1:] - values[:-1], [0.0]])
    stopped = np.searchsorted(pos, cuts, side="left")  # positives under the cut
    passed = len(neg) - np.searchsorted(neg, cuts, side="left")  # negatives at or over it
    cost = stopped + NEGATIVE_COST * passed
    tied = np.flatnonzero(cost == cost.min())
    best = int(tied[np.argmax(gaps[tied])])  # the lowest cost, then the widest gap (the first on a tie)
    below = float(values[best - 1]) if best > 0 else None
    above = float(values[best]) if best < len(values) else None
    return float(cuts[best]), int(stopped[best] + passed[best]), below, above


def held_by(positives: Sequence[tuple[str, float]], negatives: Sequence[tuple[str, float]], value: float
            ) -> tuple[tuple[str, float], ...]:
    """The cases that alone hold the cut where it is: (case id, the cut without that case) for each whose leaving
    out moves it by more than HELD_MOVE."""
    pos, neg = [v for _, v in positives], [v for _, v in negatives]
    if SMOOTHED_CUT and min(len(pos), len(neg)) > SMOOTH_MIN:
        # Each case's share of the expected cost taken out in turn (the bandwidths kept: one case moves them little).
        cuts, stopped, passed = _smoothed_costs(np.asarray(pos, dtype=float), np.asarray(neg, dtype=float))
        terms = np.concatenate([stopped, passed])
        total = terms.sum(axis=0)
        moved = cuts[np.argmin(total[None, :] - terms, axis=1)]
        return tuple((case_id, round(float(m), 4)) for (case_id, _), m in zip([*positives, *negatives], moved,
                                                                              strict=True)
                     if abs(m - value) > HELD_MOVE)
    out = []
    for side, scores, cases in ((0, pos, positives), (1, neg, negatives)):
        for i, (case_id, _) in enumerate(cases):
            rest = scores[:i] + scores[i + 1:]
            if not rest:
                continue
            moved = separate(rest, neg)[0] if side == 0 else separate(pos, rest)[0]
            if abs(moved - value) > HELD_MOVE:
                out.append((case_id, round(moved, 4)))
    return tuple(out)


def _cut(name: str, default: float, positives: list[tuple[str, float]], negatives: list[tuple[str, float]]) -> Cut:
    if len(positives) < MIN_CASES or len(negatives) < MIN_CASES:
        return Cut(name, default, default, False, len(positives), len(negatives),
                   note=f"fewer than {MIN_CASES} tune cases on a side: the embedder's default is kept")
    value, errors, below, above = separate([v for _, v in positives], [v for _, v in negatives])
    return Cut(name, value, default, True, len(positives), len(negatives), errors, below, above,
               held=held_by(positives, negatives, value))


def measure(cases: Sequence[Case], retriever: Retriever, *, k: int = 4,
            progress: Callable[[int, int], None] | None = None) -> list[Sample]:
    """Score every usable tune case the way the chatbot would (retrieval, prompt passages, sentences)."""
    org_terms = retriever_terms(retriever)
    scope = Scope.of(retriever.chunks, org_terms)
    # Every rule but the off-topic one: does another rule refuse the question whatever its score?
    other_rules = dataclasses.replace(scope, off_topic=float("-inf"))
    usable = [c for c in cases if c.split == "tune" and c.mode == "ask" and not c.history
              and c.kind in ("answer", "refuse")]
    # The question read as the chatbot reads it: its language, its misspelt words, a FAQ question named by number.
    lexicon = faq_lexicon(retriever.chunks, org_terms)
    samples = []
    for i, case in enumerate(usable, start=1):
        question = parse_question(case.question, lexicon=lexicon)
        ranked = retriever.rank(question.search_text)
        _, evidence, decision = judge(question, ranked, other_rules, retriever.evidence, k=k)
        remit = not out_of_remit(question).answer
        refused = not decision.answer
        samples.append(Sample(
            case.id, case.kind, ranked[0].score if ranked else 0.0, evidence[0].score if evidence else -1.0,
            rare_term_match(question, ranked[:k], scope.names), remit, refused and not remit,
            "not_in_faq" in case.tags, question.language))
        if progress:
            progress(i, len(usable))
    return samples


def calibrate(cases: Sequence[Case], retriever: Retriever, defaults: Thresholds, *, k: int = 4,
              progress: Callable[[int, int], None] | None = None) -> Calibration:
    """Derive `off_topic`, `quote_min` and `overrule_min` from the tune cases (see the module docstring)."""
    samples = measure(cases, retriever, k=k, progress=progress)
    scored = [s for s in samples if not s.remit]
    off_topic = _cut("off_topic", defaults.off_topic,
                     [(s.case_id, s.best) for s in scored if s.kind == "answer" and not s.rescued],
                     [(s.case_id, s.best) for s in scored if s.kind == "refuse" and not s.rescued and not s.fact_refused
                      and not s.on_topic])
    # The questions the LLM gets with that cut: they passed every rule that needs no model.
    asked = [s for s in scored if (s.best >= off_topic.value or s.rescued) and not s.fact_refused]
    quote_min = _cut("quote_min", defaults.quote_min, [(s.case_id, s.best) for s in asked if s.kind == "answer"],
                     [(s.case_id, s.best) for s in asked if s.kind == "refuse"])
    strong = [s for s in asked if s.best >= quote_min.value and s.sentence >= 0]
    # overrule_min lets a quote replace a declining model without the word-overlap guard of the other fallback: the
    # cases it matters for are those the model declines, which only an LLM run shows. It keeps its default here;
    # `faqbot eval` measures its effect end to end.
    overrule_min = Cut("overrule_min", defaults.overrule_min, defaults.overrule_min, False,
                       sum(s.kind == "answer" for s in strong), sum(s.kind == "refuse" for s in strong),
                       note="needs the model's refusals (measured by faqbot eval): the embedder's default is kept")
    # cross_quote_z, like overrule_min, matters only for the questions in another language that the model declines or
    # fails to ground: it keeps its default (a z-score, the same for every embedder) and `faqbot eval` measures it.
    crossing = [s for s in asked if s.language != "fr"]
    cross_quote_z, cross_polar_z = (
        Cut(name, getattr(defaults, name), getattr(defaults, name), False, sum(s.kind == "answer" for s in crossing),
            sum(s.kind == "refuse" for s in crossing),
            note="needs the model's refusals (measured by faqbot eval): the default is kept")
        for name in ("cross_quote_z", "cross_polar_z"))
    tune = sum(c.split == "tune" for c in cases)
    return Calibration([off_topic, quote_min, overrule_min, cross_quote_z, cross_polar_z], tune, len(samples),
                       samples)

