"""The offline HTML export (dashboard/export/html.py): self-contained, every drawn feature, text inert."""

from __future__ import annotations

import html
import json
import re

from export_cases import DONETSK, FORMULA, HOSTILE, HOSTILE_FRONT, TEMPLATE, csv_rows

from dashboard import export
from dashboard.compare import Comparison, build_comparison, change_legend, compare_sides
from dashboard.export.data import caption, layers_geojson, positions_csv
from dashboard.export.html import export_html
from dashboard.mapstate import MapState
from dashboard.render.cards import compare_legend_html, esc
from dashboard.render.mapview import PRESENT_MAP_CSS
from dashboard.render.tooltips import tooltip_html
from dashboard.sources import Sources


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


def _as_drawn(features: list[dict]) -> list[dict]:
    """Features' properties as the map receives them: the tooltip's facts (``tip``) written as its HTML."""
    return [
        {("tooltip" if k == "tip" else k): (tooltip_html(v) if k == "tip" else v) for k, v in f["properties"].items()}
        for f in features
    ]


def test_html_holds_every_drawn_feature_and_the_caption(alaska: MapState, sources: Sources) -> None:
    page = export_html(alaska, sources)
    # The base map's oblasts, inline (their labels are escaped, like every name).
    assert all(f'"label": {json.dumps(esc(name))}' in page for name in sources.oblasts["name_en"])
    drawn = [f["properties"] for c in _layers_in_page(page) for f in c["features"]]
    # The screen's order: regions, land beyond the front line, party lines, the front line on top.
    expected = _as_drawn(alaska.regions["features"])
    expected += _as_drawn([f for layer in alaska.layers if layer.extra is not None for f in layer.extra["features"]])
    expected += _as_drawn([f for layer in alaska.layers if layer.line is not None for f in layer.line["features"]])
    expected += _as_drawn(alaska.front["features"])
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


def test_presentation_mode_html_keeps_the_larger_labels_and_strokes(alaska: MapState, sources: Sources) -> None:
    plain, _, _ = export.export_bundle(alaska, sources, "html")
    present, _, _ = export.export_bundle(alaska, sources, "html", present=True)
    assert PRESENT_MAP_CSS.strip() in present.decode("utf-8")
    assert PRESENT_MAP_CSS.strip() not in plain.decode("utf-8")


def test_comparison_html_has_the_change_legend_and_both_sides(compared: Comparison, sources: Sources) -> None:
    comparison = compared
    labels = comparison.labels(sources)
    page = export_html(comparison, sources)
    lines = [(layer.name, layer.line_style) for layer in comparison.layers]
    assert compare_legend_html(change_legend(labels), lines) in page  # the screen's legend, as it is
    assert f"<h1>{esc(caption(comparison, sources).title)}</h1>" in page
    assert "Regions shaded by" not in page
    drawn = [f["properties"] for c in _layers_in_page(page) for f in c["features"]]
    expected = _as_drawn(comparison.regions["features"])
    expected += _as_drawn([f for layer in comparison.layers if layer.line is not None for f in layer.line["features"]])
    assert drawn == json.loads(json.dumps(expected))  # regions by kind of difference, then both lines


def test_comparison_html_keeps_article_text_inert(hostile: tuple[Sources, MapState]) -> None:
    loaded, _ = hostile
    a, b = compare_sides("dates", "russia", "h2", "h1")  # Russia at the hostile event h1, and a day later
    state = build_comparison(loaded, a, b)
    page = export_html(state, loaded)
    for raw in (HOSTILE, "<script>alert", "<i onmouseover"):
        assert raw not in page, raw
    tooltip = html.unescape(_layers_in_page(page)[0]["features"][0]["properties"]["tooltip"])
    assert f"{HOSTILE}</script><script>alert(2)</script> {TEMPLATE} costs" in tooltip  # as typed, not run
    # h1's title names side A's date in the headline: escaped, its "{{7*7}}" not evaluated.
    assert esc(rf"<script>alert(3)</script> Kremlin {TEMPLATE} demand {FORMULA}") in page
    rows = csv_rows(positions_csv(state, loaded))
    assert [(r["region"], r["change"]) for r in rows] == [(DONETSK, "same")]
    claims = layers_geojson(state, loaded)["features"][0]["properties"]["claims"]
    assert claims[0]["quote"].startswith(HOSTILE)  # literal text in the data files, not escaped twice
