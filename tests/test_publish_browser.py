"""The static site in headless Chromium, served by `python -m http.server` on 127.0.0.1 with nothing else.

The site is built from the small test tree (three events, four parties, the
real oblasts) with markup that would run script in a quote, a speaker, the
first event's title and Europe's name: every test below also shows it stays
text. It builds in seconds; the repository's data is checked view by view in
test_publish.py. Every test fails on a request to any other host.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dashboard import publish
from tests.conftest import DEFAULT_TIMEOUT_MS, serve_folder
from tests.test_publish import HOSTILE_PARTY, HOSTILE_QUOTE, HOSTILE_TITLE, hostile_site, read_data

PHONE = {"width": 390, "height": 844}
BASE_SHAPES = 27  # oblasts, Crimea, Kyiv city and Sevastopol
FIRST, EARLY, LATE = "m1", "m2", "m3"  # the mini tree's events: m2 and m3 fill different regions
READY = "html[data-ready]"
REGIONS_JS = """() => [...document.querySelectorAll('path.pms-region')]
  .map(p => p.getAttribute('fill') + '|' + p.getAttribute('stroke')).sort().join(',')"""
# The embed snippet of docs/publish.md, with the site at mini/ instead of a newsroom's address.
EMBED_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story</title></head><body>
<iframe id="peace-map" src="mini/?event=m3&parties=russia,ukraine&shade=russia"
  title="Russia–Ukraine peace proposals: interactive map" width="100%" height="900"
  style="border:0;display:block" loading="lazy"></iframe>
<script>
window.addEventListener("message", function (event) {
  var frame = document.getElementById("peace-map");
  if (event.source === frame.contentWindow && event.data && event.data.type === "peace-map-height") {
    frame.style.height = Math.min(Number(event.data.height) || 900, 4000) + "px";
  }
});
</script></body></html>"""
# A point where the region's path is the topmost element: a grid over its box, nearest the middle first.
POINT_ON_JS = """code => {
  const path = document.querySelector(`path.pms-region[data-region="${code}"]`);
  if (!path) return null;
  const b = path.getBoundingClientRect();
  const points = [];
  for (let i = 1; i < 12; i++) {
    for (let j = 1; j < 12; j++) points.push([b.left + (b.width * i) / 12, b.top + (b.height * j) / 12]);
  }
  const mid = [b.left + b.width / 2, b.top + b.height / 2];
  points.sort((p, q) => Math.hypot(p[0] - mid[0], p[1] - mid[1]) - Math.hypot(q[0] - mid[0], q[1] - mid[1]));
  const hit = points.find(p => document.elementFromPoint(p[0], p[1]) === path);
  return hit ? {x: hit[0], y: hit[1]} : null;
}"""
DONETSK = "UA-14"
# Recorded before the page's own scripts run: a blocked inline handler would show here.
WATCH_JS = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site at mini/, and a newsroom's story page embedding it."""
    folder = tmp_path_factory.mktemp("sites")
    shutil.copytree(hostile_site()[1], folder / "mini")
    (folder / "story.html").write_text(EMBED_PAGE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(sites: Path) -> Iterator[str]:
    """`python -m http.server` bound to 127.0.0.1 on a free port, serving the sites; its URL."""
    with serve_folder(sites) as url:
        yield url


def _open(tab: Any, url: str) -> list[str]:
    """Open ``url`` and wait for the first drawing; return the list that collects script errors."""
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.add_init_script(WATCH_JS)
    tab.goto(url)
    tab.wait_for_selector(READY)
    return errors


def _hover_region(tab: Any, code: str) -> Any:
    """Move the mouse onto a point where the region's own path is on top (not a line over it); the tooltip."""
    point = tab.evaluate(POINT_ON_JS, code)
    assert point is not None, f"no visible point of {code}"
    tab.mouse.move(point["x"], point["y"])
    return tab.locator(".leaflet-tooltip")


def _label(tab: Any) -> str:
    return tab.locator("#pms-label").inner_text()


def test_draws_every_oblast_and_the_shaded_regions_asking_only_itself(page: Any, server: str, sites: Path) -> None:
    errors = _open(page, f"{server}mini/")
    data = read_data(sites / "mini")
    view = data["views"][data["events"][-1]["views"][-1][publish.DEFAULT_SHADE]]  # latest event, every party
    assert len(view["regions"]) > 0
    expect(page.locator("path.pms-oblast")).to_have_count(BASE_SHAPES)
    expect(page.locator("path.pms-region")).to_have_count(len(view["regions"]))
    expect(page.locator("path.pms-line, path.pms-extra, path.pms-front")).to_have_count(len(view["overlays"]))
    fills = page.eval_on_selector_all("path.pms-region", "ps => ps.map(p => p.getAttribute('fill'))")
    assert {data["styles"][r[1]]["fillColor"] for r in view["regions"]} == set(fills)
    patterned = [fill for fill in fills if fill.startswith("url(#")]
    assert patterned, "the mini tree's front-line freeze in Zaporizhzhia is hatched"
    for fill in patterned:  # a pattern fill needs its <pattern> in the map's SVG
        expect(page.locator(f"#pms-map svg defs.pm-patterns pattern#{fill[5:-1]}")).to_have_count(1)
    expect(page.locator(".pm-legend")).to_contain_text("Proposed lines")
    expect(page.locator(".pm-summary")).to_contain_text("Russia")
    expect(page.locator(".pm-caption")).to_contain_text("Shown: Russia, Ukraine, United States and")
    assert page.outside_requests == []
    assert page.failed_responses == []
    assert errors == []


def test_slider_and_arrow_keys_step_the_timeline_and_change_the_shapes(page: Any, server: str) -> None:
    _open(page, f"{server}mini/?event={EARLY}")
    early_label, early_regions = _label(page), page.evaluate(REGIONS_JS)
    page.locator("h1").click()  # focus on the page, not on a control that uses the arrows itself
    page.keyboard.press("ArrowRight")
    expect(page.locator("#pms-label")).not_to_have_text(early_label)
    assert page.evaluate(REGIONS_JS) != early_regions
    assert f"event={LATE}" in page.url
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#pms-label")).to_have_text(early_label)
    assert page.evaluate(REGIONS_JS) == early_regions

    slider = page.locator("#pms-slider")
    slider.focus()
    page.keyboard.press("Home")  # the range input's own keys
    assert page.url.endswith(f"event={FIRST}&parties=russia,ukraine,united_states,europe&shade=russia")
    expect(page.locator("#pms-back")).to_be_disabled()
    page.keyboard.press("ArrowRight")  # one step per key press, not two (the page's own handler stays out)
    assert f"event={EARLY}" in page.url
    page.locator("#pms-next").click()
    expect(page.locator("#pms-next")).to_be_disabled()


def test_hovering_a_region_shows_its_quote_with_the_article(page: Any, server: str) -> None:
    _open(page, f"{server}mini/?event={FIRST}&parties=russia")
    tooltip = _hover_region(page, DONETSK)
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".pm-quote")).to_contain_text("“")
    expect(tooltip).to_contain_text("Article:")
    expect(tooltip.locator(".pm-head")).to_have_text("Donetsk")


def test_party_toggles_and_shade_choice_redraw_and_follow_the_link(page: Any, server: str) -> None:
    _open(page, f"{server}mini/#event={LATE}&parties=ukraine,united_states&shade=united_states")
    expect(page.locator(".pms-party[aria-pressed=true]")).to_have_text(["Ukraine", "United States"])
    expect(page.locator("input[name=pms-shade]:checked")).to_have_value("united_states")
    expect(page.locator(".pm-legend h4").first).to_have_text("Regions shaded by United States's stance")
    expect(page.locator(".pm-caption")).to_contain_text("Shown: Ukraine and United States")
    assert page.url.endswith(f"?event={LATE}&parties=ukraine,united_states&shade=united_states")  # hash to query

    before = page.evaluate(REGIONS_JS)
    page.locator(".pms-shade-option", has_text="Ukraine").click()
    expect(page.locator(".pm-legend h4").first).to_have_text("Regions shaded by Ukraine's stance")
    assert page.evaluate(REGIONS_JS) != before
    page.locator(".pms-party", has_text="Russia").click()
    expect(page.locator(".pm-caption")).to_contain_text("Shown: Russia, Ukraine and United States")
    assert "parties=russia,ukraine,united_states&shade=ukraine" in page.url

    page.goto(f"{server}mini/?event=no-such-event&parties=ukraine,nobody")
    page.wait_for_selector(READY)
    expect(page.locator("#pms-notice")).to_contain_text("Unknown event 'no-such-event'")
    expect(page.locator("#pms-notice")).to_contain_text("Unknown party 'nobody'")


def test_readable_on_a_phone_with_quotes_on_tap(browser: Any, server: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        tab = context.new_page()
        tab.set_default_timeout(DEFAULT_TIMEOUT_MS)
        _open(tab, f"{server}mini/?event={FIRST}&parties=russia")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        box = tab.locator("#pms-map").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 300
        # The whole country fits the narrow map: every oblast lies inside it.
        inside = tab.eval_on_selector_all(
            "path.pms-oblast",
            """(ps, m) => ps.every(p => { const b = p.getBoundingClientRect();
                return b.left >= m.x - 1 && b.right <= m.x + m.width + 1; })""",
            box,
        )
        assert inside
        _hover_region(tab, DONETSK)
        tab.mouse.down()
        tab.mouse.up()
        selected = tab.locator("#pms-selected")
        expect(selected).to_be_visible()
        expect(selected.locator(".pm-quote").first).to_contain_text("“")
        expect(selected).to_contain_text("Article:")
        assert tab.locator(".leaflet-tooltip-pane").is_hidden()  # no tooltip running off the screen
    finally:
        context.close()


def test_markup_in_the_data_is_shown_as_text_and_never_runs(page: Any, server: str) -> None:
    errors = _open(page, f"{server}mini/?event={FIRST}&parties=russia,ukraine,europe")
    tooltip = _hover_region(page, DONETSK)
    expect(tooltip.locator(".pm-quote")).to_contain_text(HOSTILE_QUOTE)  # the characters, as typed
    assert tooltip.locator("img, script, [onmouseover], [onerror]").count() == 0
    page.mouse.down()
    page.mouse.up()
    expect(page.locator("#pms-selected")).to_contain_text(HOSTILE_QUOTE)
    expect(page.locator(".pms-party").last).to_have_text(HOSTILE_PARTY)
    expect(page.locator("#pms-label")).to_contain_text(HOSTILE_TITLE)
    expect(page.locator(".pm-caption")).to_contain_text(HOSTILE_TITLE)
    page.locator(".pms-party").last.hover()
    page.locator(".pms-shade-option").last.hover()
    page.locator("h1").click()
    for key in ("ArrowRight", "ArrowRight", "ArrowLeft", "ArrowLeft"):
        page.keyboard.press(key)
    expect(page.locator("#pms-events")).to_contain_text(HOSTILE_TITLE)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__violations") == []  # no handler even tried to run (the policy would block it)
    assert page.locator("img:not(.leaflet-tile)").count() == 0
    assert page.failed_responses == []  # an <img src=x> would have asked for /mini/x
    assert page.outside_requests == []
    assert errors == []


def test_embedded_in_an_iframe_it_draws_and_fits_its_height(page: Any, server: str) -> None:
    page.goto(f"{server}story.html")
    frame = page.frame_locator("#peace-map")
    expect(frame.locator("path.pms-oblast")).to_have_count(BASE_SHAPES)
    expect(frame.locator(".pms-party[aria-pressed=true]")).to_have_count(2)
    page.wait_for_function("() => document.getElementById('peace-map').style.height !== ''")
    inner = frame.locator("html").evaluate("html => html.scrollHeight")
    assert page.locator("#peace-map").bounding_box()["height"] == pytest.approx(min(inner, 4000), abs=2)
    assert page.outside_requests == []
    assert page.failed_responses == []
