"""Briefing in a real browser: a prepared link, presentation mode stepped with the keyboard, screenshots."""

from __future__ import annotations

import re
from typing import Any

from mapdom import ARTIFACTS, EARLY, LATE, MAP_IFRAME, WAIT_MS, open_dashboard, wait_for_map
from playwright.sync_api import expect

PRESENT_LINK = "?event=putin-conditions-2024&parties=russia,ukraine&shade=russia&region=UA-14&mode=present"
CAPTION = ".pm-caption"
MAP_VIEW_JS = f"""() => {{
  const win = document.querySelector('{MAP_IFRAME}').contentWindow;
  const map = win.map_div;
  return map ? {{ zoom: map.getZoom(), lat: map.getCenter().lat, lng: map.getCenter().lng }} : null;
}}"""


def _caption(page: Any) -> Any:
    return page.locator(CAPTION).first


def _shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_a_prepared_link_opens_presentation_mode_with_its_date_parties_and_map_view(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url, PRESENT_LINK + "&lat=47.6&lon=36.2&zoom=7")
    expect(_caption(page)).to_have_text(re.compile(r"^14 Jun 2024 — "), timeout=WAIT_MS)
    expect(page.locator('section[data-testid="stSidebar"]')).to_be_hidden(timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Exit presentation")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(f"() => {{ const v = ({MAP_VIEW_JS})(); return v && v.zoom === 7; }}", timeout=WAIT_MS)
    view = page.evaluate(MAP_VIEW_JS)
    assert abs(view["lat"] - 47.6) < 0.05
    assert abs(view["lng"] - 36.2) < 0.05
    _shoot(page, "presentation_1920x1080.png")


def test_arrow_keys_step_the_presentation_and_change_caption_and_shapes(page: Any, app_url: str) -> None:
    # From the 10-point plan to Putin's June 2024 conditions: Russia's regions change on the map.
    first = open_dashboard(page, app_url, PRESENT_LINK.replace("putin-conditions-2024", EARLY))
    expect(_caption(page)).to_contain_text("15 Nov 2022", timeout=WAIT_MS)
    before = _caption(page).inner_text()  # the caption as drawn, to see it change
    page.locator("h1").first.click()  # focus the page, not the map or the slider
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([sel, old]) => { const c = document.querySelector(sel); return c && c.innerText !== old; }",
        arg=[CAPTION, before],
        timeout=WAIT_MS,
    )
    expect(_caption(page)).to_contain_text("14 Jun 2024", timeout=WAIT_MS)
    after = wait_for_map(page, "s.signature !== arg", first["signature"])
    assert after["base"] >= 27
    assert f"event={LATE}" in page.url
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "([sel]) => document.querySelector(sel).innerText.includes('15 Nov 2022')", arg=[CAPTION], timeout=WAIT_MS
    )
    wait_for_map(page, "s.signature === arg", first["signature"])


def test_exit_returns_to_the_full_page_and_the_link_forgets_the_mode(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url, PRESENT_LINK)
    page.get_by_role("button", name="Exit presentation").click()
    page.get_by_role("heading", name="Russia–Ukraine peace proposals: who wants which regions").wait_for()
    page.wait_for_function("() => !location.search.includes('mode=present')", timeout=WAIT_MS)
    expect(page.locator('section[data-testid="stSidebar"]')).to_be_visible(timeout=WAIT_MS)
    _shoot(page, "normal_1920x1080.png")
