"""Browser figures: the dashboard on localhost in headless Debian Chromium.

Run with ``python -m bench.browser`` (or ``python -m bench --browser``).
It starts the app on a free 127.0.0.1 port and measures:

- **first map**: from opening the page to the first frame with the oblast
  outlines and a proposal drawn, for the first page after the server starts
  (cold: the server loads the data) and for later pages (warm);
- **slider steps**: for each arrow-key press on the timeline slider, the time
  to the first frame after the new proposal layer appeared (it has then been
  painted), whether any frame in between showed fewer than the 27 oblasts
  (a blank map), and the bytes Streamlit sent over its websocket;
- **a tab that stays small**: JS heap after a forced garbage collection
  (``HeapProfiler.collectGarbage`` then ``Runtime.getHeapUsage``), DOM nodes
  and event listeners (``Performance.getMetrics``) every 50 steps;
- **server memory per session**: the Streamlit process's RSS (/proc) as tabs
  are opened one by one, and after they close.

Nothing here is a test: it prints figures against the targets.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect, sync_playwright

from bench import pagejs
from bench.appserver import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, App, running_app
from bench.server import load_average
from dashboard.sources import load_sources

# Issue 12's targets, on the project's 2-core machine.
FIRST_MAP_TARGET_S = 2.0  # opening the page -> first map painted, after `make dashboard` reports ready
PAINT_MEDIAN_TARGET_MS = 200  # key press -> new shapes painted, median of the steps
PAINT_TARGET_MS = 300  # ... p95
STEP_KIB_TARGET = 60  # websocket bytes per step
STEPS = 200
SAMPLE_EVERY = 50  # steps between heap and DOM readings
WARM_OPENS = 5
SESSIONS = 10  # tabs opened one by one for the memory-per-session figure
MAP_TIMEOUT_MS = 60_000  # a cold first page on a busy 2-core machine can take several seconds
STEP_TIMEOUT_MS = 20_000
SWALLOWED_MS = 1_500  # the slider's label unchanged this long after a press: the press was dropped
MAX_PRESSES = 3
QUIET_MS = 400  # the websocket silent this long: the rerun has finished sending


class Wire:
    """Counts the bytes Streamlit sends a page over its websocket."""

    def __init__(self, page: Any) -> None:
        self.received = 0
        self.last_at = time.monotonic()
        page.on("websocket", self._watch)

    def _watch(self, socket: Any) -> None:
        socket.on("framereceived", self._count)

    def _count(self, payload: str | bytes) -> None:
        self.received += len(payload.encode() if isinstance(payload, str) else payload)
        self.last_at = time.monotonic()

    def wait_quiet(self, page: Any, quiet_ms: int = QUIET_MS, limit_s: float = 15) -> None:
        """Let the page run until nothing has arrived for ``quiet_ms``."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() - self.last_at < quiet_ms / 1000 and time.monotonic() < deadline:
            page.wait_for_timeout(50)


def new_page(browser: Any, url: str) -> tuple[Any, Any, Wire]:
    """A fresh context and tab that records its first map; open ``url``."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(pagejs.FIRST_MAP_INIT)
    wire = Wire(page)
    page.goto(url)
    page.wait_for_function(
        f"() => {{ const f = ({pagejs.FIRST_MAP_READ})(); return f && f.layer !== null; }}", timeout=MAP_TIMEOUT_MS
    )
    return context, page, wire


def first_map_s(page: Any) -> dict[str, float]:
    """Seconds from navigation to the outlines, and to a proposal drawn on them."""
    found = page.evaluate(pagejs.FIRST_MAP_READ)
    return {"outlines_s": found["outlines"] / 1000, "layer_s": found["layer"] / 1000}


def tab_metrics(page: Any, cdp: Any) -> dict[str, float]:
    """JS heap after garbage collection, DOM nodes and listeners, and the map's element count."""
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {
        "heap_mib": heap["usedSize"] / 2**20,
        "nodes": int(metrics.get("Nodes", 0)),
        "listeners": int(metrics.get("JSEventListeners", 0)),
        **page.evaluate(pagejs.DOM_COUNTS),
    }


def press_step(page: Any, wire: Wire, key: str) -> dict[str, Any]:
    """Press ``key`` on the slider; time it to the new layer painted; count blank frames and bytes.

    A press the slider drops (Streamlit sometimes swallows the first after a
    rerun) leaves its label unchanged: it is pressed again, and the clock
    starts at the press that moved it.
    """
    slider = page.get_by_role("slider", name="Timeline")
    slider.focus()  # a rerun may have redrawn it
    label = slider.get_attribute("aria-valuetext")
    page.evaluate(pagejs.STEP_ARM)
    before = wire.received
    presses = 0
    while presses < MAX_PRESSES:
        page.keyboard.press(key)
        presses += 1
        try:
            expect(slider).not_to_have_attribute("aria-valuetext", label, timeout=SWALLOWED_MS)
            break
        except AssertionError:
            continue
    with contextlib.suppress(PlaywrightTimeoutError):  # no new layer: a step without a paint time
        page.wait_for_function(pagejs.STEP_DONE, timeout=STEP_TIMEOUT_MS)
    probe = page.evaluate(pagejs.STEP_READ)
    wire.wait_quiet(page)
    done = probe["paintedAt"] is not None
    return {
        "paint_ms": probe["paintedAt"] - probe["keyAt"] if done else None,
        "min_shapes": probe["minShapes"],
        "min_styled": probe["minStyled"],
        "frames": probe["frames"],
        "presses": presses,
        "bytes": wire.received - before,
    }


def slider_keys(count: int, events: int) -> list[str]:
    """Arrow keys that walk the timeline from the first event to the last and back, ``count`` times."""
    keys, index, direction = [], 0, 1
    for _ in range(count):
        if not 0 <= index + direction < events:
            direction = -direction
        index += direction
        keys.append("ArrowRight" if direction > 0 else "ArrowLeft")
    return keys


def step_run(browser: Any, app: App, first_event: str, events: int, steps: int, query: str = "") -> dict[str, Any]:
    """Step the slider ``steps`` times from the first event; time each step and sample the tab.

    ``query`` adds link parameters to the stepped page (another set of parties, presentation mode).
    """
    context, page, wire = new_page(browser, f"{app.url}?event={first_event}" + (f"&{query}" if query else ""))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    wire.wait_quiet(page)
    for key in ("ArrowRight", "ArrowLeft"):  # back at the start with Streamlit's lazy chunks loaded
        press_step(page, wire, key)
    samples = [{"step": 0, **tab_metrics(page, cdp)}]
    results = []
    for number, key in enumerate(slider_keys(steps, events), start=1):
        results.append(press_step(page, wire, key))
        if number % SAMPLE_EVERY == 0 or number == steps:
            samples.append({"step": number, **tab_metrics(page, cdp)})
    context.close()
    return {"steps": results, "samples": samples}


def sessions_memory(browser: Any, app: App, count: int) -> dict[str, Any]:
    """Server RSS with 0..count extra tabs open, and after they close."""
    readings = [app.rss_mib()]
    contexts = []
    for _ in range(count):
        context, page, wire = new_page(browser, app.url)
        wire.wait_quiet(page)
        contexts.append(context)
        readings.append(app.rss_mib())
    for context in contexts:
        context.close()
    time.sleep(5)
    closed = app.rss_mib()
    per_session = (readings[-1] - readings[0]) / count if count else 0.0
    return {"rss_mib": readings, "after_close_mib": closed, "per_session_mib": per_session}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def print_report(figures: dict[str, Any]) -> None:
    """The figures against the targets."""
    cold, warm = figures["first_map"]["cold"], figures["first_map"]["warm"]
    warm_layer = statistics.median(w["layer_s"] for w in warm)
    loads = figures.get("load_at", {})

    def at(part: str) -> str:
        return f" [load {loads[part]}]" if part in loads else ""

    print(f"Browser figures (headless Chromium, localhost; load average at the end {figures['load_average']})")
    print(
        f"first map (outlines + proposals): cold {cold['layer_s']:.2f} s (outlines {cold['outlines_s']:.2f} s), "
        f"warm median {warm_layer:.2f} s over {len(warm)} opens; target ≤ {FIRST_MAP_TARGET_S:.0f} s: "
        f"{'OK' if max(cold['layer_s'], warm_layer) <= FIRST_MAP_TARGET_S else 'OVER'} "
        f"(server started with python -m dashboard.app, as make dashboard does){at('first_map')}"
    )
    plain = figures["first_map"].get("cold_streamlit_run")
    if plain:
        print(
            f"first map, first page after a plain `streamlit run` of the app: {plain['layer_s']:.2f} s"
            f"{at('streamlit_run')}"
        )
    steps = figures["slider"]["steps"]
    if figures.get("query"):
        print(f"stepped page's link adds: {figures['query']}")
    paints = [s["paint_ms"] for s in steps if s["paint_ms"] is not None]
    blank = [s for s in steps if s["min_shapes"] < pagejs.BASE_SHAPES]
    kib = [s["bytes"] / 1024 for s in steps]
    median, p95 = statistics.median(paints), percentile(paints, 0.95)
    print(
        f"slider key → new shapes painted, {len(paints)} of {len(steps)} steps: median {median:.0f} ms, "
        f"p95 {p95:.0f} ms, max {max(paints):.0f} ms; targets median ≤ {PAINT_MEDIAN_TARGET_MS} ms: "
        f"{'OK' if median <= PAINT_MEDIAN_TARGET_MS else 'OVER'}, p95 ≤ {PAINT_TARGET_MS} ms: "
        f"{'OK' if p95 <= PAINT_TARGET_MS else 'OVER'}{at('slider')}"
    )
    print(
        f"blank map: {len(blank)} of {len(steps)} steps had a frame with fewer than {pagejs.BASE_SHAPES} shapes "
        f"(fewest shapes in any frame: {min(s['min_shapes'] for s in steps)}); presses dropped by the slider: "
        f"{sum(s['presses'] - 1 for s in steps)}"
    )
    print(
        f"websocket bytes per step: median {statistics.median(kib):.1f} KiB, max {max(kib):.1f} KiB; "
        f"target ≤ {STEP_KIB_TARGET} KiB: {'OK' if statistics.median(kib) <= STEP_KIB_TARGET else 'OVER'} (median)"
    )
    print(f"{'step':>5}  {'JS heap MiB':>11}  {'DOM nodes':>9}  {'listeners':>9}  {'map elements':>12}  {'groups':>6}")
    for s in figures["slider"]["samples"]:
        print(
            f"{s['step']:>5}  {s['heap_mib']:>11.1f}  {s['nodes']:>9}  {s['listeners']:>9}  "
            f"{s['mapElements']:>12}  {s['featureGroups']!s:>6}"
        )
    memory = figures["sessions"]
    readings = ", ".join(f"{r:.0f}" for r in memory["rss_mib"])
    print(
        f"server RSS with 0..{len(memory['rss_mib']) - 1} more tabs open: {readings} MiB; "
        f"{memory['per_session_mib']:.1f} MiB per session; {memory['after_close_mib']:.0f} MiB after they closed"
        f"{at('sessions')}"
    )


def run(steps: int, sessions: int, query: str = "") -> dict[str, Any]:
    """Start the app and a browser, take every measurement, return the figures."""
    sources, problems = load_sources()
    if sources is None:
        raise SystemExit(f"The sources do not load ({len(problems)} problem(s)).")
    events = list(sources.events.index)
    load_at = {"streamlit_run": load_average()}  # the machine is shared: each part's load at its start
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            with running_app() as app:  # `streamlit run`: the first page imports and loads everything
                context, page, _ = new_page(browser, app.url)
                cold_plain = first_map_s(page)
                context.close()
        finally:
            browser.close()
    with running_app(preload=True) as app, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            start_rss = app.rss_mib()
            load_at["first_map"] = load_average()
            context, page, _ = new_page(browser, app.url)
            cold = first_map_s(page)
            context.close()
            warm = []
            for _ in range(WARM_OPENS):
                context, page, _ = new_page(browser, app.url)
                warm.append(first_map_s(page))
                context.close()
            load_at["slider"] = load_average()
            slider = step_run(browser, app, events[0], len(events), steps, query)
            load_at["sessions"] = load_average()
            memory = sessions_memory(browser, app, sessions)
        finally:
            browser.close()
    return {
        "load_average": load_average(),
        "load_at": load_at,
        "query": query,
        "server_rss_at_start_mib": start_rss,
        "first_map": {"cold": cold, "warm": warm, "cold_streamlit_run": cold_plain},
        "slider": slider,
        "sessions": memory,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: how many steps and sessions, and where to write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS, help="slider key presses")
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="tabs opened for the memory figure")
    parser.add_argument(
        "--query", default="", help="link parameters for the stepped page, e.g. parties=russia,ukraine or mode=present"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install-chromium.sh).")
        return 1
    figures = run(max(args.steps, 1), max(args.sessions, 0), args.query)
    print_report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
