"""The export buttons in the running app: each file downloads and matches what is on screen."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from mapdom import open_dashboard
from PIL import Image

from dashboard.export import FORMATS

LINK = "?event=alaska-summit&parties=russia,ukraine&shade=russia"


def _download(page: Any, label: str, folder: Path) -> Path:
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=label).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_every_export_button_downloads_a_file_that_matches_the_screen(page: Any, app_url: str, tmp_path: Path) -> None:
    state = open_dashboard(page, app_url, LINK)
    files = {fmt: _download(page, kind.label, tmp_path) for fmt, kind in FORMATS.items()}

    assert files["png"].name == "2025-08-15_alaska-summit_map.png"
    with Image.open(files["png"]) as image:
        assert image.size == (1920, 1080)
        assert len(image.getcolors(maxcolors=1 << 20) or []) > 50  # a drawn map, not a blank canvas
    with Image.open(files["png-print"]) as image:
        assert image.size == (3508, 2480)

    rows = list(csv.DictReader(io.StringIO(files["csv"].read_text(encoding="utf-8"))))
    assert {row["party"] for row in rows} == {"russia", "ukraine"}
    assert any(row["region"] == "UA-14" and row["stance"] == "withdraw" for row in rows)

    layers = json.loads(files["geojson"].read_text(encoding="utf-8"))
    regions = {f["properties"]["region"] for f in layers["features"] if f["properties"].get("region")}
    lines = [f for f in layers["features"] if not f["properties"].get("region")]
    assert len(regions) + len(lines) == state["styled"]  # every shaded shape on screen, nothing more
    assert {"UA-14", "UA-09", "UA-23", "UA-65"} <= regions

    html = files["html"].read_text(encoding="utf-8")
    assert '<script src="http' not in html
    assert "L.map(" in html


def test_a_comparison_on_screen_downloads_as_a_comparison(page: Any, app_url: str, tmp_path: Path) -> None:
    open_dashboard(page, app_url, LINK + "&compare=parties&vs=ukraine")
    table = _download(page, FORMATS["csv"].compare_label, tmp_path)
    assert table.name == "2025-08-15_alaska-summit_compare_russia-vs-ukraine_table.csv"
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert {(row["side_a"], row["side_b"]) for row in rows} == {("Russia", "Ukraine")}
    assert {row["region"]: row["change"] for row in rows}["UA-14"] == "different"

    layers = json.loads(_download(page, FORMATS["geojson"].label, tmp_path).read_text(encoding="utf-8"))
    assert layers["metadata"]["comparison"]["b"]["party"] == "ukraine"
    sides = [f["properties"].get("side") for f in layers["features"] if f["properties"]["layer"] == "proposed_line"]
    assert sides == ["a", "b"]
