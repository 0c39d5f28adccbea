"""How long an uploaded front line takes to read and measure, by vertex count: prints a table.

Run ``python scripts/bench_upload.py [VERTICES ...]``. The bundled line of
15 Aug 2025 is densified to each count (with ~20 m of noise, as a detailed
export has), then read (``parse_frontline``) and measured (``build_snapshot``)
with the vertex limit lifted, so the figures show what the limit guards.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import frontline
from dashboard.geo import load_oblasts
from dashboard.paths import FRONTLINES_DIR, OBLASTS_GEOJSON


def dense_line(vertices: int) -> bytes:
    """The longest part of the 15 Aug 2025 line with about ``vertices`` vertices, as GeoJSON bytes."""
    doc = json.loads((FRONTLINES_DIR / "2025-08-15.geojson").read_text(encoding="utf-8"))
    parts = [shapely.geometry.shape(f["geometry"]) for f in doc["features"] if "Line" in f["geometry"]["type"]]
    line = max(shapely.get_parts(shapely.line_merge(shapely.union_all(parts))), key=lambda g: g.length)
    coords = shapely.get_coordinates(shapely.segmentize(line, line.length / vertices))
    coords = coords + np.random.default_rng(0).normal(0, 0.0002, coords.shape)
    return json.dumps({"type": "LineString", "coordinates": coords.round(5).tolist()}).encode()


def main(counts: list[int]) -> None:
    """Print vertices, file size, read time and measure time for each count."""
    oblasts, _ = load_oblasts(OBLASTS_GEOJSON)
    frontline.MAX_VERTICES = 10**9  # measure past the limit
    print(f"{'vertices':>9} {'KB':>6} {'read s':>7} {'measure s':>9}  (vertex limit lifted)")
    for count in counts:
        data = dense_line(count)
        started = time.perf_counter()
        front, problems = frontline.parse_frontline(data, "bench.geojson", oblasts, date="2025-08-15")
        read = time.perf_counter() - started
        started = time.perf_counter()
        if front is not None:
            frontline.build_snapshot(front, oblasts)
        measure = time.perf_counter() - started
        note = f"  {problems[0].message}" if problems else ""
        print(f"{count:>9,} {len(data) / 1000:>6.0f} {read:>7.2f} {measure:>9.2f}{note}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 5_000, 10_000, 20_000])
