"""Tooltips: written as HTML in render/ from the facts a state holds, every article field escaped, and one
drawable() that turns a map state or a comparison into what every map draws."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.compare import build_comparison, compare_sides
from dashboard.mapstate import MapState, build_map_state
from dashboard.render.tooltips import (
    QUOTE_LIMIT,
    claim_block,
    drawable,
    extra_tooltip,
    front_tooltip,
    line_tooltip,
    region_tooltip,
    tooltip_html,
)
from dashboard.sources import Sources
from dashboard.tips import ExtraTip, FrontTip, LineTip, PartyEntry, Quote, RegionTip

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>\"'"
JUNE = pd.Timestamp("2024-06-14")


def _quote(quote: str = HOSTILE, speaker: str = HOSTILE, **more: object) -> Quote:
    fields = {"date": JUNE, "sourcing_label": "", "article": HOSTILE, "seed": "a.txt", "note": HOSTILE} | more
    return Quote(quote, speaker, **fields)


def _assert_inert(markup: str) -> None:
    assert "<img" not in markup
    assert "<script" not in markup
    assert "</script" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup


def test_claim_block_shows_quote_speaker_date_sourcing_and_article() -> None:
    quote = _quote("Withdraw from Donetsk.", "Vladimir Putin", article="Putin sets terms", note="", sourcing_label="")
    block = claim_block(quote)
    assert "“Withdraw from Donetsk.”" in block
    assert "Vladimir Putin · 14 Jun 2024<br>" in block
    assert "Article: Putin sets terms (a.txt)" in block
    assert "pm-note" not in block
    assert "Vladimir Putin · 14 Jun 2024 · Second-hand<br>" in claim_block(
        _quote("x", "Vladimir Putin", sourcing_label="Second-hand")
    )


def test_region_tooltip_escapes_every_article_field() -> None:
    entries = (PartyEntry(HOSTILE, HOSTILE, (_quote(),)), PartyEntry("Other", HOSTILE, (_quote(),)))
    _assert_inert(region_tooltip(RegionTip(HOSTILE, entries, first_is_shaded=True)))


def test_region_tooltip_lists_other_parties_in_a_line_each_with_their_newest_date() -> None:
    later = _quote("Not now.", "Kuleba", date=pd.Timestamp("2025-01-02"))
    entries = (
        PartyEntry("Russia", "Withdraw", (_quote("Leave.", "Putin"),)),
        PartyEntry("Ukraine", "Cession rejected", (_quote("Never.", "Zelenskyy"), later)),
    )
    tip = region_tooltip(RegionTip("Donetsk", entries, first_is_shaded=True))
    assert "“Leave.”" in tip
    assert "<b>Ukraine</b>: Cession rejected (Zelenskyy; Kuleba, 2 Jan 2025)" in tip
    assert "“Never.”" not in tip  # full quotes of other layers are in the region table
    unshaded = region_tooltip(RegionTip("Donetsk", entries, first_is_shaded=False))
    assert "Positions on this region" in unshaded and "“Leave.”" not in unshaded


def test_a_second_hand_position_says_whose_word_it_is() -> None:
    entry = PartyEntry(
        "Russia", "Withdraw", (_quote("They want it all.", "Zelenskyy"),), "reported", "Second-hand", False
    )
    tip = region_tooltip(RegionTip("Donetsk", (entry,), first_is_shaded=True))
    assert "Second-hand: in the words of Zelenskyy; the party itself (Russia) is not quoted." in tip


def test_long_quotes_are_clipped_in_tooltips() -> None:
    block = claim_block(_quote("x" * (QUOTE_LIMIT + 50)))
    assert "x" * QUOTE_LIMIT not in block
    assert "…" in block


def test_line_front_and_extra_tooltips_escape_text_and_say_their_facts() -> None:
    _assert_inert(line_tooltip(LineTip(HOSTILE, HOSTILE, HOSTILE)))
    front = front_tooltip(FrontTip(JUNE, HOSTILE, 1234.4, HOSTILE, HOSTILE))
    _assert_inert(front)
    assert "Front line, 14 Jun 2024" in front and "About 1,234 km long as drawn." in front
    assert "Front line, undated" in front_tooltip(FrontTip(None, "t", None, "a", "s"))
    extra = extra_tooltip(ExtraTip(HOSTILE, 12345.6, JUNE, ((HOSTILE, 2500.0),)))
    _assert_inert(extra)
    assert "12,346 km² (front line of 14 Jun 2024)" in extra and ": 2,500 km²</li>" in extra


def test_braces_never_reach_a_template_engine() -> None:
    tip = tooltip_html(RegionTip("{{7*7}}", (), first_is_shaded=False))
    assert "{" not in tip and "&#123;&#123;7*7&#125;&#125;" in tip


@pytest.fixture(scope="module")
def alaska(sources: Sources) -> MapState:
    return build_map_state(sources, "alaska-summit", list(sources.parties.index), shade="russia")


def test_a_state_holds_facts_and_no_markup(alaska: MapState) -> None:
    features = alaska.regions["features"] + alaska.front["features"]
    features += [
        f for layer in alaska.layers for c in (layer.line, layer.extra) if c is not None for f in c["features"]
    ]
    assert features and all("tooltip" not in f["properties"] for f in features)
    assert all(isinstance(f["properties"]["tip"], (RegionTip, LineTip, FrontTip, ExtraTip)) for f in features)
    assert all("<" not in str(f["properties"]["tip"]) for f in alaska.regions["features"])


def test_drawable_writes_each_tip_as_html_in_its_place_and_keeps_the_drawing_order(alaska: MapState) -> None:
    drawn = drawable(alaska)
    for mine, theirs in zip(drawn.regions["features"], alaska.regions["features"], strict=True):
        keys = ["tooltip" if k == "tip" else k for k in theirs["properties"]]
        assert list(mine["properties"]) == keys  # the same properties in the same order
        assert mine["properties"]["tooltip"] == tooltip_html(theirs["properties"]["tip"])
        assert mine["geometry"] is theirs["geometry"]
    assert [name for name, _ in drawn.lines] == [layer.name for layer in alaska.layers if layer.line is not None]
    assert [name for name, _ in drawn.extras] == [layer.name for layer in alaska.layers if layer.extra is not None]
    assert drawn.extras and drawn.front is not None
    assert {f["properties"]["tooltip"] for f in drawn.front["features"]} == {
        front_tooltip(alaska.front["features"][0]["properties"]["tip"])
    }
    assert "tooltip" not in alaska.regions["features"][0]["properties"]  # the cached state is left as it was


def test_drawable_draws_a_comparison_by_kind_of_change_with_both_positions(sources: Sources) -> None:
    comparison = build_comparison(sources, *compare_sides("parties", "russia", "alaska-summit", "ukraine"))
    drawn = drawable(comparison)
    assert drawn.front is None and drawn.extras == ()
    assert [name for name, _ in drawn.lines] == ["Russia", "Ukraine"]
    donetsk = next(f["properties"] for f in drawn.regions["features"] if f["properties"]["code"] == "UA-14")
    assert donetsk["change"] in {"different", "same", "only_a", "only_b"} and "stance" not in donetsk
    assert "<b>Ukraine</b>" in donetsk["tooltip"] and "Russia: " in donetsk["tooltip"]
