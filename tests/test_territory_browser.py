"""The front line and territory panel in a real browser, and a newsroom's own line uploaded from the sidebar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mapdom import WAIT_MS, open_dashboard
from playwright.sync_api import expect

from dashboard.mapstate import FRONT_STYLE

FIXTURES = Path(__file__).parent / "fixtures" / "frontline"
LINK = "?event=alaska-summit&parties=russia,ukraine&shade=russia"
FRONT_PATHS_JS = f"""() => {{
  const doc = document.querySelector('iframe[title="streamlit_folium.st_folium"]').contentDocument;
  return [...doc.querySelectorAll('path.leaflet-interactive')]
    .filter(p => p.getAttribute('stroke') === '{FRONT_STYLE["color"]}').length;
}}"""


def test_the_front_line_of_the_date_is_drawn_and_measured(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url, LINK)
    page.wait_for_function(f"() => ({FRONT_PATHS_JS})() >= 1", timeout=WAIT_MS)
    legend = page.locator(".pm-legend").first
    expect(legend).to_contain_text("Front line of 15 Aug 2025", timeout=WAIT_MS)
    expect(legend).to_contain_text("land asked for beyond the front line", timeout=WAIT_MS)
    page.get_by_text("Held by Russia").first.wait_for(timeout=WAIT_MS)
    expect(page.locator("body")).to_contain_text("Front line of 15 Aug 2025 (the bundled line", timeout=WAIT_MS)


def test_an_uploaded_line_replaces_the_bundled_one_and_a_bad_file_does_not(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url, LINK)
    uploader = page.locator('section[data-testid="stSidebar"] input[type="file"]')
    uploader.set_input_files(str(FIXTURES / "not_json.geojson"))
    page.get_by_text("The built-in front lines stay in use").wait_for(timeout=WAIT_MS)
    expect(page.locator("body")).to_contain_text("(the bundled line", timeout=WAIT_MS)

    # The fixture dates itself (1 Jan 2025), so it applies from that day on.
    uploader.set_input_files(str(FIXTURES / "straight_line.geojson"))
    page.get_by_text("(your uploaded line").wait_for(timeout=WAIT_MS)
    page.wait_for_function(f"() => ({FRONT_PATHS_JS})() >= 1", timeout=WAIT_MS)
