"""The map fits the first screen: a laptop on a projector (1280x720), a 1080p screen-share, presentation mode.

Each test waits until the whole map frame lies inside the window and Leaflet's
map is as high as its frame (it was told of the size), and a page just opened
shows all of Ukraine; then it takes a screenshot into tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

from typing import Any

from mapdom import ARTIFACTS, MAP_IFRAME, WAIT_MS, open_dashboard
from playwright.sync_api import expect

from dashboard.app.page import MAP_HEIGHT, MIN_MAP_PX, PRESENT_MAP_HEIGHT

LAPTOP = {"width": 1280, "height": 720}
DESKTOP = {"width": 1920, "height": 1080}
SIDEBAR_WIDGETS = ("stButtonGroup", "stRadioGroup", "stSelectbox", "stFileUploader", "stDateInput")
UKRAINE = [[44.4, 22.2], [52.3, 40.1]]  # lat, lon: a box inside the 1991 border's extremes (south-west, north-east)
# Where the map is: its frame in the window, and what Leaflet draws in it.
MAP_BOX_JS = f"""() => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  const map = frame && frame.contentWindow.map_div;
  if (!map) return null;
  const box = frame.getBoundingClientRect();
  const ukraine = {UKRAINE};
  return {{ top: box.top, bottom: box.bottom, height: box.height, window: window.innerHeight,
            scrolled: window.scrollY || document.querySelector('[data-testid="stMain"]').scrollTop,
            leaflet: map.getSize().y, ukraine: map.getBounds().contains(ukraine) }};
}}"""
FITS = "b => b.scrolled === 0 && b.top >= 0 && b.bottom <= b.window && Math.abs(b.leaflet - b.height) <= 1"


def _wait_until_fits(page: Any, extra: str = "true") -> dict:
    page.wait_for_function(
        f"() => {{ const b = ({MAP_BOX_JS})(); return !!b && ({FITS})(b) && ({extra}); }}", timeout=WAIT_MS
    )
    return page.evaluate(MAP_BOX_JS)


def _shoot(page: Any, name: str, sidebar: bool = True) -> None:
    if sidebar:  # drawn after the map, its widgets' code loads later: the picture shows them all
        for widget in SIDEBAR_WIDGETS:
            expect(page.locator(f'section[data-testid="stSidebar"] [data-testid="{widget}"]').first).to_be_visible(
                timeout=WAIT_MS
            )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_the_whole_map_is_in_the_first_screen_of_a_1280x720_laptop(page: Any, app_url: str) -> None:
    page.set_viewport_size(LAPTOP)
    open_dashboard(page, app_url)
    box = _wait_until_fits(page, "b.ukraine")
    assert MIN_MAP_PX <= box["height"] < MAP_HEIGHT  # it gave up height to fit, and stayed readable
    assert box["top"] < LAPTOP["height"] / 3  # a compact head: the map starts in the upper third
    _shoot(page, "layout_1280x720.png")


def test_a_1080p_screen_keeps_the_full_height_map(page: Any, app_url: str) -> None:
    page.set_viewport_size(DESKTOP)
    open_dashboard(page, app_url)
    box = _wait_until_fits(page, f"b.ukraine && b.height === {MAP_HEIGHT}")
    assert box["bottom"] <= DESKTOP["height"]
    _shoot(page, "layout_1920x1080.png")


def test_presentation_mode_keeps_its_map_at_1080p_and_fits_a_laptop(page: Any, app_url: str) -> None:
    page.set_viewport_size(DESKTOP)
    open_dashboard(page, app_url, "?mode=present")
    _wait_until_fits(page, f"b.ukraine && b.height === {PRESENT_MAP_HEIGHT}")
    _shoot(page, "layout_present_1920x1080.png", sidebar=False)
    page.set_viewport_size(LAPTOP)
    box = _wait_until_fits(page, f"b.height < {PRESENT_MAP_HEIGHT}")
    assert box["height"] >= MIN_MAP_PX
    _shoot(page, "layout_present_1280x720.png", sidebar=False)


def test_the_map_follows_the_window_when_it_shrinks(page: Any, app_url: str) -> None:
    page.set_viewport_size(DESKTOP)
    open_dashboard(page, app_url)
    _wait_until_fits(page, f"b.height === {MAP_HEIGHT}")
    page.set_viewport_size(LAPTOP)
    # Leaflet resized with its frame (no grey band, no map cut off), and the compact head took over.
    box = _wait_until_fits(page, f"b.height < {MAP_HEIGHT}")
    assert box["top"] < LAPTOP["height"] / 3
