"""The dashboard in a real browser: Debian's Chromium driven by Playwright, no internet.

The map lives in streamlit-folium's component iframe, which is same-origin with
the app: the tests read its document from the top page. Oblast shapes and the
proposal layer are ``path.leaflet-interactive`` elements; the 27 oblasts are
filled with the base land colour, the regions a party spoke about with a stance
colour, and each party's proposed line has no fill.
"""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest
from mapdom import (
    ARTIFACTS,
    BASE_SHAPES,
    EARLY,
    LATE,
    MAP_IFRAME,
    ROOT,
    SAMPLER_START_JS,
    SAMPLER_STOP_JS,
    SHADED_AT_JS,
    WAIT_MS,
    open_dashboard,
    wait_for_map,
)
from playwright.sync_api import expect

from dashboard.mapstate import FRONT_STYLE


def slider(page: Any) -> Any:
    return page.get_by_role("slider", name="Timeline")


def timeline_button(page: Any, arrow: str) -> Any:
    """◀ or ▶ beside the slider (its name also shows the ← → shortcut; "▶ Play" is another button)."""
    return page.get_by_role("button", name=re.compile(rf"^{arrow}(?!.*Play)"))


def step(page: Any, button: str, expected_signature: str | None, old_signature: str) -> dict:
    """Click ◀ or ▶ and wait until the map shows the new shapes."""
    timeline_button(page, button).click()
    if expected_signature is None:
        return wait_for_map(page, "s.signature !== arg", old_signature)
    return wait_for_map(page, "s.signature === arg", expected_signature)


def press_on_slider(page: Any, key: str) -> None:
    """Press an arrow key on the focused slider, again if the first press was swallowed."""
    handle = slider(page)
    before = handle.get_attribute("aria-valuetext")
    handle.focus()
    for _ in range(3):
        page.keyboard.press(key)
        try:
            expect(handle).not_to_have_attribute("aria-valuetext", before, timeout=1_500)
        except AssertionError:
            continue
        return
    pytest.fail(f"{key} on the timeline slider never changed it from {before!r}")


def expect_event_in_url(page: Any, event: str) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]event={re.escape(event)}(&|$)"), timeout=WAIT_MS)


def label_center(page: Any, name: str) -> tuple[float, float]:
    """Where an oblast's name label sits on the screen (labels let the mouse through)."""
    label = page.frame_locator(MAP_IFRAME).locator(".pm-label", has_text=re.compile(rf"^{re.escape(name)}$"))
    box = label.bounding_box()
    assert box is not None, f"no label {name!r} on the map"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def claims_by_quote() -> dict[str, set[str]]:
    """Every quote in data/claims.csv, with the speakers it is attributed to."""
    speakers: dict[str, set[str]] = {}
    with (ROOT / "data" / "claims.csv").open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            speakers.setdefault(row["quote"], set()).add(row["speaker"])
    return speakers


def test_map_draws_oblasts_and_proposal_layer_offline(page: Any, app_url: str) -> None:
    state = open_dashboard(page, app_url)

    assert state["base"] >= BASE_SHAPES, state
    assert state["styled"] > 0, state
    assert state["fills"], f"no region is shaded: {state}"
    expect(page.get_by_role("heading", name="Russia–Ukraine peace proposals")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    assert page.outside_requests == [], f"requests to outside hosts: {page.outside_requests}"
    assert page.failed_responses == [], f"failed requests: {page.failed_responses}"


def test_stepping_the_timeline_changes_the_shapes_and_never_blanks_the_map(page: Any, app_url: str) -> None:
    early = open_dashboard(page, app_url, f"?event={EARLY}")
    page.evaluate(SAMPLER_START_JS)

    late = step(page, "▶", None, early["signature"])
    expect(slider(page)).to_have_attribute("aria-valuetext", re.compile(r"^14 Jun 2024"))
    expect_event_in_url(page, LATE)
    assert late["fills"] != early["fills"] or late["styled"] != early["styled"], (early, late)

    back = step(page, "◀", early["signature"], late["signature"])
    expect(slider(page)).to_have_attribute("aria-valuetext", re.compile(r"^15 Nov 2022"))
    expect_event_in_url(page, EARLY)

    press_on_slider(page, "ArrowRight")
    by_key = wait_for_map(page, "s.signature === arg", late["signature"])
    expect_event_in_url(page, LATE)

    sampled = page.evaluate(SAMPLER_STOP_JS)
    assert back["fills"] == early["fills"]
    assert by_key["fills"] == late["fills"]
    assert sampled["frames"] > 10, f"the sampler hardly ran: {sampled}"
    assert sampled["min"] >= BASE_SHAPES, f"the map went blank while stepping: {sampled}"


def test_hovering_a_shaded_region_shows_quote_speaker_and_article(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url)
    x, y = label_center(page, "Donetsk")
    assert page.evaluate(SHADED_AT_JS, [x, y]), "Donetsk is not shaded in the default view"

    page.mouse.move(x, y)
    tooltip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".pm-head").first).to_have_text("Donetsk")
    expect(tooltip).to_contain_text("“")
    expect(tooltip).to_contain_text("Article:")
    text = tooltip.inner_text()  # complete now: Leaflet sets a tooltip's content at once

    known = claims_by_quote()
    quotes = tooltip.locator(".pm-quote").all_inner_texts()
    cites = tooltip.locator(".pm-cite").all_inner_texts()
    assert quotes, text
    assert len(quotes) == len(cites), text
    for quote, cite in zip(quotes, cites, strict=True):
        words = quote.strip().removeprefix("“").removesuffix("”")
        clipped = words.endswith("…")
        matches = [q for q in known if (q.startswith(words[:-1]) if clipped else q == words)]
        assert matches, f"not a verbatim quote from data/claims.csv: {quote!r}"
        speaker = cite.split(" · ")[0].strip()
        assert any(speaker in known[q] for q in matches), f"{speaker!r} is not who said {quote!r}"
        assert "Article: " in cite, cite


def test_opening_a_link_restores_the_view(page: Any, app_url: str) -> None:
    state = open_dashboard(page, app_url, "?event=putin-conditions-2024&parties=russia")

    expect(slider(page)).to_have_attribute("aria-valuetext", re.compile(r"14 Jun 2024"))
    lines = page.locator('.pm-legend h4:text-is("Proposed lines") + ul > li b')
    expect(lines).to_have_text(["Russia", re.compile(r"^Front line of 14 Jun 2024")])
    party_strokes = set(state["strokes"]) - {FRONT_STYLE["color"]}  # the front line is drawn for every party
    assert len(party_strokes) == 1, f"only Russia's outlines should be drawn: {state}"
    expect(page).to_have_url(re.compile(r"[?&]parties=russia(&|$)"))
    expect_event_in_url(page, "putin-conditions-2024")


def test_an_invalid_link_warns_without_a_traceback(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url, "?event=nope")

    expect(page.get_by_text(re.compile(r"Unknown event 'nope'"))).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Traceback")
    expect(page).not_to_have_url(re.compile(r"event=nope"))


def test_clicking_a_shaded_region_picks_it(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url)
    heading = page.get_by_role("heading", name=re.compile(r"^Donetsk: every position"))
    expect(heading).to_have_count(0)
    x, y = label_center(page, "Donetsk")

    page.mouse.click(x, y)

    expect(heading).to_be_visible()
    # The region's history table is the element right under its heading; counting every table on the
    # page raced with the panels further down that render in the same run.
    history = page.locator(
        '[data-testid="stElementContainer"]:has(h3:has-text("Donetsk: every position"))'
        ' + [data-testid="stElementContainer"] [data-testid="stDataFrame"]'
    )
    expect(history).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]region=UA-14(&|$)"))


def test_the_tab_stays_small_while_stepping(page: Any, app_url: str) -> None:
    current = open_dashboard(page, app_url, f"?event={EARLY}")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def listeners() -> int:
        cdp.send("HeapProfiler.collectGarbage")
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return int(next(m["value"] for m in metrics if m["name"] == "JSEventListeners"))

    signatures = {"◀": current["signature"], "▶": None}
    states, listener_counts = [], []
    for index in range(20):
        button = "▶" if index % 2 == 0 else "◀"
        current = step(page, button, signatures[button], current["signature"])
        signatures[button] = current["signature"]
        states.append(current)
        if index in {1, 19}:
            listener_counts.append(listeners())

    groups = [s["featureGroups"] for s in states]
    nodes = [s["nodes"] for s in states]
    assert all(g is not None and g <= 2 for g in groups), (
        f"window.feature_group length per step (None: not defined in the map iframe): {groups}"
    )
    assert max(nodes) <= max(nodes[:2]) + 5, f"iframe DOM nodes per step: {nodes}"  # not one more per step
    # Each feature group the component keeps holds its layers' event listeners: a leak shows here first.
    first, last = listener_counts
    assert last <= first * 1.1, f"JS event listeners in the tab grew from {first} to {last} over 18 steps"


def test_legend_shows_each_partys_line_style(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url)
    items = page.locator('.pm-legend h4:text-is("Proposed lines") + ul > li')
    expect(items.first).to_be_visible()
    for item in items.all():
        swatch = item.locator('[aria-hidden="true"]').first
        expect(swatch).to_be_visible()
        box = swatch.bounding_box()
        assert box is not None and box["width"] >= 10, f"no line sample beside {item.inner_text()!r}"
