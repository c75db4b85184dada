"""Write the README screenshots from real runs: `docs/chat.png` (an answer and its sources) and
`docs/draft.png` (a press draft), with the real models, in Debian's headless Chromium.

    .venv/bin/python scripts/screenshots.py [--index-dir DIR] [--out docs]

The index must exist (`make index`); feedback written during the run goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from anywhere: the project's packages come from the repo

from ui.app_driver import chromium, open_chat, running_ui, submit, wait_answer, wait_models  # noqa: E402

QUESTION = "Quel est le budget du Groupe SOS ?"
# A journalist's two questions. (Given a whole e-mail with greetings, the 1.5B model tends to copy it into
# the draft, where every copied sentence is flagged: true to life, but not what the picture should show.)
REQUEST = ("Pouvez-vous me confirmer le chiffre d'activité 2022 du Groupe SOS ? "
           "Verse-t-il des dividendes à des actionnaires ?")
# A draft is a long generation (and a second, stricter one when the first fails verification).
DRAFT_TIMEOUT_S = 900


def main() -> int:
    """Take both screenshots; print where they are and how long the answers took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", help="index folder (default: FAQBOT_INDEX_DIR or ~/.cache/faqbot/index)")
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="where the PNG files go (default docs/)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    flags = ["--index-dir", args.index_dir] if args.index_dir else []
    with tempfile.TemporaryDirectory() as tmp:
        env = {"FAQBOT_FEEDBACK_FILE": f"{tmp}/feedback.jsonl", "FAQBOT_FEEDBACK_CASES": f"{tmp}/cases.jsonl"}
        with running_ui(*flags, "--staff", env=env, log=Path(tmp) / "server.log") as url, chromium() as browser:
            page = open_chat(browser, url, width=1280, height=1000)
            wait_models(page)
            submit(page, QUESTION)
            timings = wait_answer(page)
            page.mouse.move(0, 0)  # no hover effect in the picture
            page.screenshot(path=str(args.out / "chat.png"))
            print(f"chat: {timings} -> {args.out / 'chat.png'}")

            page.set_viewport_size({"width": 1280, "height": 1500})
            page.goto(f"{url}/equipe", wait_until="domcontentloaded")  # the staff page (drafts are its first tab)
            page.get_by_label("Question ou e-mail du journaliste").fill(REQUEST)
            page.get_by_text("factuel", exact=True).click()
            started = time.monotonic()
            page.get_by_role("button", name="Rédiger le brouillon").click()
            page.locator(".faq-draft:not([data-state])").wait_for(timeout=DRAFT_TIMEOUT_S * 1000)
            page.get_by_test_id("stCode").wait_for()
            page.get_by_role("heading", name="Projet de réponse").scroll_into_view_if_needed()
            page.mouse.move(0, 0)
            page.screenshot(path=str(args.out / "draft.png"))
            print(f"draft: {time.monotonic() - started:.1f} s -> {args.out / 'draft.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
