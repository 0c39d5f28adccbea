"""The stance palette stays readable with colour-vision deficiencies and in greyscale."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.claims import load_stances
from dashboard.palette import VISIONS, closest_pairs, delta_e, seen_as
from dashboard.paths import STANCES_CSV

MIN_DELTA_E = 10  # below this, two map fills of the same pattern start to look alike


def test_a_grey_is_seen_as_itself_by_every_vision() -> None:
    for vision in VISIONS:
        assert np.allclose(seen_as("#808080", vision), seen_as("#808080", "normal"), atol=0.01), vision


def test_red_and_green_collapse_for_deuteranopia_but_not_for_normal_vision() -> None:
    assert delta_e("#D6604D", "#4DAF4A", "normal") > 40
    assert delta_e("#D6604D", "#4DAF4A", "deuteranopia") < delta_e("#D6604D", "#4DAF4A", "normal") / 2


@pytest.mark.parametrize("vision", VISIONS)
def test_same_pattern_stances_stay_apart(vision: str) -> None:
    stances, problems = load_stances(STANCES_CSV)
    assert problems == []
    row = closest_pairs(stances).set_index("vision").loc[vision]
    assert row["delta_e"] >= MIN_DELTA_E, f"{vision}: {row['closest']} ΔE {row['delta_e']}"


def test_every_outcome_has_its_own_pattern() -> None:
    stances, _ = load_stances(STANCES_CSV)
    by_outcome = stances.groupby("outcome")["pattern"].unique()
    assert all(len(patterns) == 1 for patterns in by_outcome)
    assert by_outcome.map(lambda p: p[0]).is_unique
