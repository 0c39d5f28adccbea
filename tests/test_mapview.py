"""The folium layer for a state (dashboard/render/mapview.py): what each step sends the map."""

from __future__ import annotations

import json

from dashboard.mapstate import build_map_state
from dashboard.render.mapview import BORDER_1991, _SharedBorderLine, base_geometry, layer_script, layers_group
from dashboard.render.tooltips import drawable


def _border_lines(state) -> list[dict]:
    """The drawn lines along the 1991 border, their tooltips written (as ``drawable`` hands them to folium)."""
    return [f for _, line in drawable(state).lines for f in line["features"] if f["properties"]["kind"] == BORDER_1991]


def test_lines_along_the_1991_border_are_drawn_from_the_outlines_sent_once(sources) -> None:
    state = build_map_state(sources, "putin-kyrgyzstan", list(sources.parties.index))
    lines = _border_lines(state)
    assert len(lines) >= 1, "Ukraine keeps all of its territory at this date"
    border = base_geometry(sources.oblasts, sources.neighbours)[BORDER_1991]

    assert all(line["geometry"] == border for line in lines)  # the outlines hold exactly what would be drawn
    script = layer_script(state)
    first_point = json.dumps(border["coordinates"][0][0])
    assert first_point not in script  # the border's coordinates are not in the step
    shared = [c for c in layers_group(state)._children.values() if isinstance(c, _SharedBorderLine)]
    assert len(shared) == len(lines)
    for element, line in zip(shared, lines, strict=True):
        assert json.loads(element.feature)["properties"] == line["properties"]
        assert json.loads(element.style) == line["properties"]["style"]


def test_a_party_that_gives_up_land_still_sends_its_own_line(sources) -> None:
    state = build_map_state(sources, "putin-kyrgyzstan", ["russia"])
    assert not _border_lines(state)
    assert not [c for c in layers_group(state)._children.values() if isinstance(c, _SharedBorderLine)]
    line = next(layer.line for layer in state.layers if layer.line)
    assert json.dumps(line["features"][0]["geometry"]["coordinates"][0][0]) in layer_script(state)


def test_a_shared_border_line_cannot_close_the_script(sources) -> None:
    feature = {"type": "Feature", "geometry": None, "properties": {"tooltip": "</script><img src=x onerror=alert(1)>"}}
    element = _SharedBorderLine(feature, {"color": "#000"})

    assert "</script>" not in element.feature
    assert (
        json.loads(element.feature.replace("<\\/", "</"))["properties"]["tooltip"] == feature["properties"]["tooltip"]
    )
