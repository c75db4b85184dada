"""The public chat page: conversation history, streamed answers with their sources, the visitor's place in the
queue while waiting, and ratings (logged only: they become regression cases only on the staff page)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from chatbot import Done, Replace, Rewritten, Sources, Token
from chatbot.answer import Answer
from chatbot.evidence import prose
from index.query import clean_question
from index.retriever import Hit
from ingest import Profile
from ingest.normalize import normalize
from ui import feedback, texts
from ui.app_html import (
    abstention_html,
    answer_html,
    note_html,
    question_html,
    replace_note,
    rewritten_html,
    sources_html,
)
from ui.app_state import UiConfig, get_bot, public_failure, wait_for_turn
from ui.organisation import chat_placeholder, public_caption, public_title


@dataclass
class Turn:
    """One exchange of the conversation, as the page shows it again on every rerun."""

    uid: int
    question: str
    history: tuple[tuple[str, str], ...] = ()  # the conversation before this question
    answer: Answer | None = None
    rewritten: str | None = None
    sources: tuple[Hit, ...] = ()
    note: str | None = None
    error: str | None = None
    rated: tuple[str, str | None] | None = None  # (rating, reason) last written to the feedback log


def same_question(a: str, b: str) -> bool:
    """True when two questions differ only in case, accents, spacing or final punctuation."""
    return normalize(a).rstrip(" ?.!") == normalize(b).rstrip(" ?.!")


def conversation() -> list[Turn]:
    """This session's turns."""
    return st.session_state.setdefault("turns", [])


def new_conversation() -> None:
    """Forget the conversation (turn ids keep counting, so no widget key is ever reused)."""
    st.session_state["turns"] = []


def bot_history(turns: list[Turn]) -> tuple[tuple[str, str], ...]:
    """The (role, text) history the chatbot rewrites follow-ups from: answered turns only, answers without their
    FAQ quotes (what a follow-up refers to, and what a regression case keeps)."""
    history: list[tuple[str, str]] = []
    for turn in turns:
        if turn.answer is not None:
            history += [("user", turn.answer.question), ("assistant", prose(turn.answer.text))]
    return tuple(history)


def _answer_block(text: str, turn: Turn, *, abstained: bool, final: bool) -> str:
    if abstained:
        return abstention_html(text, final=final)
    return answer_html(text, turn.uid, len(turn.sources), final=final)


def _sources_block(turn: Turn, answer_text: str = "", *, abstained: bool = False) -> None:
    if not turn.sources:
        return
    if abstained:
        if turn.answer is not None and turn.answer.abstain_reason == "not_in_faq":
            with st.expander("Passages les plus proches consultés"):
                st.markdown(sources_html(turn.sources, turn.uid, title="Passages consultés"),
                            unsafe_allow_html=True)
        return
    marks = turn.answer.support() if turn.answer is not None else None
    st.markdown(sources_html(turn.sources, turn.uid, answer_text, marks=marks), unsafe_allow_html=True)


def render_turn(turn: Turn) -> None:
    """A finished turn: question, answer (or abstention or error), its sources, and the feedback controls."""
    with st.chat_message("user"):
        st.markdown(question_html(turn.question), unsafe_allow_html=True)
    with st.chat_message("assistant"):
        if turn.rewritten:
            st.markdown(rewritten_html(turn.rewritten), unsafe_allow_html=True)
        if turn.error:
            st.error(turn.error)
            _sources_block(turn)
            return
        answer = turn.answer
        assert answer is not None
        if answer.notice:
            st.info(f"Message trop long : {answer.notice}.")
        st.markdown(_answer_block(answer.text, turn, abstained=answer.abstained, final=True), unsafe_allow_html=True)
        if turn.note:
            st.markdown(note_html(turn.note), unsafe_allow_html=True)
        _sources_block(turn, answer.text, abstained=answer.abstained)
        feedback_controls(turn)


def feedback_controls(turn: Turn) -> None:
    """Thumbs up/down (with a reason when down), written once per change to the capped rating log."""
    answer = turn.answer
    assert answer is not None
    value = st.feedback("thumbs", key=f"fb-{turn.uid}")
    if value is None:
        return
    rating = feedback.UP if value == 1 else feedback.DOWN
    reason = None
    if rating == feedback.DOWN:
        reason = st.radio(texts.RATING_REASON, feedback.REASONS, index=None, horizontal=True,
                          key=f"fb-reason-{turn.uid}")
        if reason is None:
            return
    if turn.rated != (rating, reason):
        try:
            feedback.log_rating(feedback.feedback_record(answer, rating=rating, reason=reason, history=turn.history))
            turn.rated = (rating, reason)
        except OSError as exc:
            st.error(public_failure(exc))
            return
    st.caption(texts.THANKS)


def ask(prompt: str, config: UiConfig) -> Turn:
    """Answer `prompt` live: sources as soon as retrieval is done, then the streamed answer."""
    turns = conversation()
    uid = st.session_state.get("turn_seq", 0) + 1
    st.session_state["turn_seq"] = uid
    turn = Turn(uid=uid, question=prompt, history=bot_history(turns))
    with st.chat_message("user"):
        st.markdown(question_html(prompt), unsafe_allow_html=True)
    with st.chat_message("assistant"):
        rewritten_slot, answer_slot, note_slot, sources_slot = st.empty(), st.empty(), st.empty(), st.empty()
        try:
            clean_question(prompt)  # an empty message is refused before any model is loaded
            with st.spinner(texts.LOADING):
                bot = get_bot(config)
            events = bot.stream(prompt, turn.history, length=config.chat.length)
            shown = ""
            ticket = None
            try:
                for event in events:
                    if isinstance(event, Rewritten):
                        if not same_question(event.question, prompt):  # nothing to tell the user otherwise
                            turn.rewritten = event.question
                            rewritten_slot.markdown(rewritten_html(event.question), unsafe_allow_html=True)
                    elif isinstance(event, Sources):
                        turn.sources = event.hits
                        with sources_slot.container():
                            _sources_block(turn)
                        # Retrieval is done and shown; the answer itself takes its turn in the shared queue.
                        ticket = wait_for_turn(config, answer_slot)
                    elif isinstance(event, Token):
                        shown += event.text
                        answer_slot.markdown(answer_html(shown, uid, len(turn.sources)), unsafe_allow_html=True)
                    elif isinstance(event, Replace):
                        turn.note = replace_note(event.reason, shown, event.text)
                        shown = event.text
                        answer_slot.markdown(answer_html(shown, uid, len(turn.sources)), unsafe_allow_html=True)
                        if turn.note:
                            note_slot.markdown(note_html(turn.note), unsafe_allow_html=True)
                    elif isinstance(event, Done):
                        turn.answer = event.answer
                        turn.sources = event.answer.sources
            finally:
                events.close()  # a stopped run must not leave the generator holding the llama.cpp lock
                if ticket is not None:
                    ticket.release()
        except Exception as exc:  # the UI boundary: expected errors get their message, others are logged
            turn.error = public_failure(exc)
    return turn


def chat_page(config: UiConfig | None, config_error: str | None, profile: Profile | None = None) -> None:
    """The public chat page."""
    profile = profile or Profile()
    st.title(public_title(profile))
    st.caption(public_caption(profile))
    turns = conversation()
    for turn in turns:
        render_turn(turn)
    if turns and st.button(texts.NEW_CONVERSATION, key="new_conversation", icon=":material/add:"):
        new_conversation()
        st.rerun()
    prompt = st.chat_input(chat_placeholder(profile), key="chat_prompt")
    if prompt is None:
        return
    if config is None:
        st.error(config_error or texts.UNAVAILABLE)
        return
    turns.append(ask(prompt, config))
    st.rerun()  # redraw the finished turn from history: final highlights and feedback controls
