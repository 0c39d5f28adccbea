"""The folium map: a base map that never changes, and the layers for one state.

streamlit-folium replaces its iframe whenever the base map's script changes,
so everything that depends on the date or the visible parties goes into the
feature group passed as ``feature_group_to_add``; the base map stays the same
from run to run (see docs in README, "How the map stays steady").
"""

from __future__ import annotations

import json
import re
from textwrap import dedent

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard.compare import Comparison
from dashboard.geo_json import round_geometry
from dashboard.mapstate import MapState
from dashboard.render.cards import esc
from dashboard.render.patterns import map_fill, pattern_id, svg_pattern
from dashboard.render.tooltips import drawable
from dashboard.viewstate import MAX_BOUNDS, ZOOM_RANGE

# Relative to the component's iframe, so it also works under --server.baseUrlPath.
STATIC_ROOT = "../../app/static"
STATIC_URL = f"{STATIC_ROOT}/leaflet"
LEAFLET_JS = [("leaflet", f"{STATIC_URL}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet.css")]
UKRAINE_BOUNDS = [[44.2, 22.0], [52.5, 40.3]]  # south-west, north-east corners (lat, lon)
LABEL_BOX, LABEL_ANCHOR = (160, 20), (80, 10)  # px: wide enough for "Dnipropetrovsk", centred on the point
LABEL_MIN_KM2 = 5_000  # smaller units (Kyiv city, Sevastopol) would crowd their neighbours' labels
SEA = "#dce8f0"
LAND_OUTSIDE = "#ebe8e1"
LAND_UKRAINE = "#fbfaf6"
NEIGHBOUR_EDGE, OBLAST_EDGE, EDGE_WEIGHT = "#b5afa3", "#8d8d8d", 1  # the base map's outlines, in px
LABEL_COLOUR, LABEL_PX = "#3b3b3b", 13  # place names (.pm-label)
COUNTRY_COLOUR, COUNTRY_PX = "#8a857b", 14  # neighbouring countries' names (.pm-country)
HALO_PX = 3  # the names' white text-shadow

MAP_CSS = f"""
<style>
.leaflet-container {{ background: {SEA}; font-family: system-ui, sans-serif; }}
.pm-label {{ color: {LABEL_COLOUR}; font-size: {LABEL_PX}px; font-weight: 600; text-align: center; white-space: nowrap;
  text-shadow: 0 0 {HALO_PX}px #fff, 0 0 {HALO_PX}px #fff, 0 0 {HALO_PX}px #fff; pointer-events: none; }}
.pm-country {{ color: {COUNTRY_COLOUR}; font-size: {COUNTRY_PX}px; font-style: italic; letter-spacing: .05em; }}
.leaflet-tooltip {{ min-width: 340px; max-width: 460px; white-space: normal; font-size: 14px; line-height: 1.35; }}
.pm-head {{ font-weight: 700; font-size: 15px; }}
.pm-stance {{ font-weight: 600; margin: 2px 0 4px; }}
.pm-quote {{ margin: 4px 0; padding-left: 8px; border-left: 3px solid #999; font-style: italic; }}
.pm-cite, .pm-note, .pm-also {{ font-size: 12.5px; color: #444; }}
.pm-note {{ color: #6b4e00; }}
.pm-sourcing {{ font-size: 13px; font-weight: 600; color: #7a3d00; margin: 0 0 4px; }}
.pm-also ul {{ margin: 2px 0 0 16px; padding: 0; }}
</style>
"""


PRESENT_MAP_CSS = """
<style>
.pm-label { font-size: 17px; }
.pm-country { font-size: 18px; }
.leaflet-tooltip { font-size: 18px; max-width: 560px; }
</style>
"""
PRESENT_STROKE = 1.5  # line widths on a shared screen, relative to the desk


NEIGHBOUR_STYLE = {"fillColor": LAND_OUTSIDE, "fillOpacity": 1, "color": NEIGHBOUR_EDGE, "weight": EDGE_WEIGHT}
OBLAST_STYLE = {"fillColor": LAND_UKRAINE, "fillOpacity": 1, "color": OBLAST_EDGE, "weight": EDGE_WEIGHT}
BASE_PANE, BASE_PANE_Z = "pm-base", 350  # under Leaflet's overlay pane (400): layers added later stay on top
BORDER_1991 = "border_1991"  # a line kind (layers.py), and its key in the base outlines
FEATURE_GROUP_ID = "feature_group_0"  # the name streamlit-folium gives the first feature_group_to_add
_TEMPLATE_OPENING = re.compile(r"\{(?=[{%#])")  # a "{" that starts a Jinja delimiter ("{{", "{%", "{#")


def inert_json(value: object) -> str:
    """``value`` as a JS literal that no template pass and no HTML parser can read as anything but data.

    folium compiles each element's script as a Jinja template, and renders a
    page's parts a second time (``Figure.render``, streamlit-folium's
    ``get_root().render()``): a "{{ ... }}" in a value would run as template
    code. Outside strings JSON never holds "{{", "{%" or "{#" (an object key is
    a string), so breaking these pairs with the JSON escape for "{" changes no
    value; "</" is broken too, so no value can close the <script>.
    """
    return _TEMPLATE_OPENING.sub(r"\\u007b", json.dumps(value).replace("</", "<\\/"))


def base_geometry(oblasts: gpd.GeoDataFrame, neighbours: gpd.GeoDataFrame) -> dict:
    """The outlines the base map draws, as compact GeoJSON; oblast labels are escaped here."""
    return {
        "neighbours": _collection(neighbours.geometry, [{} for _ in range(len(neighbours))]),
        "oblasts": _collection(oblasts.geometry, [{"label": esc(name)} for name in oblasts["name_en"]]),
        # The line a position that keeps all of Ukraine draws (layers.proposed_line): sent once with the
        # outlines, so a step does not carry the whole border again for each such party (~20 KiB each).
        BORDER_1991: round_geometry(oblasts.union_all().boundary),
    }


def _collection(geometries: gpd.GeoSeries, properties: list[dict]) -> dict:
    features = [
        {"type": "Feature", "geometry": round_geometry(g), "properties": props}
        for g, props in zip(geometries, properties, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


class _BaseShapes(MacroElement):
    """Neighbouring countries and oblasts in their own pane, inline or fetched once from the app."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
            map.createPane("{{ this.pane }}").style.zIndex = {{ this.z }};
            function draw(data) {
                L.geoJson(data.neighbours, {pane: "{{ this.pane }}", interactive: false,
                    style: function () { return {{ this.neighbour_style }}; }}).addTo(map);
                L.geoJson(data.oblasts, {pane: "{{ this.pane }}",
                    style: function () { return {{ this.oblast_style }}; },
                    onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.label); }}).addTo(map);
            }
            // streamlit-folium's frontend appends a theme <style> to this frame on every rerun and never
            // removes one: keep only the newest, so a long briefing does not grow the page.
            new MutationObserver(function () {
                var themes = Array.prototype.filter.call(document.head.querySelectorAll("style"),
                    function (s) { return s.textContent.indexOf("--primary-color") >= 0; });
                themes.slice(0, -1).forEach(function (s) { s.remove(); });
            }).observe(document.head, {childList: true});
            // Layers that reuse the outlines (the 1991 border) draw from here: at once when loaded, else on arrival.
            window.pmBase = {% if this.url %}fetch({{ this.url }}).then(function (r) { return r.json(); })
                {% else %}Promise.resolve({{ this.data }}){% endif %};
            window.pmBase.then(function (data) { window.pmBaseData = data; draw(data); });
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, source: str | dict) -> None:
        super().__init__()
        self._name = "BaseShapes"
        self.pane, self.z = BASE_PANE, BASE_PANE_Z
        self.url = inert_json(source) if isinstance(source, str) else ""
        self.data = "" if isinstance(source, str) else inert_json(source)
        self.neighbour_style, self.oblast_style = json.dumps(NEIGHBOUR_STYLE), json.dumps(OBLAST_STYLE)


class _ForgetSentGroups(MacroElement):
    """Empty streamlit-folium's list of past feature groups.

    The component pushes every group it receives onto window.feature_group and
    never drops them, so a tab grows with each slider step. This script runs
    inside the new group's code, after the old group left the map and before
    the new one is pushed. Tied to streamlit-folium 0.27's internals: pinned.
    """

    _template = Template("{% macro script(this, kwargs) %}window.feature_group = [];{% endmacro %}")


class _SharedBorderLine(MacroElement):
    """A party's line along the 1991 border, drawn from the outlines the base map loaded once.

    Styled and with a tooltip as folium draws the other lines (GeoJsonTooltip's
    table, sticky). Drawn at once when the outlines are in (every step after
    the first), which keeps the drawing order; otherwise when they arrive.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (group) {
            var feature = {{ this.feature }};
            function draw(data) {
                feature.geometry = data.{{ this.key }};
                L.geoJson(feature, {
                    style: function () { return {{ this.style }}; },
                    onEachFeature: function (f, layer) {
                        layer.bindTooltip(function () {
                            var div = L.DomUtil.create("div");
                            div.innerHTML = "<table><tr><td>" + f.properties.tooltip + "</td></tr></table>";
                            return div;
                        }, {sticky: true, className: "foliumtooltip"});
                    }
                }).addTo(group);
            }
            if (window.pmBaseData) { draw(window.pmBaseData); } else if (window.pmBase) { window.pmBase.then(draw); }
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, feature: dict, style: dict) -> None:
        super().__init__()
        self._name = "SharedBorderLine"
        self.key = BORDER_1991
        # The tooltip is escaped HTML (render/tooltips.py); "</" is broken up so it cannot close the script.
        self.feature = inert_json({**feature, "geometry": None})
        self.style = json.dumps(style)


class ZoomableMap(folium.Map):
    """A folium map whose page lets readers zoom (WCAG 1.4.4): folium's header forbids it.

    folium writes ``<meta name="viewport" ... maximum-scale=1.0, user-scalable=no>``
    into the page's header; streamlit-folium copies that header into its frame.
    """

    def render(self, **kwargs: object) -> None:
        """Render as folium does, then drop the zoom limits from the viewport tag it added."""
        super().render(**kwargs)
        header = self.get_root().header
        mine = header._children.get(self.get_name())  # the Map's own header element (branca's naming)
        if mine is not None:
            text = _NO_ZOOM.sub(VIEWPORT, mine.render())
            header._children[self.get_name()] = Element(text)


VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
_NO_ZOOM = re.compile(r'<meta name="viewport"[^>]*>')


def offline(fmap: folium.Map) -> folium.Map:
    """Point the map's scripts and stylesheets at the app's own static files, not CDNs."""
    fmap.default_js = LEAFLET_JS
    fmap.default_css = LEAFLET_CSS
    return fmap


def base_map(
    oblasts: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    areas_km2: dict[str, float],
    *,
    present: bool = False,
    geometry_url: str | None = None,
) -> folium.Map:
    """The map that never changes: neighbours, oblast outlines and labels, offline assets.

    ``present`` enlarges labels and tooltips for screen-sharing; switching it
    replaces the map once, stepping through time never does. ``geometry_url``
    (see :func:`dashboard.app.served.publish_geometry`) makes the map fetch the outlines once
    instead of carrying them in its script, which Streamlit resends on every
    rerun; without it they are inline (standalone exports).
    """
    fmap = offline(
        ZoomableMap(
            location=[48.5, 31.3],
            zoom_start=6,
            tiles=None,
            # folium passes min_zoom/max_zoom to the tile layer; with no tiles they must be map options.
            minZoom=ZOOM_RANGE[0],
            maxZoom=ZOOM_RANGE[1],
            zoom_snap=0.25,
            control_scale=True,
            max_bounds=True,
            min_lat=MAX_BOUNDS[0][0],
            min_lon=MAX_BOUNDS[0][1],
            max_lat=MAX_BOUNDS[1][0],
            max_lon=MAX_BOUNDS[1][1],
            # Scrolling the page must scroll the page; zoom with the buttons or a double click.
            scrollWheelZoom=False,
        )
    )
    fmap.get_root().header.add_child(Element(MAP_CSS + (PRESENT_MAP_CSS if present else "")))
    fmap.add_child(_BaseShapes(geometry_url or base_geometry(oblasts, neighbours)))
    labels = [
        (row.geometry.representative_point(), row["name_en"], "pm-label")
        for code, row in oblasts.iterrows()
        if areas_km2[code] >= LABEL_MIN_KM2
    ]
    labels += [
        (row.geometry.representative_point(), row["name"], "pm-label pm-country")
        for _, row in neighbours.iterrows()
        if row.geometry.area > 4  # square degrees: only countries with room for a name
    ]
    fmap.add_child(_Labels(labels))
    fmap.fit_bounds(UKRAINE_BOUNDS)
    return fmap


class _Labels(MacroElement):
    """Place names as one script, not one folium Marker each.

    Each folium Marker compiles its own Jinja templates on every render: the
    38 labels cost ~60 ms per rerun that way, a single loop costs ~1 ms.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this.items }}.forEach(function (item) {
            L.marker([item[0], item[1]], {
                icon: L.divIcon({
                    html: item[2], className: "", iconSize: {{ this.size }}, iconAnchor: {{ this.anchor }}
                }),
                interactive: false, keyboard: false
            }).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}"""
    )

    def __init__(self, labels: list[tuple[object, str, str]]) -> None:
        super().__init__()
        self._name = "Labels"
        # Escaped for HTML first (Leaflet sets it as innerHTML), then encoded as a JS literal.
        rows = [[round(p.y, 4), round(p.x, 4), f'<div class="{css}">{esc(text)}</div>'] for p, text, css in labels]
        self.items = inert_json(rows)
        self.size, self.anchor = json.dumps(LABEL_BOX), json.dumps(LABEL_ANCHOR)


class _PatternDefs(MacroElement):
    """Put the SVG patterns the regions use into the map's SVG, once each.

    Leaflet draws every vector layer into one <svg>; a fill of url(#id) needs
    the <pattern> in that document. References resolve lazily, so adding the
    defs before or after the paths are drawn both work.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function addDefs(tries) {
            var svg = document.querySelector(".leaflet-overlay-pane svg");
            // The layers below are added to the map after this script: wait for their <svg>.
            if (!svg) { if (tries < 100) { setTimeout(function () { addDefs(tries + 1); }, 10); } return; }
            var defs = svg.querySelector("defs.pm-patterns");
            if (!defs) {
                defs = document.createElementNS("http://www.w3.org/2000/svg", "defs");
                defs.setAttribute("class", "pm-patterns");
                svg.insertBefore(defs, svg.firstChild);
            }
            {{ this.patterns }}.forEach(function (p) {
                if (!defs.querySelector("#" + p[0])) { defs.insertAdjacentHTML("beforeend", p[1]); }
            });
        })(0);
        {% endmacro %}"""
    )

    def __init__(self, features: list[dict]) -> None:
        super().__init__()
        self._name = "PatternDefs"
        used = {
            (f["properties"]["style"]["pattern"], f["properties"]["style"]["fillColor"])
            for f in features
            if f["properties"]["style"].get("pattern")
        }
        pairs = [[pattern_id(p, c), svg_pattern(p, c)] for p, c in sorted(used)]
        self.patterns = inert_json(pairs)


def _scaled(style: dict, scale: float) -> dict:
    return {**style, "weight": style["weight"] * scale} if scale != 1 and "weight" in style else style


def layers_group(view: MapState | Comparison, *, present: bool = False) -> folium.FeatureGroup:
    """The regions the visible parties spoke about, the land beyond the front line, each visible party's
    proposed line and the front line, as :func:`dashboard.render.tooltips.drawable` gives them.

    ``present`` widens every stroke for screen-sharing.
    """
    scale = PRESENT_STROKE if present else 1.0
    drawn = drawable(view)
    group = folium.FeatureGroup(name="Proposals")
    group.add_child(_ForgetSentGroups())
    patterned = drawn.regions["features"] + [f for _, extra in drawn.extras for f in extra["features"]]
    if patterned:
        group.add_child(_PatternDefs(patterned))
    if drawn.regions["features"]:
        folium.GeoJson(
            _fresh(drawn.regions),
            name="Regions",
            style_function=lambda f: _scaled(map_fill(f["properties"]["style"]), scale),
            highlight_function=lambda _: {"weight": 5, "fillOpacity": 0.8},
            tooltip=_tooltip(),
        ).add_to(group)
    for name, extra in drawn.extras:
        folium.GeoJson(
            _fresh(extra),
            name=esc(f"{name} beyond the front line"),
            style_function=lambda f: map_fill(f["properties"]["style"]),
            tooltip=_tooltip(),
        ).add_to(group)
    for name, line in drawn.lines:
        shared = [f for f in line["features"] if f["properties"].get("kind") == BORDER_1991]
        for feature in shared:
            group.add_child(_SharedBorderLine(feature, _scaled(feature["properties"]["style"], scale)))
        own = [f for f in line["features"] if f not in shared]
        if own:
            folium.GeoJson(
                _fresh({**line, "features": own}),
                name=esc(f"{name} line"),
                style_function=lambda f: _scaled(f["properties"]["style"], scale),
                tooltip=_tooltip(),
            ).add_to(group)
    if drawn.front is not None:
        folium.GeoJson(
            _fresh(drawn.front),
            name="Front line",
            style_function=lambda f: _scaled(f["properties"]["style"], scale),
            tooltip=_tooltip(),
        ).add_to(group)
    return group


class PrerenderedGroup(folium.FeatureGroup):
    """A feature group whose script was rendered once: streamlit-folium sends it as is.

    Turning a layer with hundreds of polygons into script costs 15-50 ms; the
    states are cached, so their script can be too, and a rerun that shows a
    state again skips the rendering. Holds no children, so streamlit-folium's
    renaming pass finds nothing left to rename.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script }}{% endmacro %}")

    def __init__(self, script: str) -> None:
        # show=False: the script already adds the group to the map; folium would add it a second time.
        super().__init__(name="Proposals", show=False)
        self.script = script


def layer_script(state: MapState | Comparison, *, present: bool = False) -> str:
    """The script streamlit-folium makes of :func:`layers_group` for this state, without its closing lines.

    Rendered exactly as ``st_folium`` renders a ``feature_group_to_add`` (same
    element names, the map called ``map_div``), on a scratch map: the result
    can be cached and sent again through :class:`PrerenderedGroup`.
    """
    # Imported here, not at the top: streamlit-folium declares its component on import, and one declared
    # before Streamlit's server exists (dashboard.app.serve preloads this module) is never served.
    from streamlit_folium import generate_leaflet_string, get_full_id

    group = layers_group(state, present=present)
    scratch = folium.Map(location=[0, 0], zoom_start=1, tiles=None)
    group._id = FEATURE_GROUP_ID
    group.add_to(scratch)
    group.render()
    script = generate_leaflet_string(group, base_id=FEATURE_GROUP_ID)
    return dedent(script.replace(get_full_id(scratch), "map_div"))


def _fresh(collection: dict) -> dict:
    """A copy of a FeatureCollection's features for folium, which adds an "id" to each feature it is given.

    The states are cached and shared between sessions: folium must not write into them. Every brace in
    a property is written as an HTML character reference (:func:`inert_text`): folium passes a layer's
    script through Jinja, and the export renders it a second time.
    """
    return {
        **collection,
        "features": [
            {**feature, "properties": inert_text(feature.get("properties") or {})} for feature in collection["features"]
        ],
    }


def inert_text(value: object) -> object:
    """``value`` with "{" and "}" in every string (in nested dicts and lists too) as HTML character references.

    The values that reach folium are either HTML (tooltips, which show the
    reference as the brace) or validated ids and colours, which hold no brace:
    no template delimiter reaches folium, whatever the data says.
    """
    if isinstance(value, str):
        return value.replace("{", "&#123;").replace("}", "&#125;")
    if isinstance(value, dict):
        return {key: inert_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [inert_text(item) for item in value]
    return value


def _tooltip() -> folium.GeoJsonTooltip:
    # The "tooltip" property is HTML built from escaped parts (render/tooltips.py); folium inserts it as is.
    return folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True)
