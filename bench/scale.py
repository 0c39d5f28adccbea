"""How a step's cost grows with the data: 10× and 100× synthetic claims and events.

The synthetic records are copies of the real ones, each copy's events moved
a few days later (so they interleave on the timeline) and its claims moved
with them. Quotes stay verbatim from the same articles, so the copies pass
the same validation as the real files. They are written into a temporary
copy of the source tree and loaded with ``SourcePaths.under``; the
repository's files are never touched.

Run alone with ``python -m bench.scale [--factors 1,10,100] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench import server as bench
from dashboard import paths
from dashboard.render.cards import events_html
from dashboard.render.page import event_label
from dashboard.sources import SourcePaths, Sources, load_sources
from dashboard.timeline import events_up_to

FACTORS = (1, 10, 100)
SAMPLE_EVENTS = 11  # steps measured per factor, spread over the timeline (the real data has 11 events)
SYNTHETIC_SOURCE = "synthetic benchmark record (bench/scale.py): a copy of a real event, moved"


def copy_tree(root: Path) -> None:
    """The repository's seeds/ and data/ (with data/geo/) under ``root``."""
    shutil.copytree(paths.SEEDS_DIR, root / paths.SEEDS_DIR.name)
    shutil.copytree(paths.DATA_DIR, root / paths.DATA_DIR.name)


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file as dict rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Dict rows back to CSV, in the first row's column order."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def moved(day: str, days: int) -> str:
    """An ISO date ``days`` later."""
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def synthetic_copies(events: list[dict], claims: list[dict], factor: int) -> tuple[list[dict], list[dict]]:
    """The real rows plus ``factor - 1`` copies of each, copy k moved k days later."""
    all_events, all_claims = list(events), list(claims)
    for k in range(1, factor):
        suffix = f"-x{k:03d}"
        all_events += [
            {
                **row,
                "event": row["event"] + suffix,
                "date": moved(row["date"], k),
                "date_basis": "synthetic",
                "date_source": SYNTHETIC_SOURCE,
                "title": f"{row['title']} (copy {k})",
            }
            for row in events
        ]
        all_claims += [
            {**row, "claim": row["claim"] + suffix, "event": row["event"] + suffix, "date": moved(row["date"], k)}
            for row in claims
        ]
    return all_events, all_claims


def synthetic_root(folder: Path, factor: int) -> Path:
    """A source tree under ``folder`` with ``factor`` times the events and claims."""
    root = folder / f"x{factor}"
    copy_tree(root)
    events_csv, claims_csv = root / "data" / paths.EVENTS_CSV.name, root / "data" / paths.CLAIMS_CSV.name
    events, claims = synthetic_copies(read_rows(events_csv), read_rows(claims_csv), factor)
    write_rows(events_csv, events)
    write_rows(claims_csv, claims)
    return root


def sample(events: list[str], count: int = SAMPLE_EVENTS) -> list[str]:
    """``count`` events spread evenly over the timeline, the last one included."""
    if len(events) <= count:
        return events
    step = (len(events) - 1) / (count - 1)
    return [events[round(i * step)] for i in range(count)]


def page_extras_kib(sources: Sources) -> float:
    """Page elements besides the map that list every event, at the last event: the events list and slider labels."""
    events = sources.events
    last = events.index[-1]
    listed = events_html(events_up_to(events, last), last)
    labels = [event_label(events, e) for e in events.index]
    return (bench.wire_bytes(listed) + bench.wire_bytes(labels)) / 1024


def measure_factor(folder: Path, factor: int, repeat: int) -> dict:
    """Load a synthetic tree and time its sampled steps."""
    root = synthetic_root(folder, factor)
    start = time.perf_counter()
    sources, problems = load_sources(SourcePaths.under(root))
    load_ms = (time.perf_counter() - start) * 1000
    if sources is None:
        raise RuntimeError(f"synthetic data at {factor}× does not load: {problems[:3]}")
    rows = bench.event_rows(sources, bench.BaseMaps(sources), repeat, sample(list(sources.events.index)))
    return {
        "factor": factor,
        "events": len(sources.events),
        "claims": len(sources.claims),
        "load_sources_ms": load_ms,
        "step_ms_median": statistics.median(r.step_ms for r in rows),
        "step_ms_max": max(r.step_ms for r in rows),
        "state_ms_median": statistics.median(r.state_ms for r in rows),
        "sent_kib_median": statistics.median(r.sent_kib for r in rows),
        "sent_kib_max": max(r.sent_kib for r in rows),
        "page_extras_kib": page_extras_kib(sources),
    }


def report(repeat: int, factors: tuple[int, ...] = FACTORS) -> list[dict]:
    """Measure every factor and print one line each."""
    with tempfile.TemporaryDirectory(prefix="peace-map-scale-") as folder:
        figures = [measure_factor(Path(folder), factor, repeat) for factor in factors]
    print(f"Scaling: synthetic copies of the claims and events, {SAMPLE_EVENTS} steps spread over each timeline")
    head = (
        f"{'factor':>6}  {'events':>6}  {'claims':>6}  {'load ms':>8}  {'state ms':>8}  {'step ms':>7}  "
        f"{'max':>6}  {'sent KiB':>8}  {'max':>6}  {'event list+labels KiB':>21}"
    )
    print(head)
    print("-" * len(head))
    for f in figures:
        print(
            f"{f['factor']:>5}×  {f['events']:>6}  {f['claims']:>6}  {f['load_sources_ms']:>8.0f}  "
            f"{f['state_ms_median']:>8.1f}  {f['step_ms_median']:>7.1f}  {f['step_ms_max']:>6.1f}  "
            f"{f['sent_kib_median']:>8.1f}  {f['sent_kib_max']:>6.1f}  {f['page_extras_kib']:>21.1f}"
        )
    print("state/step/sent: medians over the sampled steps; the last column is outside the map, sent on every rerun.")
    return figures


def main(argv: list[str] | None = None) -> int:
    """Command line: which factors, how many repeats."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default=",".join(map(str, FACTORS)), help="comma-separated, e.g. 1,10,100")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    report(max(args.repeat, 1), tuple(int(f) for f in args.factors.split(",")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
