"""The data exports (dashboard/export/data.py): CSV, GeoJSON and the caption, for a map and for a comparison."""

from __future__ import annotations

import csv
import io
import json

import pytest
from export_cases import ALL, COMPARISONS, DONETSK, HOSTILE, HOSTILE_FRONT, ROOT, TEMPLATE, csv_rows

from dashboard import export
from dashboard.compare import CHANGE_DASH, CHANGE_STYLES, EARLIER_DASH, Comparison, build_comparison, compare_sides
from dashboard.export.data import caption, layers_geojson, positions_csv, positions_table, short_sources
from dashboard.mapstate import MapState, build_map_state
from dashboard.sources import Sources


def test_short_sources_keeps_the_names_and_drops_the_asides() -> None:
    text = "Traced by hand (see towns.csv). Sources: ISW of 1-2 May (X fell (in April)); DeepState for the dates."
    assert short_sources(text) == "ISW of 1-2 May; DeepState for the dates"
    assert short_sources("uploaded file; sources not stated") == "uploaded file; sources not stated"
    assert short_sources("Sources: " + "a" * 400, limit=50) == "a" * 49 + "…"


def test_csv_matches_the_map(alaska: MapState, sources: Sources) -> None:
    data, name, mime = export.export_bundle(alaska, sources, "csv")
    assert (name, mime) == ("2025-08-15_alaska-summit_positions.csv", "text/csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert {r["party"] for r in rows} <= set(ALL)
    shaded = {r["region"]: r["map_stance"] for r in rows if r["shades_map"] == "True" and r["region"] != "UA"}
    on_map = {f["properties"]["code"]: f["properties"]["stance"] for f in alaska.regions["features"]}
    assert shaded == {code: stance for code, stance in on_map.items() if stance}
    assert {r["region"] for r in rows} - {"UA"} == set(on_map)
    assert all(r["quote"] for r in rows)


def test_csv_lists_only_the_visible_parties(sources: Sources) -> None:
    state = build_map_state(sources, "alaska-summit", ["ukraine"])
    table = positions_table(state, sources)
    assert set(table["party"]) == {"ukraine"}
    assert positions_csv(state, sources).decode("utf-8").startswith("as_of_event,party,region")


def test_geojson_matches_the_map(alaska: MapState, sources: Sources) -> None:
    data, name, mime = export.export_bundle(alaska, sources, "geojson")
    assert (name, mime) == ("2025-08-15_alaska-summit_layers.geojson", "application/geo+json")
    collection = json.loads(data)
    regions = {f["properties"]["region"]: f for f in collection["features"] if f["properties"]["layer"] == "region"}
    assert set(regions) == {f["properties"]["code"] for f in alaska.regions["features"]}
    for feature in alaska.regions["features"]:
        props, style = feature["properties"], feature["properties"]["style"]
        exported = regions[props["code"]]
        assert exported["geometry"] == json.loads(json.dumps(feature["geometry"]))
        assert exported["properties"]["stance"] == props["stance"]
        assert (exported["properties"]["fill"], exported["properties"]["fill-opacity"]) == (
            style["fillColor"],
            style["fillOpacity"],
        )
    donetsk = regions[DONETSK]["properties"]
    assert donetsk["region_name"] == "Donetsk"
    assert donetsk["stance_label"] == sources.stances.at[donetsk["stance"], "label"]
    assert donetsk["quote"] and donetsk["quote"] in (ROOT / "seeds" / donetsk["claims"][0]["seed"]).read_text()
    assert "<" not in json.dumps(collection["features"][0]["properties"])  # no HTML tooltips
    lines = [f["properties"]["party"] for f in collection["features"] if f["properties"]["layer"] == "proposed_line"]
    assert lines == [layer.party for layer in alaska.layers if layer.line is not None]
    assert collection["metadata"]["as_of_date"] == "2025-08-15"
    # The map's drawing order, one feature per shape on screen.
    order = [f["properties"]["layer"] for f in collection["features"]]
    assert order == sorted(order, key=["region", "extra", "proposed_line", "front_line"].index)


def test_geojson_holds_the_front_line_and_the_land_beyond_it(alaska: MapState, sources: Sources) -> None:
    collection = json.loads(json.dumps(layers_geojson(alaska, sources)))  # as a file holds it
    front = [f for f in collection["features"] if f["properties"]["layer"] == "front_line"]
    assert [f["geometry"] for f in front] == json.loads(json.dumps([f["geometry"] for f in alaska.front["features"]]))
    assert [f["properties"]["kind"] for f in front] == [
        f["properties"]["kind"].removeprefix("front_") for f in alaska.front["features"]
    ]
    river = next(f["properties"] for f in front if f["properties"]["kind"] == "river")
    assert river["stroke-dasharray"] == "1 6"  # dotted, as on the map
    assert river["front_line_date"] == "2025-08-15"
    assert river["approximate"] is True and river["approximation_km"] == alaska.snapshot.front.approximation_km
    assert river["sources"] == alaska.snapshot.front.sources  # in full, as the catalogue has them
    assert collection["metadata"]["front_line"]["date"] == "2025-08-15"

    extras = [f for f in collection["features"] if f["properties"]["layer"] == "extra"]
    assert [f["properties"]["party"] for f in extras] == [p for p in ALL if _layer(alaska, p).extra is not None]
    russia = next(f["properties"] for f in extras if f["properties"]["party"] == "russia")
    completed = _layer(alaska, "russia").completed
    assert russia["extra_km2"] == pytest.approx(completed.extra_km2, abs=0.1)
    assert russia["extra_km2_by_region"]["Donetsk"] == pytest.approx(
        completed.by_region.at[DONETSK, "extra_km2"], abs=0.1
    )
    colour = sources.parties.at["russia", "colour"]
    assert (russia["fill"], russia["fill-opacity"], russia["fill-pattern"]) == (colour, 0.35, "hatch")
    assert russia["front_line_date"] == "2025-08-15"
    line = next(f["properties"] for f in collection["features"] if f["properties"]["layer"] == "proposed_line")
    assert (line["kind"], line["extra_km2"]) == (completed.kind, pytest.approx(completed.extra_km2, abs=0.1))
    assert "<" not in json.dumps([f["properties"] for f in front + extras])  # plain text, no tooltip HTML


def _layer(state: MapState, party: str) -> object:
    return next(layer for layer in state.layers if layer.party == party)


def test_geojson_carries_hostile_text_as_literal_text(hostile: tuple[Sources, MapState]) -> None:
    loaded, state = hostile
    collection = layers_geojson(state, loaded)
    donetsk = next(f["properties"] for f in collection["features"] if f["properties"].get("region") == DONETSK)
    assert donetsk["quote"].startswith(HOSTILE + "</script><script>alert(2)</script> " + TEMPLATE)
    assert donetsk["speaker"] == "<i onmouseover=alert(4)>The Kremlin</i>"
    front = next(f["properties"] for f in collection["features"] if f["properties"]["layer"] == "front_line")
    assert front["title"] == f"Line {HOSTILE_FRONT} {TEMPLATE}"
    assert "&lt;" not in json.dumps(collection)


def test_comparison_csv_rows_match_the_compare_table(compared: Comparison, sources: Sources) -> None:
    comparison = compared
    labels = comparison.labels(sources)
    data, _, mime = export.export_bundle(comparison, sources, "csv")
    rows = csv_rows(data)
    assert mime == "text/csv"
    table = comparison.table
    assert [r["region"] for r in rows] == list(table["region"])  # the screen's order, by name
    kinds = {f["properties"]["code"]: f["properties"]["change"] for f in comparison.regions["features"]}
    for row, (_, expected) in zip(rows, table.iterrows(), strict=True):
        assert row["region_name"] == expected["name"]
        assert (row["side_a"], row["side_b"]) == (labels["a"], labels["b"])
        for key in ("a", "b"):
            shown = expected[f"stance_{key}"]  # the label on screen, "—" where the side says nothing
            assert row[f"stance_{key}_label"] == ("" if shown == "—" else shown)
            assert (row[f"stance_{key}"] == "") == (shown == "—")
            beyond = expected[f"beyond_{key}"]
            assert row[f"beyond_front_km2_{key}"] == ("" if beyond is None else f"{beyond:.1f}")
        assert row["change_label"] == expected["change"]
        assert row["change"] == kinds[row["region"]]  # the kind the map colours the region by


def test_comparison_csv_holds_the_land_beyond_each_sides_front_line(sources: Sources) -> None:
    a, b = compare_sides("dates", *COMPARISONS["dates"])
    state = build_comparison(sources, a, b)
    donetsk = next(r for r in csv_rows(positions_csv(state, sources)) if r["region"] == DONETSK)
    # Each side measured against the front line of its own date: June 2024 asked for more of Donetsk than Alaska.
    assert float(donetsk["beyond_front_km2_a"]) > float(donetsk["beyond_front_km2_b"]) > 1000
    assert donetsk["change"] == "same"


def test_comparison_geojson_has_both_sides_and_the_kinds_of_change(compared: Comparison, sources: Sources) -> None:
    state = comparison = compared
    labels = comparison.labels(sources)
    data, name, _ = export.export_bundle(comparison, sources, "geojson")
    assert "_compare_" in name and name.endswith("_layers.geojson")
    collection = json.loads(data)
    regions = [f for f in collection["features"] if f["properties"]["layer"] == "region"]
    assert [f["properties"]["region"] for f in regions] == [f["properties"]["code"] for f in state.regions["features"]]
    for exported, drawn in zip(regions, state.regions["features"], strict=True):
        props, kind = exported["properties"], drawn["properties"]["change"]
        assert props["change"] == kind
        assert props["change_label"] == CHANGE_STYLES[kind][2].format(**labels)
        assert (props["fill"], props["stroke-dasharray"]) == (CHANGE_STYLES[kind][0], CHANGE_DASH[kind])
        assert exported["geometry"] == json.loads(json.dumps(drawn["geometry"]))
        # Each side that states a position brings its claims, quoted as the articles wrote them.
        sides = {c["side"] for c in props["claims"]}
        assert sides == {key for key in ("a", "b") if props[f"stance_{key}"]}
        assert all(c["side_label"] == labels[c["side"]] and c["quote"] for c in props["claims"])
    lines = [f["properties"] for f in collection["features"] if f["properties"]["layer"] == "proposed_line"]
    assert [(p["side"], p["party_name"]) for p in lines] == [("a", labels["a"]), ("b", labels["b"])]
    assert [p["stroke-dasharray"] for p in lines] == [layer.line_style["dashArray"] for layer in state.layers]
    meta = collection["metadata"]
    assert meta["title"] == f"Russia–Ukraine peace proposals compared: {labels['a']} and {labels['b']}"
    assert {key: (meta["comparison"][key]["party"], meta["comparison"][key]["event"]) for key in "ab"} == {
        "a": (comparison.a.party, comparison.a.event),
        "b": (comparison.b.party, comparison.b.event),
    }
    assert set(meta["comparison"]["changes"]) == set(CHANGE_STYLES)
    assert "<" not in json.dumps([f["properties"] for f in collection["features"]])  # no tooltip HTML


def test_one_party_at_two_dates_tells_its_lines_apart(sources: Sources) -> None:
    a, b = compare_sides("dates", *COMPARISONS["dates"])
    state = build_comparison(sources, a, b)
    collection = layers_geojson(state, sources)
    lines = {f["properties"]["side"]: f["properties"] for f in collection["features"] if "side" in f["properties"]}
    assert lines["a"]["party"] == lines["b"]["party"] == "russia"
    assert lines["a"]["stroke-dasharray"] == EARLIER_DASH != lines["b"]["stroke-dasharray"]
    assert lines["a"]["front_line_date"] < lines["b"]["front_line_date"]  # each completed with its own front line


def test_comparison_caption_names_both_sides_and_counts_the_differences(compared: Comparison, sources: Sources) -> None:
    comparison = compared
    labels = comparison.labels(sources)
    words = caption(comparison, sources)
    assert words.compared == (labels["a"], labels["b"]) == words.parties
    assert labels["a"] in words.title and labels["b"] in words.title
    assert words.headline.startswith("15 Aug 2025 · Trump–Putin summit in Alaska")
    counts = comparison.table["change"].value_counts()
    for text, count in counts.items():
        assert f"{count} region{'' if count == 1 else 's'} where {text}" in words.summary
    assert words.shaded_by == "" and words.front_date == ""  # no stance shading, no front line on screen
    # The articles behind both sides: those each side's own map would cite, together.
    each = [caption(build_map_state(sources, s.event, [s.party]), sources) for s in (comparison.a, comparison.b)]
    assert set(words.articles) == set(each[0].articles) | set(each[1].articles)


def test_comparison_of_two_dates_says_both_dates(sources: Sources) -> None:
    a, b = compare_sides("dates", *COMPARISONS["dates"])
    state = build_comparison(sources, a, b)
    words = caption(state, sources)
    assert words.title == "Russia–Ukraine peace proposals compared: Russia, 14 Jun 2024 and Russia, 15 Aug 2025"
    assert "(against Putin's conditions for talks, 14 Jun 2024)" in words.headline
    assert (
        "Date: 14 Jun 2024, public record" in words.source_line and "; 15 Aug 2025, public record" in words.source_line
    )
