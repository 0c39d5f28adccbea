"""General constructions added in round 3 of issue 15, each on a sentence written here (never from an article),
and the second pass that proposes what no rule linked.

The four-word check in test_extract.py keeps the rule files free of article text.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dashboard.cache import LruCache
from dashboard.ingest.extract import Rules, first_pass, load_rules
from dashboard.ingest.extract import rules as rules_module
from dashboard.ingest.extract.rules import SCORER_FEATURES
from dashboard.ingest.extract.scorer import probability, proposals, second_pass
from tests.extract_cases import readings


def triples(text: str, rules: Rules) -> set[tuple[str, str, str]]:
    return {(c.party, c.region, c.stance) for c in readings(text, rules)}


# --- holders ---------------------------------------------------------------------------------------


def test_a_pronoun_after_an_opening_phrase_is_the_person_that_phrase_names(rules: Rules) -> None:
    # The sentence before names someone else: without the opening phrase, "he" would be Zelensky.
    text = (
        "Zelensky spoke first. During Putin's address on Friday, he demanded that Kyiv pull its troops out of Kherson."
    )
    assert ("russia", "UA-65", "withdraw") in triples(text, rules)
    assert not any(c.party == "ukraine" for c in readings(text, rules))


def test_a_pronoun_is_not_settled_by_an_opening_phrase_naming_two_sides(rules: Rules) -> None:
    text = "Trump called. After Putin met Zelensky, he demanded that Kyiv leave Kherson."
    holders = {c.party for c in readings(text, rules) if c.region == "UA-65"}
    assert "russia" not in holders or "ukraine" in holders  # no single antecedent: not read as Putin alone


def test_a_speaker_named_by_a_common_noun_speaks_for_the_party_before(rules: Rules) -> None:
    text = (
        "The European Council met in Brussels. The leaders said they would never recognise Russian rule over Kherson."
    )
    assert ("europe", "UA-65", "cession_rejected") in triples(text, rules)


def test_a_sentence_opening_with_we_continues_the_speaker_before(rules: Rules) -> None:
    text = (
        "We hold that borders must not be changed by force, the European leaders said. "
        "We will never recognise Kherson as Russian."
    )
    assert ("europe", "UA-65", "cession_rejected") in triples(text, rules)


def test_it_after_a_quote_is_the_body_quoted_before(rules: Rules) -> None:
    text = '"Borders must not move by force," the European Council said. "Kherson must return to Ukraine," it added.'
    assert ("europe", "UA-65", "return_to_ukraine") in triples(text, rules)


def test_a_proposal_by_a_named_party_is_that_party_s_and_its_rejection_another_s(rules: Rules) -> None:
    text = "Moscow dismissed a peace proposal by President Zelensky that would restore Ukrainian control over Kherson."
    found = triples(text, rules)
    assert ("ukraine", "UA-65", "return_to_ukraine") in found
    assert ("russia", "UA-65", "return_to_ukraine") not in found
    assert ("russia", "UA-65", "criticised_terms") in found


def test_a_plan_from_a_named_capital_is_that_capital_s(rules: Rules) -> None:
    text = "The Kremlin rejected the plan from Washington, which would freeze the front line in Zaporizhzhia."
    assert ("united_states", "UA-23", "freeze_as_final_line") in triples(text, rules)


def test_a_plan_named_by_its_side_s_adjective_holds_what_it_calls_for(rules: Rules) -> None:
    text = "The European plan also called for a ceasefire along the current front lines in Zaporizhzhia."
    assert ("europe", "UA-23", "ceasefire_current_line") in triples(text, rules)


def test_a_capital_inside_a_plan_s_name_is_the_government_not_the_city(rules: Rules) -> None:
    found = triples("Kyiv's peace plan would restore Ukrainian control of Kherson.", rules)
    assert found == {("ukraine", "UA-65", "return_to_ukraine")}


def test_the_votes_an_article_called_annexation_refer_to_the_regions_annexed_even_in_quotes(rules: Rules) -> None:
    text = (
        "Russia claims to have annexed the Donetsk and Luhansk regions after staging votes there. "
        'Kyiv dismissed Russia\'s "referendums" as illegal.'
    )
    found = triples(text, rules)
    assert {("ukraine", "UA-14", "cession_rejected"), ("ukraine", "UA-09", "cession_rejected")} <= found


def test_a_country_s_borders_are_land_spoken_of_and_its_leaders_speak_for_it(rules: Rules) -> None:
    text = "Europe's leaders said Ukraine's borders cannot be redrawn by force."
    assert triples(text, rules) == {("europe", "UA", "no_change_by_force")}


def test_the_side_pressed_to_accept_a_loss_is_asked_and_the_one_pressing_holds_the_demand(rules: Rules) -> None:
    found = triples("Washington is pressing Kyiv to accept the loss of Crimea.", rules)
    assert found == {("united_states", "UA-40", "withdraw"), ("united_states", "UA-43", "withdraw")}


def test_a_refusal_with_no_object_refuses_the_demand_just_made(rules: Rules) -> None:
    found = triples("Moscow has demanded full control of the Donbas. Kyiv has refused.", rules)
    assert {("ukraine", "UA-14", "cession_rejected"), ("ukraine", "UA-09", "cession_rejected")} <= found
    # Only the sentence just before: a refusal two sentences on may be of something else.
    later = triples("Moscow has demanded full control of the Donbas. Talks went on for hours. Kyiv refused.", rules)
    assert not any(party == "ukraine" for party, _, _ in later)


# --- stances ---------------------------------------------------------------------------------------


def test_terms_that_put_a_region_under_russian_control_are_the_plan_s_position(rules: Rules) -> None:
    text = "Under the US plan, Zaporizhzhia would pass under Russian control."
    assert ("united_states", "UA-23", "withdraw") in triples(text, rules)
    later = (
        "Washington drafted a new peace plan. The plan stipulated that Luhansk would come under full Russian control."
    )
    assert ("united_states", "UA-09", "withdraw") in triples(later, rules)


def test_a_report_of_the_front_is_not_read_as_terms(rules: Rules) -> None:
    # No modal: a description of the war, not a settlement's term.
    assert triples("Most of Luhansk came under Russian control in the first summer of the war.", rules) == set()


def test_a_region_asked_for_in_a_trade_is_wanted_and_only_what_follows_the_trade(rules: Rules) -> None:
    text = "Putin offered to halt his offensive in Kherson in exchange for the rest of the Donetsk region."
    found = triples(text, rules)
    assert ("russia", "UA-14", "withdraw") in found
    assert not any(region == "UA-65" for _, region, _ in found)


def test_the_topic_of_a_question_is_not_the_answerer_s_position(rules: Rules) -> None:
    text = "Asked about a withdrawal from the Donetsk region, Zelensky said the talks were hard."
    assert not any(c.quote.startswith("Asked") for c in readings(text, rules) if c.party == "ukraine")


def test_a_refusal_named_before_a_demand_s_owner_is_a_second_party_s(rules: Rules) -> None:
    text = "The main obstacle is Kyiv's refusal to accept Moscow's demand to withdraw from the Donetsk region."
    found = triples(text, rules)
    assert ("russia", "UA-14", "withdraw") in found
    assert ("ukraine", "UA-14", "cession_rejected") in found
    assert ("russia", "UA-14", "cession_rejected") not in found


def test_a_cue_called_a_hard_topic_is_no_one_s_position(rules: Rules) -> None:
    assert triples('Zelensky stressed that territorial concessions are "extremely sensitive".', rules) == set()
    assert (
        triples("The withdrawal from the Donetsk region remains the main sticking point, Zelensky said.", rules)
        == set()
    )
    # A refusal is still read as one.
    assert triples("Zelensky said territorial concessions are unacceptable.", rules) == {
        ("ukraine", "UA", "cession_rejected")
    }


def test_a_cue_noun_used_as_a_point_in_time_is_an_event_not_a_position(rules: Rules) -> None:
    text = "He said Kyiv would not let Russian troops regroup after their withdrawal from Kherson."
    assert triples(text, rules) == set()
    assert ("ukraine", "UA-65", "return_to_ukraine") in triples(
        "Kyiv demands the withdrawal of Russian troops from Kherson.", rules
    )


def test_land_said_of_the_part_russia_holds_is_not_ukraine_as_a_whole(rules: Rules) -> None:
    assert triples("Putin Annexes Ukrainian Land Occupied by Russian Forces", rules) == set()
    assert triples("Zelensky said Russia should withdraw from the land it currently holds.", rules) == set()
    assert triples("Zelensky said Russia must leave all Ukrainian territory.", rules) == {
        ("ukraine", "UA", "return_to_ukraine")
    }


def test_a_region_s_fate_left_to_talks_alone_is_under_discussion(rules: Rules) -> None:
    text = "Kyiv said the return of Crimea would only be possible through negotiations."
    assert triples(text, rules) == {("ukraine", "UA-40", "under_discussion"), ("ukraine", "UA-43", "under_discussion")}


def test_a_text_that_drops_a_demand_criticises_its_terms(rules: Rules) -> None:
    text = "The European plan drops the demand that Kyiv cede the rest of the Donetsk region."
    assert triples(text, rules) == {("europe", "UA-14", "criticised_terms")}


def test_a_dropped_clause_of_another_party_s_draft_stays_that_party_s_demand(rules: Rules) -> None:
    text = "The European plan avoids a clause in the US draft requiring Ukraine to withdraw from Luhansk."
    assert triples(text, rules) == {("europe", "UA-09", "criticised_terms"), ("united_states", "UA-09", "withdraw")}


def test_fighting_halted_along_the_current_lines_freezes_the_front_there(rules: Rules) -> None:
    text = (
        "Moscow offered a plan last week. "
        "The plan would see Russia halt its offensive in Kherson along the current front lines."
    )
    assert ("russia", "UA-65", "freeze_as_final_line") in triples(text, rules)
    # Troops stopping is a report from the front, and forces hold no position.
    assert triples("Russian troops halted their advance at the current front lines near Kherson.", rules) == set()


def test_a_region_said_to_be_part_of_russia_now_is_claimed(rules: Rules) -> None:
    assert triples("The Kremlin says Kherson is now part of Russia.", rules) == {
        ("russia", "UA-65", "annexation_claimed")
    }
    assert triples("Crimea was part of Russia until 1954, the historian said.", rules) == set()


def test_a_party_open_to_discussing_a_region_leaves_it_under_discussion(rules: Rules) -> None:
    text = "Ukraine's president said he was open to discussing the status of Zaporizhzhia at a summit."
    assert triples(text, rules) == {("ukraine", "UA-23", "under_discussion")}


def test_a_proposal_drafted_by_a_named_envoy_is_his_side_s(rules: Rules) -> None:
    found = triples("The proposal, drafted by Witkoff, would recognise Crimea as Russian territory.", rules)
    assert {party for party, _, _ in found} == {"united_states"}


def test_every_signatory_of_an_accord_holds_its_terms(rules: Rules) -> None:
    text = (
        "Russia, Ukraine, France and Germany signed the accord, "
        "which provides for special status for parts of Donetsk and Luhansk."
    )
    holders = {party for party, region, stance in triples(text, rules) if stance == "special_status"}
    assert holders == {"russia", "ukraine", "europe"}


def test_a_demand_another_party_calls_unacceptable_holds_two_positions(rules: Rules) -> None:
    text = "Putin's aide Ushakov said Moscow still wants all of Donetsk, a demand Kyiv calls unacceptable."
    assert triples(text, rules) == {("russia", "UA-14", "withdraw"), ("ukraine", "UA-14", "cession_rejected")}
    # With no other party named before the refusal, the speaker refuses it.
    assert triples("Zelensky said a withdrawal from Donetsk is unacceptable.", rules) == {
        ("ukraine", "UA-14", "cession_rejected")
    }


def test_backing_ukraine_s_right_to_its_land_is_a_position_on_the_regions_named(rules: Rules) -> None:
    found = triples("EU leaders back Ukraine's right to all its territory, including Crimea.", rules)
    assert found == {("europe", "UA-40", "return_to_ukraine"), ("europe", "UA-43", "return_to_ukraine")}


# --- the second pass -------------------------------------------------------------------------------


def test_the_second_pass_offers_pairs_no_rule_linked_and_never_repeats_a_rule_s_pair(rules: Rules) -> None:
    text = (
        "Moscow wants Kyiv to withdraw from Donetsk. "
        "Officials in Kyiv, Washington and Brussels met to discuss Donetsk and Kherson on Monday."
    )
    result, records, _dates = first_pass(text, rules)
    ruled = {(c.party, c.region) for c in result.candidates}
    offered = proposals(records, result.candidates, rules)
    assert ("russia", "UA-14") in ruled
    assert offered and all((p.party, p.region) not in ruled for p in offered)
    assert all(set(SCORER_FEATURES) <= set(p.features) for p in offered)


def test_the_second_pass_keeps_what_the_scorer_rates_with_its_sentence_and_reason(rules: Rules) -> None:
    text = "Ukrainian officials met to discuss Kherson on Monday."
    _result, records, dates = first_pass(text, rules)
    keep_all = dataclasses.replace(rules, scorer={"bias": 5.0}, scorer_threshold=0.5)
    drop_all = dataclasses.replace(rules, scorer={"bias": -5.0}, scorer_threshold=0.5)
    kept = second_pass(records, [], keep_all, dates)
    assert [(c.party, c.region) for c in kept] == [("ukraine", "UA-65")]
    assert kept[0].quote == text and "second pass" in kept[0].reason and 0 < kept[0].confidence < 0.7
    assert second_pass(records, [], drop_all, dates) == []


def test_in_the_second_pass_russia_refusing_to_give_a_region_up_claims_it(rules: Rules) -> None:
    text = "Officials met reporters. Kherson will never be given up, a Russian official and a Ukrainian aide agreed."
    _result, records, _dates = first_pass(text, rules)
    stances = {p.stance for p in proposals(records, [], rules) if p.party == "russia" and p.region == "UA-65"}
    assert stances == {"annexation_claimed"}


def test_the_logistic_scorer_weighs_each_feature() -> None:
    assert probability({"bias": 1.0}, {"bias": 0.0}) == pytest.approx(0.5)
    assert probability({"bias": 1.0, "cue_near": 1.0}, {"bias": -1.0, "cue_near": 3.0}) > 0.85
    assert probability({"bias": 1.0}, {"bias": -1000.0}) >= 0.0  # clipped: no overflow


def test_an_article_that_states_no_position_gets_no_candidate(rules: Rules) -> None:
    text = (
        "Shelling hit a power station near Kherson overnight, officials in Kyiv said. "
        "Moscow said its air defences had shot down drones over the Belgorod region. "
        "Talks between the two sides have not resumed since the summer."
    )
    assert readings(text, rules) == []


# --- the rule files --------------------------------------------------------------------------------


def _rule_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "extract"
    folder.mkdir(parents=True)
    return folder / "scorer.csv"


def test_a_scorer_row_naming_an_unknown_feature_is_reported_with_its_file_and_row(tmp_path: Path) -> None:
    _rule_copy(tmp_path).write_text("feature,weight,note\nbias,1.0,x\nmoon_phase,2.0,y\nthreshold,0.5,z\n")
    loaded, problems = load_rules(tmp_path)
    assert loaded is None
    assert any("scorer.csv" in str(p) and "moon_phase" in str(p) for p in problems)


def test_a_scorer_threshold_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    _rule_copy(tmp_path).write_text("feature,weight,note\nbias,1.0,x\nthreshold,1.5,z\n")
    loaded, problems = load_rules(tmp_path)
    assert loaded is None and any("threshold" in str(p) for p in problems)


def test_compiled_rules_live_in_the_project_s_bounded_cache() -> None:
    assert isinstance(rules_module._RULES, LruCache)
    assert rules_module._RULES.max_entries <= 8
    first, _ = load_rules()
    again, _ = load_rules()
    assert first is again  # read once per set of files and modification times
