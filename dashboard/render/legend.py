"""The map's legend for a drawn state: one builder for the app, the HTML export and the static site.

Each of them used to assemble ``legend_html``'s arguments itself, and the
static site's copy left the front line and the land beyond it out, so its
legend disagreed with its map. The arguments now come from the state alone.
"""

from __future__ import annotations

from typing import TypedDict

import pandas as pd

from dashboard.mapstate import MapState
from dashboard.render.cards import legend_html
from dashboard.sources import Sources


class LegendArgs(TypedDict):
    """``legend_html``'s arguments that describe what a state draws."""

    visible: list[str]
    drawn: list[str]
    shade: str | None
    undrawn: dict[str, str]
    front_date: pd.Timestamp | None
    extras: list[str]
    indirect: bool


def legend_args(state: MapState) -> LegendArgs:
    """What the legend lists for ``state``: shown parties, stances filled, lines not drawn, front line, extras."""
    return LegendArgs(
        visible=[layer.party for layer in state.layers if layer.visible],
        drawn=state.drawn_stances,
        shade=state.shade,
        undrawn=state.undrawn_lines,
        # the front line's date only when the map draws it (a comparison draws none)
        front_date=state.snapshot.date if state.front is not None and state.snapshot is not None else None,
        extras=[layer.party for layer in state.layers if layer.extra is not None],
        indirect=state.indirect_drawn,
    )


def map_legend_html(state: MapState, sources: Sources) -> str:
    """The legend (escaped HTML) of the map drawn from ``state``: the same wherever the map is drawn."""
    return legend_html(sources.parties, sources.stances, **legend_args(state))
