"""The rule-based extractor, on sentences written for these tests (none is taken from the seed articles)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fixture_data import read_rows, write_rows

from dashboard.ingest.extract import Candidate, Rules, extract, find_date, load_rules, split_sentences
from dashboard.paths import CLAIMS_CSV, DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
FOUR = {"UA-14", "UA-09", "UA-23", "UA-65"}


def claims(text: str, rules: Rules) -> set[tuple[str, str, str]]:
    """(party, region, stance) of every candidate."""
    return {(c.party, c.region, c.stance) for c in extract(text, rules).candidates}


def regions(text: str, rules: Rules) -> set[str]:
    return {c.region for c in extract(text, rules).candidates}


# --- regions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Lavrov said Moscow wants the Lugansk region recognised as Russian.", {"UA-09"}),
        ("The Kremlin demanded that Kyiv pull its forces out of the Donbass.", {"UA-14", "UA-09"}),
        ("Peskov said Ukrainian units must leave the Donbas before any truce.", {"UA-14", "UA-09"}),
        ("Moscow insists that Kyiv withdraw from the four regions it annexed in 2022.", FOUR),
        ("Putin demanded formal recognition of the four annexed regions as Russian.", FOUR),
        ("European leaders insisted that Crimea must be returned to Ukraine.", {"UA-43", "UA-40"}),
        ("The EU said the Autonomous Republic of Crimea must be returned to Ukraine.", {"UA-43"}),
        (
            "Rubio said Washington wants a freeze of the fighting in Zaporizhzhya and Khersonska oblast.",
            {"UA-23", "UA-65"},
        ),
    ],
)
def test_region_names_resolve_through_the_gazetteer(rules: Rules, sentence: str, expected: set[str]) -> None:
    assert regions(sentence, rules) == expected


def test_the_four_regions_need_an_annexation_context(rules: Rules) -> None:
    text = "Farm output fell in the four regions hit hardest by the drought. Zelenskyy vowed to restore it."
    result = extract(text, rules)
    assert result.candidates == []
    assert result.named_regions == set()


def test_the_four_regions_resolve_when_all_four_are_named_nearby(rules: Rules) -> None:
    text = (
        "The Kremlin said Ukrainian troops must withdraw from four southern and eastern regions. "
        "It named Donetsk, Luhansk, Zaporizhzhia and Kherson."
    )
    assert {c.region for c in extract(text, rules).candidates if c.quote.startswith("The Kremlin")} == FOUR


def test_those_regions_refer_to_the_regions_of_the_previous_sentence(rules: Rules) -> None:
    text = "Witkoff met officials to discuss Kherson and Zaporizhzhia. He proposed freezing the front in those regions."
    found = [c for c in extract(text, rules).candidates if c.quote.startswith("He proposed")]
    assert {(c.party, c.region, c.stance) for c in found} == {
        ("united_states", "UA-65", "freeze_as_final_line"),
        ("united_states", "UA-23", "freeze_as_final_line"),
    }
    assert all("named in sentence 1" in c.reason for c in found)


def test_cities_in_a_list_and_the_capital_as_a_speaker_are_not_regions(rules: Rules) -> None:
    text = "Kyiv refuses to cede Zaporizhzhia and warned of strikes on cities like Kharkiv, Odesa and Sumy."
    assert claims(text, rules) == {("ukraine", "UA-23", "cession_rejected")}


# --- parties -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "party"),
    [
        ("Putin", "russia"),
        ("The Kremlin", "russia"),
        ("Moscow", "russia"),
        ("Lavrov", "russia"),
        ("Peskov", "russia"),
        ("Zelenskyy", "ukraine"),
        ("Zelensky", "ukraine"),
        ("Zelenskiy", "ukraine"),
        ("Yermak", "ukraine"),
        ("Kyiv", "ukraine"),
        ("Trump", "united_states"),
        ("Witkoff", "united_states"),
        ("Rubio", "united_states"),
        ("Washington", "united_states"),
        ("The US plan", "united_states"),
        ("European leaders", "europe"),
        ("The EU", "europe"),
    ],
)
def test_speakers_and_institutions_give_the_party(rules: Rules, name: str, party: str) -> None:
    text = f"{name} called for a freeze of the front line in the Zaporizhzhia region."
    assert claims(text, rules) == {(party, "UA-23", "freeze_as_final_line")}


def test_the_pronoun_us_is_not_the_united_states(rules: Rules) -> None:
    text = "“Nobody will make us give up Kherson,” Zelensky told reporters."
    assert claims(text, rules) == {("ukraine", "UA-65", "cession_rejected")}


def test_he_continues_the_previous_sentences_speaker(rules: Rules) -> None:
    text = "Yermak spoke to journalists in Kyiv on Friday. He insisted that Ukraine will not abandon Zaporizhzhia."
    (candidate,) = extract(text, rules).candidates
    assert (candidate.party, candidate.speaker, candidate.stance) == ("ukraine", "Andriy Yermak", "cession_rejected")


# --- stances -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Peskov said Ukraine must withdraw its troops from Donetsk.", ("russia", "UA-14", "withdraw")),
        ("Witkoff suggested that Kyiv cede the rest of the Luhansk region.", ("united_states", "UA-09", "withdraw")),
        (
            "Rubio said Washington could accept Kherson as Russian de facto.",
            ("united_states", "UA-65", "recognised_de_facto"),
        ),
        ("Lavrov demanded legal recognition of Zaporizhzhia as Russian.", ("russia", "UA-23", "recognised_de_jure")),
        (
            "Trump floated a demilitarised zone in the part of Donetsk Kyiv holds.",
            ("united_states", "UA-14", "demilitarised_zone"),
        ),
        (
            "Zelensky rejected any deal that would hand Zaporizhzhia to Russia.",
            ("ukraine", "UA-23", "cession_rejected"),
        ),
        (
            "European leaders insisted that Kherson must be returned to Ukraine.",
            ("europe", "UA-65", "return_to_ukraine"),
        ),
        ("The EU said it would never recognise the annexation of Crimea.", ("europe", "UA-43", "cession_rejected")),
    ],
)
def test_verbs_and_phrases_give_the_stance(rules: Rules, sentence: str, expected: tuple[str, str, str]) -> None:
    assert expected in claims(sentence, rules)


def test_a_ceasefire_on_the_current_line_without_a_region_concerns_the_whole_country(rules: Rules) -> None:
    text = "Zelenskyy proposed a truce along the current contact line, to be followed by talks."
    assert claims(text, rules) == {("ukraine", "UA", "ceasefire_current_line")}


def test_refusing_any_territory_is_a_claim_about_the_whole_country(rules: Rules) -> None:
    text = "The Ukrainian president said Ukraine will not give up an inch of its territory."
    assert claims(text, rules) == {("ukraine", "UA", "cession_rejected")}


# --- negatives -----------------------------------------------------------------


def test_a_region_mentioned_without_a_position_gives_nothing(rules: Rules) -> None:
    text = "Shelling hit Sumy and Kharkiv overnight, the governor said. Trains to Odesa ran late."
    result = extract(text, rules)
    assert result.candidates == []
    assert {"UA-59", "UA-63", "UA-51"} <= result.named_regions
    assert any("without a position" in reason for reason in result.dropped)


def test_a_position_reported_and_then_denied_is_not_proposed(rules: Rules) -> None:
    text = (
        "A Moscow tabloid wrote that the Kremlin was ready to freeze the front in Kherson. "
        "Peskov denied the report within hours."
    )
    result = extract(text, rules)
    assert ("russia", "UA-65", "freeze_as_final_line") not in {(c.party, c.region, c.stance) for c in result.candidates}
    assert any("denied in the next sentence" in reason for reason in result.dropped)


def test_a_position_denied_in_the_same_sentence_is_not_proposed(rules: Rules) -> None:
    text = "Reports that Kyiv was ready to cede Luhansk were denied by Yermak on Sunday."
    assert ("ukraine", "UA-09", "withdraw") not in claims(text, rules)


def test_one_party_reporting_anothers_demand_credits_the_demand_to_its_owner(rules: Rules) -> None:
    text = "Zelenskyy said Russia's demand that Ukraine give up Luhansk was unacceptable."
    found = extract(text, rules).candidates
    assert {(c.party, c.region, c.stance) for c in found} == {
        ("russia", "UA-09", "withdraw"),
        ("ukraine", "UA-09", "cession_rejected"),
    }
    (demand,) = [c for c in found if c.party == "russia"]
    assert demand.speaker == "Volodymyr Zelenskyy (describing Russia's demand)"
    assert "Second-hand" in demand.note


def test_a_negated_cession_is_a_refusal_not_a_withdrawal(rules: Rules) -> None:
    text = "Zelenskiy said Ukraine will never surrender Kherson."
    assert claims(text, rules) == {("ukraine", "UA-65", "cession_rejected")}


def test_a_negated_position_is_not_proposed(rules: Rules) -> None:
    text = "Peskov said Moscow does not want a freeze in Kherson."
    assert claims(text, rules) == set()


def test_a_refused_recognition_is_a_refusal(rules: Rules) -> None:
    text = "Sybiha said Kyiv will never recognise Zaporizhzhia as Russian."
    assert claims(text, rules) == {("ukraine", "UA-23", "cession_rejected")}


# --- evidence, confidence, dates ----------------------------------------------------


def test_every_candidate_carries_its_verbatim_sentence_a_confidence_and_a_reason(rules: Rules) -> None:
    text = (FIXTURES / "article.txt").read_text(encoding="utf-8")
    found = extract(text, rules).candidates
    assert len(found) == 3
    for candidate in found:
        assert candidate.quote in text
        assert 0 < candidate.confidence <= 1
        assert "region:" in candidate.reason
        assert "party:" in candidate.reason
        assert "stance:" in candidate.reason
    assert [c.id for c in found] == ["x1", "x2", "x3"]


def test_a_second_hand_report_is_less_confident_than_a_direct_one(rules: Rules) -> None:
    direct = extract("Putin demanded that Ukraine withdraw from Kherson.", rules).candidates[0]
    hedged = extract("Putin reportedly demanded that Ukraine withdraw from Kherson.", rules).candidates[0]
    assert hedged.confidence < direct.confidence
    assert "Second-hand" in hedged.note


def test_dates_come_from_the_sentence_or_its_paragraph(rules: Rules) -> None:
    text = (
        "Kyiv, 2 March 2025. Zelenskyy said Ukraine will never cede Donetsk.\n"
        "In September 2022 Moscow announced the annexation of Kherson.\n"
    )
    found = {c.region: c for c in extract(text, rules).candidates}
    assert (found["UA-14"].date, found["UA-65"].date) == ("2025-03-02", "2022-09")
    assert "2 March 2025" in found["UA-14"].date_basis
    undated = extract("Putin demanded that Ukraine withdraw from Kherson.", rules).candidates[0]
    assert undated.date == ""
    assert "review" in undated.date_basis


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 15 August 2025 in Alaska", "2025-08-15"),
        ("on August 15, 2025", "2025-08-15"),
        ("dated 2025-11-27", "2025-11-27"),
        ("revealed in November 2022", "2022-11"),
        ("seized in 2014", "2014"),
        ("in 31 Foo 2025", None),
    ],
)
def test_find_date(text: str, expected: str | None) -> None:
    found = find_date(text)
    assert (found[0] if found else None) == expected


def test_sentences_keep_abbreviations_wrapped_lines_and_exact_offsets() -> None:
    text = (FIXTURES / "wrapped.txt").read_text(encoding="utf-8") + "The U.S. plan and the U.N. Charter. Next one."
    sentences = split_sentences(text)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert sentences[1].text.startswith("The Kremlin said") and sentences[1].text.endswith("before any ceasefire.")
    assert "\n" in sentences[1].text  # a wrapped line stays one sentence
    assert [s.text for s in sentences[-2:]] == ["The U.S. plan and the U.N. Charter.", "Next one."]


def test_a_hard_wrapped_article_is_read_across_its_line_breaks(rules: Rules) -> None:
    text = (FIXTURES / "wrapped.txt").read_text(encoding="utf-8")
    assert claims(text, rules) == {("russia", "UA-14", "withdraw"), ("ukraine", "UA-14", "cession_rejected")}


# --- the rule files ------------------------------------------------------------------


def test_broken_cue_files_are_reported_with_file_row_and_field(tmp_path: Path) -> None:
    cues = tmp_path / "data" / "extract" / "stance_cues.csv"
    cues.parent.mkdir(parents=True)
    shutil.copy(DATA_DIR / "extract" / "stance_cues.csv", cues)
    rows = read_rows(cues)
    rows[0]["stance"] = "surrender_everything"
    rows[1]["pattern"] = "pull(out"
    write_rows(cues, rows)
    loaded, problems = load_rules(tmp_path)
    assert loaded is None
    assert {(p.where, p.field) for p in problems} == {("row 2", "stance"), ("row 3", "pattern")}
    assert all(p.file.endswith("stance_cues.csv") for p in problems)


def test_the_cue_lists_copy_no_phrase_from_the_curated_quotes() -> None:
    # Rules must be general: no run of four words from a curated quote may appear in a cue file.
    words = re.compile(r"[a-z0-9'’-]+")
    runs = set()
    for row in read_rows(CLAIMS_CSV):
        tokens = words.findall(row["quote"].lower())
        runs.update(" ".join(tokens[i : i + 4]) for i in range(len(tokens) - 3))
    for path in sorted((DATA_DIR / "extract").glob("*.csv")):
        text = " ".join(words.findall(path.read_text(encoding="utf-8").lower()))
        copied = sorted(run for run in runs if f" {run} " in f" {text} ")
        assert copied == [], f"{path.name} copies {copied}"


def test_candidates_are_plain_data(rules: Rules) -> None:
    (candidate,) = extract("Putin demanded that Ukraine withdraw from Kherson.", rules).candidates
    assert isinstance(candidate, Candidate)
    assert (candidate.party, candidate.region, candidate.stance, candidate.sentence) == (
        "russia",
        "UA-65",
        "withdraw",
        1,
    )
