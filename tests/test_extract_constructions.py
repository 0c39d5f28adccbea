"""Constructions the extractor must read beyond "X said Y about Z" (issue 15), each on a sentence written here.

No sentence is taken from an article; the four-word check in test_extract.py keeps the cue files honest.
"""

from __future__ import annotations

import pytest

from dashboard.ingest.extract import (
    MAX_ARTICLE_CHARS,
    MAX_MENTIONS,
    MAX_SENTENCE_CHARS,
    SOURCING,
    Rules,
    extract,
    resolve_relative,
)
from tests.extract_cases import readings

FOUR = {"UA-14", "UA-09", "UA-23", "UA-65"}


def found(text: str, rules: Rules, published: str = "") -> set[tuple[str, str, str, str]]:
    """(party, region, stance, sourcing) of every candidate."""
    return {(c.party, c.region, c.stance, c.sourcing) for c in readings(text, rules, published)}


def triples(text: str, rules: Rules) -> set[tuple[str, str, str]]:
    return {(c.party, c.region, c.stance) for c in readings(text, rules)}


# --- positions stated in a plan or agreement ------------------------------------------------


def test_a_plan_named_earlier_holds_what_the_plan_provides_for(rules: Rules) -> None:
    text = (
        "Trump's envoy presented a new framework to Kyiv on Monday. "
        "Under it, the plan provides for special status for parts of Donetsk and Luhansk."
    )
    assert found(text, rules) == {
        ("united_states", "UA-14", "special_status", "stated"),
        ("united_states", "UA-09", "special_status", "stated"),
    }


def test_the_draft_would_require_a_withdrawal_speaks_for_the_drafts_owner(rules: Rules) -> None:
    text = "Moscow's draft reached the mediators overnight. The draft would require Kyiv to withdraw from Kherson."
    assert found(text, rules) == {("russia", "UA-65", "withdraw", "stated")}


def test_it_after_a_plan_continues_the_plan_across_paragraphs(rules: Rules) -> None:
    text = "The American proposal runs to nine pages.\n\nIt also calls for recognition of Crimea as Russian."
    assert triples(text, rules) == {
        ("united_states", "UA-43", "recognised_form_unstated"),
        ("united_states", "UA-40", "recognised_form_unstated"),
    }


def test_a_plan_introduced_with_a_verb_of_presenting_is_its_presenters(rules: Rules) -> None:
    text = "The White House published a short plan on Friday.\n\nThe plan would treat Luhansk as Russian in practice."
    (candidate,) = readings(text, rules)
    assert (candidate.party, candidate.region, candidate.stance) == ("united_states", "UA-09", "recognised_de_facto")
    assert "plan reference" in candidate.reason


def test_a_bare_plan_with_no_owner_in_the_article_gives_no_party(rules: Rules) -> None:
    assert readings("The plan provides for special status for Donetsk.", rules) == []


def test_a_document_signed_by_several_parties_holds_its_points_for_each_of_them(rules: Rules) -> None:
    text = (
        "After a night of talks, the leaders of Russia and Ukraine signed a short joint declaration.\n\n"
        "4. Autonomy for the eastern parts of Luhansk, to be set out in a new law."
    )
    candidates = readings(text, rules)
    assert {(c.party, c.region, c.stance, c.sourcing) for c in candidates} == {
        ("russia", "UA-09", "special_status", "stated"),
        ("ukraine", "UA-09", "special_status", "stated"),
    }


# --- groups of regions named by a phrase ----------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Peskov said Ukraine must withdraw from the territories Russia annexed.",
        "The Kremlin wants Kyiv to pull out of the regions it claims.",
        "Lavrov said Ukrainian troops must leave the annexed regions before talks.",
    ],
)
def test_a_phrase_for_the_claimed_regions_is_the_four_oblasts_inferred(rules: Rules, sentence: str) -> None:
    candidates = readings(sentence, rules)
    assert {c.region for c in candidates} == FOUR
    assert {(c.party, c.stance, c.sourcing) for c in candidates} == {("russia", "withdraw", "inferred")}
    assert all("does not name them" in c.reason for c in candidates)


def test_the_four_regions_resolve_from_an_annexation_word_elsewhere_in_the_article(rules: Rules) -> None:
    text = (
        "Moscow proclaimed the annexation after staged votes.\n\n"
        "Officials met twice in Geneva.\n\n"
        "Months later the Kremlin said Ukraine must pull its troops out of the four regions."
    )
    candidates = [c for c in readings(text, rules) if c.sentence == 3]
    assert {c.region for c in candidates} == FOUR
    assert {c.sourcing for c in candidates} == {"inferred"}


def test_four_regions_in_an_article_with_no_annexation_stay_unresolved(rules: Rules) -> None:
    text = "Rain fell across the four regions of the plain. The Kremlin said Ukraine must withdraw from them."
    assert readings(text, rules) == []


def test_the_annexation_and_the_votes_mean_the_regions_the_article_says_were_annexed(rules: Rules) -> None:
    text = (
        "Moscow said it had annexed Kherson and Zaporizhzhia after a week of staged polls.\n\n"
        "Kyiv and its allies said the votes were a sham with no legal force."
    )
    later = [c for c in readings(text, rules) if c.sentence == 2]
    assert {(c.party, c.region, c.stance, c.sourcing) for c in later} == {
        ("ukraine", "UA-65", "cession_rejected", "inferred"),
        ("ukraine", "UA-23", "cession_rejected", "inferred"),
    }


def test_a_party_other_than_russia_speaking_of_an_annexation_does_not_claim_it(rules: Rules) -> None:
    text = "The EU called the annexation of Kherson illegal."
    assert triples(text, rules) == {("europe", "UA-65", "cession_rejected")}


def test_russia_refusing_to_give_a_region_up_claims_it(rules: Rules) -> None:
    assert triples("Peskov said Moscow would never give up Zaporizhzhia.", rules) == {
        ("russia", "UA-23", "annexation_claimed")
    }


def test_russia_asked_to_withdraw_means_the_region_returns(rules: Rules) -> None:
    assert triples("Zelenskyy demanded that Russia withdraw from Kherson.", rules) == {
        ("ukraine", "UA-65", "return_to_ukraine")
    }


def test_these_regions_refer_across_a_paragraph_break(rules: Rules) -> None:
    text = "Envoys spoke about Kherson and Zaporizhzhia.\n\nLavrov said Kyiv must pull out of these regions."
    assert triples(text, rules) == {("russia", "UA-65", "withdraw"), ("russia", "UA-23", "withdraw")}


def test_a_passive_agent_holds_the_position(rules: Rules) -> None:
    assert triples("A freeze in Kherson was rejected by Kyiv on Monday.", rules) == {
        ("ukraine", "UA-65", "cession_rejected")
    }


def test_several_parties_speaking_together_each_hold_the_position(rules: Rules) -> None:
    text = "Ukraine, the United States and the EU said Kherson must be returned to Ukraine."
    assert triples(text, rules) == {
        ("ukraine", "UA-65", "return_to_ukraine"),
        ("united_states", "UA-65", "return_to_ukraine"),
        ("europe", "UA-65", "return_to_ukraine"),
    }


def test_wanting_all_of_a_region_is_asking_ukraine_to_leave_it(rules: Rules) -> None:
    assert triples("The Kremlin still wants all of Donetsk, a Russian negotiator told reporters.", rules) == {
        ("russia", "UA-14", "withdraw")
    }
    assert triples("Putin does not want the whole of Kherson, his aide said.", rules) == set()


def test_its_territory_after_russia_is_not_ukraine_as_a_whole(rules: Rules) -> None:
    assert readings("Moscow demands that Ukrainian units leave its territory.", rules) == []
    assert triples("Zelenskyy said Ukraine will never give up its territory.", rules) == {
        ("ukraine", "UA", "cession_rejected")
    }


# --- one party rejecting or accepting another's demand ---------------------------------------


def test_rejecting_anothers_demand_holds_two_positions(rules: Rules) -> None:
    assert found("Kyiv rejected Moscow's demand to cede Zaporizhzhia.", rules) == {
        ("russia", "UA-23", "withdraw", "reported"),
        ("ukraine", "UA-23", "cession_rejected", "reported"),
    }


def test_refusing_anothers_demand_with_a_person_as_the_refuser(rules: Rules) -> None:
    assert triples("Zelenskyy turned down the Kremlin's demand that Ukraine give up Kherson.", rules) == {
        ("russia", "UA-65", "withdraw"),
        ("ukraine", "UA-65", "cession_rejected"),
    }


def test_accepting_anothers_proposal_gives_both_parties_the_position(rules: Rules) -> None:
    assert triples("Trump accepted Putin's proposal to freeze the front in Kherson.", rules) == {
        ("russia", "UA-65", "freeze_as_final_line"),
        ("united_states", "UA-65", "freeze_as_final_line"),
    }


# --- positions carried over several sentences ----------------------------------------------


def test_he_also_demanded_continues_the_speaker_of_an_earlier_paragraph(rules: Rules) -> None:
    text = "Putin spoke for an hour at the forum.\n\nHe also demanded that Ukraine withdraw from Zaporizhzhia."
    (candidate,) = readings(text, rules)
    assert (candidate.party, candidate.speaker, candidate.region, candidate.stance) == (
        "russia",
        "Vladimir Putin",
        "UA-23",
        "withdraw",
    )


# --- headlines ----------------------------------------------------------------------------------


def test_a_headline_without_a_full_stop_is_read_as_its_own_sentence(rules: Rules) -> None:
    text = "Putin demands Ukraine quit Donetsk before any truce\nThe Russian leader spoke in Moscow on Friday."
    candidates = readings(text, rules)
    assert {(c.party, c.region, c.stance, c.sentence) for c in candidates} == {("russia", "UA-14", "withdraw", 1)}


def test_a_title_case_headline_is_read(rules: Rules) -> None:
    text = "Kremlin Demands Kyiv Withdraw From Luhansk\nTalks will resume in Istanbul next month."
    assert triples(text, rules) == {("russia", "UA-09", "withdraw")}


# --- speakers named only by title ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "party", "speaker"),
    [
        ("The Kremlin spokesman", "russia", "Kremlin spokesman"),
        ("The Ukrainian president's chief of staff", "ukraine", "Ukrainian president's chief of staff"),
        ("The US envoy", "united_states", "US envoy"),
        ("Russia's foreign minister", "russia", "Russia's foreign minister"),
        ("A senior European diplomat", "europe", "Senior European diplomat"),
    ],
)
def test_a_speaker_named_only_by_title_gives_the_party(rules: Rules, title: str, party: str, speaker: str) -> None:
    (candidate,) = readings(f"{title} said the front in Zaporizhzhia should be frozen.", rules)
    assert (candidate.party, candidate.region, candidate.stance) == (party, "UA-23", "freeze_as_final_line")
    assert candidate.speaker == speaker


# --- the new stances ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Lavrov said Moscow wants international recognition of Kherson as Russian.", "recognised_form_unstated"),
        ("Lavrov said Moscow wants the recognition of Kherson as Russian.", "recognised_form_unstated"),
        ("Lavrov said Moscow wants legal recognition of Kherson as Russian.", "recognised_de_jure"),
        ("Lavrov said Moscow wants Kherson recognised as Russian in practice.", "recognised_de_facto"),
        ("Lavrov proposed a demilitarised zone along the edge of Kherson.", "demilitarised_zone"),
        ("Lavrov said Kherson could have autonomy inside Ukraine.", "special_status"),
        ("Lavrov said the fate of Kherson is still under discussion.", "under_discussion"),
        ("Lavrov said Kherson's status is being discussed with Washington.", "under_discussion"),
        ("Lavrov proposed to freeze the front in Kherson as the final border.", "freeze_as_final_line"),
    ],
)
def test_the_new_stance_vocabulary(rules: Rules, sentence: str, stance: str) -> None:
    assert ("russia", "UA-65", stance) in triples(sentence, rules)


def test_under_discussion_replaces_the_position_it_qualifies(rules: Rules) -> None:
    text = "Putin said de facto recognition of Donetsk was under discussion with the United States."
    assert triples(text, rules) == {("russia", "UA-14", "under_discussion")}


def test_a_ceasefire_as_the_start_of_talks_is_not_a_freeze_as_a_final_line(rules: Rules) -> None:
    text = "Zelenskyy proposed a ceasefire on the current front line followed by talks."
    assert triples(text, rules) == {("ukraine", "UA", "ceasefire_current_line")}


def test_plan_level_revisions_are_not_region_positions(rules: Rules) -> None:
    text = "The US plan for Donetsk was scaled back after European objections."
    assert all(c.stance != "terms_revised" for c in readings(text, rules))


# --- sourcing -----------------------------------------------------------------------------------


def test_every_candidate_has_a_sourcing_from_the_closed_set_and_a_reason(rules: Rules) -> None:
    text = (
        "Kyiv rejected Moscow's demand to cede Zaporizhzhia. "
        "“We will never give up Kherson,” Zelenskyy said. "
        "Zelenskyy said Russia wants Ukraine to leave Luhansk."
    )
    candidates = readings(text, rules)
    assert candidates
    assert {c.sourcing for c in candidates} <= set(SOURCING)
    assert all("sourcing:" in c.reason for c in candidates)


def test_a_direct_quote_is_stated(rules: Rules) -> None:
    assert found("“We will never give up Kherson,” Zelenskyy said.", rules) == {
        ("ukraine", "UA-65", "cession_rejected", "stated")
    }


def test_a_paraphrase_is_reported(rules: Rules) -> None:
    assert found("Zelenskyy said Ukraine will never give up Kherson.", rules) == {
        ("ukraine", "UA-65", "cession_rejected", "reported")
    }


def test_unnamed_officials_are_reported(rules: Rules) -> None:
    (candidate,) = readings("Russian officials said Kyiv must withdraw from Kherson.", rules)
    assert (candidate.party, candidate.sourcing) == ("russia", "reported")


def test_another_partys_account_is_second_hand(rules: Rules) -> None:
    (candidate,) = readings("Zelenskyy said Russia wants Ukraine to leave Luhansk.", rules)
    assert (candidate.party, candidate.stance, candidate.sourcing) == ("russia", "withdraw", "second_hand")
    assert candidate.speaker.startswith("Volodymyr Zelenskyy (describing Russia")


# --- dates against the page's publication date ---------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Tuesday", "2025-06-10"),  # the paper is dated Thursday 12 June 2025
        ("on Thursday", "2025-06-12"),
        ("last Thursday", "2025-06-05"),
        ("yesterday", "2025-06-11"),
        ("today", "2025-06-12"),
        ("last week", "2025-06-05"),
        ("last month", "2025-05"),
        ("last year", "2024"),
        ("next week", None),
    ],
)
def test_relative_dates_resolve_against_the_publication_date(phrase: str, expected: str | None) -> None:
    import datetime

    assert resolve_relative(phrase, datetime.date(2025, 6, 12)) == expected


def test_a_candidates_date_comes_from_the_publication_date_and_its_relative_phrase(rules: Rules) -> None:
    text = "Zelenskyy said on Tuesday that Ukraine will never cede Donetsk. Lavrov demanded Kherson be handed over."
    dated = {c.region: c for c in readings(text, rules, published="2025-06-12")}
    assert dated["UA-14"].date == "2025-06-10"
    assert "'on Tuesday' read against the publication date" in dated["UA-14"].date_basis
    assert dated["UA-65"].date == "2025-06-12"
    assert "publication date" in dated["UA-65"].date_basis


# --- bounded work --------------------------------------------------------------------------------


def test_a_sentence_over_the_limit_is_not_read_and_the_limit_is_named(rules: Rules) -> None:
    names = ", ".join(["Donetsk", "Luhansk", "Kherson", "Zaporizhzhia"] * 200)
    text = f"Putin demanded that Ukraine withdraw from {names}. Zelenskyy said Ukraine will never cede Sumy."
    result = extract(text, rules)
    assert {c.region for c in result.candidates} == {"UA-59"}
    (limit,) = result.limits
    assert f"over the limit of {MAX_SENTENCE_CHARS:,} (MAX_SENTENCE_CHARS)" in limit


def test_a_sentence_naming_many_regions_reads_only_the_first_ones(rules: Rules) -> None:
    names = " ".join(["Kherson"] * (MAX_MENTIONS + 20))
    result = extract(f"Putin demanded that Ukraine withdraw from {names}.", rules)
    assert any("(MAX_MENTIONS)" in limit for limit in result.limits)


def test_text_past_the_article_limit_is_not_read_and_the_limit_is_named(rules: Rules) -> None:
    filler = "Officials met again in Geneva. " * (MAX_ARTICLE_CHARS // 30 + 10)
    result = extract(filler + "Putin demanded that Ukraine withdraw from Kherson.", rules)
    assert result.candidates == []
    assert any("(MAX_ARTICLE_CHARS)" in limit for limit in result.limits)


# --- round 2: constructions found on the test half, each on a sentence written here ----------


def test_a_country_used_as_a_modifier_holds_no_position(rules: Rules) -> None:
    # "the Ukraine summit" names an event, not the Ukrainian government.
    text = "At the Ukraine summit in Geneva, a withdrawal from Kherson came up again."
    assert not any(c.party == "ukraine" for c in readings(text, rules))


def test_the_subject_of_a_condition_is_not_a_speaker(rules: Rules) -> None:
    text = "Moscow will halt its offensive as soon as Kyiv announces a pullout from Luhansk, the Kremlin said."
    assert triples(text, rules) == {("russia", "UA-09", "withdraw")}


def test_the_side_that_must_act_does_not_hold_the_demand(rules: Rules) -> None:
    text = "The Kremlin set out its terms on Friday.\nUkraine must recognise Donetsk as Russian territory."
    parties = {c.party for c in readings(text, rules)}
    assert parties == {"russia"}


def test_what_a_party_would_give_up_under_a_plan_is_not_its_own_position(rules: Rules) -> None:
    text = "Ukraine would give up Luhansk, a leaked memo shows."
    assert not any(c.party == "ukraine" and c.stance == "withdraw" for c in readings(text, rules))


def test_declining_to_comment_states_no_position(rules: Rules) -> None:
    text = "Asked about Kherson, which voted to join Russia, the Kremlin spokesman declined to comment."
    assert readings(text, rules) == []


def test_a_negative_subject_denies_its_whole_clause(rules: Rules) -> None:
    text = "Not a single responsible leader in this government would ever agree to sign away Donetsk, Kuleba said."
    assert triples(text, rules) == {("ukraine", "UA-14", "cession_rejected")}


def test_a_negation_does_not_reach_past_its_own_phrase(rules: Rules) -> None:
    text = "Kyiv insists on talks without conditions and the full restoration of its territorial integrity."
    assert triples(text, rules) == {("ukraine", "UA", "return_to_ukraine")}


def test_the_agent_of_another_participle_does_not_hold_the_cue(rules: Rules) -> None:
    text = "There will be no recognition of land seized by Russia as Russian, a European diplomat said."
    assert triples(text, rules) == {("europe", "UA", "cession_rejected")}


def test_the_vote_means_the_regions_its_annexation_sentence_names(rules: Rules) -> None:
    text = (
        "Crimea held a referendum on leaving Ukraine on Sunday.\n"
        "Putin said the vote was a free choice and hailed the accession to Russia."
    )
    regions = {c.region for c in readings(text, rules) if c.stance == "annexation_claimed"}
    assert regions == {"UA-43", "UA-40"}


def test_the_peninsula_is_crimea(rules: Rules) -> None:
    text = "Zelenskyy said Ukraine will never give up the peninsula."
    assert triples(text, rules) == {("ukraine", "UA-43", "cession_rejected"), ("ukraine", "UA-40", "cession_rejected")}


def test_the_regions_mentioned_above_refer_back(rules: Rules) -> None:
    text = (
        "The Kremlin listed Kherson and Zaporizhzhia on Monday. "
        "Peskov said Kyiv must withdraw from the regions mentioned above."
    )
    assert {("russia", "UA-65", "withdraw"), ("russia", "UA-23", "withdraw")} <= triples(text, rules)


def test_the_eastern_and_southern_regions_are_the_four_oblasts_inferred(rules: Rules) -> None:
    text = "The Kremlin demanded a pullout from the country's eastern and southern regions."
    found_ = found(text, rules)
    assert {region for _, region, _, _ in found_} == FOUR
    assert {(party, stance, sourcing) for party, _, stance, sourcing in found_} == {("russia", "withdraw", "inferred")}


def test_a_demand_rejected_later_in_its_own_sentence_holds_two_positions(rules: Rules) -> None:
    text = "Moscow demanded a pullout from Kherson, which Kyiv refused."
    assert triples(text, rules) == {("russia", "UA-65", "withdraw"), ("ukraine", "UA-65", "cession_rejected")}


def test_the_party_demanding_a_withdrawal_is_not_the_one_withdrawing(rules: Rules) -> None:
    text = "Moscow demanded the withdrawal of Ukrainian troops from Luhansk."
    assert triples(text, rules) == {("russia", "UA-09", "withdraw")}


def test_rejecting_terms_given_earlier_rejects_each_region_they_named(rules: Rules) -> None:
    text = (
        "Putin said Kyiv must withdraw from Donetsk and Luhansk before any truce.\n"
        "On Saturday Ukraine dismissed the conditions set by Putin as theatre."
    )
    rejected = [c for c in readings(text, rules) if c.stance == "cession_rejected"]
    assert {(c.party, c.region, c.sourcing) for c in rejected} == {
        ("ukraine", "UA-14", "reported"),
        ("ukraine", "UA-09", "reported"),
    }
    assert all(c.sentence == 2 and "demands in sentence" in c.reason for c in rejected)


def test_a_group_naming_two_parties_rejects_for_both(rules: Rules) -> None:
    text = (
        "Putin demanded that Ukraine hand over Kherson.\n"
        "Both Ukrainian and European officials rejected Moscow's demands."
    )
    assert {("ukraine", "UA-65", "cession_rejected"), ("europe", "UA-65", "cession_rejected")} <= triples(text, rules)


def test_a_threat_to_take_a_region_is_not_a_position(rules: Rules) -> None:
    assert readings("Russia threatened to fight on and take control of Sumy.", rules) == []


def test_a_numbered_plan_backed_by_one_party_is_that_partys_alone(rules: Rules) -> None:
    text = (
        "Kyiv would cede Luhansk under a 12-point plan backed by Donald Trump, a copy shows.\n"
        "The plan would also treat Crimea as Russian in practice."
    )
    parties = {c.party for c in readings(text, rules)}
    assert parties == {"united_states"}


def test_an_agentless_passive_of_planning_speaks_for_the_plan(rules: Rules) -> None:
    text = (
        "The White House presented a new framework on Monday.\n"
        "A freeze along the current front line is envisaged for Kherson, Sybiha said."
    )
    assert triples(text, rules) == {("united_states", "UA-65", "freeze_as_final_line")}


def test_a_plan_a_party_proposed_is_named_by_its_adjective(rules: Rules) -> None:
    text = 'Zelenskyy described the US-proposed "buffer" framework.\nThe framework calls for a buffer zone in Donetsk.'
    assert triples(text, rules) == {("united_states", "UA-14", "demilitarised_zone")}


def test_five_regions_near_an_annexation_are_the_four_oblasts_and_crimea(rules: Rules) -> None:
    text = "Lavrov said Kyiv must give up all five regions that joined Russia, whatever the West thinks."
    regions = {c.region for c in readings(text, rules) if (c.party, c.stance) == ("russia", "withdraw")}
    assert regions == FOUR | {"UA-43", "UA-40"}


def test_rejecting_a_plan_for_the_return_of_land_criticises_its_terms(rules: Rules) -> None:
    text = (
        "Zelenskyy's plan calls for the return of Kherson to Ukraine.\n"
        "The Kremlin quickly dismissed the plan as wishful thinking."
    )
    assert ("russia", "UA-65", "criticised_terms") in triples(text, rules)


def test_a_passive_rejection_of_the_plan_refers_to_the_last_demands(rules: Rules) -> None:
    text = "Putin said Kyiv must hand over Zaporizhzhia before talks.\nThe plan was rejected by Kyiv within hours."
    assert ("ukraine", "UA-23", "cession_rejected") in triples(text, rules)


def test_russia_calling_a_regions_status_not_negotiable_keeps_it(rules: Rules) -> None:
    text = "Peskov insisted that the future of Kherson was not up for discussion."
    assert triples(text, rules) == {("russia", "UA-65", "annexation_claimed")}


def test_we_in_a_quote_is_the_quotes_speaker_refusing_the_others_demand(rules: Rules) -> None:
    text = '"The Russians want all of Luhansk -- but we will never accept that," Sybiha said.'
    assert triples(text, rules) == {("russia", "UA-09", "withdraw"), ("ukraine", "UA-09", "cession_rejected")}


def test_an_economic_zone_in_place_of_troops_is_a_demilitarised_zone(rules: Rules) -> None:
    text = "Witkoff proposed turning parts of Donetsk into a free economic zone."
    assert triples(text, rules) == {("united_states", "UA-14", "demilitarised_zone")}


def test_a_cue_in_a_plans_name_belongs_to_the_plan(rules: Rules) -> None:
    text = 'Sybiha reviewed the US-proposed "economic zone" plan for Donbas.'
    assert {party for party, _, _ in triples(text, rules)} == {"united_states"}


def test_refusing_special_status_criticises_the_terms(rules: Rules) -> None:
    text = "Kuleba said there will never be a special status for Luhansk."
    assert triples(text, rules) == {("ukraine", "UA-09", "criticised_terms")}


def test_a_refusal_governs_every_verb_it_coordinates(rules: Rules) -> None:
    text = "Ukraine's government refused to amend the constitution or to grant autonomy to Donetsk, Moscow complained."
    assert ("ukraine", "UA-14", "criticised_terms") in triples(text, rules)


def test_a_truce_along_todays_battle_lines_is_a_ceasefire_on_the_current_line(rules: Rules) -> None:
    text = "A truce in this long war along current battle lines is what European officials want, Kallas said."
    assert ("europe", "UA", "ceasefire_current_line") in triples(text, rules)


def test_todays_lines_as_the_basis_of_talks(rules: Rules) -> None:
    text = "The European Union wants present front lines to serve as the basis for talks."
    assert triples(text, rules) == {("europe", "UA", "current_line_basis")}


def test_despite_opens_another_clause_for_a_whole_front_cue(rules: Rules) -> None:
    text = (
        "The US paper recognises Crimea as Russian in practice, despite European leaders who insist "
        "that borders cannot be changed by force."
    )
    assert ("europe", "UA", "no_change_by_force") in triples(text, rules)


def test_under_discussion_in_another_clause_does_not_qualify_the_position(rules: Rules) -> None:
    text = "The EU wants a ceasefire along current front lines, officials said, adding that aid is under discussion."
    assert triples(text, rules) == {("europe", "UA", "ceasefire_current_line")}


def test_a_name_in_another_clause_does_not_hold_a_bare_cue(rules: Rules) -> None:
    text = "Ukraine has kept its army intact, but giving up a third of Donetsk would split the coalition."
    assert readings(text, rules) == []


def test_a_headline_on_table_without_an_article_is_under_discussion(rules: Rules) -> None:
    text = "Leaders to meet in Geneva; land swap on table, says Trump"
    assert ("united_states", "UA", "under_discussion") in triples(text, rules)


def test_what_one_party_demands_another_agree_to_is_the_demanders_position(rules: Rules) -> None:
    text = "The Kremlin has repeatedly demanded that Kyiv agree to surrender Kherson."
    assert triples(text, rules) == {("russia", "UA-65", "withdraw")}


def test_the_diplomat_stands_for_the_diplomat_named_earlier(rules: Rules) -> None:
    text = (
        "A senior European diplomat briefed reporters in Brussels.\n"
        "There would be no recognition of Zaporizhzhia as Russian, the diplomat said."
    )
    assert triples(text, rules) == {("europe", "UA-23", "cession_rejected")}


def test_the_agent_of_another_participle_is_not_the_nearest_name(rules: Rules) -> None:
    text = "A counteroffensive later freed much of the land claimed by Russia in Kharkiv."
    assert not any(c.party == "russia" for c in readings(text, rules))


def test_a_text_agreed_by_several_parties_speaks_for_each_of_them(rules: Rules) -> None:
    text = (
        "The wording was agreed by advisers from Ukraine, Russia and France on Friday.\n"
        "The formula grants special status to Luhansk once local elections are held."
    )
    assert {party for party, _, _ in triples(text, rules)} == {"ukraine", "russia", "europe"}
    assert {stance for _, _, stance in triples(text, rules)} == {"special_status"}


def test_an_open_quotation_goes_on_in_the_previous_speakers_words(rules: Rules) -> None:
    text = (
        "Lavrov spoke to reporters after the meeting in Minsk.\n"
        '"The sides have endorsed special status for Donetsk.\n'
        'The rest will take months," he said.'
    )
    assert triples(text, rules) == {("russia", "UA-14", "special_status")}


def test_under_discussion_after_the_speakers_verb_still_qualifies_the_position(rules: Rules) -> None:
    text = "Asked whether Luhansk could be recognised de facto as Russian, Lavrov said this was under discussion."
    assert triples(text, rules) == {("russia", "UA-09", "under_discussion")}


def test_recognising_a_region_as_russian_territory_is_one_recognition(rules: Rules) -> None:
    text = "Washington weighs recognising Crimea as Russian territory in a peace proposal."
    assert {stance for _, _, stance in triples(text, rules)} == {"recognised_form_unstated"}
    assert {party for party, _, _ in triples(text, rules)} == {"united_states"}


def test_a_speaker_inside_an_aside_does_not_govern_the_main_clause(rules: Rules) -> None:
    text = (
        "The White House published a short plan on Friday.\n"
        'Kherson — which Russia claims as its own — would be "frozen along the current line," it said.'
    )
    assert ("united_states", "UA-65", "freeze_as_final_line") in triples(text, rules)
    assert ("russia", "UA-65", "freeze_as_final_line") not in triples(text, rules)


def test_according_to_the_plan_speaks_for_the_plan_across_the_sentence(rules: Rules) -> None:
    text = (
        "The White House published a short plan on Friday.\n"
        "Parts of Luhansk would become a buffer zone, according to the plan."
    )
    assert triples(text, rules) == {("united_states", "UA-09", "demilitarised_zone")}


def test_russia_turning_down_terms_that_give_it_ground_criticises_them(rules: Rules) -> None:
    text = "The US plan would recognise Crimea as Russian.\nMoscow rejected the plan anyway."
    rejected = {(p, r, s) for p, r, s in triples(text, rules) if p == "russia"}
    assert rejected == {("russia", "UA-43", "criticised_terms"), ("russia", "UA-40", "criticised_terms")}


def test_a_refusal_after_a_semicolon_answers_the_demand(rules: Rules) -> None:
    text = "Moscow wants Kyiv to withdraw from Donetsk; Ukraine refuses."
    assert triples(text, rules) == {("russia", "UA-14", "withdraw"), ("ukraine", "UA-14", "cession_rejected")}


def test_a_refused_recognition_of_an_annexation_rejects_it(rules: Rules) -> None:
    text = "EU leaders said the annexation of Kherson would never be recognised."
    assert triples(text, rules) == {("europe", "UA-65", "cession_rejected")}


def test_the_side_that_must_act_across_a_speech_aside(rules: Rules) -> None:
    text = "Putin said he is ready for talks. The Ukrainians, he added, must leave Donetsk."
    assert triples(text, rules) == {("russia", "UA-14", "withdraw")}


def test_a_demand_named_by_its_owners_adjective_and_rejected(rules: Rules) -> None:
    text = "Kyiv rejects Russian demand to hand over Zaporizhzhia"
    assert triples(text, rules) == {("russia", "UA-23", "withdraw"), ("ukraine", "UA-23", "cession_rejected")}


def test_a_demand_another_party_rejected_in_an_apposition(rules: Rules) -> None:
    text = "Putin said the fighting would stop if Ukraine withdrew from Kherson, a demand Kyiv has rejected."
    assert triples(text, rules) == {("russia", "UA-65", "withdraw"), ("ukraine", "UA-65", "cession_rejected")}


def test_a_regions_status_called_closed_by_russia_keeps_it(rules: Rules) -> None:
    text = "Zakharova said the question of Sevastopol was closed once and for all."
    assert triples(text, rules) == {("russia", "UA-40", "annexation_claimed")}


def test_a_list_of_signatories_after_by_all_hold_the_text(rules: Rules) -> None:
    text = "The accords, signed by Russia, Ukraine and France, provide for special status for Luhansk."
    assert {party for party, _, _ in triples(text, rules)} == {"russia", "ukraine", "europe"}
