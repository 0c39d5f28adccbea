"""HTML fragments: article text is always escaped in the legend, event panel, summaries and problems."""

from __future__ import annotations

import pandas as pd

from dashboard.render.cards import (
    events_html,
    legend_html,
    line_swatch,
    problems_html,
    summary_html,
)
from dashboard.summary import PartySummary

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>\"'"


def _assert_inert(markup: str) -> None:
    assert "<img" not in markup
    assert "<script" not in markup
    assert "</script" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup


def test_legend_lists_drawn_stances_first_and_escapes_names() -> None:
    parties = pd.DataFrame({"name": [HOSTILE], "colour": ["#B2182B"], "dash": [""]}, index=["russia"])
    stances = pd.DataFrame(
        {
            "label": ["Withdraw", "Frozen"],
            "legend": [HOSTILE, "Stop where it is."],
            "fill": ["#D6604D", "#FEE08B"],
            "outcome": ["russian_control", "front_line"],
        },
        index=["withdraw", "freeze_as_final_line"],
    )
    legend = legend_html(parties, stances, ["russia"], drawn=["freeze_as_final_line"], shade="russia")
    _assert_inert(legend)
    assert legend.index("Frozen") < legend.index("<details>") < legend.index("Withdraw")
    assert "Dashed edge" in legend
    undrawn = legend_html(parties, stances, ["russia"], drawn=[], shade="russia", undrawn={"russia": HOSTILE})
    assert "not drawn, &lt;img" in undrawn
    assert "No region shaded" in undrawn


def test_events_and_summary_and_problems_escape_text() -> None:
    events = pd.DataFrame(
        {
            "date": [pd.Timestamp("2025-08-15")],
            "title": [HOSTILE],
            "summary": [HOSTILE],
            "seeds": ["a.txt"],
            "date_basis": [HOSTILE],
        },
        index=["e1"],
    )
    marked = events_html(events, "e1")
    _assert_inert(marked)
    assert 'aria-current="true"' in marked
    parties = pd.DataFrame({"colour": ["#1B7837"]}, index=["us"])
    _assert_inert(summary_html([PartySummary("us", HOSTILE, None, (HOSTILE,))], parties))
    _assert_inert(problems_html([HOSTILE]))


def test_line_swatch_draws_the_dash_pattern_of_the_map_line() -> None:
    assert line_swatch("#2166AC", "") == "#2166AC"
    swatch = line_swatch("#2166AC", "10 6")
    assert "#2166AC 0px 10px" in swatch
    assert "transparent 10px 16px" in swatch
    assert "transparent 2px 4px" in line_swatch("#1B7837", "2")  # an odd list repeats, as in SVG


def test_braces_are_escaped_so_folium_never_renders_article_text_as_a_template() -> None:
    from dashboard.render.cards import esc

    assert esc("{{ lipsum.__globals__ }}") == "&#123;&#123; lipsum.__globals__ &#125;&#125;"


def test_the_event_panel_lists_the_newest_events_and_counts_the_rest() -> None:
    dates = pd.date_range("2025-01-01", periods=5, freq="D")
    events = pd.DataFrame(
        {
            "date": dates,
            "title": [f"Event {n}" for n in range(5)],
            "summary": ["s"] * 5,
            "seeds": ["a.txt"] * 5,
            "date_basis": ["reported"] * 5,
        },
        index=[f"e{n}" for n in range(5)],
    )

    capped = events_html(events, "e4", limit=2)
    assert capped.count("<li") == 2
    assert capped.index("Event 4") < capped.index("Event 3")  # newest first
    assert "Event 2" not in capped
    assert "3 earlier events on the timeline" in capped
    whole = events_html(events, "e4", limit=5)
    assert whole.count("<li") == 5
    assert "earlier event" not in whole
