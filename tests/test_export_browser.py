"""The exported HTML map in a real browser with no network: it draws, it asks for nothing, it runs no data.

The page is opened twice over: from a local http.server (so every request is
seen and counted) and as a file:// URL (how a journalist opens a download).
Anything not local is aborted, as it would fail on a plane or in a secure room.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from export_cases import HOSTILE, TEMPLATE, hostile_state
from playwright.sync_api import expect

from dashboard.export.html import export_html
from dashboard.mapstate import MapState, build_map_state
from dashboard.render.patterns import map_fill
from dashboard.sources import Sources
from tests.conftest import DEFAULT_TIMEOUT_MS, LOCAL_HOST, VIEWPORT

BASE_SHAPES = 27  # oblasts, Crimea, Kyiv city and Sevastopol: interactive (they have a tooltip)
ALL = ["russia", "ukraine", "united_states", "europe"]
SHAPES_JS = """() => [...document.querySelectorAll('path.leaflet-interactive')].map(p => p.getAttribute('fill'))"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # pytest output stays readable


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory, sources: Sources) -> Path:
    """The exported pages: Alaska with every party, and the hostile fixture."""
    folder = tmp_path_factory.mktemp("export_html")
    (folder / "alaska.html").write_text(export_html(_alaska(sources), sources), encoding="utf-8")
    hostile_sources, hostile = hostile_state(tmp_path_factory.mktemp("hostile"))
    (folder / "hostile.html").write_text(export_html(hostile, hostile_sources), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def alaska(sources: Sources) -> MapState:
    return _alaska(sources)


def _alaska(sources: Sources) -> MapState:
    return build_map_state(sources, "alaska-summit", ALL, shade="russia")


@pytest.fixture(scope="module")
def served(export_dir: Path) -> Iterator[str]:
    """export_dir served at http://127.0.0.1:<free port>/."""
    handler = functools.partial(_QuietHandler, directory=str(export_dir))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _offline(context: Any, allowed: set[str]) -> list[str]:
    """Abort every request whose scheme/host is not in ``allowed``; return the list of all requested URLs."""
    requested: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        requested.append(url)
        parts = urlsplit(url)
        local = parts.scheme in allowed or parts.hostname in allowed
        route.continue_() if local else route.abort()

    context.route("**/*", handle)
    return requested


def _expected_shapes(state: MapState) -> int:
    """The base map, then one path per feature drawn: regions, land beyond the front line, lines, the front line."""
    drawn = [layer.extra for layer in state.layers] + [layer.line for layer in state.layers] + [state.front]
    return BASE_SHAPES + len(state.regions["features"]) + sum(len(c["features"]) for c in drawn if c is not None)


def test_served_export_draws_every_shape_and_asks_only_for_itself(page: Any, served: str, alaska: MapState) -> None:
    requested = _offline(page.context, {LOCAL_HOST, "data"})
    page.goto(f"{served}alaska.html")
    expected = _expected_shapes(alaska)
    page.wait_for_function(f"() => document.querySelectorAll('path.leaflet-interactive').length === {expected}")

    fills = page.evaluate(SHAPES_JS)
    assert len(fills) == expected
    # What Leaflet paints: the colour, or url(#pattern) for stances with a pattern; the land beyond the
    # front line in the party's hatch.
    areas = alaska.regions["features"] + [f for layer in alaska.layers if layer.extra for f in layer.extra["features"]]
    area_fills = {map_fill(f["properties"]["style"])["fillColor"].lower() for f in areas}
    hatch = next(map_fill(layer.extra["features"][0]["properties"]["style"]) for layer in alaska.layers if layer.extra)
    assert hatch["fillColor"].startswith("url(#pm-hatch-")
    assert area_fills <= {(fill or "").lower() for fill in fills}
    # The hatch's pattern is in the page's SVG, so the fill resolves (a missing one paints nothing).
    expect(page.locator(f"pattern#{hatch['fillColor'][5:-1]}")).to_have_count(1)
    expect(page.get_by_role("heading", name="Russia–Ukraine peace proposals")).to_be_visible()
    expect(page.locator(".pm-legend")).to_contain_text("Proposed lines")
    assert [url for url in requested if not url.startswith("data:")] == [f"{served}alaska.html"]
    assert page.outside_requests == []
    assert page.failed_responses == []


def test_export_opened_as_a_file_draws_offline(browser: Any, export_dir: Path, alaska: MapState) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        requested = _offline(context, {"file", "data"})
        tab = context.new_page()
        tab.set_default_timeout(DEFAULT_TIMEOUT_MS)
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        url = (export_dir / "alaska.html").as_uri()
        tab.goto(url)
        expected = _expected_shapes(alaska)
        tab.wait_for_function(f"() => document.querySelectorAll('path.leaflet-interactive').length === {expected}")
        assert errors == []
        assert [u for u in requested if not u.startswith("data:")] == [url]
        # UTF-8 read right from a file (no server to send a charset): curly quotes and dashes intact.
        expect(tab.locator(".pmx-head")).to_contain_text("Trump–Putin summit in Alaska")
    finally:
        context.close()


def test_hostile_quote_in_the_export_stays_text_on_hover(page: Any, served: str) -> None:
    requested = _offline(page.context, {LOCAL_HOST, "data"})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{served}hostile.html")
    page.wait_for_selector("path.leaflet-interactive")

    box = page.locator(".pm-label", has_text="Donetsk").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".pm-quote")).to_contain_text(HOSTILE)  # shown as the characters typed
    expect(tooltip.locator(".pm-quote")).to_contain_text(TEMPLATE)  # not turned into 49 on the way
    assert tooltip.locator("img, script").count() == 0
    expect(page.locator(".pmx-head")).to_contain_text("<script>alert(3)</script> Kremlin {{7*7}}")
    assert dialogs == []
    assert [url for url in requested if not url.startswith("data:")] == [f"{served}hostile.html"]  # no "x" image
