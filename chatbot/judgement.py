"""What the chatbot decides before any LLM call, in one place for the bot and for `faqbot calibrate`: the passages
of a question, their sentences ranked for it, and whether the FAQ can answer it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chatbot.context import Context, select_context
from chatbot.evidence import for_question
from chatbot.question import Question
from chatbot.scope import Decision, Scope, decide, organisation_contact
from index.retriever import Evidence, Hit

# sentences(query, hits) -> the sentences of `hits` ranked for `query` (Retriever.evidence, behind the bot's lock).
Sentences = Callable[[str, Sequence[Hit]], list[Evidence]]


def judge(question: Question, ranked: Sequence[Hit], scope: Scope, sentences: Sentences, *, k: int
          ) -> tuple[Context, list[Evidence], Decision]:
    """The passages for `question` (`ranked`: every FAQ chunk scored), their sentences ranked, and the decision;
    `k` passages are what the decision reads."""
    # A contact detail asked of the organisation itself: its contact lines are a passage, however the words rank.
    context = select_context(ranked, contact=organisation_contact(question, scope.org_terms))
    evidence = for_question(question, sentences(question.text, context.sources))
    decision = decide(question, ranked[:k], context.sources, evidence, scope=scope)
    if decision.premise:
        # A question presupposing what the FAQ denies is answered by the denial: its sentences come first.
        evidence = for_question(question, sentences(question.text, context.sources), decision.premise)
    return context, evidence, decision
