"""Comparisons: two parties at a date, or one party at two dates, region by region."""

from __future__ import annotations

import pandas as pd

from dashboard.compare import Comparison, Side, build_comparison, changed_area_km2, compare_primary
from dashboard.render.tooltips import drawable
from dashboard.sources import Sources


def _primary(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region", "stance", "outcome"])


def test_each_region_gets_the_kind_of_difference() -> None:
    a = _primary([("A", "withdraw", "russian_control"), ("B", "withdraw", "russian_control"), ("C", "x", "open")])
    b = _primary([("B", "withdraw", "russian_control"), ("C", "y", "open"), ("D", "z", "front_line")])
    diff = compare_primary(a, b).set_index("region")["change"].to_dict()
    assert diff == {"A": "only_a", "B": "same", "C": "different", "D": "only_b"}


def test_whole_country_rows_are_not_compared_as_regions() -> None:
    a = _primary([("UA", "no_change_by_force", "ukrainian_control")])
    assert compare_primary(a, _primary([])).empty


def test_changed_area_counts_regions_only_one_side_leaves_to_russia() -> None:
    a = _primary([("A", "s", "russian_control"), ("B", "s", "russian_control")])
    b = _primary([("B", "s", "russian_control"), ("C", "t", "front_line")])
    areas = pd.Series({"A": 100.0, "B": 50.0, "C": 7.0})
    assert changed_area_km2(compare_primary(a, b), areas) == 100.0


def test_russia_between_june_2024_and_alaska_changes_on_kherson_and_zaporizhzhia(sources: Sources) -> None:
    state = build_comparison(sources, Side("russia", "putin-conditions-2024"), Side("russia", "alaska-summit"))
    changes = state.table.set_index("region")["change"].to_dict()
    assert "different stances" in changes["UA-65"]
    assert "different stances" in changes["UA-23"]
    assert "same stance" in changes["UA-14"]
    # one party at two dates: the sides are told apart by date, and the earlier line by its dash
    assert state.layers[0].name == "Russia, 14 Jun 2024"
    assert state.layers[0].line_style["dashArray"] != state.layers[1].line_style["dashArray"]


def test_a_comparison_draws_one_feature_per_region_with_both_positions_in_the_tooltip(sources: Sources) -> None:
    state = build_comparison(sources, Side("russia", "alaska-summit"), Side("ukraine", "alaska-summit"))
    assert isinstance(state, Comparison) and state.event == "alaska-summit"
    features = {f["properties"]["code"]: f["properties"] for f in drawable(state).regions["features"]}
    assert set(features) == set(state.table["region"]) == set(state.diff["region"])
    assert {p["change"] for p in features.values()} <= {"only_a", "only_b", "same", "different"}
    tip = features["UA-14"]["tooltip"]
    assert "Russia: Ukrainian forces to withdraw" in tip
    assert "<b>Ukraine</b>" in tip
