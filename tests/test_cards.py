"""HTML fragments: article text is always escaped, and cards carry quote, speaker, date and article."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.render.cards import (
    QUOTE_LIMIT,
    PartyEntry,
    claim_block,
    events_html,
    legend_html,
    line_swatch,
    line_tooltip,
    problems_html,
    region_tooltip,
    summary_html,
)
from dashboard.summary import PartySummary

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>\"'"


def _claims(quote: str = HOSTILE, speaker: str = HOSTILE) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quote": [quote],
            "speaker": [speaker],
            "date": [pd.Timestamp("2024-06-14")],
            "seed": ["a.txt"],
            "note": [HOSTILE],
        }
    )


@pytest.fixture
def manifest() -> pd.DataFrame:
    return pd.DataFrame({"title": [HOSTILE]}, index=["a.txt"])


def _assert_inert(markup: str) -> None:
    assert "<img" not in markup
    assert "<script" not in markup
    assert "</script" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup


def test_claim_block_shows_quote_speaker_date_and_article(manifest: pd.DataFrame) -> None:
    claim = _claims(quote="Withdraw from Donetsk.", speaker="Vladimir Putin").iloc[0]
    block = claim_block(claim, pd.DataFrame({"title": ["Putin sets terms"]}, index=["a.txt"]))
    assert "“Withdraw from Donetsk.”" in block
    assert "Vladimir Putin · 14 Jun 2024" in block
    assert "Article: Putin sets terms (a.txt)" in block


def test_region_tooltip_escapes_every_article_field(manifest: pd.DataFrame) -> None:
    entries = [PartyEntry(HOSTILE, HOSTILE, _claims()), PartyEntry("Other", HOSTILE, _claims())]
    _assert_inert(region_tooltip(HOSTILE, entries, first_is_shaded=True, manifest=manifest))


def test_region_tooltip_lists_other_parties_in_a_line_each(manifest: pd.DataFrame) -> None:
    entries = [
        PartyEntry("Russia", "Withdraw", _claims("Leave.", "Putin")),
        PartyEntry("Ukraine", "Cession rejected", _claims("Never.", "Zelenskyy")),
    ]
    tip = region_tooltip("Donetsk", entries, first_is_shaded=True, manifest=manifest)
    assert "“Leave.”" in tip
    assert "<b>Ukraine</b>: Cession rejected (Zelenskyy, 14 Jun 2024)" in tip
    assert "“Never.”" not in tip  # full quotes of other layers are in the region table


def test_long_quotes_are_clipped_in_tooltips(manifest: pd.DataFrame) -> None:
    claim = _claims(quote="x" * (QUOTE_LIMIT + 50)).iloc[0]
    assert "x" * QUOTE_LIMIT not in claim_block(claim, manifest)
    assert "…" in claim_block(claim, manifest)


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


def test_line_tooltip_and_events_and_summary_escape_text() -> None:
    _assert_inert(line_tooltip(HOSTILE, HOSTILE, HOSTILE))
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
    assert "{" not in region_tooltip("{{7*7}}", [], first_is_shaded=False, manifest=pd.DataFrame())


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
