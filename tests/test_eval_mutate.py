"""Mutation self-test: correct answers corrupted three ways, and how many corruptions the checks catch."""

from __future__ import annotations

import pytest

from chatbot.verify import verify
from eval.cases import Case
from eval.mutate import (
    OUTSIDE_NAMES,
    Mutant,
    default_judge,
    echo_mutants,
    faq_organisation,
    mutants,
    name_mutants,
    names,
    negation_mutants,
    number_mutants,
    run_mutation_test,
)
from ingest import IngestSettings, ingest
from ingest.normalize import normalize
from tests.conftest import REAL_FAQ

# Correct answers as the bot writes them, each with a phrase that finds the FAQ passage it cites.
EXAMPLES: list[tuple[str, str, str, str]] = [
    # (case id, answer, phrase of the cited passage, question)
    ("budget", "En 2022, le chiffre d'activité du Groupe SOS ressort à 1,367 milliard d'euros [1].",
     "ressort à 1,367 milliard", "Quel est le chiffre d'activité du Groupe SOS ?"),
    ("president", "Le Président du Directoire est Jean-Marc Borello [1].", "(Jean-Marc Borello)",
     "Qui préside le Directoire ?"),
    ("rachat", "Une association ne peut en aucun cas faire l'objet d'un rachat [1].", "faire l'objet d'un rachat",
     "Le Groupe SOS rachète-t-il des associations ?"),
    ("pays", "Le Groupe SOS est présent dans 40 pays [1].", "présent dans 40 pays",
     "Dans combien de pays le Groupe SOS est-il présent ?"),
    ("reprises", "Il y a 170 000 associations employeuses en France : en 2022, le Groupe SOS en a repris 13 [1].",
     "170 000 associations", "Combien d'associations le Groupe SOS a-t-il reprises en 2022 ?"),
    ("actionnaire", "Le Groupe SOS ne dispose d'aucun actionnaire [1].", "ne dispose d'aucun actionnaire",
     "Qui sont les actionnaires du Groupe SOS ?"),
    ("dividende", "Il n'y a donc aucun dividende à reverser [1].", "Il n'y a donc aucun dividende",
     "Le Groupe SOS verse-t-il des dividendes ?"),
    ("emanation", "Le Groupe SOS n'est l'émanation d'aucun courant religieux ou politique [1].",
     "d'aucun courant religieux", "Le Groupe SOS est-il religieux ?"),
    ("confondu", "Le chiffre d'activité ne doit pas être confondu avec le résultat [1].",
     "ne doit pas être confondu", "Le chiffre d'activité est-il le résultat ?"),
    ("grand-public", "Le Groupe SOS ne se finance pas auprès du grand public [1].", "ne se finance pas",
     "Le Groupe SOS fait-il appel aux dons ?"),
    ("capital", "Lorsque l'on ne dispose ni de capital ni de réserve, les actifs rassurent les financeurs [1].",
     "ni de capital ni de réserve", "Pourquoi le Groupe SOS a-t-il un patrimoine immobilier ?"),
    ("lucratif", "Sans actionnaire, non-lucratif, les résultats du Groupe SOS sont réinvestis dans nos projets "
     "sociaux et environnementaux [1].", "Sans actionnaire, non-lucratif", "Que deviennent les bénéfices ?"),
    ("decisions", "Les décisions du Directoire sont prises à la majorité des votes [1].", "majorité des votes",
     "Comment le Directoire décide-t-il ?"),
    ("participations", "Le Groupe SOS peut prendre des participations, majoritaires ou minoritaires, au sein "
     "d'entreprises sociales [1].", "peut prendre des participations",
     "Le Groupe SOS achète-t-il des entreprises ?"),
]

# Negation mutants the first version of the polarity check let through ("sans", "non-" were not negations);
# kept as regression tests now that they are caught.
FORMER_NEGATION_GAPS = {
    ("lucratif", "remove:sans"): "Avec actionnaire, non-lucratif, les résultats du Groupe SOS sont réinvestis",
    ("lucratif", "remove:non-"): "Sans actionnaire, lucratif, les résultats du Groupe SOS sont réinvestis",
}


@pytest.fixture(scope="module")
def source_texts() -> dict[str, str]:
    """The real FAQ's chunks, chunk_id -> text."""
    return {c.chunk_id: c.text for c in ingest(IngestSettings(faq_path=REAL_FAQ)).chunks}


def chunk_with(texts: dict[str, str], phrase: str) -> str:
    """The id of the first chunk containing `phrase`."""
    found = [cid for cid, text in texts.items() if phrase in text]
    assert found, f"no FAQ chunk contains {phrase!r}"
    return found[0]


@pytest.fixture(scope="module")
def records(source_texts: dict[str, str]) -> list[dict]:
    """One passing record per example, as eval.answers.run_case would write it."""
    return [{"id": case_id, "question": question, "kind": "answer", "mode": "ask", "answer": answer,
             "abstained": False, "passed": True, "checks": {},
             "sources": [{"section": None, "title": "", "chunk_id": chunk_with(source_texts, phrase),
                          "score": 1.0}]}
            for case_id, answer, phrase, question in EXAMPLES]


@pytest.fixture(scope="module")
def report(records: list[dict], source_texts: dict[str, str]):
    """The mutation test of the examples with the default judge (verify against the cited passage)."""
    return run_mutation_test(records, source_texts)


def test_the_correct_answers_pass_verification(records: list[dict], source_texts: dict[str, str]) -> None:
    org = faq_organisation(source_texts)
    assert org == {"groupe", "sos"}, "the organisation's name is read from the FAQ"
    for record in records:
        passages = [source_texts[s["chunk_id"]] for s in record["sources"]]
        assert verify(record["answer"], passages, record["question"], org_terms=org).passed, record["id"]


def test_figures_change_in_their_own_french_format() -> None:
    source = "En 2023, le Club Azur a dépensé 1,245 million d'euros, dont 0,8 % pour les cartes."
    got = {m.description for m in number_mutants(
        "En 2023, il a dépensé 1,245 million d'euros [1], soit 0,8 % ; +7 refuges ; 240 000 nuitées.",
        [source])}
    assert got == {"figure 2023 → 2020", "figure 1,245 → 1,345", "figure 0,8 → 0,9", "figure 7 → 8",
                   "figure 240 000 → 250 000"}


def test_citations_references_and_ordinals_are_not_mutated() -> None:
    assert number_mutants("C'est le 1er gardien de refuges (voir la question 8) [2].", []) == []


def test_a_changed_figure_never_equals_another_figure_of_the_sources() -> None:
    # 2019 is in the source, so the year moves on to the next step (+3).
    [m] = number_mutants("En 2022 [1].", ["En 2019 puis en 2022."])
    assert m.mutated == "En 2025 [1]."


def test_number_words_are_figures_too() -> None:
    [m] = number_mutants("Les huit refuges gardés [1].", ["les 8 refuges gardés"])
    assert m.mutated == "Les dix refuges gardés [1]."  # "neuf" is skipped: it also means "new"


def test_negations_are_inserted_and_removed_in_french() -> None:
    got = {m.mutated for m in negation_mutants(
        "Le Club Azur est actif dans 6 vallées et peut louer des gîtes [1].")}
    assert "Le Club Azur n'est pas actif dans 6 vallées et peut louer des gîtes [1]." in got
    assert "Le Club Azur est actif dans 6 vallées et ne peut pas louer des gîtes [1]." in got
    vente = "Un refuge ne peut en aucun cas être vendu."
    assert [m.mutated for m in negation_mutants(vente)] == ["Un refuge peut être vendu."]
    assert [m.mutated for m in negation_mutants("Le Club n'a aucune dette envers la banque.")] \
        == ["Le Club a une dette envers la banque."]
    assert [m.mutated for m in negation_mutants("Il y a 6 refuges.")] == ["Il n'y a pas 6 refuges."]


def test_english_answers_get_english_negations() -> None:
    got = [m.mutated for m in negation_mutants("The Club Azur was founded in 1978 and is not listed.")]
    assert got == ["The Club Azur was not founded in 1978 and is not listed.",
                   "The Club Azur was founded in 1978 and is listed."]


def test_an_echo_mutant_answers_yes_only_where_the_answer_said_no() -> None:
    """The opposite of a « Non » is a mutant; a « Oui » above quotes that deny something else has no opposite to
    make (the echo of the question would be the answer itself, a true one)."""
    question = "La Fondation Lumière verse-t-elle des dividendes ?"
    denied = echo_mutants("Non, la Fondation Lumière ne verse aucun dividende [1].", question)
    assert [m.mutated for m in denied] == ["Oui, la Fondation Lumière verse des dividendes [1]."]
    confirmed = ("Oui, la Fondation Lumière réinvestit ses excédents [1].\n\nLa FAQ précise :\n"
                 "- « Elle ne compte aucun actionnaire. » [1]")
    assert echo_mutants(confirmed, "La Fondation Lumière réinvestit-elle ses excédents ?") == []
    # A negation in another clause than the one answering is no « Non »: its echo would be true.
    other = "La Fondation Lumière ne compte aucun actionnaire, et elle est une fondation laïque [1]."
    assert echo_mutants(other, "La Fondation Lumière est-elle une fondation laïque ?") == []
    assert [m.mutated for m in echo_mutants("La Fondation Lumière n'est pas une fondation laïque [1].",
                                            "La Fondation Lumière est-elle une fondation laïque ?")] == [
        "Oui, la Fondation Lumière est une fondation laïque [1]."]


def test_names_are_whole_and_skip_the_organisation_and_sentence_openers() -> None:
    assert names("Le Président du CODIR est Jean-Luc Ferrand, selon la Chambre des Guides et l'ONF.") \
        == ["Président du CODIR", "Jean-Luc Ferrand", "Chambre des Guides", "ONF"]
    assert names("Oui. Le Club Azur est présent en Savoie.", frozenset({"club", "azur"})) == ["Savoie"]


def test_the_headings_the_bot_writes_over_quotes_hold_no_name_to_mutate() -> None:
    """« The FAQ states (in French): » is the bot's layout, not the model's claim: swapping its « French » for
    another name tests nothing the verifier is for."""
    answer = ("Club Azur was founded in 1978 in Briançon [1].\n\nThe FAQ states (in French):\n"
              "- “Le Club Azur s'appelait d'abord Amicale des Sentiers Bleus.” [1]")
    assert names(answer, frozenset({"club", "azur"})) == ["Briançon", "Amicale des Sentiers Bleus"]
    assert "FAQ" not in names("D'après la FAQ (question 4) : « Le budget est de 10 euros. » [1]")


def test_names_swap_to_one_outside_the_faq_and_one_elsewhere_in_it(source_texts: dict[str, str]) -> None:
    source = source_texts[chunk_with(source_texts, "(Jean-Marc Borello)")]
    swaps = name_mutants("Le Président du Directoire est Jean-Marc Borello [1].", [source],
                         list(source_texts.values()))
    borello = [m for m in swaps if "Jean-Marc Borello" not in m.mutated]
    assert [m.pattern for m in borello] == ["outside-faq", "faq-not-sources"]
    outside, elsewhere = (m.mutated.split(" est ")[1].removesuffix(" [1].") for m in borello)
    faq = normalize(" ".join(source_texts.values()))
    assert outside in OUTSIDE_NAMES["person"] and normalize(outside) not in faq
    assert normalize(elsewhere) in faq and normalize(elsewhere) not in normalize(source)


def test_every_kind_is_produced_for_the_examples(records: list[dict], source_texts: dict[str, str]) -> None:
    made: dict[str, list[Mutant]] = {}
    for record in records:
        passages = [source_texts[s["chunk_id"]] for s in record["sources"]]
        made[record["id"]] = mutants(record["answer"], passages, list(source_texts.values()))
    assert {m.kind for m in made["budget"]} >= {"number", "negation", "currency"}
    assert {m.kind for m in made["president"]} >= {"name", "negation"}
    assert {m.kind for m in made["rachat"]} == {"negation", "endorsement"}
    assert {m.kind for m in made["pays"]} >= {"number", "negation"}
    assert "En 2022, le chiffre d'activité du Groupe SOS ressort à 1,467 milliard d'euros [1]." \
        in {m.mutated for m in made["budget"]}
    assert all(m.mutated != m.original for ms in made.values() for m in ms)


def test_measured_catch_rate(report) -> None:
    # Printed for the record (pytest -s): the share of each kind the current checks catch.
    print("\nmutation test on", len(report.results), "mutants:", report.metrics())
    for pattern, (caught, total) in report.pattern_counts().items():
        print(f"  {pattern:28} {caught}/{total}")
    for r in report.uncaught:
        print(f"  UNCAUGHT {r.case_id} {r.mutant.pattern}: {r.mutant.mutated}")
    assert report.skipped == []
    assert report.counts()["number"][1] >= 4 and report.share_of("number") == 1.0
    assert report.counts()["year"][1] >= 3 and report.share_of("year") == 1.0
    assert report.counts()["name"][1] >= 4 and report.share_of("name") == 1.0
    assert report.counts()["negation"][1] >= 15 and report.share_of("negation") == 1.0
    for kind in ("role", "entity", "echo", "endorsement", "currency"):
        assert report.counts()[kind][1] >= 1 and report.share_of(kind) == 1.0, kind


@pytest.mark.parametrize("gap", sorted(FORMER_NEGATION_GAPS))
def test_former_negation_gap_is_caught(report, gap: tuple[str, str]) -> None:
    [result] = [r for r in report.results if (r.case_id, r.mutant.pattern) == gap]
    assert FORMER_NEGATION_GAPS[gap] in result.mutant.mutated
    assert result.caught


def test_only_passing_answered_records_are_mutated(records: list[dict], source_texts: dict[str, str]) -> None:
    failed = {**records[0], "id": "failed", "passed": False}
    abstained = {**records[0], "id": "abstained", "abstained": True}
    report = run_mutation_test([failed, abstained, records[3]], source_texts)
    assert {r.case_id for r in report.results} == {"pays"}


def test_a_record_whose_answer_already_fails_the_judge_is_skipped(records: list[dict],
                                                                  source_texts: dict[str, str]) -> None:
    wrong = {**records[3], "answer": "Le Groupe SOS est présent dans 41 pays [1]."}
    report = run_mutation_test([wrong], source_texts)
    assert report.results == [] and report.skipped[0][0] == "pays" and "verify:figures" in report.skipped[0][1]


def test_unknown_source_chunks_are_reported_not_raised(records: list[dict], source_texts: dict[str, str]) -> None:
    stale = {**records[3], "sources": [{"chunk_id": "q99-gone"}]}
    report = run_mutation_test([stale], source_texts)
    assert "q99-gone" in report.skipped[0][1] and "faqbot index" in report.skipped[0][1]


def test_default_judge_also_applies_the_case_facts(records: list[dict], source_texts: dict[str, str]) -> None:
    record = records[3]
    case = Case(id="pays", question=record["question"], must_include=(("40 pays",),),
                must_not_include=("41 pays",))
    assert default_judge(record, record["answer"], source_texts, {"pays": case}) == []
    forbidding = Case(id="pays", question=record["question"], must_not_include=("40 pays",))
    assert default_judge(record, record["answer"], source_texts, {"pays": forbidding}) == ["must_not_include"]
    # Without a case given, the facts come from the record when it carries them.
    assert default_judge({**record, "must_include": [["41 pays"]]}, record["answer"], source_texts) \
        == ["must_include"]


def test_a_custom_judge_returning_a_bool(records: list[dict], source_texts: dict[str, str]) -> None:
    report = run_mutation_test(records[:1], source_texts, lambda record, answer: answer != record["answer"])
    assert report.share == 1.0 and all(r.caught_by == ("judge",) for r in report.results)


def test_markdown_lists_rates_and_uncaught_mutants(report) -> None:
    text = report.to_markdown()
    assert "| number |" in text and "| negation |" in text and "| name |" in text
    assert f"{report.total} mutants" in text and "gated per kind" in text
    assert report.to_dict()["counts"]["number"]["total"] == report.counts()["number"][1]


# Name swaps that the mutation test on a real run (llama.cpp answers to eval/cases/dev.jsonl) found the
# first version of the checks letting through; each is (mutated answer, phrase of the cited passage), kept
# as regression tests now that they are caught.
_ACTIVITIES = "Commerces durables et de proximité"  # finds the passage the real answer cited as [1]
KNOWN_NAME_GAPS = {
    # "union" is in the list of English title words that verify does not take for names.
    "english-title-word": ("Le Groupe SOS a été fondé au cœur des années Union, en 1984 [1].",
                           "au cœur des années Sida"),
    # A name opening a sentence (here after "...") or a line is skipped as a sentence opener.
    "after-ellipsis": ("Etablissements sociaux et médico-sociaux pour personnes en situation de handicap, en "
                       "situation d'exclusions... (Croix-Rouge française) [1]", _ACTIVITIES),
    "line-opener": ("Secours populaire (ASE), de la Protection Judiciaire de la Jeunesse (PJJ), crèches... "
                    "(Groupe SOS Jeunesse) [1]", _ACTIVITIES),
    # Names are checked word by word: "Transition" occurs in the passage as a common noun ("conseil en
    # transition"), so a name made of the passage's words passes.
    "words-of-the-passage": ("Etablissements sociaux et médico-sociaux pour personnes en situation de handicap, "
                             "en situation d'exclusions... (Groupe SOS Transition) [1]", _ACTIVITIES),
}


@pytest.mark.parametrize("gap", sorted(KNOWN_NAME_GAPS))
def test_former_name_gap_is_caught(source_texts: dict[str, str], gap: str) -> None:
    answer, phrase = KNOWN_NAME_GAPS[gap]
    record = {"id": gap, "question": "", "sources": [{"chunk_id": chunk_with(source_texts, phrase)}]}
    assert default_judge(record, answer, source_texts)


def test_an_acronym_is_not_swapped_for_its_own_translation() -> None:
    """« OTAN » for "NATO" names the same thing: such a swap would count a true answer as a missed mutant."""
    from eval.mutate import entity_mutants

    sources = ["Le Club Azur accueille les randonneurs de l'OTAN."]
    faq = ["Le Club Azur gère des refuges.", *sources, "Le Club Azur est indépendant."]
    assert entity_mutants("The Club Azur welcomes NATO hikers [1].", sources, faq) == []
    swapped = entity_mutants("The Club Azur welcomes NATO hikers [1].", [*sources, "Il siège au CESE."], faq)
    assert [m.mutated for m in swapped] == ["The Club Azur welcomes CESE hikers [1]."]
    # Nor for another name set beside the translated one ("NATO/UN" made "NATO/OTAN").
    assert entity_mutants("The Club Azur welcomes NATO/UN hikers [1].", sources, faq) == []
