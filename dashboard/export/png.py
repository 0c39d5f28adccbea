"""The map as a PNG for slides and print, drawn without a browser (matplotlib's Agg).

It draws the same features with the same styles and in the same order as the
on-screen map (``render.tooltips.drawable``, which ``mapview.layers_group``
draws too): shaded regions, the land each party asks for beyond the front
line, proposed lines, the front line on top; fill colour, opacity and pattern,
outline colour, width and dash all come from the state. The projection is the same Web Mercator, and it adds what a
slide needs around it: title, date and event, legend and source line. Line
widths and place names are scaled with the map: the PNG shows Ukraine larger
than the browser does at zoom 6, so strokes grow in proportion. A comparison
is drawn as the screen shows it: regions by kind of difference, both sides'
lines, and a title and legend that name both sides.

Text from the data is drawn as plain text (``parse_math=False``: a "$" in
a quote is a dollar sign, not the start of a formula).
"""

from __future__ import annotations

import functools
import io
import math
import threading
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.patheffects import withStroke
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from dashboard.compare import CHANGE_STYLES, Comparison, change_legend, change_style
from dashboard.export.data import Caption, caption
from dashboard.mapstate import FRONT_STYLE, MapState
from dashboard.render.cards import INDIRECT_LEGEND
from dashboard.render.mapview import (
    COUNTRY_COLOUR,
    COUNTRY_PX,
    EDGE_WEIGHT,
    HALO_PX,
    LABEL_COLOUR,
    LABEL_MIN_KM2,
    LABEL_PX,
    LAND_OUTSIDE,
    LAND_UKRAINE,
    NEIGHBOUR_EDGE,
    OBLAST_EDGE,
    SEA,
    UKRAINE_BOUNDS,
)
from dashboard.render.patterns import CELL as PATTERN_CELL
from dashboard.render.patterns import MARKS as PATTERN_MARKS
from dashboard.render.tooltips import drawable
from dashboard.sources import Sources

# The base map's colours, outlines and place names are the web map's own (render/mapview.py).
COUNTRY_MIN_DEG2 = 4  # mapview labels only countries with room for a name
LINE_OPACITY = 1.0  # Leaflet's default stroke opacity, when a style gives none
# The on-screen map opens at zoom 6 (fitBounds of UKRAINE_BOUNDS in the app's 660 px map):
# Leaflet's world is 256 * 2**zoom px wide, i.e. this many px per radian of Mercator x.
SCREEN_PX_PER_RADIAN = 256 * 2**6 / (2 * math.pi)

FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs on every machine
# Dash lengths are given in px like Leaflet's, not in multiples of the line width.
RC = {"lines.scale_dashes": False, "font.family": FONT}
# rc_context changes matplotlib's global settings, and Streamlit makes a download in a thread
# of its own: one render at a time (each takes well under a second).
_RENDERING = threading.RLock()
INK, MUTED = "#1a1a1a", "#555555"
SLIDE_HEIGHT = 1080  # px: text sizes below are for this height and scale with the image
# Drawing order on the map, bottom to top, as mapview.layers_group adds the layers.
Z_BASE, Z_REGIONS, Z_EXTRA, Z_LINES, Z_FRONT, Z_LABELS = 1, 2, 2.5, 3, 3.5, 4


@dataclass(frozen=True)
class Size:
    """An output size: pixels and the dpi written into the file."""

    name: str
    width: int
    height: int
    dpi: int


SLIDE = Size("slide", 1920, 1080, 96)
PRINT = Size("print", 3508, 2480, 300)  # A4 landscape at 300 dpi

# Layout at 1080 px high, in px (scaled by height / 1080 for other sizes).
MARGIN = 36
GAP = 24
PANEL_WIDTH = 500
TITLE_PX, HEADLINE_PX, SUMMARY_PX = 36, 27, 20
LEGEND_HEAD_PX, LEGEND_PX, LEGEND_SMALL_PX = 22, 19, 15.5
SOURCE_PX = 14.5
SWATCH = (44, 28)
WRAP_SLACK = 0.02  # share of a line left free: summed advances ignore kerning (they run ~1% wide)


def mercator(coords: np.ndarray) -> np.ndarray:
    """Longitude/latitude in degrees to Web Mercator x/y in radians (the map's projection)."""
    lon, lat = np.radians(coords[:, 0]), np.radians(np.clip(coords[:, 1], -85, 85))
    return np.column_stack([lon, np.log(np.tan(np.pi / 4 + lat / 2))])


def project(geometry: BaseGeometry) -> BaseGeometry:
    """A shapely geometry in Web Mercator radians."""
    return shapely.transform(geometry, mercator)


def polygon_path(geometry: BaseGeometry) -> Path:
    """A (multi)polygon as one matplotlib path, holes included (rings oriented for the nonzero rule)."""
    vertices, codes = [], []
    for polygon in shapely.get_parts(shapely.orient_polygons(geometry)):
        if polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            ring_codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return Path(np.zeros((0, 2)))
    return Path(np.concatenate(vertices), np.concatenate(codes))


def line_segments(geometry: BaseGeometry) -> list[np.ndarray]:
    """Every line of a (multi)line or collection, as coordinate arrays."""
    parts = shapely.get_parts(shapely.line_merge(geometry) if geometry.geom_type == "MultiLineString" else geometry)
    lines = []
    for part in parts:
        if part.geom_type in ("LineString", "LinearRing"):
            lines.append(np.asarray(part.coords))
        elif part.geom_type in ("MultiLineString", "GeometryCollection"):
            lines += line_segments(part)
    return lines


def dash_pattern(dash: str, px_to_pt: float) -> str | tuple[float, tuple[float, ...]]:
    """A Leaflet dashArray ("10 6", in px) as a matplotlib line style in points."""
    lengths = [float(n) for n in dash.replace(",", " ").split()] if dash and dash.strip() else []
    if not lengths:
        return "solid"
    if len(lengths) % 2:  # SVG repeats an odd list to make it even
        lengths *= 2
    return (0.0, tuple(n * px_to_pt for n in lengths))


@dataclass(frozen=True)
class _Scale:
    """Converts the screen's px to the image's points."""

    dpi: int
    map_factor: float  # image px per screen px on the map (strokes, place names)
    text_factor: float  # image px per px of the 1080-px layout (title, legend)

    def map_pt(self, screen_px: float) -> float:
        return screen_px * self.map_factor * 72 / self.dpi

    def text_pt(self, layout_px: float) -> float:
        return layout_px * self.text_factor * 72 / self.dpi

    def px(self, layout_px: float) -> float:
        return layout_px * self.text_factor


@dataclass(frozen=True)
class Render:
    """A drawn figure and its map axes (the tests find a place's pixel through ``pixel``)."""

    figure: Figure
    map_axes: Axes
    size: Size
    legend_bottom: float  # px from the top where the legend ends
    map_bottom: float  # px from the top where the map ends; the legend should stop above it

    def pixel(self, lon: float, lat: float) -> tuple[int, int]:
        """Column and row (from the top-left) of a point in the saved PNG."""
        x, y = mercator(np.array([[lon, lat]]))[0]
        col, row = self.map_axes.transData.transform((x, y))
        return int(col), int(self.size.height - row)

    def png(self) -> bytes:
        """The figure as PNG bytes, exactly ``size.width`` x ``size.height`` px."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.size.dpi)
        return buffer.getvalue()


def _text(ax: Axes, x: float, y: float, text: str, size_pt: float, **style: object) -> mpl.text.Text:
    return ax.text(x, y, text, fontsize=size_pt, family=FONT, parse_math=False, va="top", **style)


@functools.lru_cache(maxsize=4)
def _scratch(dpi: float) -> RendererAgg:
    return RendererAgg(1, 1, dpi)  # only measures text: no pixels to speak of


@functools.lru_cache(maxsize=4096)
def _advance(char: str, font_pt: float, weight: str, dpi: float) -> float:
    """Width in px of one character; measuring whole candidate lines costs ~1 ms each."""
    font = FontProperties(family=FONT, size=font_pt, weight=weight)
    return _scratch(dpi).get_text_width_height_descent(char, font, ismath=False)[0]


def text_width(text: str, font_pt: float, weight: str = "normal", dpi: float = 72) -> float:
    """Width in px of ``text`` at ``dpi`` (sum of advances: kerning is left out, hence WRAP_SLACK)."""
    return sum(_advance(char, font_pt, weight, dpi) for char in text)


def wrap(text: str, width_px: float, font_pt: float, dpi: float, weight: str = "normal") -> str:
    """``text`` broken into lines no wider than ``width_px``, measured in the font it is drawn in."""
    limit = width_px * (1 - WRAP_SLACK)
    space = text_width(" ", font_pt, weight, dpi)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            width = text_width(word, font_pt, weight, dpi)
            if line and used + space + width > limit:
                lines.append(line)
                line, used = word, width
            else:
                line, used = (f"{line} {word}", used + space + width) if line else (word, width)
        lines.append(line)
    return "\n".join(lines)


class _Column:
    """Stacks text and swatches downwards in a pixel-unit axes (y grows down), measuring each."""

    def __init__(self, ax: Axes, renderer: RendererAgg, scale: _Scale, x: float, y: float, width: float) -> None:
        self.ax, self.renderer, self.scale = ax, renderer, scale
        self.x, self.y, self.width = x, y, width

    def text(
        self, text: str, font_px: float, indent: float = 0, space: float = 6, weight: str = "normal", **style: object
    ) -> None:
        size_pt = self.scale.text_pt(font_px)
        wrapped = wrap(text, self.width - indent, size_pt, self.scale.dpi, weight)
        item = _text(self.ax, self.x + indent, self.y, wrapped, size_pt, weight=weight, **style)
        self.y += item.get_window_extent(self.renderer).height + self.scale.px(space)

    def gap(self, layout_px: float) -> None:
        self.y += self.scale.px(layout_px)


def _map_box(size: Size, scale: _Scale, top: float, bottom: float) -> tuple[float, float, float, float]:
    """Left, top, width, height of the map in image px."""
    left = scale.px(MARGIN)
    width = size.width - left - scale.px(GAP + PANEL_WIDTH + MARGIN)
    return left, top, width, bottom - top


def _fit(ax: Axes, box_px: tuple[float, float, float, float]) -> float:
    """Fit Ukraine's bounds into the axes (Leaflet's fitBounds); return image px per radian."""
    (south, west), (north, east) = UKRAINE_BOUNDS
    (x0, y0), (x1, y1) = mercator(np.array([[west, south], [east, north]]))
    width, height = box_px[2], box_px[3]
    per_radian = min(width / (x1 - x0), height / (y1 - y0))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - width / per_radian / 2, cx + width / per_radian / 2)
    ax.set_ylim(cy - height / per_radian / 2, cy + height / per_radian / 2)
    return per_radian


def pattern_mask(pattern: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Where the pattern's marks fall, for screen-px coordinates ``u`` (right) and ``v`` (down)."""
    marks, cell = PATTERN_MARKS[pattern], PATTERN_CELL
    along, across = (u + v) / math.sqrt(2), (v - u) / math.sqrt(2)  # the SVG pattern's axes, turned 45°
    if pattern == "hatch":
        return np.mod(along, cell) < marks["stripe"]
    if pattern == "cross":
        return (np.mod(along, cell) < marks["stripe"]) | (np.mod(across, cell) < marks["stripe"])
    return (np.mod(u, cell) - cell / 2) ** 2 + (np.mod(v, cell) - cell / 2) ** 2 < marks["radius"] ** 2


def _fill_image(ax: Axes, clip: PathPatch | Rectangle, style: dict, factor: float, height_px: int) -> None:
    """Fill ``clip`` with the style's pattern, pixel by pixel, as the browser paints it.

    Each pixel is the fill colour, or the colour darkened by the mark's opacity
    where a mark falls, and the whole fill is laid at the fill opacity: the
    same arithmetic as an SVG pattern under fill-opacity. ``factor`` is image
    px per screen px; the pattern is anchored on the image, so neighbouring
    regions' patterns join up as they do on screen.
    """
    pattern = style["pattern"]
    box = clip.get_path().get_extents(clip.get_patch_transform() + ax.transData)
    col0, col1 = math.floor(box.x0), math.ceil(box.x1)
    row0, row1 = height_px - math.ceil(box.y1), height_px - math.floor(box.y0)  # rows count down from the top
    u, v = np.meshgrid(np.arange(col0, col1) + 0.5, np.arange(row0, row1) + 0.5)
    mask = pattern_mask(pattern, u / factor, v / factor)
    colour = np.array(mpl.colors.to_rgb(style["fillColor"]))
    rgba = np.empty((*mask.shape, 4))
    rgba[..., :3] = np.where(mask[..., None], colour * (1 - PATTERN_MARKS[pattern]["opacity"]), colour)
    rgba[..., 3] = float(style["fillOpacity"])
    to_data = ax.transData.inverted()
    (x0, y0), (x1, y1) = to_data.transform([(col0, height_px - row1), (col1, height_px - row0)])
    image = ax.imshow(
        rgba, extent=(x0, x1, y0, y1), origin="upper", interpolation="nearest", aspect="auto", zorder=clip.zorder
    )
    image.set_clip_path(clip)


def _draw_base(ax: Axes, sources: Sources, scale: _Scale) -> None:
    for frame, fill, edge, weight in (
        (sources.neighbours, LAND_OUTSIDE, NEIGHBOUR_EDGE, EDGE_WEIGHT),
        (sources.oblasts, LAND_UKRAINE, OBLAST_EDGE, EDGE_WEIGHT),
    ):
        paths = [polygon_path(project(g)) for g in frame.geometry]
        ax.add_collection(
            PathCollection(
                paths,
                facecolors=fill,
                edgecolors=edge,
                linewidths=scale.map_pt(weight),
                joinstyle="round",
                zorder=Z_BASE,
            )
        )


def _draw_areas(ax: Axes, features: list[dict], scale: _Scale, height_px: int, zorder: float) -> None:
    """Each area with its own style, in the given order (as Leaflet adds them)."""
    for feature in features:
        style = feature["properties"]["style"]
        patterned = bool(style.get("pattern"))
        patch = PathPatch(
            polygon_path(project(shape(feature["geometry"]))),
            facecolor="none" if patterned else mpl.colors.to_rgba(style["fillColor"], float(style["fillOpacity"])),
            edgecolor=mpl.colors.to_rgba(style["color"], float(style.get("opacity", LINE_OPACITY))),
            linewidth=scale.map_pt(style["weight"]),
            linestyle=dash_pattern(style.get("dashArray", ""), scale.map_pt(1)),
            capstyle="round",
            joinstyle="round",
            zorder=zorder,
        )
        ax.add_patch(patch)
        if patterned:
            _fill_image(ax, patch, style, scale.map_factor, height_px)


def _draw_strokes(ax: Axes, features: list[dict], scale: _Scale, zorder: float) -> None:
    """Lines, each feature in its own colour, width and dash (Leaflet's round caps and joins)."""
    for feature in features:
        style = feature["properties"]["style"]
        ax.add_collection(
            LineCollection(
                [mercator(seg) for seg in line_segments(shape(feature["geometry"]))],
                colors=[mpl.colors.to_rgba(style["color"], float(style.get("opacity", LINE_OPACITY)))],
                linewidths=scale.map_pt(style["weight"]),
                linestyles=[dash_pattern(style.get("dashArray", ""), scale.map_pt(1))],
                capstyle="round",
                joinstyle="round",
                zorder=zorder,
            )
        )


def _draw_layers(ax: Axes, view: MapState | Comparison, scale: _Scale, height_px: int) -> None:
    """What the view adds to the base map, in the screen's order (``drawable``'s): later layers on top."""
    drawn = drawable(view)
    _draw_areas(ax, drawn.regions["features"], scale, height_px, Z_REGIONS)
    _draw_areas(ax, [f for _, extra in drawn.extras for f in extra["features"]], scale, height_px, Z_EXTRA)
    _draw_strokes(ax, [f for _, line in drawn.lines for f in line["features"]], scale, Z_LINES)
    if drawn.front is not None:
        _draw_strokes(ax, drawn.front["features"], scale, Z_FRONT)


def _draw_labels(ax: Axes, sources: Sources, scale: _Scale) -> None:
    """Place names where mapview puts them: big oblasts' names and the neighbouring countries'."""
    halo = [withStroke(linewidth=scale.map_pt(HALO_PX) * 2, foreground="white")]
    labels = [
        (row.geometry.representative_point(), row["name_en"], LABEL_COLOUR, LABEL_PX, "normal", "bold")
        for code, row in sources.oblasts.iterrows()
        if sources.areas_km2[code] >= LABEL_MIN_KM2
    ]
    labels += [
        (row.geometry.representative_point(), row["name"], COUNTRY_COLOUR, COUNTRY_PX, "italic", "normal")
        for _, row in sources.neighbours.iterrows()
        if row.geometry.area > COUNTRY_MIN_DEG2
    ]
    box = ax.get_window_extent()
    for point, name, colour, px, slant, weight in labels:
        x, y = mercator(np.array([[point.x, point.y]]))[0]
        col, row = ax.transData.transform((x, y))
        half_w = text_width(name, scale.map_pt(px), weight, scale.dpi) / 2
        half_h = scale.map_factor * px * 0.7
        # A name cut by the frame looks like a mistake on paper: only whole names are drawn.
        if not (box.x0 < col - half_w and col + half_w < box.x1 and box.y0 < row - half_h and row + half_h < box.y1):
            continue
        ax.text(
            x,
            y,
            name,
            fontsize=scale.map_pt(px),
            family=FONT,
            color=colour,
            style=slant,
            weight=weight,
            ha="center",
            va="center",
            parse_math=False,
            path_effects=halo,
            zorder=Z_LABELS,
            clip_on=True,
        )


def _sample_style(state: MapState, stance: str) -> dict:
    return next(f["properties"]["style"] for f in state.regions["features"] if f["properties"]["stance"] == stance)


def _area_swatch(column: _Column, style: dict, height_px: int) -> None:
    """A legend swatch painted like an area on the map: land, then the fill, pattern and outline."""
    ax, scale = column.ax, column.scale
    top, width, height = column.y + scale.px(2), scale.px(SWATCH[0]), scale.px(SWATCH[1])
    patterned = bool(style.get("pattern"))
    ax.add_patch(Rectangle((column.x, top), width, height, facecolor=LAND_UKRAINE, edgecolor="none"))
    swatch = Rectangle(
        (column.x, top),
        width,
        height,
        facecolor="none" if patterned else mpl.colors.to_rgba(style["fillColor"], float(style["fillOpacity"])),
        edgecolor=style["color"],
        linewidth=scale.map_pt(style["weight"]),
        linestyle=dash_pattern(style.get("dashArray", ""), scale.map_pt(1)),
        zorder=2,
    )
    ax.add_patch(swatch)
    if patterned:
        _fill_image(ax, swatch, style, scale.map_factor, height_px)


def _line_swatch(column: _Column, style: dict) -> None:
    """A short stretch of a line in its colour, width and dash, level with the entry's first line of text."""
    scale = column.scale
    middle = column.y + scale.px(LEGEND_PX) * 0.6
    column.ax.add_line(
        Line2D(
            [column.x, column.x + scale.px(SWATCH[0])],
            [middle, middle],
            color=style["color"],
            alpha=float(style.get("opacity", LINE_OPACITY)),
            linewidth=scale.map_pt(style["weight"]),
            linestyle=dash_pattern(style.get("dashArray", ""), scale.map_pt(1)),
            dash_capstyle="round",
            solid_capstyle="round",
        )
    )


def _entry(column: _Column, lines: list[tuple[str, float, str, str]], indent: float, swatch_bottom: float) -> None:
    """Text lines (text, size px, weight, colour) beside a swatch; the next entry starts below both."""
    for i, (text, px, weight, colour) in enumerate(lines):
        last = i == len(lines) - 1
        column.text(text, px, indent=indent, space=10 if last else 2, weight=weight, color=colour)
    column.y = max(column.y, swatch_bottom + column.scale.px(10))


def _indent(scale: _Scale) -> float:
    """Where a legend entry's text starts: right of its swatch."""
    return scale.px(SWATCH[0]) + scale.px(14)


def _change_entries(column: _Column, text: Caption, height_px: int) -> None:
    """A comparison's region legend, as the screen's: one swatch per kind of difference, naming the sides."""
    column.text("Regions by difference", LEGEND_HEAD_PX, weight="bold", color=INK)
    indent = _indent(column.scale)
    labels = dict(zip("ab", text.compared, strict=True))
    for kind, (_, _, words) in zip(CHANGE_STYLES, change_legend(labels), strict=True):
        _area_swatch(column, change_style(kind), height_px)
        _entry(column, [(words, LEGEND_PX, "normal", INK)], indent, column.y + column.scale.px(SWATCH[1]))


def _legend(column: _Column, view: MapState | Comparison, sources: Sources, text: Caption, height_px: int) -> None:
    """The legend beside the map, as the screen's: drawn stances (or, in a comparison, the kinds of
    difference), each shown line, the front line, and the land each party asks for beyond it."""
    if isinstance(view, Comparison):
        _change_entries(column, text, height_px)
    else:
        _stance_entries(column, view, sources, text, height_px)
    column.gap(10)
    _line_entries(column, view, text, height_px)


def _stance_entries(column: _Column, state: MapState, sources: Sources, text: Caption, height_px: int) -> None:
    """The stances that fill regions, with the shading party in the heading."""
    scale = column.scale
    heading = f"Regions shaded by {text.shaded_by}'s stance" if text.shaded_by else "Stance in a region"
    column.text(heading, LEGEND_HEAD_PX, weight="bold", color=INK)
    drawn = [s for s in sources.stances.index if s in state.drawn_stances]  # legend order, as on screen
    indent = _indent(scale)
    swatch_h = scale.px(SWATCH[1])
    for stance in drawn:
        row = sources.stances.loc[stance]
        _area_swatch(column, _sample_style(state, stance), height_px)
        label, legend = (row["label"], LEGEND_PX, "bold", INK), (row["legend"], LEGEND_SMALL_PX, "normal", MUTED)
        _entry(column, [label, legend], indent, column.y + swatch_h)
    if not drawn:
        column.text("No region shaded.", LEGEND_SMALL_PX, color=MUTED)
    if state.indirect_drawn:
        column.text(
            f"Faint fill, dotted edge: second-hand or inferred. {INDIRECT_LEGEND}", LEGEND_SMALL_PX, color=MUTED
        )
    if (sources.stances.loc[drawn, "outcome"] == "front_line").any():
        where = (
            "drawn in black" if state.front is not None else "not drawn for this date, so the whole region is shaded"
        )
        column.text(
            "Dashed edge: the party proposes to stop on the current front line, which runs through the region "
            f"({where}).",
            LEGEND_SMALL_PX,
            color=MUTED,
        )


def _line_entries(column: _Column, state: MapState | Comparison, text: Caption, height_px: int) -> None:
    """Each shown line (a party's, or a comparison's two sides), the front line, the land beyond it."""
    scale = column.scale
    indent = _indent(scale)
    swatch_h = scale.px(SWATCH[1])
    column.text("Proposed lines", LEGEND_HEAD_PX, weight="bold", color=INK)
    undrawn = state.undrawn_lines
    shown = [layer for layer in state.layers if layer.visible]  # a comparison may show one party twice
    for layer in shown:
        if layer.line is not None:
            _line_swatch(column, layer.line["features"][0]["properties"]["style"])
            column.text(layer.name, LEGEND_PX, indent=indent, weight="bold", color=INK)
        else:
            column.text(f"{layer.name}: not drawn, {undrawn[layer.party]}", LEGEND_PX, indent=indent, color=MUTED)
    if not shown:
        column.text("No layer shown.", LEGEND_SMALL_PX, color=MUTED)
    if state.front is not None:
        _line_swatch(column, FRONT_STYLE)
        top = column.y
        front = (f"Front line, {text.front_date} (approximate)", LEGEND_PX, "bold", INK)
        _entry(column, [front, ("Dotted where it follows the Dnipro.", LEGEND_SMALL_PX, "normal", MUTED)], indent, top)
    for layer in state.layers:
        if layer.extra is not None:
            _area_swatch(column, layer.extra["features"][0]["properties"]["style"], height_px)
            entry = (f"{layer.name}: land asked for beyond the front line", LEGEND_PX, "normal", INK)
            _entry(column, [entry], indent, column.y + swatch_h)
    column.gap(6)
    column.text(
        "A proposed line is the edge of what the position would leave under Russian control. "
        "Regions with no stated position are left blank, not guessed.",
        LEGEND_SMALL_PX,
        color=MUTED,
    )


def render(view: MapState | Comparison, sources: Sources, size: Size = SLIDE) -> Render:
    """Draw ``view`` at ``size``: header, map, legend and source line.

    A comparison's caption and legend name both sides and the kinds of difference.
    """
    with _RENDERING, mpl.rc_context(RC):
        figure = Figure(figsize=(size.width / size.dpi, size.height / size.dpi), dpi=size.dpi, facecolor="white")
        canvas = FigureCanvasAgg(figure)
        renderer = canvas.get_renderer()
        text_scale = _Scale(size.dpi, 1.0, size.height / SLIDE_HEIGHT)
        page = figure.add_axes((0, 0, 1, 1))  # pixel units, y down: text stacks by measured heights
        page.set_xlim(0, size.width)
        page.set_ylim(size.height, 0)
        page.set_axis_off()
        words = caption(view, sources)
        left = text_scale.px(MARGIN)
        header = _Column(page, renderer, text_scale, left, text_scale.px(MARGIN) * 0.8, size.width - 2 * left)
        header.text(words.title, TITLE_PX, weight="bold", color=INK)
        header.text(words.headline, HEADLINE_PX, weight="bold", color=INK, space=4)
        header.text(words.summary, SUMMARY_PX, color=INK, space=GAP)
        source = wrap(words.source_line, size.width - 2 * left, text_scale.text_pt(SOURCE_PX), size.dpi)
        footer = _text(page, left, size.height - text_scale.px(MARGIN) * 0.6, source, text_scale.text_pt(SOURCE_PX))
        footer.set(va="bottom", color=MUTED)
        bottom = size.height - text_scale.px(MARGIN) * 0.6 - footer.get_window_extent(renderer).height
        box = _map_box(size, text_scale, header.y, bottom - text_scale.px(GAP) * 0.6)
        ax = figure.add_axes(
            (box[0] / size.width, 1 - (box[1] + box[3]) / size.height, box[2] / size.width, box[3] / size.height)
        )
        ax.set_facecolor(SEA)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("#9a9a9a")
        scale = _Scale(size.dpi, _fit(ax, box) / SCREEN_PX_PER_RADIAN, text_scale.text_factor)
        _draw_base(ax, sources, scale)
        _draw_layers(ax, view, scale, size.height)
        _draw_labels(ax, sources, scale)
        panel_left = box[0] + box[2] + text_scale.px(GAP)
        legend = _Column(page, renderer, scale, panel_left, box[1], size.width - panel_left - left)
        _legend(legend, view, sources, words, size.height)
        return Render(figure, ax, size, legend.y, box[1] + box[3])


def render_png(view: MapState | Comparison, sources: Sources, size: Size = SLIDE) -> bytes:
    """``view`` (a map state or a comparison) as PNG bytes at ``size`` (SLIDE: 1920 x 1080, PRINT: A4
    landscape at 300 dpi)."""
    with _RENDERING, mpl.rc_context(RC):
        return render(view, sources, size).png()
