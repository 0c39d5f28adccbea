"""PNG exports (dashboard/export/png.py): slides and print, drawn as the screen draws the map.

The PNG is checked pixel by pixel against the map state: inside every shaded
region the image has the region's fill colour at its opacity over the land
colour, as Leaflet paints it on screen; the land a party asks for beyond the
front line carries the party's colour and hatch over that, and the front line
runs dark over everything, dotted where it follows the Dnipro.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
import shapely
from export_cases import ALL, DONETSK, FORMULA, HOSTILE_FRONT
from PIL import Image
from shapely.geometry import shape

from dashboard import export
from dashboard.compare import Comparison, change_legend
from dashboard.export.data import caption, layers_geojson, short_sources
from dashboard.export.png import PATTERN_CELL, PATTERN_MARKS, PRINT, SLIDE, Render, render
from dashboard.mapstate import MapState, build_map_state
from dashboard.render.mapview import LAND_UKRAINE
from dashboard.render.patterns import svg_pattern
from dashboard.sources import Sources

COLOUR_TOLERANCE = 3  # per channel, out of 255: rounding in Agg's alpha blending
WINDOW = 8  # px each side of a sampled point: wider than a pattern's cell at slide size
DARK = 70  # brightest channel of a front-line pixel: #1a1a1a at 0.9 over white is 49; party colours are far above


@pytest.fixture(scope="module")
def alaska_drawn(alaska: MapState, sources: Sources) -> tuple[Render, np.ndarray]:
    """The Alaska slide, drawn once for the tests that only look at it, and its pixels."""
    drawn = render(alaska, sources, SLIDE)
    return drawn, np.asarray(_image(drawn.png()), dtype=float)


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


def test_comparison_png_has_the_comparisons_legend_and_colours(compared: Comparison, sources: Sources) -> None:
    state = comparison = compared
    labels = comparison.labels(sources)
    drawn = render(comparison, sources, SLIDE)
    assert _image(drawn.png()).size == (1920, 1080)
    assert drawn.legend_bottom < drawn.map_bottom
    texts = [t.get_text().replace("\n", " ") for ax in drawn.figure.axes for t in ax.texts]
    assert caption(comparison, sources).title in texts
    assert "Regions by difference" in texts
    assert [text for _, _, text in change_legend(labels)] == [
        t for t in texts if t in {text for _, _, text in change_legend(labels)}
    ]  # every kind of difference, in the screen's order
    assert labels["a"] in texts and labels["b"] in texts  # both lines
    assert not any("shaded by" in t for t in texts)
    # Inside each region, the colour of its kind of difference, as the screen paints it.
    assert len(_check_fills(state, sources, SLIDE)) >= len(state.regions["features"]) - 1


def test_comparison_print_png_is_a4(compared: Comparison, sources: Sources) -> None:
    comparison = compared
    data, name, _ = export.export_bundle(comparison, sources, "png-print")
    assert Image.open(io.BytesIO(data)).size == (3508, 2480)
    assert name.endswith("_map_print.png") and "_compare_" in name
