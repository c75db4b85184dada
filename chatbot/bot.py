"""The chatbot: rewrite a follow-up, retrieve, decide, prompt, stream, cite, verify.

`Chatbot.stream()` yields events as they happen, so an interface can show the sources before the first
token and the tokens as they arrive; `Chatbot.ask()` returns the finished `Answer`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from chatbot.answer import Answer, Quote
from chatbot.backends.base import LLM, stop_early
from chatbot.citations import CitationRenumberer, attach_missing, fix_citations, renumber, without_unfinished
from chatbot.claims import (
    MISPLACED_FIGURE,
    NOT_STATED,
    ClaimVerdict,
    counts_persons,
    is_english,
    without_opener,
    without_unowed_figures,
    without_wrong_openers,
)
from chatbot.context import Context, select_context
from chatbot.counted import counts_the_same
from chatbot.entailment import Entailment
from chatbot.evidence import for_question, is_sentence, quote_block, to_quote
from chatbot.evidence import to_json as evidence_json
from chatbot.extractive import contact_answer, extractive_answer, rankings_answer
from chatbot.followup import heuristic_rewrite, needs_rewrite, rewrite
from chatbot.judgement import judge
from chatbot.language import faq_lexicon, tells_language
from chatbot.negation import denies
from chatbot.numbered import numbered_questions
from chatbot.numbers import mended_thousands
from chatbot.outline import outline_asked, quotes_for, with_outline
from chatbot.prompts import ANSWER_MARKER, NO_ANSWER, answer_messages, prefix_marker, system_prompt_fragments
from chatbot.question import TASKS, Question, parse_question, read_question
from chatbot.reasons import Reason
from chatbot.refusal import caveat_text, is_refusal_phrase, refusal_text
from chatbot.repetition import REPEATS_DROPPED, without_repeats
from chatbot.restatement import restatement_for
from chatbot.scope import Decision, Scope, foreign_to_faq, speaker_terms
from chatbot.settings import LENGTHS, ChatSettings, Thresholds, resolve_thresholds
from chatbot.verify import Verification, figures, gives_rank, verify
from index.retriever import Evidence, Hit, Retriever
from ingest import Profile, find_contact_details
from ingest.normalize import normalize

History = Sequence[tuple[str, str]]
# Show the model the FAQ sentence that answers best, after the question (chatbot/prompts.py). Off: measured on the
# tune split with the same replies otherwise, it made the 1.5B model copy fragments (passed 199 vs 201, facts in its
# own words 50.6 % vs 52.4 %, adversarial resisted 84.4 % vs 90.6 %) and cost about 1.5 s before the first token.
# (French questions only when on: the sentence is French.)
LEAD = False
# In a question whose figure is the part the FAQ lacks, cut an answer's invented figure and keep the rest (measured).
UNOWED_FIGURES = True
# « Oui » or « Non » answers no open question (« Pourquoi … ? », « Qu'attend … ? »): an answer opening with one, mostly the
# FAQ's own copied with its sentence (« Oui, le club porte … »), loses it (`_attempt`; kept for measurement).
OPEN_QUESTION_OPENER_DROPPED = True
# A « Oui » to a statement no source states is not cut from an answer the topic check rejected (kept for measurement).
OPENER_KEEPS_TOPIC = True
# An English question resting on a premise the FAQ denies is held to English like any English question (`_attempt`).
PREMISE_LANGUAGE = True
# A declined yes/no question whose nearest sentence is a denial may be quoted by a sentence sharing one of its words
# only when that sentence denies too (`_fallback_quote`; kept for measurement).
LONE_WORD_DENIES = True
# A count the FAQ lacks in a question of several parts (its caveat), or one the FAQ denies (its premise), is not owed:
# the quote answering the rest need not count it, nor is a figure the model took from another sentence a reason to
# quote nothing (`_fallback_quote`; kept for measurement).
UNOWED_COUNT_QUOTED = True
# A declined question whose premise the FAQ denies is quoted the denial whatever its passages' score (`_fallback_quote`;
# kept for measurement).
PREMISE_QUOTED = True
# A premise the question takes for granted without naming it is quoted its denial with no word shared (`_fallback_quote`,
# kept for measurement).
PRESUMED_QUOTED = True
NO_LLM = Reason("aucun modèle de langue n'est configuré", "no language model is configured")
NOT_IN_PASSAGES = Reason("les extraits de la FAQ ne contiennent pas cette information",
                         "the FAQ passages do not contain this information")


# Small models sometimes copy the instruction that follows the question into their answer.
_ECHOED_INSTRUCTION = re.compile(r"\(?(?:Recopie les phrases qui répondent|Réponds en (?:une|un paragraphe)|"
                                 r"Les extraits les plus utiles|The question is in English: answer (?:it )?in English)"
                                 r"[^)\n]*\)?\.?", re.IGNORECASE)


def _lead(context: Context, evidence: Sequence[Evidence]) -> tuple[int, str] | None:
    """The best-ranked sentence and the prompt number of its passage, to show the model after the question."""
    best = next((e for e in evidence[:1] if is_sentence(e.text)), None)
    if best is None:
        return None
    number = next((n for n, h in enumerate(context.prompt, start=1) if h.chunk.chunk_id == best.hit.chunk.chunk_id),
                  None)
    return (number, best.text) if number is not None else None


@dataclass(frozen=True)
class Rewritten:
    """The follow-up was rewritten into this standalone question."""

    question: str


@dataclass(frozen=True)
class Sources:
    """The passages the answer will rest on (best first), known before the first token."""

    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Token:
    """A piece of answer text."""

    text: str


@dataclass(frozen=True)
class Replace:
    """Everything streamed so far is replaced by `text` (verification or abstention changed the answer)."""

    text: str
    reason: str


@dataclass(frozen=True)
class Done:
    """The finished answer."""

    answer: Answer


Event = Rewritten | Sources | Token | Replace | Done


def _figure_owed(decision: Decision) -> bool:
    """Whether the figure a question asks is owed by its quote: not when it is the part the FAQ lacks (the caveat) or
    what the FAQ denies (the premise), under `UNOWED_COUNT_QUOTED`."""
    return not (UNOWED_COUNT_QUOTED and (decision.caveat or decision.premise))


def _only_misplaced(claims: Sequence[ClaimVerdict]) -> bool:
    """True when the claims carrying a figure all give a FAQ figure for what the FAQ does not give it for."""
    figured = [c for c in claims if c.verdict != "not_checked" and figures(c.text)]
    return bool(figured) and all(c.detail == MISPLACED_FIGURE for c in figured)


@dataclass
class _Attempt:
    """One candidate answer and what the checks said of it."""

    raw: str
    text: str = ""
    kind: str = "llm"  # llm, strict (regenerated with the stricter prompt) or extractive
    abstain: str | None = None
    checked: Verification | None = None

    @property
    def verification(self) -> dict:
        """The checks in JSON form (empty when the attempt was not verified)."""
        return self.checked.to_dict() if self.checked else {}

    @property
    def passed(self) -> bool:
        return bool(self.checked and self.checked.passed)


class Chatbot:
    """Answers questions about the FAQ from retrieved passages, with citations, abstention and verification."""

    def __init__(self, retriever: Retriever, llm: LLM | None, settings: ChatSettings | None = None, *,
                 profile: Profile | None = None, thresholds: Thresholds | None = None,
                 org_terms: frozenset[str] | None = None) -> None:
        self.retriever = retriever
        self.llm = llm
        self.settings = settings or ChatSettings()
        chunks = retriever.chunks
        self.sections = dict(numbered_questions(chunks))
        # The organisation and the thresholds come with the index (see index.load_retriever), unless given.
        self.profile = profile or retriever.profile or Profile(contact=find_contact_details(chunks))
        self.thresholds = thresholds or resolve_thresholds(retriever.embedder_key, retriever.thresholds)
        self.contact = self.profile.contact.summary()
        # The organisation's own name (folded words): every question and answer holds it, so it proves nothing.
        self.org_terms = frozenset(org_terms) if org_terms is not None else speaker_terms(self.profile.name_forms,
                                                                                          chunks)
        # The FAQ's words, its name apart: they tell the language of a terse question (chatbot/language.py).
        # And its questions by number, as refusals list them, which a question may name (chatbot/numbered.py).
        self.lexicon = faq_lexicon(chunks, self.org_terms)
        self.scope = Scope.of(chunks, org_terms=self.org_terms, off_topic=self.thresholds.off_topic,
                              close=self.thresholds.overrule_min)
        self._leaks = [normalize(f) for f in system_prompt_fragments(self.profile)]
        self._checked = False
        self._retrieval_lock = threading.Lock()
        # A claim in English is checked against the French FAQ by sentence similarity (chatbot/restatement.py); a
        # retriever without an embedder (the tests' scripted ones) leaves the word checks alone.
        self.restates = restatement_for(getattr(retriever, "embedder", None), self.thresholds.restate_min,
                                        lock=self._retrieval_lock, singles_out=self._singles_out)
        # A claim whose words the checks cannot count is read by the LLM the bot holds at the time of the question.
        self.entails = Entailment(lambda: self.llm) if self.settings.claim_judge else None

    def _singles_out(self, words: str, texts: Sequence[str]) -> list[bool]:
        """For each of `texts`, whether it stands out among the FAQ's sentences for `words` as far as a cross-lingual
        quote must (`cross_quote_z`): the figure-free words of an English claim name what its figure is of."""
        return [z is None or z >= self.thresholds.cross_quote_z for z in self.retriever.sentence_z(words, texts)]

    @property
    def backend_name(self) -> str:
        """Name of the LLM backend (or `none`)."""
        return self.llm.name if self.llm else "none"

    @property
    def model_name(self) -> str:
        """Name of the LLM (or `none`)."""
        return self.llm.model if self.llm else "none"

    def _llm(self) -> LLM | None:
        if self.llm is not None and not self._checked:
            self.llm.check()  # fails within the connect timeout, naming the address and the fix
            self._checked = True
        return self.llm

    def rank(self, query: str) -> list[Hit]:
        """Every FAQ chunk scored for `query` (one query at a time: the embedder is shared)."""
        with self._retrieval_lock:
            return self.retriever.rank(query)

    def evidence(self, question: Question, hits: Sequence[Hit], premise: Sequence[str] = ()) -> list[Evidence]:
        """The sentences of `hits`, best answer to `question` first."""
        return for_question(question, self._sentences(question.search_text, hits), premise)

    def _sentences(self, query: str, hits: Sequence[Hit]) -> list[Evidence]:
        with self._retrieval_lock:  # the embedder is shared: one query at a time
            return self.retriever.evidence(query, hits)

    def outline(self, question: Question, ranked: Sequence[Hit]) -> list[Evidence]:
        """The subheadings of a section `question` asks the list of (`chatbot.outline.outline_asked`); an English
        word is the French list noun when the embedder reads it as its translation (the restatement bar)."""
        restates = self.restates
        translates = None if restates is None else (lambda word, noun: restates(word, [noun])[0])
        return outline_asked(question, ranked, k=self.settings.k, ignore=self.scope.org_terms, translates=translates)

    def distinctness(self, question: Question) -> float:
        """How far the FAQ sentence closest to `question` stands out from all the others (Retriever.distinctness)."""
        with self._retrieval_lock:
            return self.retriever.distinctness(question.search_text)

    def verify(self, answer: str, passages: Sequence[str], question: Question | str, *, figure_owed: bool = True,
               language: str | None = None, evidence: Sequence[Evidence] = ()) -> Verification:
        """`chatbot.verify.verify` with this FAQ's organisation name, this embedder's restatement test, the LLM's
        claim judge and the passages' sentences as ranked for the question (`evidence`)."""
        return verify(answer, passages, question, org_terms=self.org_terms, figure_owed=figure_owed, language=language,
                      restates=self.restates, entails=self.entails, answers=[e.text for e in evidence],
                      answer_scores=[e.score for e in evidence], ranks=self.scope.ranks)

    def judge(self, question: Question, ranked: Sequence[Hit]) -> tuple[Context, list[Evidence], Decision]:
        """The passages for `question`, their sentences ranked, and whether the FAQ can answer it
        (`chatbot.judgement.judge`, which `faqbot calibrate` runs too)."""
        return judge(question, ranked, self.scope, self._sentences, k=self.settings.k)

    def ask(self, question: str, history: History = (), *, length: str | None = None) -> Answer:
        """Answer `question` (with the conversation so far) and return the finished answer."""
        for event in self.stream(question, history, length=length):
            if isinstance(event, Done):
                return event.answer
        raise RuntimeError("the answer stream ended without an answer")  # pragma: no cover

    def refusal(self, detail: str, language: str, ranked: Sequence[Hit] = ()) -> str:
        """The abstention text for this FAQ (a long FAQ lists the questions closest to `ranked`)."""
        return refusal_text(detail, self.sections, self.contact, language=language, profile=self.profile,
                            closest=[h.chunk.section for h in ranked])

    def warm_up(self) -> int:
        """Save the llama.cpp state of every section's prompt prefix; returns how many were computed."""
        if self.llm is None:
            return 0
        llm = self._llm()
        return sum(bool(llm and llm.warm(messages, ANSWER_MARKER)) for _, messages in self.warm_prompts())

    def warm_prompts(self) -> list[tuple[int | None, list]]:
        """(section, messages) whose prompt prefix up to ANSWER_MARKER every answer on that section shares (the
        answer length and the question only change what follows it)."""
        out = []
        for section in [*sorted(self.sections), None]:
            ranked = [h for h in self._all_hits() if h.chunk.section == section]
            if ranked:
                out.append((section, answer_messages("?", select_context(ranked).prompt, profile=self.profile)))
        return out

    def _all_hits(self) -> list[Hit]:
        return [Hit(c, 1.0, 1.0, 0.0, i) for i, c in enumerate(self.retriever.chunks, start=1)]

    def stream(self, question: str, history: History = (), *, length: str | None = None) -> Iterator[Event]:
        """Answer `question`, yielding events: [Rewritten], Sources, Token..., [Replace], Done."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        length = length or self.settings.length
        asked = parse_question(question, lexicon=self.lexicon)  # cleaned and classified once; the stages share it
        language = asked.language
        standalone = asked
        rewritten = None
        # A follow-up in words the FAQ never uses asks about something else: it is not rewritten nor joined to the
        # conversation (joined, "Et la météo demain ?" would borrow the last question's subject and be answered).
        if needs_rewrite(asked, history) and not foreign_to_faq(asked, self.scope):
            t = time.perf_counter()
            rewritten = rewrite(asked.text, history, self._llm(), profile=self.profile)
            standalone = read_question(rewritten, lexicon=self.lexicon)
            if asked.accounts:
                # The account the user named is the one asked: a rewrite may trade it for the last answer's (« Et le
                # résultat en 2019 ? » after the turnover rewritten « En 2019, le chiffre d'activité … ? »).
                standalone = replace(standalone, accounts=asked.accounts)
            timings["rewrite"] = (time.perf_counter() - t) * 1000
            yield Rewritten(rewritten)

        t = time.perf_counter()
        ranked = self.rank(standalone.search_text)
        hits = ranked[: self.settings.k]
        timings["retrieval"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        context, evidence, decision = self.judge(standalone, ranked)
        timings["evidence"] = (time.perf_counter() - t) * 1000

        def number(item: Evidence) -> int | None:
            return context.number_of_evidence(item)  # the context may change below: look it up late

        def finish(text: str, sources: Sequence[Hit], *, abstained: bool, reason: str | None,
                   verification: dict, model_text: str = "", quotes: Sequence[Evidence] = (),
                   caveat: str = "", claims: tuple[ClaimVerdict, ...] = ()) -> Done:
            timings["total"] = (time.perf_counter() - started) * 1000
            return Done(Answer(
                question=asked.typed or asked.text, text=text, abstained=abstained, sources=tuple(sources),
                backend=self.backend_name, model=self.model_name, timings_ms=dict(timings),
                standalone_question=rewritten, abstain_reason=reason, verification=verification,
                notice=asked.notice, model_text=model_text, caveat=caveat, claims=claims,
                premise=tuple(decision.premise),
                quotes=tuple(Quote(number(q), q.hit.chunk.section, q.text, q.score) for q in quotes),
            ))

        if (decision.reason == "out_of_scope" and rewritten is not None
                and not foreign_to_faq(standalone, self.scope)):
            # A rewrite can lose the subject ("Combien de pays est-il présent ?") and look off-topic: before
            # declining, retrieval tries the conversation's last question joined to the follow-up; the model still
            # gets the rewrite. (Not for a fact the FAQ lacks, "not_in_faq": the rewrite named it, as it should;
            # nor for a rewrite mostly in words the FAQ never uses, « le vainqueur de la Coupe du monde »: it has
            # its own subject, elsewhere. An English follow-up is judged here, by its French rewrite.)
            t = time.perf_counter()
            joined = read_question(heuristic_rewrite(asked.text, history))
            joined_ranked = self.rank(joined.search_text)
            joined_context, _, joined_decision = self.judge(joined, joined_ranked)
            if joined_decision.answer:
                ranked, context, decision = joined_ranked, joined_context, joined_decision
                hits = ranked[: self.settings.k]
                evidence = self.evidence(standalone, context.sources, decision.premise)
            timings["retrieval"] += (time.perf_counter() - t) * 1000
        # A question asking for the list a section gives as its subheadings: they are quoted, so their passages are
        # sources (chatbot/outline.py).
        outline = self.outline(standalone, ranked) if decision.answer else []
        context = with_outline(context, outline)
        if not decision.answer or self.llm is None:
            detail = decision.detail if not decision.answer else NO_LLM
            sources = context.sources if decision.reason == "not_in_faq" else tuple(hits)
            yield Sources(tuple(sources))
            text = self.refusal(detail, language, ranked)
            yield Token(text)
            yield finish(text, sources, abstained=True, reason=decision.reason or "no_llm",
                         verification={"checks": [], "decided_by": "retrieval"})
            return

        yield Sources(context.sources)
        llm = self._llm()
        assert llm is not None
        passages = [h.chunk.text for h in context.sources]
        # A question that presupposes what the FAQ denies is answered by the denial: no figure is owed.
        checked: Question | str = "" if decision.premise else standalone  # typed: verification reads it as is
        # A question in several parts whose figure the FAQ lacks: no figure is owed (the caveat says it is missing;
        # telling the model so in the prompt made it decline or drift on `tune`, so the prompt is unchanged).
        figure_owed = not decision.caveat
        max_tokens = LENGTHS.get(length, self.settings.max_tokens)  # the reply's budget, for each generation
        attempt, shown = yield from self._stream_attempt(llm, standalone.text, context, length, language, timings,
                                                         started, premise=bool(decision.premise), checked=checked,
                                                         evidence=evidence, figure_owed=figure_owed,
                                                         max_tokens=max_tokens)
        tried = [attempt]
        # Retrieval's own verdict, by the calibrated bars: a well-scored passage (strong) holding a sentence that
        # answers the question closely (close).
        strong = bool(hits) and hits[0].score >= self.thresholds.quote_min
        close = strong and bool(evidence) and evidence[0].score >= self.thresholds.overrule_min
        # A rejected first answer is generated again, strictly, unless a FAQ sentence answers closely: then that
        # sentence is quoted at once (the second generation costs seconds on a CPU and, on `tune`, changed no
        # verdict of such cases).
        if attempt.abstain is None and not attempt.passed and not close:
            t = time.perf_counter()
            strict_messages = answer_messages(standalone.text, context.prompt, length=length, strict=True,
                                              language=language, profile=self.profile)
            reply = llm.complete(strict_messages, max_tokens=max_tokens, reuse_prefix=prefix_marker(context.prompt))
            tried.append(self._attempt(reply, context, checked, kind="strict", timings=timings,
                                       figure_owed=figure_owed, language=language, evidence=evidence,
                                       max_tokens=max_tokens))
            timings["regeneration"] = (time.perf_counter() - t) * 1000
        last = tried[-1]
        declined = last.abstain == "model"
        if declined or (last.abstain is None and not last.passed):
            # A figure asked in another language, answered only with FAQ figures the FAQ gives for something else
            # (`claims.MISPLACED_FIGURE`: « hired 12 guides » from « … a ouvert 12 refuges »): the sentence holding them
            # answers another question, and quoting it as the answer would repeat the mistake in the FAQ's words.
            # Only for a figure asked (a long answer to an open question may carry such a claim beside right ones, and
            # its quote answers), and only when every claim with a figure was so judged (« … 12 of them » beside a
            # mistyped « 3, 000 » is an anaphora the sentence index cannot read, not a figure taken for another).
            # A figure not owed (the part the FAQ lacks, or one it denies) is no such mistake: the quote answers the rest.
            misplaced = (_figure_owed(decision) and standalone.asks_figure
                         and any(_only_misplaced(a.checked.claims) for a in tried if a.checked))
            quote = None if misplaced else self._fallback_quote(
                standalone, context, evidence, decision, language=language, declined=declined, strong=strong,
                close=close, figure_owed=figure_owed, outline=outline)
            if quote and figure_owed and standalone.asks_rank and not gives_rank(quote):
                # A position in a ranking asked, and the FAQ's nearest words give none: quoting them would answer
                # another question (« Quel est le rang du club dans le secteur X ? » by what the club does in X).
                quote = None
            if quote:
                t = time.perf_counter()
                tried.append(_Attempt(raw=quote, text=quote, kind="extractive",
                                      checked=self.verify(quote, passages, checked, figure_owed=figure_owed,
                                                          evidence=evidence)))
                timings["verification"] = timings.get("verification", 0.0) + (time.perf_counter() - t) * 1000
            elif not declined:
                tried.append(_Attempt(raw="", kind="extractive", abstain="unverifiable"))
        final = tried[-1]
        # A question in several parts: the part the FAQ does not answer is said, the rest answered.
        caveat = caveat_text(decision.caveat, language) if decision.caveat else ""
        if final.abstain:
            caveat = ""
            detail = TASKS["abuse"] if final.abstain == "out_of_remit" else NOT_IN_PASSAGES
            text = self.refusal(detail, language, ranked)
            quotes = []
        else:
            # The FAQ's own words for what the answer leaves out (see chatbot/evidence.py).
            # In English too, under an English lead saying they are in French (the words a press officer can cite).
            t = time.perf_counter()
            quotes = quotes_for(final.text, evidence, outline)
            text = final.text + (f"\n\n{caveat}" if caveat else "") + (
                "\n\n" + quote_block(quotes, number, language=language) if quotes else "")
            timings["quotes"] = (time.perf_counter() - t) * 1000
        verification = {**final.verification, "attempts": len(tried),
                        "final": "refusal" if final.abstain else final.kind, "quoted": evidence_json(quotes, number)}
        if len(tried) > 1:
            verification["rejected"] = [{"kind": a.kind, **a.verification} for a in tried[:-1] if a.verification]
        if shown and text.startswith(shown) and text != shown:
            yield Token(text[len(shown):])  # the quotes follow the streamed answer
        elif text != shown:
            yield Replace(text, final.abstain or final.kind) if shown else Token(text)
        yield finish(text, context.sources, abstained=bool(final.abstain), reason=final.abstain,
                     verification=verification, quotes=quotes, caveat=caveat,
                     claims=tuple(final.checked.claims) if final.checked and not final.abstain else (),
                     model_text="" if final.abstain or final.kind == "extractive" else final.text)

    def _fallback_quote(self, question: Question, context: Context, evidence: Sequence[Evidence], decision: Decision,
                        *, language: str, declined: bool, strong: bool, close: bool, figure_owed: bool,
                        outline: Sequence[Evidence] = ()) -> str | None:
        """The FAQ's own words that replace a declined or rejected answer (its contact lines, the headings it asks
        for (`outline`), the close sentences, or the best sentence under the guards below); None when nothing answers
        clearly: the question is refused."""
        number = context.number_of_evidence
        # Retrieval judged the question answerable, yet the model declined or could not stay within the
        # passages: quote the FAQ sentence that answers, when one clearly does (a declining model needs a
        # strong match: a well-scored passage, and a sentence that answers closely or shares two of the
        # question's words), else refuse.
        # Asked for a phone number, an address...: the FAQ's own detail lines answer, whatever the model did.
        # A count is no contact line: « Combien de visiteurs le site reçoit-il ? » is not answered by the site's address.
        contact = None if "count" in question.asks else contact_answer(question, context.sources, number,
                                                                         language=language)
        if contact:
            return contact
        if outline:
            return quote_block(outline, number, language=language, lead=True)
        # Where the organisation leads, no field named: its rankings answer, in any language and whatever the model
        # did (the closest sentences speak of its fields in general, and no ranked line shares the question's words).
        rankings = rankings_answer(question, evidence, number, language=language, ignore=self.scope.org_terms,
                                   ranks=self.scope.ranks) if figure_owed else None
        if rankings:
            return rankings
        # A count that is the part the FAQ lacks (a caveat says so) or that the FAQ denies is no count owed: the
        # quote answers the rest (« Combien de bureaux à Valbrune, et le club est-il lié à un parti ? » by its sentence on
        # parties, which counts no office).
        counted = "count" in question.asks and bool(question.count_noun) and bool(evidence) and _figure_owed(decision)
        closest = to_quote("", evidence) if counted or close else []
        if counted and not counts_the_same(question.count_noun, [e.text for e in closest],
                                           getattr(self.restates, "anchors", None), persons=counts_persons):
            # « How many staff work at the head office? », « Combien de réunions le bureau tient-il ? » are not
            # answered by the sentence that counts the board's members: the counted noun, or its cognate, must be the
            # quoted sentences', or single them out (in another language no shared word tells).
            return None
        if close:
            return quote_block(closest, number, language=language, lead=True)
        # Shared words can only be counted in the FAQ's own language: an English question shares none with
        # the French sentence that answers it, so there a strong passage decides, for an open question
        # only (a declined yes/no question may be loaded: « Is it a money-laundering front? » is not
        # answered by quoting its nearest sentence, on `tune`). In French, a sentence that is not close and
        # shares not one word with the question answers another one: « Qui a conçu le site ? » is not
        # answered by the nearest sentence about the organisation (on `tune`: two must-abstain questions
        # quoted so, no answer lost; the same rule for English, on cognates, cost more answers than it
        # stopped quotes, see docs/quality.md). A question on something the FAQ denies (« perçoit-il des
        # cotisations ? ») is answered by the denial, which shares that one word: one is enough (on `tune`, the
        # model declined 2 of 6 such questions and the two-word guard refused them).
        # In another language, the question is quoted (whether the model declined or failed verification)
        # only when its best FAQ sentence stands out from all the others (`cross_quote_z`): « Which football
        # club does it sponsor? » lies as close to a dozen sentences as to any one (on `tune`: 5 of 6 such
        # quotes stopped, 1 answer of 24 lost).
        # A declined yes/no question there needs its best sentence to stand out further (`cross_polar_z`), whether
        # that sentence denies or states: a loaded question or one on something the FAQ never mentions lies nearest
        # some sentence (« Does the club run an airline? » nearest « Le club n'a aucun actionnaire »), and no shared
        # word can tell, while « Does the club run mountain huts? » is answered by the list that names its refuges.
        cross = language != "fr"
        # A question resting on what the FAQ denies is answered by the denial the decision found, however low its
        # passages score (« Propriétaires ? », “Owners, rents?”: a terse question scores low).
        quotable = strong or not declined or (PREMISE_QUOTED and bool(decision.premise))
        if cross and quotable:
            bar = self.thresholds.cross_polar_z if declined and question.polar else self.thresholds.cross_quote_z
            quotable = self.distinctness(question) >= bar
        if not quotable:
            return None
        # In French likewise, a declined yes/no question whose best sentence is a denial needs one shared word, as a
        # denied premise does (« Le club a-t-il un propriétaire ? » by « le club n'a aucun propriétaire »); « sans »
        # is a preposition there, not a denial (« accueillir sans interruption » says nothing of the opening days).
        by_denial = not decision.premise and question.polar and bool(evidence) and denies(evidence[0].text)
        one_word = bool(decision.premise) or by_denial
        # A premise taken for granted without a word for it (« Pour qui voter ? » presumes a party) shares none with
        # the sentence denying it, ranked first for it (`evidence.PRESUMED_FIRST`): that sentence answers unshared.
        unsaid = PRESUMED_QUOTED and bool(set(decision.premise) & question.presumes)
        # That one word is the denial's: a sentence that is no denial and shares a single word of a declined question
        # shares it by chance (« Le club a-t-il une équipe de rugby ? » is not answered by « … les guides et leurs
        # équipes … » because the nearest sentence denies something else, « Le club n'a aucun actionnaire »).
        return extractive_answer(question, evidence, number, language=language,
                                 min_overlap=0 if cross or unsaid else 2 if declined and not one_word else 1,
                                 ignore=self.scope.org_terms, denial=bool(decision.premise), figure_owed=figure_owed,
                                 lone_word_denies=LONE_WORD_DENIES and declined and by_denial and not cross)

    def _stream_attempt(self, llm: LLM, question: str, context: Context, length: str, language: str,
                        timings: dict[str, float], started: float, *, premise: bool = False,
                        checked: Question | str = "", evidence: Sequence[Evidence] = (), figure_owed: bool = True,
                        max_tokens: int) -> Iterator[Event]:
        """Stream the first answer, holding back a leading HORS_FAQ and renumbering citations on the fly.

        Returns (the judged attempt, the text the user has seen)."""
        renumberer = CitationRenumberer(context.source_number)
        raw = shown = ""
        held = True
        messages = answer_messages(question, context.prompt, length=length,
                                   language=language, premise=premise, profile=self.profile,
                                   lead=_lead(context, evidence) if LEAD and language == "fr" else None)
        pieces = llm.stream(messages, max_tokens=max_tokens, reuse_prefix=prefix_marker(context.prompt))
        for piece in pieces:
            if not raw:
                timings["first_token"] = (time.perf_counter() - started) * 1000
            raw += piece
            if held:
                head = raw.lstrip()
                if head.startswith(NO_ANSWER):
                    stop_early(pieces)  # the model's own "not in the FAQ": no need to generate further
                    break
                if NO_ANSWER.startswith(head):
                    continue
                held = False
                piece = head
            out = renumberer.feed(piece)
            if out:
                shown += out
                yield Token(out)
        if not held:
            out = renumberer.flush()
            if out:
                shown += out
                yield Token(out)
        timings["decode"] = (time.perf_counter() - started) * 1000 - timings.get("first_token", 0.0)
        return self._attempt(raw, context, checked, timings=timings, figure_owed=figure_owed,
                             language=language, evidence=evidence, max_tokens=max_tokens), shown

    def _attempt(self, raw: str, context: Context, question: Question | str, kind: str = "llm",
                 timings: dict[str, float] | None = None, figure_owed: bool = True,
                 language: str | None = None, evidence: Sequence[Evidence] = (), *, max_tokens: int) -> _Attempt:
        """Judge one generated answer: abstention signals, leaks, an unfinished last sentence (`max_tokens`: the
        reply's budget), citations, verification, the question's `language` kept (its time is added to
        `timings["verification"]`); `evidence`: the passages' sentences ranked for the question."""
        attempt = _Attempt(raw=raw, kind=kind)
        text = _ECHOED_INSTRUCTION.sub("", raw).strip()
        if not text or NO_ANSWER in text or is_refusal_phrase(text):
            attempt.abstain = "model"
            return attempt
        if any(fragment in normalize(text) for fragment in self._leaks):
            attempt.abstain = "out_of_remit"
            return attempt
        passages = [h.chunk.text for h in context.sources]
        # A sentence cut off by the token budget would get a citation and be shown half-written.
        text = without_unfinished(text, max_tokens, passages)
        text = fix_citations(attach_missing(renumber(text, context.source_number).strip(), passages), passages)
        # « 250, 000 » is shown as the one figure it is, in the answer's own convention (« 250,000 », « 250 000 »).
        attempt.text = mended_thousands(text, "," if is_english(text) else " ")
        t = time.perf_counter()
        # The answer is held to the question's language where the question's own words settle it, and to English
        # whenever the question was read as English, terse or not: the prompt asked for English then, and a French
        # reply copies the FAQ's sentences untranslated (« Commercial activities? » answered in French). A terse
        # question read as French is not held: its reader may have guessed wrong and the model answered right. A
        # question resting on a premise the FAQ denies reaches the checks without its text (no figure is owed): read
        # as English, it is held all the same (« Why does it pay dividends? » answered in French, kept for measurement).
        asked = question.text if isinstance(question, Question) else question
        english = language == "en" and (bool(asked) or PREMISE_LANGUAGE)
        held_to = language if english or (asked and tells_language(asked)) else None
        attempt.checked = self.verify(attempt.text, passages, question, figure_owed=figure_owed, language=held_to,
                                      evidence=evidence)
        # Only a Oui/Non is wrong, before what the answering sentence states: that statement answers without it. Not
        # a « Oui » to a statement no source states (`claims.UNSTATED_YES`) when the answer was found to speak of
        # nothing the question asks (`on_topic`): without the word, the sentence beside the point would pass (« Oui,
        # le groupe porte des propositions … » to an accusation heard elsewhere).
        beside = OPENER_KEEPS_TOPIC and any(c.name == "on_topic" and not c.passed for c in attempt.checked.checks) \
            and any(v.reason == "opener" and v.detail == NOT_STATED for v in attempt.checked.claims)
        repaired = None if attempt.checked.passed or beside else without_wrong_openers(attempt.text,
                                                                                      attempt.checked.claims)
        if not repaired and not figure_owed and not attempt.checked.passed and UNOWED_FIGURES:
            # The figure asked is the part the FAQ lacks (the caveat): an invented one is cut, the rest kept.
            repaired = without_unowed_figures(attempt.text, attempt.checked.claims)
        if not repaired and not attempt.checked.passed and REPEATS_DROPPED:
            # A model looping on whole sentences said each of them right the first time: the copies go.
            repaired = without_repeats(attempt.text)
        if repaired:
            checked = self.verify(repaired, passages, question, figure_owed=figure_owed, language=held_to,
                                  evidence=evidence)
            if checked.passed:
                attempt.text, attempt.checked = repaired, checked
        if attempt.checked.passed and OPEN_QUESTION_OPENER_DROPPED and isinstance(question, Question) and question.open:
            bare = without_opener(attempt.text)
            checked = self.verify(bare, passages, question, figure_owed=figure_owed, language=held_to,
                                  evidence=evidence) if bare else None
            if checked is not None and checked.passed:
                attempt.text, attempt.checked = bare, checked
        if timings is not None:
            timings["verification"] = timings.get("verification", 0.0) + (time.perf_counter() - t) * 1000
        return attempt
