"""JavaScript the benchmarks run in the page, reading the map in streamlit-folium's iframe.

The iframe is same-origin with the app, so scripts in the top page read its
document. Shapes are ``path.leaflet-interactive``; an oblast nobody spoke
about keeps the base land colour, so any other fill is a drawn proposal.
Times are ``performance.now()`` in the top page (milliseconds since the
navigation started).
"""

from __future__ import annotations

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
BASE_SHAPES = 27  # oblasts, Crimea, Kyiv city and Sevastopol: always drawn
LAND = "#fbfaf6"  # fill of an oblast no shown party spoke about (mapview.LAND_UKRAINE)

_COUNT = f"""
  const frame = document.querySelector('{MAP_IFRAME}');
  const doc = frame && frame.contentDocument;
  const paths = doc ? doc.querySelectorAll('path.leaflet-interactive') : [];
  let styled = 0;
  for (const p of paths) {{ const f = p.getAttribute('fill'); if (f && f !== 'none' && f !== '{LAND}') styled += 1; }}
"""

# Added before the page loads (every frame runs it; only the top page records):
# the first frame with the outlines drawn, and the first with a proposal on them too.
FIRST_MAP_INIT = f"""
if (window === window.top) {{
  window.__firstMap = {{ outlines: null, layer: null }};
  const tick = () => {{
    {_COUNT}
    const now = performance.now();
    if (window.__firstMap.outlines === null && paths.length >= {BASE_SHAPES}) window.__firstMap.outlines = now;
    if (paths.length >= {BASE_SHAPES} && styled > 0) {{ window.__firstMap.layer = now; return; }}
    requestAnimationFrame(tick);
  }};
  requestAnimationFrame(tick);
}}
"""
FIRST_MAP_READ = "() => window.__firstMap"

# Arms a probe for one step: the next key press starts the clock; the probe
# stops one frame after a feature group the component had not shown before
# appears (that frame has then been painted). Every frame in between counts
# the shapes, so a map that blanks for a single frame is caught.
STEP_ARM = f"""() => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  const win = frame.contentWindow;
  for (const g of (win.feature_group || [])) g.__benchSeen = true;
  const probe = {{ keyAt: null, foundAt: null, paintedAt: null, minShapes: 1e9, minStyled: 1e9, frames: 0,
                   groups: null }};
  window.__step = probe;
  if (!window.__benchKeys) {{
    // One listener for the whole run (one per step would itself grow the tab); the latest press counts.
    window.__benchKeys = true;
    window.addEventListener('keydown', () => {{ if (window.__step) window.__step.keyAt = performance.now(); }},
                            {{ capture: true }});
  }}
  const tick = () => {{
    {_COUNT}
    probe.frames += 1;
    probe.minShapes = Math.min(probe.minShapes, paths.length);
    probe.minStyled = Math.min(probe.minStyled, styled);
    if (probe.foundAt !== null) {{ probe.paintedAt = performance.now(); return; }}
    const groups = (frame.contentWindow.feature_group || []);
    const fresh = groups.some(g => !g.__benchSeen);
    if (probe.keyAt !== null && fresh) {{ probe.foundAt = performance.now(); probe.groups = groups.length; }}
    requestAnimationFrame(tick);
  }};
  requestAnimationFrame(tick);
}}"""
STEP_DONE = "() => !!window.__step && window.__step.paintedAt !== null"
STEP_READ = "() => window.__step"

# What the tab holds besides the JS heap: elements in the page and in the map, groups the component keeps.
DOM_COUNTS = f"""() => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  const doc = frame && frame.contentDocument;
  const groups = frame && frame.contentWindow.feature_group;
  return {{
    pageElements: document.getElementsByTagName('*').length,
    mapElements: doc ? doc.getElementsByTagName('*').length : 0,
    featureGroups: Array.isArray(groups) ? groups.length : null,
  }};
}}"""

# Arms a probe for one load-test action (a click): done when the caption under
# the map names the expected event and parties and the map has shown a new
# layer. A step whose layer is byte-for-byte the previous one sends no new
# layer, so the probe also finishes 1.5 s after the caption if none comes.
ACTION_ARM = f"""(parts) => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  for (const g of (frame.contentWindow.feature_group || [])) g.__benchSeen = true;
  const probe = {{ actionAt: null, captionAt: null, groupAt: null, doneAt: null, minShapes: 1e9 }};
  window.__action = probe;
  if (!window.__benchClicks) {{
    window.__benchClicks = true;
    const mark = () => {{ if (window.__action) window.__action.actionAt = performance.now(); }};
    window.addEventListener('pointerdown', mark, {{ capture: true }});
  }}
  const tick = () => {{
    const now = performance.now();
    const frame = document.querySelector('{MAP_IFRAME}');
    const doc = frame && frame.contentDocument;
    probe.minShapes = Math.min(probe.minShapes, doc ? doc.querySelectorAll('path.leaflet-interactive').length : 0);
    if (probe.actionAt !== null) {{
      const caption = document.querySelector('.pm-caption');
      if (probe.captionAt === null && caption && parts.every(p => caption.textContent.includes(p))) {{
        probe.captionAt = now;
      }}
      const groups = (frame && frame.contentWindow.feature_group) || [];
      if (probe.groupAt === null && groups.some(g => !g.__benchSeen)) probe.groupAt = now;
      if (probe.captionAt !== null && (probe.groupAt !== null || now - probe.captionAt > 1500)) {{
        probe.doneAt = now;
        return;
      }}
    }}
    requestAnimationFrame(tick);
  }};
  requestAnimationFrame(tick);
}}"""
ACTION_DONE = "() => !!window.__action && window.__action.doneAt !== null"
ACTION_READ = "() => window.__action"

# The map is up: the oblasts are drawn and the component has added the proposal layer (it may hold no shape).
MAP_READY = f"""() => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  const doc = frame && frame.contentDocument;
  const groups = frame && frame.contentWindow.feature_group;
  return !!doc && doc.querySelectorAll('path.leaflet-interactive').length >= {BASE_SHAPES}
    && Array.isArray(groups) && groups.length > 0;
}}"""
