"""Reading the map from the page in a real browser: shared by the browser tests.

The map lives in streamlit-folium's component iframe, which is same-origin with
the app, so these scripts read its document from the top page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
BASE_SHAPES = 27  # oblasts, Crimea, Kyiv city and Sevastopol: always drawn
LAND = "#fbfaf6"  # fill of an oblast no visible party spoke about (mapview.LAND_UKRAINE)
WAIT_MS = 15_000
EARLY, LATE = "zelenskyy-10-point-plan", "putin-conditions-2024"  # neighbouring events, different fills

# Everything the tests read from the map, computed in the top page from the iframe's document.
MAP_STATE_JS = f"""() => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  const doc = frame && frame.contentDocument;
  if (!doc) return null;
  const paths = [...doc.querySelectorAll('path.leaflet-interactive')];
  const styled = paths.filter(p => p.getAttribute('fill') !== '{LAND}');
  const groups = frame.contentWindow.feature_group;
  return {{
    total: paths.length,
    base: paths.length - styled.length,
    styled: styled.length,
    fills: [...new Set(styled.map(p => p.getAttribute('fill')).filter(f => f && f !== 'none'))].sort(),
    strokes: [...new Set(styled.map(p => p.getAttribute('stroke')))].sort(),
    signature: styled.map(p => p.getAttribute('fill') + '|' + p.getAttribute('stroke')).sort().join(','),
    featureGroups: Array.isArray(groups) ? groups.length : null,
    nodes: doc.getElementsByTagName('*').length,
  }};
}}"""

# Counts shapes on every animation frame: catches a blank map that screenshots miss.
SAMPLER_START_JS = f"""() => {{
  const sampler = {{ min: Number.MAX_SAFE_INTEGER, frames: 0, running: true }};
  const tick = () => {{
    const frame = document.querySelector('{MAP_IFRAME}');
    const doc = frame && frame.contentDocument;
    const count = doc ? doc.querySelectorAll('path.leaflet-interactive').length : 0;
    sampler.min = Math.min(sampler.min, count);
    sampler.frames += 1;
    if (sampler.running) requestAnimationFrame(tick);
  }};
  window.__mapSampler = sampler;
  requestAnimationFrame(tick);
}}"""
# Whether the shape under a point of the screen is a shaded region (not a blank oblast).
SHADED_AT_JS = f"""([x, y]) => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  const box = frame.getBoundingClientRect();
  const hit = frame.contentDocument.elementFromPoint(x - box.left, y - box.top);
  return !!hit && hit.matches('path.leaflet-interactive') && hit.getAttribute('fill') !== '{LAND}';
}}"""
SAMPLER_STOP_JS = "() => { const s = window.__mapSampler; s.running = false; return { min: s.min, frames: s.frames }; }"


def map_state(page: Any) -> dict:
    return page.evaluate(MAP_STATE_JS)


def wait_for_map(page: Any, condition: str, arg: object = None) -> dict:
    """Wait until ``condition`` (JS, given the map state and ``arg``) holds; return the state."""
    page.wait_for_function(
        f"(arg) => {{ const s = ({MAP_STATE_JS})(); return !!s && ({condition}); }}", arg=arg, timeout=WAIT_MS
    )
    return map_state(page)


def open_dashboard(page: Any, app_url: str, query: str = "") -> dict:
    """Open the app and wait until the oblasts and the proposal layer are drawn."""
    page.goto(app_url + query)
    try:
        return wait_for_map(page, f"s.base >= {BASE_SHAPES} && s.styled > 0")
    except PlaywrightTimeoutError:
        pytest.fail(
            f"the map did not draw {BASE_SHAPES} oblasts and a shaded region: {map_state(page)}; "
            f"outside requests: {page.outside_requests}; failed responses: {page.failed_responses}"
        )
