"""Fill patterns that tell stances apart without colour: SVG for the map, CSS for the legend.

A region's style keeps its plain ``fillColor`` and names a ``pattern``; the
map swaps the fill for an SVG pattern of that colour, the legend draws the
same pattern with CSS gradients, and other renderers (the PNG export) read
the pattern name.
"""

from __future__ import annotations

from html import escape as esc  # cards.py imports this module, so not cards.esc

INK = "rgba(0,0,0,.32)"  # the pattern's marks: dark enough to read on every fill, light enough to keep its hue
CELL = 8  # px: one repeat of a pattern on the map

# Each pattern's marks, in px of one cell: the SVG below and the PNG export (export/png.py) draw them from these.
MARKS = {
    "hatch": {"opacity": 0.32, "stripe": 2.6},
    "dots": {"opacity": 0.36, "radius": 1.7},
    "cross": {"opacity": 0.3, "stripe": 1.8},
}


def _svg_number(value: float) -> str:
    return f"{value:g}".removeprefix("0")  # ".32", as SVG allows


def _marks_svg(pattern: str) -> str:
    marks = MARKS[pattern]
    ink = f'fill="#000" fill-opacity="{_svg_number(marks["opacity"])}"'
    if pattern == "dots":
        return f'<circle cx="{CELL // 2}" cy="{CELL // 2}" r="{_svg_number(marks["radius"])}" {ink}/>'
    stripe = _svg_number(marks["stripe"])
    svg = f'<rect width="{stripe}" height="{CELL}" {ink}/>'
    return svg + (f'<rect width="{CELL}" height="{stripe}" {ink}/>' if pattern == "cross" else "")


_MARKS = {pattern: _marks_svg(pattern) for pattern in MARKS}
_ROTATE = {"hatch": 45, "dots": 0, "cross": 45}
_CSS = {
    "hatch": f"repeating-linear-gradient(45deg, {INK} 0 2px, transparent 2px 6px)",
    "dots": f"radial-gradient({INK} 1.4px, transparent 1.6px) 0 0 / 6px 6px",
    "cross": f"repeating-linear-gradient(45deg, {INK} 0 1.5px, transparent 1.5px 6px), "
    f"repeating-linear-gradient(-45deg, {INK} 0 1.5px, transparent 1.5px 6px)",
}


def pattern_id(pattern: str, colour: str) -> str:
    """The SVG id of a pattern in a colour, e.g. pm-hatch-FDC44F."""
    return f"pm-{pattern}-{colour.lstrip('#').upper()}"


def svg_pattern(pattern: str, colour: str) -> str:
    """An SVG <pattern> element: the colour as background, the marks on top."""
    return (
        f'<pattern id="{pattern_id(pattern, colour)}" patternUnits="userSpaceOnUse" width="{CELL}" '
        f'height="{CELL}" patternTransform="rotate({_ROTATE[pattern]})">'
        f'<rect width="{CELL}" height="{CELL}" fill="{esc(colour)}"/>{_MARKS[pattern]}</pattern>'
    )


def map_fill(style: dict) -> dict:
    """A region style for Leaflet: the fill becomes url(#pattern) when the style names a pattern."""
    pattern = style.get("pattern", "")
    styled = {k: v for k, v in style.items() if k != "pattern"}
    if pattern:
        styled["fillColor"] = f"url(#{pattern_id(pattern, style['fillColor'])})"
    return styled


def css_fill(pattern: str, colour: str) -> str:
    """A CSS background drawing the pattern over the colour (legend swatches)."""
    return f"{_CSS[pattern]}, {esc(colour)}" if pattern else esc(colour)
