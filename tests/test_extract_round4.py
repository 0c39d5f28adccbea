"""Round 4 of issue 15: fixes that generalise, each on a sentence written here (never from an article).

The four-word check in test_extract.py keeps the rule files free of article text.
"""

from __future__ import annotations

import pytest

from dashboard.ingest.extract import Rules, extract


def pairs(text: str, rules: Rules) -> set[tuple[str, str]]:
    return {(c.party, c.region) for c in extract(text, rules).candidates}


# --- whole words ------------------------------------------------------------------------------------


def test_every_alternative_of_a_cue_matches_whole_words_only(rules: Rules) -> None:
    # "liberate" is one alternative of a longer cue: it must not match inside "deliberate".
    text = "The deliberate shelling of Sumy and Odesa went on overnight, the Ukrainian president said."
    assert not any(c.stance == "return_to_ukraine" for c in extract(text, rules).candidates)


def test_a_cue_alternative_still_matches_as_a_word(rules: Rules) -> None:
    text = "The Ukrainian president said his army would liberate Kherson."
    assert ("ukraine", "UA-65", "return_to_ukraine") in {
        (c.party, c.region, c.stance) for c in extract(text, rules).candidates
    }


def test_a_region_name_inside_a_longer_word_is_not_a_cue_match(rules: Rules) -> None:
    # "secession" holds "cession": only whole words count.
    text = "Moscow staged a vote on secession in Crimea, a step the cabinet in Kyiv called void."
    assert not any(c.stance == "withdraw" for c in extract(text, rules).candidates)


def test_an_adjective_widely_criticised_is_not_a_party_criticising(rules: Rules) -> None:
    text = (
        "Putin signed the treaty days after a vote to break away from Ukraine "
        "in a widely criticized referendum in Crimea."
    )
    assert not any(c.stance == "criticised_terms" for c in extract(text, rules).candidates)


# --- signatories ------------------------------------------------------------------------------------


def test_the_terms_of_a_signed_accord_are_every_signatory_s_position(rules: Rules) -> None:
    text = (
        "Ukraine's negotiator said the accord grants special status to Donetsk. "
        "The accord was signed by the Russian ambassador to Ukraine and the Ukrainian negotiator."
    )
    found = {(c.party, c.region, c.stance): c for c in extract(text, rules).candidates}
    assert ("ukraine", "UA-14", "special_status") in found
    copied = found[("russia", "UA-14", "special_status")]
    assert copied.quote.startswith("The accord was signed by") and "signatory" in copied.reason
    assert 0 < copied.confidence < 0.6


def test_the_leaders_who_reached_an_agreement_hold_its_terms(rules: Rules) -> None:
    text = (
        "In spring the heads of Russia, Ukraine and France reached an agreement on a truce. "
        "Ukraine's president said the agreement gives special status to Luhansk."
    )
    holders = {c.party for c in extract(text, rules).candidates if c.stance == "special_status" and c.region == "UA-09"}
    assert holders == {"ukraine", "russia", "europe"}


def test_the_place_where_an_accord_was_signed_is_not_a_signatory(rules: Rules) -> None:
    text = (
        "Ukraine's negotiator said the accord grants special status to Donetsk. "
        "The Russian envoy and the Ukrainian negotiator signed the accord in Minsk."
    )
    assert {c.party for c in extract(text, rules).candidates} == {"ukraine", "russia"}


def test_a_signatory_does_not_inherit_another_s_rejection(rules: Rules) -> None:
    text = (
        "Ukraine's negotiator said Ukraine would never cede Donetsk. "
        "The accord was signed by the Russian ambassador to Ukraine and the Ukrainian negotiator."
    )
    assert not any(c.party == "russia" for c in extract(text, rules).candidates)


def test_a_meeting_is_not_a_signing(rules: Rules) -> None:
    text = (
        "Ukraine's negotiator said the accord grants special status to Donetsk. "
        "The Russian ambassador met the Ukrainian negotiator in Minsk to sign nothing."
    )
    assert not any(c.party == "russia" for c in extract(text, rules).candidates)


# --- "claims" as a verb -----------------------------------------------------------------------------


def test_claims_as_a_verb_with_land_as_its_object_is_a_claim_to_that_land(rules: Rules) -> None:
    text = "Putin claims Donetsk and Luhansk."
    assert pairs(text, rules) == {("russia", "UA-14"), ("russia", "UA-09")}
    assert {c.stance for c in extract(text, rules).candidates} == {"annexation_claimed"}


def test_claiming_the_four_regions_is_itself_the_annexation_context(rules: Rules) -> None:
    text = "Moscow claims the four regions in their entirety, the Kremlin said."
    assert pairs(text, rules) == {("russia", code) for code in ("UA-09", "UA-14", "UA-23", "UA-65")}


@pytest.mark.parametrize(
    "text",
    [
        "The Kremlin claims that its troops have taken a village in Donetsk.",
        "Russia claims to have captured a village in Donetsk.",
        "Moscow claims victory in Luhansk.",
    ],
)
def test_claims_of_a_fact_or_a_victory_are_not_a_claim_to_land(rules: Rules, text: str) -> None:
    assert extract(text, rules).candidates == []


# --- rejecting a deal, talks focused on a region -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Kyiv has rejected any deal that would force it to give up territory.", "UA"),
        ("Kyiv has rejected any deal that would force it to give up land it still controls.", "UA"),
        ("Kyiv rejected a plan that would require it to cede Donetsk.", "UA-14"),
    ],
)
def test_rejecting_a_deal_that_would_force_a_cession_rejects_the_cession(rules: Rules, text: str, region: str) -> None:
    assert {(c.party, c.region, c.stance) for c in extract(text, rules).candidates} == {
        ("ukraine", region, "cession_rejected")
    }


def test_talks_said_to_focus_on_a_region_put_it_under_discussion(rules: Rules) -> None:
    text = "The Ukrainian president said the negotiations would focus on the future of Kherson."
    assert {(c.party, c.region, c.stance) for c in extract(text, rules).candidates} == {
        ("ukraine", "UA-65", "under_discussion")
    }


def test_troops_focusing_on_a_region_is_not_talks(rules: Rules) -> None:
    assert extract("Russian troops focused on Kherson, the Ukrainian army said.", rules).candidates == []
