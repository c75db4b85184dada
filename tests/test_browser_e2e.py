"""End to end in a real browser: `faqbot ui` with the real models, driven in Debian's headless Chromium.

Two sessions ask at the same time (they share one EmbeddingGemma and one llama.cpp model); each must get
its own correct answer with its sources, and the sources must appear before the first answer text.
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
    assert not page_errors, page_errors
    (ARTIFACTS / "browser-e2e-timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    print(f"\nbrowser timings (s): {timings}")
