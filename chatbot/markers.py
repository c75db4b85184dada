"""The markers an answer carries besides its words: citation numbers (« [2] »), references to a FAQ question, an
opening Oui/Non, and the mark of words cut from a quote."""

from __future__ import annotations

import re

# A citation marker, its passage number captured.
CITATION = re.compile(r"\[(\d{1,2})\]")
# A reference to a question of the FAQ (« question 4 », « section n° 2 »): a number that is no figure of the answer.
SECTION_REF = re.compile(r"\b(?:question|section)\s+n?°?\s*\d{1,2}\b", re.IGNORECASE)
# A sentence's opening Oui/Non/Yes/No with the punctuation after it. « Non » / "No" answer only when no word follows
# them straight away: « No one pays … », "No member …", « Non-lucratif, … », « Non seulement … » open a sentence with
# a denial or an adjective, not with the answer (the model writes « Non, … », « Non [1]. », "No. …").
OPENER = re.compile(r"^\W*(oui|yes|non(?!-\w|\s+[^\W\d_])|no(?!-\w|\s+[^\W\d_]))\b[\s,.;:!—–-]*", re.IGNORECASE)
# The mark of words left out at the start of a quote (« […] le club propose … »).
ELISION = "[…]"
