"""What the chatbot decides before any LLM call, in one place for the bot and for `faqbot calibrate`: the passages
of a question, their sentences ranked for it, and whether the FAQ can answer it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chatbot import rankings
from chatbot import scope as rules
from chatbot.context import Context, select_context
from chatbot.evidence import for_question
from chatbot.negation import denied_terms, singular
from chatbot.question import Question
from chatbot.scope import Decision, Scope, decide, organisation_contact
from index.retriever import Evidence, Hit
from ingest.chunker import passage_sentences
from ingest.normalize import stem

# The kinds of fact whose refusal looks for them in the other passages ranked first (`with_fact`). Not a count nor
# a year: on `tune`, a count or a year found so (a count of « clubs employeurs » for « paid employees ») let three
# must-abstain questions through and won no answer.
FACT_ELSEWHERE = frozenset({"percent", "amount"})
FIGURE_CAVEAT_RANKING = True  # no preference for figures when the figure asked is the caveat (kept for measurement)
# An answered question's sources are joined by the passage holding the FAQ's sentence closest to it, when it lies in
# none of them (`with_best_sentence`; kept for measurement).
BEST_SENTENCE_SOURCE = True
# Who is in charge of a field is answered by the passage naming the organisation's body for it wherever it ranks, not
# only among the `k` first (`with_body`; kept for measurement).
BODY_ANYWHERE = True
BODY_FIRST = True  # and the sentence naming that body is quoted first (`body_first`; kept for measurement)
# sentences(query, hits) -> the sentences of `hits` ranked for `query` (Retriever.evidence, behind the bot's lock).
Sentences = Callable[[str, Sequence[Hit]], list[Evidence]]


def judge(question: Question, ranked: Sequence[Hit], scope: Scope, sentences: Sentences, *, k: int
          ) -> tuple[Context, list[Evidence], Decision]:
    """The passages for `question` (`ranked`: every FAQ chunk scored), their sentences ranked, and the decision;
    `k` passages are what the decision reads."""
    # A contact detail asked of the organisation itself: its contact lines are a passage, however the words rank.
    context = select_context(ranked, contact=organisation_contact(question, scope.org_terms))
    context = with_denial(context, question, ranked, scope)
    context = with_ranks(context, question, ranked, scope)
    evidence = for_question(question, sentences(question.search_text, context.sources))
    decision = decide(question, ranked[:k], context.sources, evidence, scope=scope)
    # Who is in charge of a field: the body named beside it may stand in another of the passages ranked first
    # (« Qui gère les refuges ? » may rank first the section on funding, where the refuges are named as subsidised).
    elsewhere = FACT_ELSEWHERE | ({"people"} if rules.BRANCH_ANSWERS else set())
    if not decision.answer and decision.missing in elsewhere:
        context, evidence, decision = with_fact(question, ranked, k, scope, sentences, (context, evidence, decision))
    if not decision.answer and decision.missing in ("people", "body") and BODY_ANYWHERE:
        context, evidence, decision = with_body(question, ranked, k, scope, sentences, (context, evidence, decision))
    if decision.answer and BEST_SENTENCE_SOURCE:
        # Joined after the decision, which it leaves alone: what is refused stays refused.
        wider = with_best_sentence(context, question, ranked, sentences, decision.premise)
        if wider is not context:
            context, evidence = wider, for_question(question, sentences(question.search_text, wider.sources))
    if decision.answer and BODY_FIRST and ("people" in question.asks or rules.unit_asked(question)):
        # Who is in charge of a field, answered by the body named for it: that sentence is the one to quote.
        evidence = body_first(evidence, question, scope)
    if decision.premise:
        # A question presupposing what the FAQ denies is answered by the denial: its sentences come first.
        evidence = for_question(question, sentences(question.search_text, context.sources), decision.premise)
    elif decision.caveat and question.asks_figure and FIGURE_CAVEAT_RANKING:
        # The figure a question of several parts asks is the part the FAQ lacks (the caveat says so): sentences with a
        # figure are no better answers to the rest (« …, et qui dirige le bureau ? » is not answered by a count).
        evidence = sentences(question.search_text, context.sources)
    return context, evidence, decision


def with_best_sentence(context: Context, question: Question, ranked: Sequence[Hit], sentences: Sentences,
                       premise: Sequence[str] = ()) -> Context:
    """`context`, its sources joined by the passage holding the FAQ sentence that best answers `question` when none of
    them holds it: a passage is scored as a whole, so one sentence answering the question inside a section about
    something else ranks below a section sharing its topic words (« Un club du réseau qui manque de vélos peut-il
    en emprunter ? » ranks the section on clubs that lack bikes and ask to join above the equipment section's sentence
    on the fleet that lends bikes to the network's clubs). A source, not a passage of the prompt: the sentence is quoted, and
    the model is not shown more passages (on tune, one more passage cost more of its own facts than it brought)."""
    held = {h.chunk.chunk_id for h in context.sources}
    best = next(iter(for_question(question, sentences(question.search_text, ranked), premise)), None)
    if best is None or best.hit.chunk.chunk_id in held:
        return context
    return context.cited([best.hit])


def with_ranks(context: Context, question: Question, ranked: Sequence[Hit], scope: Scope) -> Context:
    """`context`, joined by the best-ranked passage holding the FAQ's ranked lines for the rank a question asks (of
    its field, or of every field when it names none), when no passage of it holds one: « Où se classe le club côté
    sport ? » ranks the club's sports policy first, and its rank stands in a list under a heading « Sport : »."""
    if not (rankings.FIELD_RANKS and question.asks_rank):
        return context
    ignore = scope.org_terms | {stem(t) for t in scope.org_terms}
    lines = scope.ranks
    named = lines if question.asks_ranks_overall(ignore) else rankings.field_lines(question, lines, ignore)
    keys = {line.text for line in named}
    if not keys or any(rankings.lines_of(h.chunk.text) & keys for h in context.prompt):
        return context
    extra = next((h for h in ranked if rankings.lines_of(h.chunk.text) & keys), None)
    return context if extra is None else context.joined(extra)


def with_fact(question: Question, ranked: Sequence[Hit], k: int, scope: Scope, sentences: Sentences,
              judged: tuple[Context, list[Evidence], Decision]) -> tuple[Context, list[Evidence], Decision]:
    """`judged` (context, evidence, a refusal: the kind of fact asked is not in its passages), or the same joined by
    the best of the `k` passages ranked first that holds it: « Quel pourcentage des excédents est investi ? » ranks
    the section on the budget first, and « investis à 90 % » stands in the one on the club's model."""
    context = judged[0]
    held = {h.chunk.chunk_id for h in context.sources}
    for extra in ranked[:k]:
        if extra.chunk.chunk_id in held:
            continue
        wider = context.joined(extra)
        evidence = for_question(question, sentences(question.search_text, wider.sources))
        decision = decide(question, ranked[:k], wider.sources, evidence, scope=scope)
        if decision.answer:
            return wider, evidence, decision
    return judged


def body_first(evidence: list[Evidence], question: Question, scope: Scope) -> list[Evidence]:
    """`evidence` with the sentences naming the organisation's body in charge of the field asked first (in their
    order), the others after: « Qui gère les activités culturelles ? » is answered by « … Club Azur Culture … »,
    whatever sentence on culture the embedder ranks above it."""
    field = rules.field_in_charge(question, scope.org_terms, scope.vocabulary)
    english = question.language != "fr"
    naming = [e for e in evidence if field and rules.body_named_for(e.text, field, scope.org_terms, english=english)]
    return naming + [e for e in evidence if e not in naming] if naming else evidence


def with_body(question: Question, ranked: Sequence[Hit], k: int, scope: Scope, sentences: Sentences,
              judged: tuple[Context, list[Evidence], Decision]) -> tuple[Context, list[Evidence], Decision]:
    """`judged` (a refusal: no one in charge of what is asked in its passages), or the same joined by the best-ranked
    passage, wherever it ranks, that names the organisation's body in charge of the field asked: the list of the
    organisation's bodies (« Club Azur Culture, Club Azur Mer … ») is one passage, which a question on one field
    (« Qui gère les activités culturelles ? ») may rank below the passages on that field."""
    field = rules.field_in_charge(question, scope.org_terms, scope.vocabulary)  # read once, not once per passage
    if not field:
        return judged
    context = judged[0]
    held = {h.chunk.chunk_id for h in context.sources}
    english = question.language != "fr"
    extra = next((h for h in ranked if h.chunk.chunk_id not in held and any(
        rules.body_named_for(s, field, scope.org_terms, english=english) for s in passage_sentences(h.chunk.text))),
        None)
    if extra is None:
        return judged
    wider = context.joined(extra)
    evidence = for_question(question, sentences(question.search_text, wider.sources))
    decision = decide(question, ranked[:k], wider.sources, evidence, scope=scope)
    return (wider, evidence, decision) if decision.answer else judged


def with_denial(context: Context, question: Question, ranked: Sequence[Hit], scope: Scope) -> Context:
    """`context`, joined by the best-ranked passage that denies what an open question presupposes when none of its
    passages does: « Combien les librairies rapportent-elles aux actionnaires ? » ranks the bookshops' passage
    first, and the FAQ's « pas d'actionnaires » stands elsewhere; the answer is that correction (`Decision.premise`)."""
    # Whole words, not stems: « la capitale de l'Australie » presupposes no « capital ».
    words = ({singular(w) for w in question.words} | question.presumes) & scope.denied
    if not words or question.polar:
        return context
    presumed = {stem(w) for w in words}
    passages = [h.chunk.text for h in context.sources]
    if presumed & denied_terms(passages, ignore=scope.org_terms):
        return context
    extra = next((h for h in ranked if presumed & denied_terms([h.chunk.text], ignore=scope.org_terms)), None)
    if extra is None:
        return context
    return context.joined(extra)
