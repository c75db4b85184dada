"""What an English figure counts (chatbot.counted), read without any model."""

from __future__ import annotations

import pytest

from chatbot.counted import counted_nouns, counts_asked, counts_the_same, miscounted


@pytest.mark.parametrize(("text", "nouns"), [
    ("The club runs 12 mountain shelters in the Alps [1].", [("shelters",)]),
    ("It employs 12 people in the region.", [("people",)]),
    ("It carries out 2 kinds of activities.", [("kinds", "activities")]),
    ("Nine executive vice-presidents sit on the board.", [("vice-presidents",)]),
    ("It was founded in 1990 and has existed for 30 years.", []),  # a year dates, a duration measures
    ("Its budget is 7.8 million euros, 35 percent of it public.", []),
    ("The club took over 12 of them in 2019.", []),  # « of them »: the noun is elsewhere
    ("It is the first club of the region.", []),  # a rank counts nothing
    ("It ranged from -5 to 10 million euros.", []),  # « to » ends the phrase before any noun
])
def test_the_noun_each_figure_counts(text: str, nouns: list[tuple[str, ...]]) -> None:
    assert [n for _, n in counted_nouns(text)] == nouns


def test_a_counted_noun_is_held_by_a_cognate_or_by_the_sentence_index() -> None:
    source = ["Le club gère 12 refuges de montagne."]
    assert counts_the_same("refuges", source, lambda words, texts: [False] * len(texts))
    assert not counts_the_same("shelters", source, lambda words, texts: [False] * len(texts))
    assert counts_the_same("shelters", source, lambda words, texts: [True] * len(texts))
    assert counts_the_same("shelters", source, None)  # no index at hand: the other checks decide


def test_only_the_sentences_giving_the_figure_are_read() -> None:
    """« 12 guides »: a sentence naming guides without the figure does not make the figure count them."""
    sources = ["Le club gère 12 refuges de montagne.", "Ses guides sont bénévoles."]
    never = lambda words, texts: [False] * len(texts)  # noqa: E731
    assert miscounted("The club hired 12 guides.", sources, never) == "guides"
    assert miscounted("The club runs 12 refuges.", sources, never) == ""


def test_an_answer_counting_something_else_than_the_question_asks() -> None:
    """« How many volunteers…? » is not answered by « 12 refuges », however true: its noun is not the one asked."""
    sources = ["Le club gère 12 refuges de montagne.", "Il compte 3 vice-présidentes."]
    never = lambda words, texts: [False] * len(texts)  # noqa: E731
    answer = "The club runs 12 mountain refuges [1]."
    assert counts_asked(answer, "volunteers", sources, never) == "refuges"
    assert counts_asked(answer, "refuges", sources, never) == ""  # the noun asked, as the answer writes it
    # A synonym of the noun asked, found by the sentence index in the source giving the figure.
    assert counts_asked(answer, "shelters", sources, lambda words, texts: [True] * len(texts)) == ""
    persons = lambda sentence, values: "vice-présidentes" in sentence  # noqa: E731
    assert counts_asked("It has 3 vice-presidents [2].", "people", sources, never, persons=persons) == ""
    assert counts_asked("Its budget is 2.5 million euros [1].", "donors", sources, never) == "euros"  # an amount
    assert counts_asked(answer, "years", sources, never) == ""  # a unit asked: the figure measures, not counts
