"""End to end in a real browser: `faqbot ui` with the real models, driven in Debian's headless Chromium.

Two sessions ask at the same time (they share one EmbeddingGemma and one llama.cpp model); each must get
its own correct answer with its sources, and the sources must appear before the first answer text; the one
that waits is told its place. The public page shows no staff control, a rating writes no regression case,
and the staff page does not exist unless `faqbot ui --staff` asked for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from ui.app_driver import chromium, open_chat, running_ui, submit, wait_answer, wait_models

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"  # gitignored: screenshots, server log and timings of the last run
BUDGET = "Quel est le budget du Groupe SOS ?"
PRESIDENT = "Qui préside le Directoire du Groupe SOS ?"


def test_two_sessions_get_their_own_sourced_answers(gemma_index, session_kv: Path, tmp_path: Path) -> None:
    _, idx, _ = gemma_index
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"FAQBOT_KV_CACHE_DIR": str(session_kv), "FAQBOT_FEEDBACK_FILE": str(tmp_path / "feedback.jsonl"),
           "FAQBOT_FEEDBACK_CASES": str(tmp_path / "cases.jsonl")}
    page_errors: list[str] = []
    with running_ui("--index-dir", str(idx.index_dir), env=env, log=ARTIFACTS / "browser-e2e-server.log") as url, \
            chromium() as browser:
        public = open_chat(browser, url)
        other = open_chat(browser, url)
        for page in (public, other):
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
        wait_models(public)
        submit(public, BUDGET)
        submit(other, PRESIDENT)
        timings = {"budget": wait_answer(public), "president": wait_answer(other)}
        public.screenshot(path=str(ARTIFACTS / "chat-e2e.png"))
        other.screenshot(path=str(ARTIFACTS / "chat-e2e-second-session.png"))

        answer = public.locator(".faq-answer").first.inner_text()
        assert "1,367" in answer, answer
        heads = public.locator(".faq-source-head").all_inner_texts()
        assert any("Question 4" in h for h in heads), heads
        target = public.locator("a.faq-cite").first.get_attribute("href")
        assert target and "Question 4" in public.locator(f"[id='{target[1:]}']").inner_text()
        assert timings["budget"]["sources_s"] < timings["budget"]["first_text_s"], timings

        second = other.locator(".faq-answer").first.inner_text()
        assert "Borello" in second and "1,367" not in second, second
        assert any("Question 2" in h for h in other.locator(".faq-source-head").all_inner_texts())
        assert public.get_by_test_id("stFeedback").count() == 1
        assert "queued_s" in timings["budget"] or "queued_s" in timings["president"], timings

        # The public page: the chat and nothing else.
        for test_id in ("stSidebar", "stSelectbox", "stSlider", "stTextArea", "stDownloadButton"):
            assert public.get_by_test_id(test_id).count() == 0, test_id
        text = public.locator("body").inner_text()
        for staff_only in ("Brouillon", "Réglages", "Moteur", "Index", str(idx.index_dir), "llamacpp", "qwen",
                           "tests de non-régression"):
            assert staff_only not in text, staff_only
        public.get_by_test_id("stFeedback").first.locator("button").first.click()
        public.get_by_text("Merci, votre avis est enregistré.").wait_for(timeout=30_000)
        assert public.get_by_role("button").filter(has_text="non-régression").count() == 0
        staff = browser.new_page()
        staff.goto(f"{url}/equipe", wait_until="domcontentloaded")
        staff.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)  # the public chat, not the staff page
        assert staff.get_by_test_id("stSidebar").count() == 0 and "Espace équipe" not in staff.locator("body").inner_text()
    ratings = [json.loads(line) for line in (tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["rating"] for r in ratings] == ["up"] and not (tmp_path / "cases.jsonl").exists()
    assert not page_errors, page_errors
    (ARTIFACTS / "browser-e2e-timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    print(f"\nbrowser timings (s): {timings}")
