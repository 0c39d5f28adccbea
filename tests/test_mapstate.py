"""Everything drawn at one date: one feature per region, styles by the shaded party, lines per party."""

from __future__ import annotations

import pandas as pd

from dashboard.mapstate import BORDER_1991_SCALE, LINE_WEIGHTS, build_map_state
from dashboard.render.tooltips import drawable
from dashboard.sources import Sources

ALL = ["russia", "ukraine", "united_states", "europe"]


def _features(state: object) -> dict[str, dict]:
    return {f["properties"]["code"]: f for f in state.regions["features"]}


def test_every_event_builds_one_feature_per_region_spoken_about(sources: Sources) -> None:
    for event in sources.events.index:
        state = build_map_state(sources, event, ALL)
        codes = [f["properties"]["code"] for f in state.regions["features"]]
        assert len(codes) == len(set(codes)), event
        spoken = set(state.primary["region"]) - {"UA"}
        assert set(codes) == spoken, event


def test_regions_are_filled_by_the_shaded_partys_stance(sources: Sources) -> None:
    state = build_map_state(sources, "putin-conditions-2024", ALL, shade="russia")
    donetsk = _features(state)["UA-14"]["properties"]
    stance = sources.stances.loc[donetsk["stance"]]
    assert stance["outcome"] == "russian_control"
    assert donetsk["style"]["fillColor"] == stance["fill"]
    assert donetsk["style"]["color"] == sources.parties.at["russia", "colour"]


def test_a_region_only_another_party_spoke_about_is_outlined_not_filled(sources: Sources) -> None:
    state = build_map_state(sources, "yermak-atlantic", ALL, shade="europe")
    for feature in drawable(state).regions["features"]:
        props = feature["properties"]
        if props["stance"] == "":
            assert props["style"]["fillOpacity"] < 0.05
            assert "Positions on this region" in props["tooltip"]


def test_front_line_stances_get_a_dashed_edge(sources: Sources) -> None:
    state = build_map_state(sources, "alaska-summit", ALL, shade="russia")
    frozen = [f for f in state.regions["features"] if f["properties"]["stance"] == "freeze_as_final_line"]
    assert frozen, "Russia offered a freeze in Kherson and Zaporizhzhia at Alaska"
    assert all(f["properties"]["style"]["dashArray"] for f in frozen)


def test_tooltips_carry_the_verbatim_quote_of_the_shaded_party(sources: Sources) -> None:
    state = build_map_state(sources, "putin-conditions-2024", ["russia"])
    tip = _features(drawable(state))["UA-14"]["properties"]["tooltip"]
    claim = sources.claims[(sources.claims["event"] == "putin-conditions-2024") & (sources.claims["region"] == "UA-14")]
    assert claim.iloc[0]["quote"][:40].replace("'", "&#x27;") in tip
    assert "Article:" in tip


def test_hidden_parties_draw_nothing_but_keep_their_summary(sources: Sources) -> None:
    state = build_map_state(sources, "putin-conditions-2024", ["ukraine"])
    russia = next(layer for layer in state.layers if layer.party == "russia")
    assert not russia.visible
    assert russia.line is None
    assert russia.proposed.kind == "oblast_borders"
    assert any("Donetsk" in s for s in russia.summary.sentences)
    assert all(f["properties"]["stance"] != "withdraw" for f in state.regions["features"])


def test_coinciding_lines_nest_by_layer_order(sources: Sources) -> None:
    state = build_map_state(sources, "yermak-atlantic", ALL)
    by_kind: dict[str, list[float]] = {}
    for layer in state.layers:
        if layer.line is not None:
            by_kind.setdefault(layer.proposed.kind, []).append(
                layer.line["features"][0]["properties"]["style"]["weight"]
            )
    assert sum(len(w) for w in by_kind.values()) >= 2
    for weights in by_kind.values():
        assert weights == sorted(weights, reverse=True)
        assert len(set(weights)) == len(weights)


def test_the_1991_border_line_is_thinner_than_a_line_through_the_country(sources: Sources) -> None:
    state = build_map_state(sources, "alaska-summit", ["russia", "ukraine"])
    russia, ukraine = state.layers[0], state.layers[1]
    assert (russia.proposed.kind, ukraine.proposed.kind) == ("oblast_borders", "border_1991")
    weight = {layer.party: layer.line["features"][0]["properties"]["style"]["weight"] for layer in (russia, ukraine)}
    assert weight["ukraine"] == LINE_WEIGHTS[1] * BORDER_1991_SCALE


def test_no_visible_party_draws_an_empty_map(sources: Sources) -> None:
    state = build_map_state(sources, "yermak-atlantic", [])
    assert state.regions["features"] == []
    assert state.shade is None
    assert all(layer.line is None for layer in state.layers)


def test_russias_june_2024_line_leaves_all_four_oblasts_and_reports_their_area(sources: Sources) -> None:
    state = build_map_state(sources, "putin-conditions-2024", ["russia"])
    russia = state.layers[0]
    assert {"UA-14", "UA-09", "UA-23", "UA-65"} <= set(russia.proposed.russian_regions)
    area_sentence = next(s for s in russia.summary.sentences if "km²" in s)
    expected = sources.areas_km2.loc[list(russia.proposed.russian_regions)].sum()
    assert f"{expected:,.0f} km²" in area_sentence


def test_the_legend_learns_which_visible_lines_are_not_drawn_and_why(sources: Sources) -> None:
    state = build_map_state(sources, "alaska-summit", ALL)
    drawn = {layer.party for layer in state.layers if layer.line is not None}
    assert set(state.undrawn_lines) == set(ALL) - drawn
    assert "russia" in drawn
    assert all(reason for reason in state.undrawn_lines.values())


def test_the_front_line_in_force_is_the_latest_on_or_before_the_event(sources: Sources) -> None:
    state = build_map_state(sources, "russia-signal-2025-08", ALL)
    assert state.snapshot.date == pd.Timestamp("2024-06-14")  # no newer line before 6 Aug 2025
    kinds = {f["properties"]["kind"] for f in state.front["features"]}
    assert kinds <= {"front_land", "front_river"}
    assert "front_river" in kinds  # the Dnipro stretch is drawn apart
    assert "Front line, 14 Jun 2024" in drawable(state).front["features"][0]["properties"]["tooltip"]


def test_before_the_first_front_line_nothing_is_measured_against_one(sources: Sources) -> None:
    state = build_map_state(sources, "annexation-claims-2022", ALL)
    assert state.snapshot is None
    assert state.front is None
    assert all(layer.completed is None and layer.extra is None for layer in state.layers)


def test_a_proposal_beyond_the_front_line_shades_that_land_in_the_partys_colour(sources: Sources) -> None:
    state = build_map_state(sources, "alaska-summit", ALL)
    russia = state.layers[0]
    assert russia.completed.kind == "borders_and_front"
    assert russia.completed.extra_km2 > 1_000  # the part of Donetsk Ukraine still holds
    (feature,) = russia.extra["features"]
    assert feature["properties"]["style"]["fillColor"] == sources.parties.at["russia", "colour"]
    (drawn,) = dict(drawable(state).extras)["Russia"]["features"]
    assert "Donetsk" in drawn["properties"]["tooltip"]
    assert any("Beyond the front line of 15 Aug 2025" in s for s in russia.summary.sentences)


def test_hidden_parties_do_not_shade_their_land_beyond_the_line(sources: Sources) -> None:
    state = build_map_state(sources, "alaska-summit", ["ukraine"])
    assert state.layers[0].extra is None
    assert state.layers[0].completed is not None  # still measured, for the summary and the area panel


def test_an_empty_set_of_front_lines_replaces_the_bundled_ones(sources: Sources) -> None:
    state = build_map_state(sources, "alaska-summit", ALL, snapshots=())
    assert state.front is None
    assert state.layers[0].line is not None  # back to the line from whole regions


def test_warming_fills_every_party_position_at_every_event(sources: Sources) -> None:
    from dashboard.mapstate import warm_positions

    sources.completed.clear()
    warm_positions(sources)
    events = {key[1] for key in sources.completed.held()}
    assert events == set(sources.events.index)
    assert len(sources.completed) == len(sources.events) * len(sources.parties)
