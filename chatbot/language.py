"""Which language a question is in: French unless it is clearly English."""

from __future__ import annotations

from ingest.normalize import tokens

# Function words only one of the two languages has ("a", "an", "on" are words of both).
_EN = set("the what how why who is are does do did can could of and to in for with about your you it its when where "
          "which was were has have had been will would should any this that there their they from by at up".split())
_FR = set("le la les des du de est et que qui quoi pourquoi comment quel quelle sont il elle pour avec un une".split())


def detect(text: str) -> str:
    """`en` when English function words clearly outnumber French ones, else `fr`."""
    words = tokens(text, keep_stopwords=True)
    en = sum(w in _EN for w in words)
    fr = sum(w in _FR for w in words)
    return "en" if en >= 2 and en > 1.5 * fr else "fr"
