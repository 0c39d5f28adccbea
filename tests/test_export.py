"""Exports of what the map shows: PNG (slides, print), offline HTML, CSV, GeoJSON, and the command line.

A comparison exports as the screen shows it: its regions by kind of
difference, both sides' lines, its legend and table, and a caption naming both sides.

The PNG is checked pixel by pixel against the map state: inside every shaded
region the image has the region's fill colour at its opacity over the land
colour, as Leaflet paints it on screen; the land a party asks for beyond the
front line carries the party's colour and hatch over that, and the front line
runs dark over everything, dotted where it follows the Dnipro.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from fixture_data import hostile_root as hostile_root_base
from fixture_data import mini_root, read_rows, set_cell, write_rows
from PIL import Image
from shapely.geometry import shape

from dashboard import export, paths
from dashboard.compare import (
    CHANGE_DASH,
    CHANGE_STYLES,
    EARLIER_DASH,
    Comparison,
    Side,
    build_compare_state,
    change_legend,
    compare_sides,
)
from dashboard.export.data import caption, layers_geojson, positions_csv, positions_table, short_sources
from dashboard.export.html import export_html
from dashboard.export.png import PATTERN_CELL, PATTERN_MARKS, PRINT, SLIDE, Render, render
from dashboard.mapstate import MapState, build_map_state
from dashboard.render.cards import compare_legend_html, esc
from dashboard.render.mapview import LAND_UKRAINE, PRESENT_MAP_CSS
from dashboard.render.patterns import svg_pattern
from dashboard.sources import ROOT_ENV, SourcePaths, Sources, load_sources

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{7*7}}"  # must reach the page as typed, not evaluated by a template engine
FORMULA = r"$\frac$"  # matplotlib's mathtext would fail on it: drawn as plain text instead
ALL = ["russia", "ukraine", "united_states", "europe"]
DONETSK = "UA-14"
COLOUR_TOLERANCE = 3  # per channel, out of 255: rounding in Agg's alpha blending
WINDOW = 8  # px each side of a sampled point: wider than a pattern's cell at slide size
DARK = 70  # brightest channel of a front-line pixel: #1a1a1a at 0.9 over white is 49; party colours are far above
HOSTILE_FRONT = "<img src=x onerror=alert`7`>"  # in the front line's title and sources (brackets would be cut)


@pytest.fixture(scope="module")
def alaska(sources: Sources) -> MapState:
    return build_map_state(sources, "alaska-summit", ALL, shade="russia")


@pytest.fixture(scope="module")
def alaska_drawn(alaska: MapState, sources: Sources) -> tuple[Render, np.ndarray]:
    """The Alaska slide, drawn once for the tests that only look at it, and its pixels."""
    drawn = render(alaska, sources, SLIDE)
    return drawn, np.asarray(_image(drawn.png()), dtype=float)


def hostile_root(folder: Path) -> Path:
    """A source tree whose quote, speaker, event title and article title hold markup, a template and a formula."""
    root = hostile_root_base(folder)
    catalogue = root / "data" / "geo" / paths.FRONTLINES_DIR.name / "sources.csv"
    rows = read_rows(catalogue)
    for row in rows:  # every dated line, so whichever is in force at the events carries the markup
        row["title"] = f"Line {HOSTILE_FRONT} {TEMPLATE}"
        row["sources"] = f"Drawn by hand. Sources: {HOSTILE_FRONT} {FORMULA} (aside); {TEMPLATE}."
    write_rows(catalogue, rows)
    return root


def hostile_state(folder: Path) -> tuple[Sources, MapState]:
    """The hostile tree's sources and its map at the first event, Russia shading Donetsk."""
    loaded, problems = load_sources(SourcePaths.under(hostile_root(folder)))
    assert problems == []
    return loaded, build_map_state(loaded, "h1", ["russia", "ukraine"], shade="russia")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sources, MapState]:
    return hostile_state(tmp_path_factory.mktemp("hostile"))


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _hex(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _style_colours(style: dict, below: np.ndarray | None = None) -> list[np.ndarray]:
    """The colours Leaflet paints for an area's style over ``below`` (default: the oblasts' land colour):
    the fill at its opacity and, where the style has a pattern, the fill darkened by the pattern's marks."""
    base = _hex(LAND_UKRAINE) if below is None else below
    opacity, fill = float(style["fillOpacity"]), _hex(style["fillColor"])
    inks = [1.0] + ([1 - PATTERN_MARKS[style["pattern"]]["opacity"]] if style.get("pattern") else [])
    return [opacity * ink * fill + (1 - opacity) * base for ink in inks]


def _nearest(window: np.ndarray, colour: np.ndarray) -> float:
    """How far (largest channel difference) the closest pixel of ``window`` is from ``colour``."""
    return float(np.abs(window.reshape(-1, 3) - colour).max(axis=1).min())


def _inner_point(
    region: shapely.Geometry, labels: list[shapely.Point], avoid: shapely.Geometry | None = None
) -> shapely.Point | None:
    """A point well inside ``region``, away from its border (lines, dashes), from place names and from ``avoid``."""
    inner = region.buffer(-0.18)
    if avoid is not None:
        inner = inner.difference(avoid.buffer(0.18))
    if inner.is_empty:
        return None
    minx, miny, maxx, maxy = inner.bounds
    xs, ys = np.meshgrid(np.arange(minx, maxx, 0.05), np.arange(miny, maxy, 0.05))
    candidates = [p for p in shapely.points(xs.ravel(), ys.ravel()) if inner.contains(p)]
    # A name is ~2° wide and ~0.4° high at this scale: keep out of that box around each label.
    clear = [p for p in candidates if all(abs(p.x - q.x) > 1.3 or abs(p.y - q.y) > 0.35 for q in labels)]
    return max(clear, key=inner.boundary.distance, default=None)


def _drawn_over_regions(state: MapState) -> shapely.Geometry:
    """Everything drawn over the regions that changes their colour: land beyond the front line, the front line."""
    features = [f for layer in state.layers if layer.extra is not None for f in layer.extra["features"]]
    features += state.front["features"] if state.front is not None else []
    return shapely.union_all([shape(f["geometry"]) for f in features])


def _check_fills(state: MapState, sources: Sources, size: object) -> list[str]:
    """Codes of the regions whose pixels were checked; asserts each has its stance's painted colour.

    Around a point well inside the region, the image holds the fill colour at
    its opacity over the land; where the stance has a pattern, also the colour
    darkened by the pattern's marks.
    """
    drawn = render(state, sources, size)
    image = np.asarray(_image(drawn.png()), dtype=float)
    labels = [g.representative_point() for g in sources.oblasts.geometry]
    over = _drawn_over_regions(state)
    checked = []
    for feature in state.regions["features"]:
        style = feature["properties"]["style"]
        point = _inner_point(shape(feature["geometry"]), labels, over)
        if point is None:
            continue  # Sevastopol, Kyiv city: too small to find a clear pixel
        col, row = drawn.pixel(point.x, point.y)
        window = image[row - WINDOW : row + WINDOW + 1, col - WINDOW : col + WINDOW + 1]
        code = feature["properties"]["code"]
        for colour in _style_colours(style):
            assert _nearest(window, colour) <= COLOUR_TOLERANCE, (code, style, colour)
        checked.append(code)
    return checked


def test_slide_png_is_1920_by_1080_and_has_a_map(alaska: MapState, sources: Sources) -> None:
    data, name, mime = export.export_bundle(alaska, sources, "png")
    image = _image(data)
    assert image.size == (1920, 1080)
    assert (name, mime) == ("2025-08-15_alaska-summit_map.png", "image/png")
    pixels = np.asarray(image).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 200  # a drawing, not a blank page
    assert (pixels.min(axis=1) < 240).mean() > 0.3  # a third of the image is not white


def test_print_png_is_a4_landscape_at_300_dpi(alaska: MapState, sources: Sources) -> None:
    data, _, _ = export.export_bundle(alaska, sources, "png-print")
    image = Image.open(io.BytesIO(data))
    assert image.size == (3508, 2480)
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.1)


def test_png_regions_carry_the_same_stance_styles_as_the_screen(alaska: MapState, sources: Sources) -> None:
    checked = _check_fills(alaska, sources, SLIDE)
    assert DONETSK in checked
    assert len(checked) >= len(alaska.regions["features"]) - 1  # all but Sevastopol


@pytest.mark.parametrize(("event", "shade"), [("us-28-point-plan", "united_states"), ("yermak-atlantic", "ukraine")])
def test_png_fills_follow_the_shaded_party(sources: Sources, event: str, shade: str) -> None:
    state = build_map_state(sources, event, ALL, shade=shade)
    assert _check_fills(state, sources, SLIDE)


def test_png_draws_the_stance_patterns_the_map_uses(sources: Sources) -> None:
    state = build_map_state(sources, "yermak-atlantic", ALL, shade="ukraine")
    patterned = [f for f in state.regions["features"] if f["properties"]["style"].get("pattern")]
    assert patterned, "Ukraine's stances at that date are dotted on the map"
    assert {f["properties"]["code"] for f in patterned} & set(_check_fills(state, sources, SLIDE))


@pytest.mark.parametrize("pattern", sorted(PATTERN_MARKS))
def test_png_patterns_match_the_maps_svg(pattern: str) -> None:
    svg = svg_pattern(pattern, "#000000")
    marks = PATTERN_MARKS[pattern]
    assert f'width="{PATTERN_CELL:g}" height="{PATTERN_CELL:g}"' in svg
    assert {float(o) for o in re.findall(r'fill-opacity="([\d.]+)"', svg)} == {marks["opacity"]}
    size = marks.get("stripe", marks.get("radius"))
    assert re.search(rf'(width|height|r)="{size:g}"', svg), svg
    assert ("rotate(45)" in svg) == (pattern != "dots")


def test_print_png_has_the_same_fills(alaska: MapState, sources: Sources) -> None:
    assert DONETSK in _check_fills(alaska, sources, PRINT)


def test_png_leaves_regions_nobody_spoke_about_blank(
    alaska: MapState, sources: Sources, alaska_drawn: tuple[Render, np.ndarray]
) -> None:
    drawn, image = alaska_drawn
    spoken = {f["properties"]["code"] for f in alaska.regions["features"]}
    lviv = sources.oblasts.loc["UA-46"].geometry
    assert "UA-46" not in spoken
    point = _inner_point(lviv, [g.representative_point() for g in sources.oblasts.geometry])
    col, row = drawn.pixel(point.x, point.y)
    assert np.abs(image[row, col] - _hex(LAND_UKRAINE)).max() <= COLOUR_TOLERANCE


def test_png_draws_each_partys_line_in_its_colour(alaska: MapState, alaska_drawn: tuple[Render, np.ndarray]) -> None:
    drawn, image = alaska_drawn
    russia = next(layer for layer in alaska.layers if layer.party == "russia")
    style = russia.line["features"][0]["properties"]["style"]
    assert style["dashArray"] == ""  # solid: any point on it is painted
    line = shape(russia.line["features"][0]["geometry"])
    # A stretch where nothing is drawn over it: the front line and the later parties' lines are on top.
    above = [shape(f["geometry"]) for f in alaska.front["features"]]
    above += [shape(layer.line["features"][0]["geometry"]) for layer in alaska.layers[1:] if layer.line is not None]
    clear = line.difference(shapely.union_all(above).buffer(0.1))
    assert clear.length > 1  # degrees: oblast borders where the position leaves whole regions to Russia
    point = clear.interpolate(0.5, normalized=True)
    col, row = drawn.pixel(point.x, point.y)
    # 95% opaque over whatever lies below: within 5% of 255 of the party colour.
    assert np.abs(image[row, col] - _hex(style["color"])).max() <= 14


def _dark_along(drawn: Render, image: np.ndarray, line: shapely.Geometry, samples: int = 2000) -> np.ndarray:
    """For points spread evenly along ``line``: whether the image is front-line dark there."""
    points = [line.interpolate(t, normalized=True) for t in np.linspace(0, 1, samples)]
    pixels = [drawn.pixel(p.x, p.y) for p in points]
    return np.array([image[row, col].max() < DARK for col, row in pixels])


def test_png_draws_the_front_line_on_top_dotted_along_the_dnipro(
    alaska: MapState, alaska_drawn: tuple[Render, np.ndarray]
) -> None:
    drawn, image = alaska_drawn
    parts = [(f["properties"]["kind"], shape(f["geometry"])) for f in alaska.front["features"]]
    land = max((g for kind, g in parts if kind == "front_land"), key=lambda g: g.length)  # the main line
    river = next(g for kind, g in parts if kind == "front_river")
    # On land, solid and over the party lines and regions: dark all along (a few place names sit on top).
    assert _dark_along(drawn, image, land).mean() > 0.95
    # Along the Dnipro, dots: dark and light alternate, about one dot per 7 screen px (dash "1 6").
    dots = _dark_along(drawn, image, river)
    assert 0.3 < dots.mean() < 0.8
    assert np.count_nonzero(dots[1:] != dots[:-1]) >= 40  # over 20 dots, each with a start and an end


def test_png_hatches_the_land_asked_for_beyond_the_front_line(
    alaska: MapState, sources: Sources, alaska_drawn: tuple[Render, np.ndarray]
) -> None:
    drawn, image = alaska_drawn
    russia = next(layer for layer in alaska.layers if layer.party == "russia")
    assert russia.extra is not None and russia.completed.by_region.at[DONETSK, "extra_km2"] > 1000
    extra = russia.extra["features"][0]
    style = extra["properties"]["style"]
    assert (style["pattern"], style["fillColor"]) == ("hatch", sources.parties.at["russia", "colour"])
    donetsk = next(f for f in alaska.regions["features"] if f["properties"]["code"] == DONETSK)
    inside = shape(extra["geometry"]).intersection(shape(donetsk["geometry"]))
    labels = [g.representative_point() for g in sources.oblasts.geometry]
    lines = shapely.union_all(
        [shape(f["geometry"]) for layer in alaska.layers if layer.line is not None for f in layer.line["features"]]
    )
    point = _inner_point(inside, labels, lines)
    assert point is not None
    col, row = drawn.pixel(point.x, point.y)
    window = image[row - WINDOW : row + WINDOW + 1, col - WINDOW : col + WINDOW + 1]
    # The party's colour and hatch at 0.35 over Donetsk's own fill, as the SVG pattern paints it on screen.
    below = _style_colours(donetsk["properties"]["style"])[0]
    fill, hatch = _style_colours(style, below)
    assert _nearest(window, fill) <= COLOUR_TOLERANCE
    assert _nearest(window, hatch) <= COLOUR_TOLERANCE
    assert _nearest(window, below) > 10  # the region's plain fill is covered here


def test_png_legend_and_source_line_name_the_front_line(
    alaska: MapState, sources: Sources, alaska_drawn: tuple[Render, np.ndarray]
) -> None:
    texts = [t.get_text().replace("\n", " ") for ax in alaska_drawn[0].figure.axes for t in ax.texts]
    assert "Front line, 15 Aug 2025 (approximate)" in texts
    assert "Russia: land asked for beyond the front line" in texts
    source = next(t for t in texts if t.startswith("Articles cited"))
    front = alaska.snapshot.front
    off, cited = front.approximation_km, short_sources(front.sources)
    assert f"Front line of 15 Aug 2025: approximate (up to about {off:g} km off), see sources: {cited}." in source
    assert "ISW" in cited and "(" not in cited  # the sources' names, without the catalogue's asides
    assert source.endswith("Borders: Natural Earth (public domain).")


def test_front_line_shown_at_a_later_event_keeps_its_own_date(sources: Sources) -> None:
    state = build_map_state(sources, "us-28-point-plan", ALL)  # 20 Nov 2025: the line of 15 Aug 2025 applies
    words = caption(state, sources)
    assert words.date == "20 Nov 2025"
    assert "Front line of 15 Aug 2025: approximate" in words.source_line
    texts = [t.get_text() for ax in render(state, sources, SLIDE).figure.axes for t in ax.texts]
    assert "Front line, 15 Aug 2025 (approximate)" in texts
    assert "United States: land asked for beyond the front line" in " ".join(texts).replace("\n", " ")


def test_no_front_line_before_the_first_one(sources: Sources) -> None:
    state = build_map_state(sources, "crimea-annexation", ALL)
    assert state.front is None
    assert "Front line" not in caption(state, sources).source_line
    texts = " ".join(t.get_text() for ax in render(state, sources, SLIDE).figure.axes for t in ax.texts)
    assert "Front line" not in texts and "beyond the front line" not in texts
    assert not [
        f
        for f in layers_geojson(state, sources)["features"]
        if f["properties"]["layer"] != "region" and f["properties"]["layer"] != "proposed_line"
    ]


def test_short_sources_keeps_the_names_and_drops_the_asides() -> None:
    text = "Traced by hand (see towns.csv). Sources: ISW of 1-2 May (X fell (in April)); DeepState for the dates."
    assert short_sources(text) == "ISW of 1-2 May; DeepState for the dates"
    assert short_sources("uploaded file; sources not stated") == "uploaded file; sources not stated"
    assert short_sources("Sources: " + "a" * 400, limit=50) == "a" * 49 + "…"


def test_png_legend_fits_beside_the_map_at_every_event(sources: Sources) -> None:
    for event in sources.events.index:
        state = build_map_state(sources, event, ALL)
        for size in (SLIDE, PRINT):
            drawn = render(state, sources, size)
            assert drawn.legend_bottom < drawn.map_bottom, (event, size.name)


def test_png_draws_hostile_text_as_plain_text(hostile: tuple[Sources, MapState]) -> None:
    loaded, state = hostile
    drawn = render(state, loaded, SLIDE)
    texts = [t.get_text() for ax in drawn.figure.axes for t in ax.texts]
    assert any(FORMULA in t and "<script>" in t for t in texts)  # the event title, as typed
    assert any(f"see sources: {HOSTILE_FRONT} {FORMULA}" in t.replace("\n", " ") for t in texts)  # the front line
    assert _image(drawn.png()).size == (1920, 1080)  # mathtext would have raised on the formula


def test_html_loads_nothing_from_outside(alaska: MapState, sources: Sources) -> None:
    page = export_html(alaska, sources)
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.IGNORECASE)
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", page)
    assert urls and all(u.startswith(("data:", "#")) for u in urls), urls
    assert "L.map(" in page and "L.geoJson(" in page  # Leaflet's code is in the page


def _layers_in_page(page: str) -> list[dict]:
    """The state's GeoJSON collections handed to Leaflet, in page order.

    folium writes each as ``geo_json_<id>_add({...})``; the layers' features all
    carry a tooltip, which tells them from the base map's outlines. A line along
    the 1991 border is one feature (``var feature = {...}``) whose geometry the
    page takes from the outlines it holds once (mapview._SharedBorderLine).
    """
    decoder = json.JSONDecoder()
    marks = [(m.end(), False) for m in re.finditer(r"geo_json_\w+_add\(", page)]
    marks += [(m.end(), True) for m in re.finditer(r"var feature = ", page)]
    found = []
    for end, single in sorted(marks):
        value = decoder.raw_decode(page, end)[0]
        found.append({"type": "FeatureCollection", "features": [value]} if single else value)
    return [c for c in found if all("tooltip" in f["properties"] for f in c["features"])]


def test_html_holds_every_drawn_feature_and_the_caption(alaska: MapState, sources: Sources) -> None:
    page = export_html(alaska, sources)
    # The base map's oblasts, inline (their labels are escaped, like every name).
    assert all(f'"label": {json.dumps(esc(name))}' in page for name in sources.oblasts["name_en"])
    drawn = [f["properties"] for c in _layers_in_page(page) for f in c["features"]]
    # The screen's order: regions, land beyond the front line, party lines, the front line on top.
    expected = [f["properties"] for f in alaska.regions["features"]]
    expected += [f["properties"] for layer in alaska.layers if layer.extra is not None for f in layer.extra["features"]]
    expected += [f["properties"] for layer in alaska.layers if layer.line is not None for f in layer.line["features"]]
    expected += [f["properties"] for f in alaska.front["features"]]
    assert {p.get("kind") for p in drawn} >= {"extra", "front_land", "front_river"}
    assert drawn == json.loads(json.dumps(expected))  # same styles, same (escaped) tooltips, same order
    assert "15 Aug 2025 · Trump–Putin summit in Alaska" in page
    assert "Front line of 15 Aug 2025: approximate" in page  # the source line
    assert "Borders: Natural Earth" in page
    assert 'class="pm-legend"' in page
    assert "<b>Front line of 15 Aug 2025</b> (approximate" in page  # the screen's legend, with the line
    assert "Russia: land asked for beyond the front line" in page


def test_html_keeps_hostile_text_inert(hostile: tuple[Sources, MapState]) -> None:
    loaded, state = hostile
    page = export_html(state, loaded)
    for raw in (HOSTILE, "<script>alert", "<i onmouseover", "<b onmouseover"):
        assert raw not in page, raw
    tooltip = _layers_in_page(page)[0]["features"][0]["properties"]["tooltip"]  # the regions come first
    assert esc(HOSTILE) in tooltip  # the quote, as text (Leaflet sets the tooltip as HTML)
    # "{{7*7}}" as typed: not run by the template engine folium passes each layer's script through.
    assert f"{HOSTILE}</script><script>alert(2)</script> {TEMPLATE} costs" in html.unescape(tooltip)
    # The event title in the header: escaped, and its "{{7*7}}" not evaluated by a template engine.
    assert esc(rf"<script>alert(3)</script> Kremlin {TEMPLATE} demand {FORMULA}") in page
    # The front line's title and sources, from the data files: escaped in its tooltip and in the source line.
    front = [html.unescape(f["properties"]["tooltip"]) for c in _layers_in_page(page) for f in c["features"]]
    assert any(f"Line {HOSTILE_FRONT} {TEMPLATE}." in tip for tip in front)
    assert esc(f"see sources: {HOSTILE_FRONT} {FORMULA}; {TEMPLATE}.") in page
    assert HOSTILE_FRONT not in page


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


def test_cli_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in export.FORMATS:
        out = tmp_path / f"out.{fmt}"
        status = export.main(
            ["--event", "alaska-summit", "--parties", "russia,ukraine", "--format", fmt, "--out", str(out)]
        )
        assert status == 0, capsys.readouterr().err
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "out.geojson").read_text())["metadata"]["parties_shown"] == ["russia", "ukraine"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "moon-landing"], "unknown event 'moon-landing'. Events: crimea-annexation"),
        (["--event", "alaska-summit", "--parties", "russia,mars"], "unknown party mars. Parties: russia, ukraine"),
        (["--event", "alaska-summit", "--parties", ","], "--parties names no party"),
        (["--event", "alaska-summit", "--parties", "russia", "--shade", "ukraine"], "--shade ukraine is not among"),
    ],
)
def test_cli_names_the_unknown_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "out.png"
    assert export.main([*args, "--format", "png", "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_rejects_an_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        export.main(["--event", "alaska-summit", "--format", "pdf", "--out", str(tmp_path / "x")])
    assert exit_info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_cli_reports_data_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = mini_root(tmp_path)
    set_cell(root / "data" / "claims.csv", 0, "quote", "words nobody said")
    monkeypatch.setenv(ROOT_ENV, str(root))
    assert export.main(["--event", "m1", "--format", "csv", "--out", str(tmp_path / "x.csv")]) == 1
    assert "claims.csv, row 2, field 'quote'" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    out = tmp_path / "positions.csv"
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.export", "--event", "putin-conditions-2024", "--format", "csv", "--out", out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stdout
    assert next(csv.DictReader(out.open(encoding="utf-8")))["as_of_event"] == "putin-conditions-2024"


def test_presentation_mode_html_keeps_the_larger_labels_and_strokes(alaska: MapState, sources: Sources) -> None:
    plain, _, _ = export.export_bundle(alaska, sources, "html")
    present, _, _ = export.export_bundle(alaska, sources, "html", present=True)
    assert PRESENT_MAP_CSS.strip() in present.decode("utf-8")
    assert PRESENT_MAP_CSS.strip() not in plain.decode("utf-8")


def test_a_comparison_is_refused_with_a_reason(sources: Sources) -> None:
    state, _ = build_compare_state(sources, Side("russia", "alaska-summit"), Side("ukraine", "alaska-summit"))
    with pytest.raises(ValueError, match="not a comparison"):
        export.export_bundle(state, sources, "png")


# Comparisons: every export shows what the screen shows, kinds of difference and both sides.

COMPARISONS = {
    "parties": ("russia", "alaska-summit", "ukraine"),  # Russia and Ukraine at the Alaska summit
    "dates": ("russia", "alaska-summit", "putin-conditions-2024"),  # Russia in June 2024 and at Alaska
}


@pytest.fixture(scope="module", params=sorted(COMPARISONS))
def compared(request: pytest.FixtureRequest, sources: Sources) -> tuple[MapState, Comparison]:
    """A comparison as the app draws it, and what its exports are given about it."""
    a, b = compare_sides(request.param, *COMPARISONS[request.param])
    state, table = build_compare_state(sources, a, b)
    return state, Comparison(a, b, table)


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_comparison_file_names_say_what_is_compared(sources: Sources) -> None:
    for kind, expected in (
        ("parties", "2025-08-15_alaska-summit_compare_russia-vs-ukraine_"),
        ("dates", "2025-08-15_alaska-summit_compare_russia_putin-conditions-2024-vs-alaska-summit_"),
    ):
        a, b = compare_sides(kind, *COMPARISONS[kind])
        state, table = build_compare_state(sources, a, b)
        comparison = Comparison(a, b, table)
        assert export.export_filename(state, sources, "png", comparison) == expected + "map.png"
        assert export.export_filename(state, sources, "csv", comparison) == expected + "table.csv"
        args = export.download_args(state, sources, "csv", compare=comparison)
        assert (args["label"], args["file_name"]) == ("Comparison table (CSV)", expected + "table.csv")
        assert args["data"]().startswith(b"region,region_name,side_a,")  # made when the button is pressed


def test_comparison_csv_rows_match_the_compare_table(compared: tuple[MapState, Comparison], sources: Sources) -> None:
    state, comparison = compared
    labels = comparison.labels(sources)
    data, _, mime = export.export_bundle(state, sources, "csv", compare=comparison)
    rows = _csv_rows(data)
    assert mime == "text/csv"
    table = comparison.table
    assert [r["region"] for r in rows] == list(table["region"])  # the screen's order, by name
    kinds = {f["properties"]["code"]: f["properties"]["stance"] for f in state.regions["features"]}
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
    state, table = build_compare_state(sources, a, b)
    donetsk = next(
        r for r in _csv_rows(positions_csv(state, sources, Comparison(a, b, table))) if r["region"] == DONETSK
    )
    # Each side measured against the front line of its own date: June 2024 asked for more of Donetsk than Alaska.
    assert float(donetsk["beyond_front_km2_a"]) > float(donetsk["beyond_front_km2_b"]) > 1000
    assert donetsk["change"] == "same"


def test_comparison_geojson_has_both_sides_and_the_kinds_of_change(
    compared: tuple[MapState, Comparison], sources: Sources
) -> None:
    state, comparison = compared
    labels = comparison.labels(sources)
    data, name, _ = export.export_bundle(state, sources, "geojson", compare=comparison)
    assert "_compare_" in name and name.endswith("_layers.geojson")
    collection = json.loads(data)
    regions = [f for f in collection["features"] if f["properties"]["layer"] == "region"]
    assert [f["properties"]["region"] for f in regions] == [f["properties"]["code"] for f in state.regions["features"]]
    for exported, drawn in zip(regions, state.regions["features"], strict=True):
        props, kind = exported["properties"], drawn["properties"]["stance"]
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
    state, table = build_compare_state(sources, a, b)
    collection = layers_geojson(state, sources, Comparison(a, b, table))
    lines = {f["properties"]["side"]: f["properties"] for f in collection["features"] if "side" in f["properties"]}
    assert lines["a"]["party"] == lines["b"]["party"] == "russia"
    assert lines["a"]["stroke-dasharray"] == EARLIER_DASH != lines["b"]["stroke-dasharray"]
    assert lines["a"]["front_line_date"] < lines["b"]["front_line_date"]  # each completed with its own front line


def test_comparison_caption_names_both_sides_and_counts_the_differences(
    compared: tuple[MapState, Comparison], sources: Sources
) -> None:
    state, comparison = compared
    labels = comparison.labels(sources)
    words = caption(state, sources, comparison)
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
    state, table = build_compare_state(sources, a, b)
    words = caption(state, sources, Comparison(a, b, table))
    assert words.title == "Russia–Ukraine peace proposals compared: Russia, 14 Jun 2024 and Russia, 15 Aug 2025"
    assert "(against Putin's conditions for talks, 14 Jun 2024)" in words.headline
    assert (
        "Date: 14 Jun 2024, public record" in words.source_line and "; 15 Aug 2025, public record" in words.source_line
    )


def test_comparison_png_has_the_comparisons_legend_and_colours(
    compared: tuple[MapState, Comparison], sources: Sources
) -> None:
    state, comparison = compared
    labels = comparison.labels(sources)
    drawn = render(state, sources, SLIDE, comparison)
    assert _image(drawn.png()).size == (1920, 1080)
    assert drawn.legend_bottom < drawn.map_bottom
    texts = [t.get_text().replace("\n", " ") for ax in drawn.figure.axes for t in ax.texts]
    assert caption(state, sources, comparison).title in texts
    assert "Regions by difference" in texts
    assert [text for _, _, text in change_legend(labels)] == [
        t for t in texts if t in {text for _, _, text in change_legend(labels)}
    ]  # every kind of difference, in the screen's order
    assert labels["a"] in texts and labels["b"] in texts  # both lines
    assert not any("shaded by" in t for t in texts)
    # Inside each region, the colour of its kind of difference, as the screen paints it.
    assert len(_check_fills(state, sources, SLIDE)) >= len(state.regions["features"]) - 1


def test_comparison_print_png_is_a4(compared: tuple[MapState, Comparison], sources: Sources) -> None:
    state, comparison = compared
    data, name, _ = export.export_bundle(state, sources, "png-print", compare=comparison)
    assert Image.open(io.BytesIO(data)).size == (3508, 2480)
    assert name.endswith("_map_print.png") and "_compare_" in name


def test_comparison_html_has_the_change_legend_and_both_sides(
    compared: tuple[MapState, Comparison], sources: Sources
) -> None:
    state, comparison = compared
    labels = comparison.labels(sources)
    page = export_html(state, sources, compare=comparison)
    lines = [(layer.name, layer.line_style) for layer in state.layers]
    assert compare_legend_html(change_legend(labels), lines) in page  # the screen's legend, as it is
    assert f"<h1>{esc(caption(state, sources, comparison).title)}</h1>" in page
    assert "Regions shaded by" not in page
    drawn = [f["properties"] for c in _layers_in_page(page) for f in c["features"]]
    expected = [f["properties"] for f in state.regions["features"]]
    expected += [f["properties"] for layer in state.layers if layer.line is not None for f in layer.line["features"]]
    assert drawn == json.loads(json.dumps(expected))  # regions by kind of difference, then both lines


def test_comparison_html_keeps_article_text_inert(hostile: tuple[Sources, MapState]) -> None:
    loaded, _ = hostile
    a, b = compare_sides("dates", "russia", "h2", "h1")  # Russia at the hostile event h1, and a day later
    state, table = build_compare_state(loaded, a, b)
    page = export_html(state, loaded, compare=Comparison(a, b, table))
    for raw in (HOSTILE, "<script>alert", "<i onmouseover"):
        assert raw not in page, raw
    tooltip = html.unescape(_layers_in_page(page)[0]["features"][0]["properties"]["tooltip"])
    assert f"{HOSTILE}</script><script>alert(2)</script> {TEMPLATE} costs" in tooltip  # as typed, not run
    # h1's title names side A's date in the headline: escaped, its "{{7*7}}" not evaluated.
    assert esc(rf"<script>alert(3)</script> Kremlin {TEMPLATE} demand {FORMULA}") in page
    rows = _csv_rows(positions_csv(state, loaded, Comparison(a, b, table)))
    assert [(r["region"], r["change"]) for r in rows] == [(DONETSK, "same")]
    claims = layers_geojson(state, loaded, Comparison(a, b, table))["features"][0]["properties"]["claims"]
    assert claims[0]["quote"].startswith(HOSTILE)  # literal text in the data files, not escaped twice


def test_a_comparison_needs_its_own_state(alaska: MapState, sources: Sources) -> None:
    a, b = compare_sides("parties", *COMPARISONS["parties"])
    _, table = build_compare_state(sources, a, b)
    with pytest.raises(ValueError, match="build_compare_state"):
        export.export_bundle(alaska, sources, "csv", compare=Comparison(a, b, table))


@pytest.mark.parametrize("kind", sorted(COMPARISONS))
def test_cli_exports_a_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sources: Sources, kind: str
) -> None:
    party, event, versus = COMPARISONS[kind]
    base = ["--event", event, "--shade", party, "--compare", kind, "--versus", versus]
    out = tmp_path / "compare.csv"
    assert export.main([*base, "--format", "csv", "--out", str(out)]) == 0, capsys.readouterr().err
    a, b = compare_sides(kind, party, event, versus)
    state, table = build_compare_state(sources, a, b)
    assert out.read_bytes() == positions_csv(state, sources, Comparison(a, b, table))
    geojson = tmp_path / "compare.geojson"
    assert export.main([*base, "--format", "geojson", "--out", str(geojson)]) == 0
    assert json.loads(geojson.read_text())["metadata"]["comparison"]["a"]["event"] == a.event


def test_cli_compares_the_first_party_shown_by_default(tmp_path: Path) -> None:
    out = tmp_path / "compare.geojson"
    args = ["--event", "alaska-summit", "--parties", "ukraine,united_states", "--compare", "parties"]
    assert export.main([*args, "--versus", "russia", "--format", "geojson", "--out", str(out)]) == 0
    sides = json.loads(out.read_text())["metadata"]["comparison"]
    assert (sides["a"]["party"], sides["b"]["party"]) == ("ukraine", "russia")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--versus", "ukraine"], "--versus needs --compare parties or --compare dates"),
        (["--compare", "parties"], "--compare parties needs --versus, another party: ukraine, united_states"),
        (["--compare", "dates"], "--compare dates needs --versus, another event: crimea-annexation"),
        (["--compare", "parties", "--versus", "mars"], "unknown party 'mars' in --versus. Parties: russia, ukraine"),
        (["--compare", "dates", "--versus", "moon"], "unknown event 'moon' in --versus. Events: crimea-annexation"),
        (["--compare", "parties", "--versus", "russia"], "--versus russia is the party compared"),
        (["--compare", "dates", "--versus", "alaska-summit"], "--versus alaska-summit is --event itself"),
        (["--compare", "years", "--versus", "x"], "argument --compare: invalid choice: 'years'"),
    ],
)
def test_cli_names_a_bad_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "out.csv"
    base = ["--event", "alaska-summit", "--shade", "russia", "--format", "csv", "--out", str(out)]
    try:
        status = export.main([*base, *args])
    except SystemExit as exit_info:  # argparse's own check of the choices
        status = exit_info.code
    assert status == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
