"""The markers an answer carries besides its words: citation numbers (« [2] ») and references to a FAQ question."""

from __future__ import annotations

import re

# A citation marker, its passage number captured.
CITATION = re.compile(r"\[(\d{1,2})\]")
# A reference to a question of the FAQ (« question 4 », « section n° 2 »): a number that is no figure of the answer.
SECTION_REF = re.compile(r"\b(?:question|section)\s+n?°?\s*\d{1,2}\b", re.IGNORECASE)

