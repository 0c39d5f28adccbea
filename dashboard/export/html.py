"""The map as one standalone HTML file that works offline: open it, send it, put it on a server.

It is the dashboard's own folium map (``mapview.base_map`` plus the state's
``layers_group``, so tooltips, styles and place names are the same), with
Leaflet's script and stylesheet copied into the page instead of linked, its
images as data: URIs, and a title, caption, legend and source line around the
map. It draws what the screen draws, in the same order: shaded regions, the
land each party asks for beyond the front line, proposed lines, the front
line. The page asks nothing from any server. A comparison exports as the
screen shows it: regions by kind of difference, both sides' lines, and the
comparison's legend.

Every string from the data is escaped: the features' tooltips by
``render.tooltips`` (which ``layers_group`` draws from), the caption here,
the legend by ``cards``. No value meets a template: the page is rendered with
each element's template applied once (``render_once``), and braces in the
features are written as character references besides (``tooltips.tooltip_html``,
``mapview.inert_text``).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from branca.element import Element, Figure

from dashboard import paths
from dashboard.compare import Comparison, change_legend
from dashboard.export.data import Caption, caption
from dashboard.mapstate import MapState
from dashboard.render.cards import compare_legend_html, esc
from dashboard.render.legend import map_legend_html
from dashboard.render.mapview import base_map, layers_group
from dashboard.sources import Sources

LEAFLET_DIR = paths.LEAFLET_DIR
PANEL_WIDTH_PX = 360

PAGE_CSS = f"""
html, body {{ height: 100%; margin: 0; }}
body {{ display: grid; grid-template-columns: minmax(0, 1fr) {PANEL_WIDTH_PX}px;
  grid-template-rows: auto minmax(0, 1fr) auto; grid-template-areas: "head head" "map side" "foot foot";
  font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; }}
.pmx-head {{ grid-area: head; padding: 12px 20px 8px; }}
.pmx-head h1 {{ margin: 0; font-size: 26px; }}
.pmx-head .pmx-when {{ margin: 2px 0; font-size: 19px; font-weight: 700; }}
.pmx-head p {{ margin: 0; font-size: 16px; }}
.folium-map {{ grid-area: map; width: auto !important; height: auto !important; min-height: 320px;
  margin-left: 20px; border: 1px solid #9a9a9a; }}
.pmx-side {{ grid-area: side; overflow-y: auto; padding: 0 20px 0 16px; }}
.pmx-foot {{ grid-area: foot; padding: 8px 20px 12px; font-size: 13px; color: #555; }}
.pm-legend ul {{ list-style: none; padding-left: 0; margin: 0 0 8px; }}
.pm-legend li {{ display: flex; gap: 8px; align-items: flex-start; margin: 4px 0; font-size: 14px; line-height: 1.3; }}
.pm-legend h4 {{ margin: 6px 0 4px; font-size: 16px; }}
.pm-swatch {{ flex: 0 0 22px; height: 16px; border: 1.5px solid #555; margin-top: 2px; }}
.pm-swatch-front {{ border-style: dashed; }}
.pm-swatch-indirect {{ display: inline-block; width: 22px; height: 14px; margin-right: 6px; vertical-align: -2px;
  border: 2px dotted #555; background: rgba(120, 120, 120, .18); }}
.pm-line {{ flex: 0 0 44px; height: 5px; margin-top: 8px; }}
.pm-small {{ font-size: 13px; color: #555; }}
@media (max-width: 800px) {{
  body {{ grid-template-columns: 1fr; grid-template-rows: auto 70vh auto auto;
    grid-template-areas: "head" "map" "side" "foot"; }}
  .folium-map {{ margin: 0 12px; }}
}}
"""


class Raw(Element):
    """Markup placed as it is. A plain branca Element compiles its text as a Jinja template,
    so a quote holding "{{ ... }}" would be evaluated: data never goes through one."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.markup = markup

    def render(self, **kwargs: object) -> str:
        """The markup, unchanged."""
        return self.markup


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined, so no rule can fetch a file."""
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    return re.sub(r"url\((images/[\w.-]+\.png)\)", lambda m: f"url({_data_uri(LEAFLET_DIR / m.group(1))})", css)


def leaflet_js() -> str:
    """Leaflet's script, safe to place inside a <script> element."""
    return (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")


def _header(words: Caption) -> str:
    return (
        f'<header class="pmx-head"><h1>{esc(words.title)}</h1>'
        f'<p class="pmx-when">{esc(words.headline)}</p><p>{esc(words.summary)}</p></header>'
    )


def _side(view: MapState | Comparison, sources: Sources) -> str:
    """The screen's legend: a comparison's kinds of difference and lines, or the stances and lines."""
    if isinstance(view, Comparison):
        changes = change_legend(view.labels(sources))
        legend = compare_legend_html(changes, [(layer.name, layer.line_style) for layer in view.layers])
        return f'<aside class="pmx-side">{legend}</aside>'
    legend = map_legend_html(view, sources)
    return f'<aside class="pmx-side">{legend}</aside>'


def _footer(words: Caption) -> str:
    return (
        f'<footer class="pmx-foot">{esc(words.source_line)}'
        "<noscript> This map needs JavaScript; the legend and sources above still apply.</noscript></footer>"
    )


def export_html(view: MapState | Comparison, sources: Sources, *, present: bool = False) -> str:
    """``view`` (a map state or a comparison) as a complete HTML page with Leaflet inlined: no request
    leaves the page. ``present`` keeps presentation mode's larger place names, tooltips and strokes."""
    fmap = base_map(sources.oblasts, sources.neighbours, sources.areas_km2.to_dict(), present=present)
    fmap.default_js, fmap.default_css = [], []  # inlined below instead of linked
    fmap.add_child(layers_group(view, present=present))
    root = fmap.get_root()
    words = caption(view, sources)
    root.header.add_child(Raw(f"<title>{esc(words.title)} · {esc(words.headline)}</title>"), name="pmx_title")
    # Right after the charset <meta> (which must stay in the first 1024 bytes), where the linked
    # files would be: the map's own styles come later and override Leaflet's.
    root.header.add_child(Raw(f"<script>{leaflet_js()}</script>"), name="pmx_leaflet_js", index=1)
    root.header.add_child(Raw(f"<style>{leaflet_css()}</style>"), name="pmx_leaflet_css", index=1)
    root.header.add_child(Raw(f"<style>{PAGE_CSS}</style>"), name="pmx_page_css")
    for name, markup in (
        ("pmx_head", _header(words)),
        ("pmx_side", _side(view, sources)),
        ("pmx_foot", _footer(words)),
    ):
        root.html.add_child(Raw(markup), name=name)
    return render_once(root).replace("<html>", '<html lang="en">', 1)


def render_once(root: Figure) -> str:
    """The page of a folium figure, each element's template rendered exactly once.

    branca's ``Figure.render`` renders each element's macro, places the text
    in a plain Element, which compiles it as a Jinja template, and renders it
    again: data in the text would be read as template code (a "{{ ... }}" in a
    stance id ran Python on the machine making the export). Here the texts are
    placed as they are, so nothing from the data meets a second pass.
    """
    for child in root._children.values():
        child.render()
    for part in (root.header, root.html, root.script):
        for key, child in list(part._children.items()):
            if type(child) is Element and child._template_str is not None and not child._children:
                part._children[key] = Raw(child._template_str)
    return root._template.render(this=root, kwargs={})
