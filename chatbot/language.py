"""Which language a question is in: French unless it is clearly English."""

from __future__ import annotations

import re

from ingest.normalize import tokens

# Function words only one of the two languages has ("a", "an", "on" are words of both).
_EN = set("the what how why who is are does do did can could of and to in for with about your you it its when where "
          "which was were has have had been will would should any this that there their they from by at up "
          "not no yes or but if so than then into over under after before many much more most some other our we us "
          "he she his her him my me am be these those own only also very just each".split())
_FR = set("le la les des du de est et que qui quoi pourquoi comment quel quelle sont il elle pour avec un une "
          "au aux ce cet cette ces son sa ses leur leurs nous vous je tu ne pas plus dans sur par ou en y mon ma mes "
          "ton ta tes notre votre nos vos lui eux moi toi quand combien quels quelles sans chez donc mais".split())
# Letters English words never carry: one of them in a question settles it as French.
_FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)


def detect(text: str) -> str:
    """`en` when English function words clearly outnumber French ones, else `fr`.

    A short question may hold a single English function word ("Does Groupe SOS pay dividends?"): it is English
    when it holds no French function word and no letter only French uses."""
    words = tokens(text, keep_stopwords=True)
    en = sum(w in _EN for w in words)
    fr = sum(w in _FR for w in words)
    if en >= 2 and en > 1.5 * fr:
        return "en"
    return "en" if en == 1 and fr == 0 and not _FRENCH_LETTERS.search(text) else "fr"
