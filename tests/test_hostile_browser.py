"""Script injection, checked in the real browser: markup in every article field stays text and never runs.

The source tree's quote, speaker, note, event title and summary and article
title hold ``<img src=x onerror=alert(…)>``, ``</script><script>…``, a Jinja
template and a formula. Any alert() that ran would open a dialog; Playwright
reports dialogs as events, so the tests fail on the first one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import serve_app
from fixture_data import hostile_root
from mapdom import MAP_IFRAME, WAIT_MS, open_dashboard
from playwright.sync_api import expect

from dashboard.sources import ROOT_ENV

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = hostile_root(tmp_path_factory.mktemp("hostile"))
    with serve_app({ROOT_ENV: str(root)}, log_name="streamlit_hostile.log") as url:
        yield url


def _watch_dialogs(page: Any) -> list[str]:
    dialogs: list[str] = []

    def _seen(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", _seen)
    return dialogs


def _label_point(page: Any, text: str) -> tuple[float, float]:
    # bounding_box() of an element in the map iframe is already in page coordinates.
    box = page.frame_locator(MAP_IFRAME).locator(".pm-label", has_text=text).first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_hostile_text_shows_as_text_in_tooltips_panels_and_legend(page: Any, hostile_url: str) -> None:
    dialogs = _watch_dialogs(page)
    open_dashboard(page, hostile_url, "?event=h1&parties=russia,ukraine")
    body = page.locator("body")
    expect(body).to_contain_text("<script>alert(3)</script> Kremlin", timeout=WAIT_MS)  # the event title, as written
    expect(body).to_contain_text("{{7*7}}", timeout=WAIT_MS)
    page.mouse.move(*_label_point(page, "Donetsk"))
    tooltip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip").first
    expect(tooltip).to_contain_text(PAYLOAD, timeout=WAIT_MS)
    expect(tooltip).to_contain_text("<i onmouseover=alert(4)>The Kremlin</i>")
    expect(tooltip).to_contain_text("{{7*7}}")  # shown as typed, not rendered as a template (49)
    page.mouse.click(*_label_point(page, "Donetsk"))  # the region's table too
    page.get_by_role("heading", name="Donetsk: every position up to 1 Mar 2025").wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(500)
    assert dialogs == []


def test_hostile_text_stays_inert_in_the_exported_html(page: Any, hostile_url: str, tmp_path: Path) -> None:
    dialogs = _watch_dialogs(page)
    open_dashboard(page, hostile_url, "?event=h1&parties=russia,ukraine")
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Interactive map (HTML, works offline)").click()
    exported = tmp_path / "map.html"
    info.value.save_as(exported)
    viewer = page.context.new_page()
    viewer.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    viewer.goto(exported.as_uri())
    viewer.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
    viewer.wait_for_timeout(500)
    raw = exported.read_text(encoding="utf-8")
    assert "<img src=x onerror" not in raw  # only ever escaped, inside the map's data
    assert "lt;img src=x onerror=alert(1)" in raw
    assert dialogs == []
