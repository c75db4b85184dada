"""The last resort when generated answers fail verification: quote the FAQ sentence that answers best.

The sentence comes from the same ranking as the quotes after an answer (chatbot/evidence.py: the sentence vectors
of the index, rescored for what the question asks), so the fallback, the quotes and drafts agree on which sentence
answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chatbot import rankings, verify
from chatbot.claims import in_family, qualified_nouns
from chatbot.evidence import MARGIN, is_list_item, is_sentence, quote_block, quoted_words
from chatbot.negation import denies
from chatbot.on_topic import BESIDE_MIN_SHARED
from chatbot.question import Question, as_question, asks_of_person, yes_no_predicate
from chatbot.scope import gives_duration
from index.retriever import Evidence, Hit
from ingest.chunker import passage_sentences
from ingest.normalize import stem, tokens
from ingest.profile import contact_kinds

_HAS_NUMBER = re.compile(r"\d")
# A short quote gains the sentence that follows it in the passage (an answer often takes two), up to this length.
PAIR_CHARS = 320

POLAR_OBJECTS = True  # a yes/no question's quote may share its nouns only (kept for measurement)
PERSON_PREDICATE = True  # a yes/no question about a person is quoted only by a sentence sharing its predicate
NAMED_ITEMS = True  # a list item naming the question's topic may answer it (kept for measurement)


def _shares(focus: set[str], text: str) -> int:
    """How many of the question's `focus` stems `text` holds, by word family."""
    said = frozenset(stem(w) for w in tokens(text))
    return sum(in_family(t, said) for t in focus)


def _bulleted(item: Evidence) -> bool:
    """`item` is a bulleted line of its passage (« - 2e réseau de … »), not a heading that lost its markup."""
    text = item.text.strip().rstrip(",;.")
    return any(line.strip().lstrip("-*•").strip().rstrip(",;.") == text
               for line in item.hit.chunk.text.splitlines() if line.strip()[:1] in "-*•")


# A question asking where the organisation leads, naming no field, is answered by the FAQ's ranked lines, at most
# MAX_RANKS of them (kept for measurement).
RANKS_LISTED = True
MAX_RANKS = 10


def rankings_answer(question: Question, evidence: Sequence[Evidence], number: Callable[[Evidence], int | None], *,
                    language: str = "fr", ignore: frozenset[str] = frozenset(),
                    ranks: Sequence[rankings.RankedLine] | None = None) -> str | None:
    """The passages' ranked lines (« - 2e réseau de … »), quoted once each in the FAQ's order, for a question asking
    a rank: every line when it asks where the organisation leads without naming a field (`Question.asks_ranks_overall`;
    `ignore`: its own name), since none shares a word with it to be picked alone; the lines naming its field, by their
    words or their list's heading, when it names one (`chatbot.rankings.field_lines`, read against `ranks`, the whole
    FAQ's ranked lines, or else the passages'). None for any other question, or when the passages give fewer than
    two ranks, or none for the field named."""
    ignored = ignore | {stem(t) for t in ignore}
    overall = RANKS_LISTED and question.asks_ranks_overall(ignored)
    if not (overall or (rankings.FIELD_RANKS and question.asks_rank)):
        return None
    items: dict[str, Evidence] = {}
    for item in evidence:
        if number(item) is not None and _bulleted(item) and verify.gives_rank(item.text):
            items.setdefault(rankings.line_key(item.text), item)
    if not overall:
        if ranks is None:  # the passages in FAQ order, so that a list cut between two of them keeps its heading
            chunks = {e.hit.chunk.chunk_id: e.hit.chunk for e in evidence if number(e) is not None}.values()
            ranks = rankings.ranked_lines([c.text for c in sorted(chunks, key=lambda c: c.position)])
        named = {line.text for line in rankings.field_lines(question, ranks, ignored)}
        items = {key: item for key, item in items.items() if key in named}
    if len(items) < (2 if overall else 1):
        return None
    ranked = sorted(items.values(), key=lambda e: (number(e), e.hit.chunk.text.find(e.text)))
    if len(ranked) == 1:  # a single line is quoted as a sentence is, not as a list of one
        return _quoted(ranked[0], ranked[0].text.strip(), number, language)
    return quote_block(ranked[:MAX_RANKS], number, language=language, lead=True)


def extractive_answer(question: Question | str, evidence: Sequence[Evidence],
                      number: Callable[[Evidence], int | None], *, language: str = "fr", min_overlap: int = 0,
                      ignore: frozenset[str] = frozenset(), denial: bool = False, figure_owed: bool = True,
                      lone_word_denies: bool = False) -> str | None:
    """A verbatim quote of the best-ranked sentence with its citation, or None when the question wants a figure
    and that sentence has none, or no quote (a sentence, with the next one when both are short) within MARGIN of
    the best sentence shares `min_overlap` of the question's words (minus `ignore`, the organisation's own name).
    No figure is owed for a `denial` (the FAQ denies the premise) nor when `figure_owed` is false (the figure is
    the part of a two-part question the FAQ lacks, said in a caveat). With `lone_word_denies`, a sentence sharing a
    single word answers only when it denies something (the one word was allowed for a denial)."""
    question = as_question(question)
    focus = {t for t in question.terms if len(t) > 2} - ignore
    predicate = yes_no_predicate(question.text)
    ignored = ignore | {stem(t) for t in ignore}
    # The organisation's name is no object (« Est-ce que la fondation gère des refuges ? » keeps its subject); an
    # adjective is part of it (« des refuges gardés » are not any refuges).
    objects = qualified_nouns(predicate) - ignored if POLAR_OBJECTS else frozenset()
    topic = focus - ignored
    # A yes/no question about a person (« Le président du bureau est-il un ami du maire ? ») is answered by
    # what its predicate says, not by the sentence giving the person's role: that one shares the subject's words,
    # whatever is asked of them.
    asked = focus & {stem(w) for w in tokens(predicate)} if PERSON_PREDICATE and asks_of_person(question.text, ignore) \
        else set()
    # A position in a ranking asked: only a quote giving one answers (« Quel rang pour les refuges ? » is not answered
    # by what the club does in its refuges), and a bulleted rank naming the topic in one word does (« - 3e réseau de
    # refuges »: the rank is what the item says).
    rank = question.asks_rank and figure_owed and not denial
    for item in evidence:
        # A bullet naming the question's topic in two of its words, as the on-topic check reads it, answers as a
        # sentence does, verb or not (« Quel rang pour l'économie circulaire ? » by « - 5e acteur de l'économie
        # circulaire et locale »).
        needed = 1 if rank and verify.gives_rank(item.text) else BESIDE_MIN_SHARED
        named = NAMED_ITEMS and _shares(topic, item.text) >= needed
        if not (is_sentence(item.text) or (named and _bulleted(item))) or number(item) is None:
            continue
        if is_list_item(item.text) and item is not evidence[0] and not named:
            # An item has no verb to say what it answers: only the best match of all is taken for the answer
            # (« Qui a conçu le site web ? » is not answered by an item naming « sites patrimoniaux »).
            continue
        if min_overlap and item.score < evidence[0].score - MARGIN:
            return None  # far below the best sentence, a shared word is a coincidence, not an answer
        sentence = item.text.strip()
        following = None if is_list_item(sentence) else _next_sentence(item.hit.chunk.text, sentence)
        if following and len(sentence) + len(following) < PAIR_CHARS and is_sentence(following):
            sentence = f"{sentence} {following}"
        # What is quoted shares the words: « Quel est le budget ? » is answered by « … 2,5 millions d'euros. Ce
        # montant couvre les budgets des refuges… », the figure in one sentence, the word in the next.
        said = frozenset(stem(w) for w in tokens(sentence))
        shared = _shares(focus, sentence)  # by word family: « financement » / « financées »
        # A yes/no question is about the things it names: « dirige-t-il des hôpitaux ? » is answered by the sentence
        # naming the hospitals, whatever verb the FAQ uses for them (« en gestion libre »).
        named = bool(objects) and all(in_family(n, said) for n in objects)
        if shared < min_overlap and not (named and shared >= 1):
            continue
        if lone_word_denies and shared < 2 and not named and not denies(item.text):
            continue
        if asked and not _shares(asked, sentence):
            continue
        if question.asks_figure and figure_owed and not denial and not _gives_asked_figure(sentence, question):
            continue  # a figure was asked: a sentence without one (or with the question's own only) does not answer
        if rank and not verify.gives_rank(sentence):
            continue
        best = item
        break
    else:
        return None
    return _quoted(best, sentence, number, language)


def _quoted(item: Evidence, sentence: str, number: Callable[[Evidence], int | None], language: str) -> str:
    """`sentence` (`item`'s text, perhaps with the next one) quoted as the whole answer, under the FAQ question it
    comes from, with its citation."""
    chunk = item.hit.chunk
    where = f"question {chunk.section}" if chunk.section is not None else chunk.title
    n = number(item)
    sentence = quoted_words(sentence)
    if language == "en":
        return f"The FAQ answers this in French ({where}): “{sentence}” [{n}]"
    return f"D'après la FAQ ({where}) : « {sentence} » [{n}]"


def _gives_asked_figure(sentence: str, question: Question) -> bool:
    """`sentence` gives the kind of figure the question asks: for how long, a duration (a count of something else,
    « 12 membres », or the question's own year is none); for a year, a year or a span; else a figure the question
    did not give."""
    if "duration" in question.asks:
        return (gives_duration(sentence, elapsed="elapsed" in question.asks)
                and verify.gives_new_figure(sentence, question))
    if verify.YEAR_ASKED and verify.asks_year_only(question):
        return verify.gives_asked_year(sentence, question)
    return _new_figure(sentence, question)


def _new_figure(sentence: str, question: Question) -> bool:
    """A digit in `sentence`, and a figure the question did not give (see `gives_new_figure`)."""
    return bool(_HAS_NUMBER.search(sentence)) and (not verify.NEW_FIGURE or verify.gives_new_figure(sentence, question))


def _next_sentence(text: str, sentence: str) -> str | None:
    sentences = passage_sentences(text)
    try:
        index = sentences.index(sentence)
    except ValueError:
        return None
    return sentences[index + 1] if index + 1 < len(sentences) else None


def contact_answer(question: Question | str, sources: Sequence[Hit], number: Callable[[Evidence], int | None], *,
                   language: str = "fr") -> str | None:
    """The FAQ's own lines giving the contact details the question asks for (a phone number, an e-mail, a site,
    an address, or all of them for "how do I contact..."), quoted with their citation; None when the question asks
    for none or no source holds one. A detail line is no sentence, so `extractive_answer` never quotes it."""
    wanted = as_question(question).contact
    if not wanted:
        return None
    for hit in sources:
        lines = [Evidence(line, hit, hit.score) for line in passage_sentences(hit.chunk.text)
                 if (kinds := contact_kinds(line)) and ("any" in wanted or kinds & wanted)]
        if lines and number(lines[0]) is not None:
            # Named for what they are: the passage's own title is often an export artefact ("ClubsAzur").
            head = "The FAQ answers this in French (contact details):" if language == "en" else \
                "D'après la FAQ (coordonnées) :"
            return quote_block(lines, number, language=language, lead=True, head=head)
    return None
