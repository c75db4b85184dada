"""The claim judge: the LLM reads the claims the word checks alone reject, never figures, names or negations."""

from __future__ import annotations

import pytest

from chatbot.backends.base import BackendError
from chatbot.backends.cache import CacheMiss
from chatbot.claims import JUDGED_DETAIL, judge_claim
from chatbot.entailment import Entailment
from chatbot.settings import ChatSettings
from chatbot.verify import verify
from ingest.errors import InputError
from tests.fakes import ScriptedLLM

ORG = frozenset({"fondation", "lumiere"})
PRESENCE = ("La Fondation Lumière est présente dans 12 pays. Elle gère des écoles et des crèches, et ses résultats "
            "sont réinvestis dans ses projets.")
CONTACT = "Écrivez-nous : contact@lumiere.example\nTéléphone : 04 72 10 20 30\nlumiere.example"
WRITE_TO = "Pour toute demande sur ses écoles et ses projets, on écrit à la fondation à contact@lumiere.example."
PARAPHRASE = "La Fondation Lumière est implantée dans 12 pays [1]."  # « implantée » for « présente »


class Judge:
    """A claim judge that answers from a table and records what it was asked."""

    def __init__(self, verdict: bool = True) -> None:
        self.verdict = verdict
        self.asked: list[tuple[str, str]] = []

    def __call__(self, claim: str, source: str) -> bool:
        self.asked.append((claim, source))
        return self.verdict


def test_a_paraphrase_the_word_check_rejects_is_supported_when_the_model_reads_it_so() -> None:
    assert judge_claim(PARAPHRASE, [PRESENCE], org_terms=ORG).verdict == "unsupported"
    judge = Judge(True)
    verdict = judge_claim(PARAPHRASE, [PRESENCE], org_terms=ORG, entails=judge)
    assert verdict.verdict == "supported"
    assert verdict.detail == JUDGED_DETAIL  # the reader of `faqbot ask --json` sees who found the source
    assert judge.asked and "12 pays" in judge.asked[0][1]
    assert judge_claim(PARAPHRASE, [PRESENCE], org_terms=ORG, entails=Judge(False)).verdict == "unsupported"


@pytest.mark.parametrize("claim", [
    "La Fondation Lumière est implantée dans 15 pays [1].",               # a figure the source does not give
    "La Fondation Lumière est implantée dans 12 pays avec la Croix-Verte [1].",  # a name it does not give
    "Les résultats de la Fondation Lumière ne sont pas réinvestis dans ses projets [1].",  # the opposite
])
def test_the_model_is_never_asked_about_figures_names_or_negations(claim: str) -> None:
    judge = Judge(True)
    assert judge_claim(claim, [PRESENCE], org_terms=ORG, entails=judge).verdict == "unsupported"
    assert judge.asked == []


@pytest.mark.parametrize("claim", [
    "La Fondation Lumière est implantée dans 12 pays ; elle gère aussi des hôpitaux [1].",  # two clauses
    "Je pense que la Fondation Lumière est implantée dans 12 pays [1].",  # the writer's view
    "À mon avis, la Fondation Lumière est bien implantée dans 12 pays [1].",
])
def test_claims_of_several_clauses_and_the_writers_views_are_not_given_to_the_model(claim: str) -> None:
    judge = Judge(True)
    assert judge_claim(claim, [PRESENCE], org_terms=ORG, entails=judge).verdict == "unsupported"
    assert judge.asked == []


@pytest.mark.parametrize(("claim", "supported"), [
    ("Le site de la fondation est contact@lumiere.example [1].", False),
    ("Le numéro de téléphone de la fondation est contact@lumiere.example [1].", False),
    ("The website of the foundation is 04 72 10 20 30 [1].", False),
    ("Le courriel de la fondation est contact@lumiere.example [1].", True),
    ("Le téléphone de la fondation est le 04 72 10 20 30 [1].", True),  # its digits are no figure of a clause
])
def test_a_contact_detail_keeps_its_kind(claim: str, supported: bool) -> None:
    """An e-mail address given as the website is a wrong answer, whoever reads its words."""
    verdict = judge_claim(claim, [CONTACT], "Comment contacter la fondation ?", org_terms=ORG, entails=Judge(True))
    assert verdict.supported is supported


def test_verify_passes_the_judge_to_every_claim() -> None:
    assert not verify(PARAPHRASE, [PRESENCE], org_terms=ORG).passed
    assert verify(PARAPHRASE, [PRESENCE], org_terms=ORG, entails=Judge(True)).passed


def _llm(reply: str) -> ScriptedLLM:
    return ScriptedLLM(script=lambda system, user: reply)


def test_the_model_reply_is_read_as_yes_or_no_and_remembered() -> None:
    llm = _llm("Oui")
    judge = Entailment(lambda: llm)
    assert judge("claim", "source") is True
    assert judge("claim", "source") is True
    assert len(llm.calls) == 1  # the second answer of a regenerated pair asks nothing again
    assert "Affirmation : claim" in llm.calls[0]["user"]
    assert Entailment(lambda: _llm("non.")).__call__("claim", "source") is False
    assert Entailment(lambda: _llm("Peut-être")).__call__("claim", "source") is False
    assert Entailment(lambda: None)("claim", "source") is False  # no LLM: the word checks decide


class Failing(ScriptedLLM):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def stream(self, *args, **kwargs):
        raise self.error


def test_a_failing_backend_leaves_the_word_checks_verdict_but_a_stale_cache_is_said() -> None:
    assert Entailment(lambda: Failing(BackendError("down")))("claim", "source") is False
    with pytest.raises(CacheMiss):
        Entailment(lambda: Failing(CacheMiss("not cached")))("claim", "source")


def test_the_judge_is_switched_on_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ChatSettings.from_env().claim_judge is False  # off by default: the word checks decide
    monkeypatch.setenv("FAQBOT_CLAIM_JUDGE", "1")
    assert ChatSettings.from_env().claim_judge is True
    monkeypatch.setenv("FAQBOT_CLAIM_JUDGE", "peut-être")
    with pytest.raises(InputError, match="FAQBOT_CLAIM_JUDGE"):
        ChatSettings.from_env()


@pytest.mark.parametrize(("claim", "question"), [
    ("The foundation operates in a dozen nations [1].", ""),  # English: the restatement test reads it
    ("Oui, c'est vrai [1].", "La fondation est-elle présente dans 12 pays ?"),  # says nothing to read
    ("Pour une demande sur ses écoles, le code du portail est contact@lumiere.example [2].", ""),  # contact checks decide
    ("La Fondation Lumière gère des écoles de musique [1].", "Quelles écoles de musique la Fondation Lumière gère-t-elle ?"),
])
def test_the_model_reads_only_french_statements_that_say_something_new(claim: str, question: str) -> None:
    judge = Judge(True)
    judge_claim(claim, [PRESENCE, WRITE_TO], question, org_terms=ORG, entails=judge)
    assert judge.asked == []


def test_a_heading_shorter_than_the_claim_is_not_read_as_stating_it() -> None:
    judge = Judge(True)
    claim = "Une école de la fondation est une école créée par des parents qui partagent un métier [1]."
    assert judge_claim(claim, ["Les écoles de la Fondation Lumière, par métiers"], org_terms=ORG,
                       entails=judge).verdict == "unsupported"
    assert judge.asked == []
