"""``python -m bench``: time the server side of every step, print the figures (see bench/server.py).

``--browser`` runs the headless-Chromium figures (bench/browser.py) instead;
the load test is ``python -m bench.load``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from dataclasses import asdict
from pathlib import Path

from bench import naive, scale, server
from bench.server import (
    DEFAULT_REPEAT,
    STEP_BUDGET_MS,
    BaseMapFigures,
    BaseMaps,
    Row,
    app_reruns,
    check_app,
    event_rows,
    format_table,
    load_average,
    measure_base_map,
    median_ms,
    summarise,
    summary_lines,
    toggle_rows,
    verdict,
)
from dashboard.sources import load_sources


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=server.__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="runs per figure; the median is shown")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--check-app", action="store_true", help="compare the payload with AppTest's and time whole reruns (slow)"
    )
    parser.add_argument("--quick", action="store_true", help="skip the naive baseline and the 10×/100× scaling")
    parser.add_argument("--events", help="comma-separated event ids to time (default: every event)")
    parser.add_argument("--browser", action="store_true", help="run the headless-Chromium figures instead")
    args, rest = parser.parse_known_args(argv)
    if rest and not args.browser:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    args.rest = rest
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def row_dict(row: Row) -> dict:
    """A row as JSON-ready figures, derived ones included."""
    return {
        **asdict(row),
        "step_ms": row.step_ms,
        "cached_ms": row.cached_ms,
        "layer_kib": row.layer_kib,
        "sent_kib": row.sent_kib,
    }


def print_header(repeat: int, load_ms: float, base: BaseMapFigures) -> None:
    """What the figures mean, and the per-page costs that are not per step."""
    print(f"Load average (1/5/15 min) at the start: {load_average()} on {os.cpu_count()} CPU(s)")
    print(f"Median of {repeat} run(s). state = build_map_state of a view not cached, the date's positions")
    print("completed (the app does every date at start); unwarmed = the same with nothing completed;")
    print("map = base map + layer through st_folium, layer script made afresh; step = state + map;")
    print("cached = base map + the layer's cached script through st_folium (a state any session drew before);")
    print("layer KiB = feature_group as sent; sent KiB = JSON of all st_folium's component args (every rerun).")
    print(f"load_sources: {load_ms:.1f} ms (once per data version)")
    print(f"base map: script {base.script_bytes / 1024:.1f} KiB, built + rendered in {base.rerun_ms:.1f} ms per rerun")
    if base.geometry_bytes:
        print(f"base outlines fetched once per page from /app/static: {base.geometry_bytes / 1024:.1f} KiB")


def main(argv: list[str] | None = None) -> int:
    """Measure, print the tables and the summary, optionally write JSON; 1 if the sources do not load."""
    args = parse_args(argv)
    if args.browser:
        from bench import browser  # deferred: needs Playwright and Chromium

        return browser.main(args.rest + (["--json", str(args.json)] if args.json else []))
    start_load = load_average()
    load_ms, (sources, problems) = median_ms(load_sources, args.repeat)
    if sources is None:
        print(f"The sources do not load ({len(problems)} problem(s)); nothing to measure.")
        return 1
    maps = BaseMaps(sources)
    base = measure_base_map(maps, args.repeat)
    chosen = args.events.split(",") if args.events else None
    unknown = [e for e in chosen or [] if e not in sources.events.index]
    if unknown:
        print(f"Unknown event(s): {', '.join(unknown)}")
        return 2
    events = event_rows(sources, maps, args.repeat, chosen)
    toggles = toggle_rows(sources, maps, args.repeat)
    summary = summarise(events + toggles)

    print_header(args.repeat, load_ms, base)
    print()
    print(format_table(events, "event"))
    print()
    print(f"Layer toggles at {sources.events.index[-1]}:")
    print(format_table(toggles, "toggle"))
    print()
    print("Events and toggles together:")
    print("\n".join(summary_lines(summary)))
    figures = {
        "repeat": args.repeat,
        "load_sources_ms": load_ms,
        "base_map": asdict(base),
        "events": [row_dict(r) for r in events],
        "toggles": [row_dict(r) for r in toggles],
        "summary": summary,
        "load_average_at_start": start_load,
    }
    if not args.quick:
        print()
        figures["naive"] = naive.report(sources, maps, events, args.repeat)
        print()
        figures["scaling"] = scale.report(args.repeat)
    if args.check_app:
        print()
        print(check_app(sources, maps))
        reruns = app_reruns(sources)
        figures["app_reruns_ms"] = reruns
        for name, times in reruns.items():
            label = name.replace("_wall", " (AppTest wall time)").replace("_", " ")
            print(
                f"whole-script rerun, {label}: median {statistics.median(times):.0f} ms,"
                f" max {max(times):.0f} ms vs budget {STEP_BUDGET_MS} ms: {verdict(max(times) <= STEP_BUDGET_MS)}"
            )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
