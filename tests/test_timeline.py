"""The state at a date: latest position per party and region, ranked stances, region history."""

from __future__ import annotations

import pandas as pd

from dashboard.sources import Sources
from dashboard.timeline import (
    event_at_date,
    events_up_to,
    positions_at,
    primary_stances,
    region_history,
    regional,
    whole_country,
)


def _stances(positions: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(positions["party"], positions["region"], positions["stance"], strict=True))


def test_positions_include_only_claims_made_up_to_the_event(mini_sources: Sources) -> None:
    assert _stances(positions_at(mini_sources.claims, mini_sources.events, "m1")) == {
        ("russia", "UA-14", "withdraw"),
        ("russia", "UA-09", "withdraw"),
    }


def test_a_later_statement_replaces_the_earlier_one_on_the_same_region(mini_sources: Sources) -> None:
    at_m3 = _stances(positions_at(mini_sources.claims, mini_sources.events, "m3"))
    assert ("russia", "UA-09", "recognised_de_facto") in at_m3
    assert ("russia", "UA-09", "withdraw") not in at_m3


def test_a_region_the_later_statement_does_not_mention_keeps_its_position(mini_sources: Sources) -> None:
    at_m3 = _stances(positions_at(mini_sources.claims, mini_sources.events, "m3"))
    assert ("russia", "UA-14", "withdraw") in at_m3
    assert ("ukraine", "UA-14", "cession_rejected") in at_m3


def test_primary_stance_is_the_highest_ranked_claim_of_a_position(mini_sources: Sources) -> None:
    claims = mini_sources.claims.copy()
    extra = claims.loc["k1"].copy()
    extra["claim"], extra["stance"] = "k9", "recognised_de_jure"  # ranked above "withdraw"
    claims.loc["k9"] = extra
    primary = primary_stances(positions_at(claims, mini_sources.events, "m1"), mini_sources.stances)
    donetsk = primary[(primary["party"] == "russia") & (primary["region"] == "UA-14")]
    assert list(donetsk["stance"]) == ["recognised_de_jure"]
    assert len(primary) == 2  # still one row per (party, region)


def test_primary_stances_of_no_positions_is_empty_with_the_expected_columns(mini_sources: Sources) -> None:
    empty = primary_stances(mini_sources.claims.iloc[0:0], mini_sources.stances)
    assert empty.empty
    assert {"rank", "outcome"} <= set(empty.columns)


def test_event_at_date_is_the_last_event_on_or_before_it(mini_sources: Sources) -> None:
    assert event_at_date(mini_sources.events, "2025-03-02") == "m2"
    assert event_at_date(mini_sources.events, "2025-12-31") == "m3"
    assert event_at_date(mini_sources.events, "2024-01-01") is None


def test_events_up_to_includes_the_event_itself(mini_sources: Sources) -> None:
    assert list(events_up_to(mini_sources.events, "m2").index) == ["m1", "m2"]


def test_region_history_lists_every_party_oldest_first(mini_sources: Sources) -> None:
    history = region_history(mini_sources.claims, mini_sources.events, "UA-14", "m3")
    assert list(history["claim"]) == ["k1", "k3"]
    assert list(region_history(mini_sources.claims, mini_sources.events, "UA-14", "m1")["claim"]) == ["k1"]


def test_whole_country_claims_are_kept_apart_from_regional_ones() -> None:
    positions = pd.DataFrame({"region": ["UA", "UA-14"], "party": ["europe", "russia"]})
    assert list(whole_country(positions)["party"]) == ["europe"]
    assert list(regional(positions)["party"]) == ["russia"]


def test_committed_timeline_russia_asks_for_all_four_oblasts_in_june_2024(sources: Sources) -> None:
    primary = primary_stances(positions_at(sources.claims, sources.events, "putin-conditions-2024"), sources.stances)
    russia = set(primary.loc[primary["party"] == "russia", "region"])
    assert {"UA-14", "UA-09", "UA-23", "UA-65"} <= russia
