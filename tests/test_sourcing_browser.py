"""Whose word a position is, in a real browser: faint second-hand regions, the own-word switch, corrections."""

from __future__ import annotations

import re
from typing import Any

from fixture_data import read_rows
from mapdom import BASE_SHAPES, MAP_IFRAME, WAIT_MS, open_dashboard, wait_for_map
from playwright.sync_api import expect

from dashboard.mapstate import INDIRECT_DASH
from dashboard.paths import CORRECTIONS_CSV

KYRGYZSTAN = "?event=putin-kyrgyzstan&parties=russia,united_states"
# Regions drawn from second-hand or inferred claims, counted in the map's iframe.
INDIRECT_JS = f"""() => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  const doc = frame && frame.contentDocument;
  if (!doc) return -1;
  return doc.querySelectorAll('path.leaflet-interactive[stroke-dasharray="{INDIRECT_DASH}"]').length;
}}"""


def _indirect_count_is(page: Any, condition: str) -> None:
    page.wait_for_function(f"() => {{ const n = ({INDIRECT_JS})(); return n >= 0 && n {condition}; }}", timeout=WAIT_MS)


def _hover_region(page: Any, name: str) -> Any:
    label = page.frame_locator(MAP_IFRAME).locator(".pm-label", has_text=re.compile(rf"^{re.escape(name)}$"))
    box = label.bounding_box()
    assert box is not None, f"no label {name!r}"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip")
    expect(tooltip.locator(".pm-head").first).to_have_text(name)
    return tooltip


def test_a_second_hand_position_is_drawn_faint_and_its_tooltip_says_whose_word(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url, KYRGYZSTAN + "&shade=united_states")
    _indirect_count_is(page, ">= 4")  # Crimea, Sevastopol, Donetsk, Luhansk: Putin's account of the US
    tooltip = _hover_region(page, "Donetsk")
    expect(tooltip.locator(".pm-sourcing")).to_contain_text("Second-hand: in the words of Vladimir Putin")
    expect(tooltip.locator(".pm-sourcing")).to_contain_text("(United States) is not quoted")
    legend = page.locator(".pm-legend")
    expect(legend).to_contain_text("second-hand or inferred")


def test_a_stated_position_has_no_second_hand_line(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url, KYRGYZSTAN + "&shade=russia")
    tooltip = _hover_region(page, "Donetsk")
    expect(tooltip.locator(".pm-stance")).to_contain_text("Russia: To be recognised as Russian (form not stated)")
    expect(tooltip.locator(".pm-sourcing")).to_have_count(0)
    expect(tooltip.locator(".pm-cite").first).to_contain_text("Stated")


def test_the_own_word_switch_removes_indirect_positions_and_survives_a_reload(page: Any, app_url: str) -> None:
    open_dashboard(page, app_url, KYRGYZSTAN + "&shade=russia")
    _indirect_count_is(page, ">= 2")  # Zaporizhzhia and Kherson: regions read from "the territories Moscow claims"
    page.get_by_text("Only the parties' own positions").click()
    expect(page).to_have_url(re.compile(r"[?&]sourcing=own(&|$)"), timeout=WAIT_MS)
    _indirect_count_is(page, "=== 0")
    # Russia's own latest word on Zaporizhzhia (the freeze reported after Alaska) replaces the inferred reading.
    wait_for_map(page, f"s.base >= {BASE_SHAPES} && s.styled > 0")
    tooltip = _hover_region(page, "Zaporizhzhia")
    expect(tooltip).to_contain_text("15 Aug 2025")

    page.reload()
    wait_for_map(page, f"s.base >= {BASE_SHAPES} && s.styled > 0")
    _indirect_count_is(page, "=== 0")
    expect(page.get_by_role("switch", name="Only the parties' own positions")).to_be_checked()


def test_the_corrections_panel_lists_the_log(page: Any, app_url: str) -> None:
    entries = read_rows(CORRECTIONS_CSV)
    open_dashboard(page, app_url)
    page.get_by_text(f"Corrections ({len(entries)})").click()
    panel = page.locator(".pm-corrections")
    expect(panel.locator("li")).to_have_count(len(entries))
    expect(panel).to_contain_text("under discussion, nothing agreed; second-hand")
    expect(panel.locator("li").first).to_contain_text(f"k{len(entries):03d}")  # newest first
