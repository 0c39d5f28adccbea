"""Access for every reader, in headless Chromium: axe-core's WCAG 2.1 A/AA rules and a keyboard-only walk.

axe-core is the engine accessibility audits use; it comes with the
``axe-playwright-python`` package (requirements-dev.txt), so nothing is
downloaded at test time. It runs in the top page and in every frame (the map is
streamlit-folium's same-origin frame), in a context that bypasses the static
site's Content-Security-Policy so the engine can be injected. A serious or
critical finding fails, and so does a viewport that forbids zoom (axe rates
that "moderate").

Both surfaces: the app (started as ``make dashboard`` starts it) and the static
site built from the repository's data by ``dashboard.publish``, served by
``python -m http.server`` on 127.0.0.1; at 1280x720, 1920x1080 and a 390x844 phone.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from mapdom import BASE_SHAPES, MAP_IFRAME, ROOT, WAIT_MS, open_dashboard, wait_for_map
from playwright.sync_api import expect

from dashboard import publish
from tests.conftest import serve_folder
from tests.test_publish_browser import POINT_ON_JS

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
ALWAYS_BLOCKING = {"meta-viewport", "meta-viewport-large"}  # a page that forbids zoom (WCAG 1.4.4)
VIEWPORTS = {
    "laptop": {"width": 1280, "height": 720},
    "desktop": {"width": 1920, "height": 1080},
    "phone": {"width": 390, "height": 844},
}
PHONE_WIDTHS = (360, 390, 414)
PHONE_HEIGHT = 844
UKRAINE = [[44.4, 22.2], [52.3, 40.1]]  # lat, lon: a box inside the 1991 border's extremes (south-west, north-east)
# Place names shown on the map (not hidden by the page), as [text, left, top, right, bottom] of their letters.
LABEL_BOXES_JS = """() => [...document.querySelectorAll('#pms-map .pm-label')]
  .filter(l => getComputedStyle(l).visibility !== 'hidden')
  .map(l => { const r = document.createRange(); r.selectNodeContents(l); const b = r.getBoundingClientRect();
              return [l.textContent, b.left, b.top, b.right, b.bottom]; })"""
READY = "html[data-ready]"
MAX_TABS = 80  # Tab presses allowed to reach a control: the app's sidebar comes first
AXE_RUN_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false,
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160) + ' :: ' + (n.failureSummary || '').slice(0, 240))}));
}"""
# Streamlit's rerun has finished: no element faded as stale, no "running" status with its Stop button.
NO_STALE_JS = """() => !document.querySelector('[data-stale="true"], [data-testid="stStatusWidget"]')"""


def quotes() -> set[str]:
    """Every verbatim quote in data/claims.csv."""
    with (ROOT / "data" / "claims.csv").open(newline="", encoding="utf-8") as file:
        return {row["quote"] for row in csv.DictReader(file)}


def axe_findings(page: Any) -> list[str]:
    """Violations that fail the check, in the top page and every frame, one line each."""
    findings = []
    for frame in page.frames:
        if frame.is_detached() or not frame.url.startswith("http"):
            continue
        frame.add_script_tag(path=str(AXE_JS))
        for violation in frame.evaluate(AXE_RUN_JS, WCAG_TAGS):
            if violation["impact"] in BLOCKING or violation["id"] in ALWAYS_BLOCKING:
                where = "top page" if frame == page.main_frame else frame.url[:80]
                findings.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['nodes']}")
    return findings


def tab_to(page: Any, target: Any, limit: int = MAX_TABS) -> None:
    """Press Tab until ``target`` (a locator) has the keyboard focus; fail if it never does."""
    handle = target.element_handle()
    for _ in range(limit):
        if handle.evaluate("e => e === document.activeElement || e.contains(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{limit} Tab presses never reached {target}")


@pytest.fixture
def tab(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page at the viewport named by the test's ``viewport`` parameter, able to inject axe."""
    viewport = VIEWPORTS[getattr(request, "param", "laptop")]
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The static site built from the repository's data, served on 127.0.0.1; its URL."""
    folder = tmp_path_factory.mktemp("access-site")
    report, problems = publish.publish(folder / "site", jobs=2)
    assert problems == [] and report is not None, problems
    with serve_folder(report.out) as url:
        yield url


def open_site(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY)


def open_app(page: Any, url: str) -> None:
    open_dashboard(page, url)
    page.wait_for_function(NO_STALE_JS)


@pytest.mark.parametrize("tab", list(VIEWPORTS), indirect=True)
def test_static_site_passes_axe_wcag_aa_with_its_table_open(tab: Any, site_url: str) -> None:
    open_site(tab, site_url)
    assert axe_findings(tab) == []
    tab.locator(".pm-positions-box summary").click()
    expect(tab.locator("table.pm-positions")).to_be_visible()
    assert axe_findings(tab) == []


@pytest.mark.parametrize("tab", list(VIEWPORTS), indirect=True)
def test_app_passes_axe_wcag_aa_with_its_table_open(tab: Any, app_url: str) -> None:
    open_app(tab, app_url)
    assert axe_findings(tab) == []
    toggle = tab.get_by_text("Positions and quotes as a table")
    toggle.click()
    expect(tab.locator("table.pm-positions")).to_be_visible(timeout=WAIT_MS)
    tab.wait_for_function(NO_STALE_JS)
    assert axe_findings(tab) == []


def test_map_frame_lets_readers_zoom(tab: Any, app_url: str) -> None:
    open_app(tab, app_url)
    viewport = tab.frame_locator(MAP_IFRAME).locator('meta[name="viewport"]')
    expect(viewport.last).to_have_attribute("content", re.compile(r"width=device-width"))
    contents = viewport.evaluate_all("ms => ms.map(m => m.content)")
    assert not [c for c in contents if "user-scalable=no" in c or "maximum-scale=1" in c], contents


def test_static_site_by_keyboard_alone_changes_date_and_layer_and_reads_quotes(tab: Any, site_url: str) -> None:
    open_site(tab, site_url)
    tab.keyboard.press("Tab")
    label = tab.locator("#pms-label")
    before = label.inner_text()
    tab_to(tab, tab.locator("#pms-slider"))
    tab.keyboard.press("ArrowLeft")
    expect(label).not_to_have_text(before)

    russia = tab.locator(".pms-party", has_text="Russia")
    tab_to(tab, russia)
    tab.keyboard.press("Enter")
    expect(russia).to_have_attribute("aria-pressed", "false")
    expect(tab.locator(".pm-caption")).not_to_contain_text("Russia,")

    tab_to(tab, tab.locator(".pm-positions-box summary"))
    tab.keyboard.press("Enter")
    table = tab.locator("table.pm-positions")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_contain_text("Stated positions on each region")
    rows = table.locator("tbody tr:visible")
    assert rows.count() > 0
    assert table.locator('tbody tr[data-party="russia"]:visible').count() == 0, "a hidden layer's rows are shown"
    said = rows.first.locator("q").first.inner_text()
    assert said in quotes(), f"{said!r} is not a verbatim quote from claims.csv"
    tab_to(tab, tab.locator("#pms-events"))  # the scrolling event list is reachable too


def test_app_by_keyboard_alone_changes_layer_and_date_and_reads_quotes(tab: Any, app_url: str) -> None:
    open_app(tab, app_url)
    tab.locator("body").press("Tab")
    state = wait_for_map(tab, f"s.base >= {BASE_SHAPES}")

    russia = tab.get_by_role("button", name="Russia", exact=True)
    tab_to(tab, russia)
    tab.keyboard.press("Enter")
    expect(tab).not_to_have_url(re.compile(r"parties=russia"), timeout=WAIT_MS)
    state = wait_for_map(tab, "s.signature !== arg", state["signature"])

    slider = tab.get_by_role("slider", name="Timeline")
    tab_to(tab, slider)
    before = slider.get_attribute("aria-valuetext")
    for _ in range(3):  # the first arrow after focusing a Streamlit slider is sometimes swallowed
        tab.keyboard.press("ArrowLeft")
        try:
            expect(slider).not_to_have_attribute("aria-valuetext", before, timeout=2_000)
            break
        except AssertionError:
            continue
    expect(slider).not_to_have_attribute("aria-valuetext", before)
    tab.wait_for_function(NO_STALE_JS)

    toggle = tab.get_by_role("switch", name="Positions and quotes as a table")
    tab_to(tab, toggle)
    tab.keyboard.press("Space")
    table = tab.locator("table.pm-positions")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_contain_text("Stated positions on each region")
    assert table.locator('tbody tr[data-party="russia"]').count() == 0, "a hidden layer's rows are listed"
    said = table.locator("tbody q").first.inner_text()
    assert said in quotes(), f"{said!r} is not a verbatim quote from claims.csv"
    tab_to(tab, tab.locator(".pm-events-box"))  # the scrolling event list is reachable too


def overlapping(boxes: list[list]) -> list[str]:
    """Pairs of place names whose letters overlap."""
    return [
        f"{a[0]} / {b[0]}"
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_static_site_on_a_phone_puts_the_map_first_and_quotes_beside_it(
    browser: Any, site_url: str, width: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": PHONE_HEIGHT}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        tab = context.new_page()
        tab.set_default_timeout(WAIT_MS)
        open_site(tab, site_url)
        box = tab.locator("#pms-map").bounding_box()
        in_first_screen = min(box["y"] + box["height"], PHONE_HEIGHT) - max(box["y"], 0)
        assert in_first_screen >= PHONE_HEIGHT / 2, f"the map fills {in_first_screen:.0f} px of the first screen"
        slider = tab.locator("#pms-slider").bounding_box()
        assert slider["y"] + slider["height"] <= box["y"], "the date and slider sit above the map"
        fold = tab.locator("#pms-fold-summary")
        expect(fold).to_be_visible()
        expect(fold).to_contain_text("Layers: Russia")
        expect(tab.locator(".pms-party").first).to_be_hidden()  # folded away until asked for
        fold.tap()
        expect(tab.locator(".pms-party").first).to_be_visible()
        fold.tap()
        assert tab.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling

        shown = tab.evaluate(
            "(b) => { const v = window.pmsMap.getBounds(); return v.contains(L.latLngBounds(b)); }", UKRAINE
        )
        assert shown, "the map does not show the whole of Ukraine on load"
        labels = tab.evaluate(LABEL_BOXES_JS)
        assert len(labels) >= 8 and overlapping(labels) == []
        zoom = tab.evaluate("() => window.pmsMap.getZoom()")
        tab.locator(".leaflet-control-zoom-in").tap()
        tab.wait_for_function(
            f"""(z) => {{ if (window.pmsMap.getZoom() <= z || window.pmsMap._animatingZoom) return false;
                const b = ({LABEL_BOXES_JS})();
                return b.length > 0 && !b.some((x, i) => b.slice(i + 1).some(y =>
                  x[1] < y[3] && y[1] < x[3] && x[2] < y[4] && y[2] < x[4])); }}""",
            arg=zoom,
        )  # zoomed in, names are placed again and still none overlaps

        tab.locator(".leaflet-control-zoom-out").tap()
        tab.wait_for_function(
            "(z) => window.pmsMap.getZoom() === z && !window.pmsMap._animatingZoom", arg=zoom
        )  # back to the fitted view and settled, so the shapes are where they will be tapped
        codes = tab.eval_on_selector_all("path.pms-region", "ps => ps.map(p => p.getAttribute('data-region'))")
        # A point where a shaded region itself, not a line over it, is on top (small ones may be all line).
        points = [p for p in (tab.evaluate(POINT_ON_JS, code) for code in codes) if p is not None]
        assert points, f"no shaded region can be tapped among {codes}"
        tab.touchscreen.tap(points[0]["x"], points[0]["y"])
        selected = tab.locator("#pms-selected")
        expect(selected).to_be_visible()
        expect(selected.locator(".pm-quote").first).to_contain_text("“")
        tab.wait_for_function(
            """() => { const m = document.getElementById('pms-map').getBoundingClientRect();
                const s = document.getElementById('pms-selected').getBoundingClientRect();
                return s.top >= m.bottom - 1 && m.top >= 0 && s.top < innerHeight; }"""
        )  # the quotes open below the map, in view, covering none of it
        tab.locator(".pms-close").tap()
        expect(selected).to_be_hidden()
    finally:
        context.close()
