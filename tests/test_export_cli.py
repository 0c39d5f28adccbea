"""All formats together (dashboard/export/__init__.py).

File names, the bundles behind the app's download buttons, and `python -m dashboard.export`.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from export_cases import COMPARISONS, ROOT
from fixture_data import mini_root, set_cell

from dashboard import export
from dashboard.compare import CHANGE_STYLES, build_comparison, compare_sides
from dashboard.export.data import positions_csv
from dashboard.mapstate import MapState
from dashboard.sources import ROOT_ENV, Sources


def test_cli_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in export.FORMATS:
        out = tmp_path / f"out.{fmt}"
        status = export.main(
            ["--event", "alaska-summit", "--parties", "russia,ukraine", "--format", fmt, "--out", str(out)]
        )
        assert status == 0, capsys.readouterr().err
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "out.geojson").read_text())["metadata"]["parties_shown"] == ["russia", "ukraine"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "moon-landing"], "unknown event 'moon-landing'. Events: crimea-annexation"),
        (["--event", "alaska-summit", "--parties", "russia,mars"], "unknown party mars. Parties: russia, ukraine"),
        (["--event", "alaska-summit", "--parties", ","], "--parties names no party"),
        (["--event", "alaska-summit", "--parties", "russia", "--shade", "ukraine"], "--shade ukraine is not among"),
    ],
)
def test_cli_names_the_unknown_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "out.png"
    assert export.main([*args, "--format", "png", "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_rejects_an_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        export.main(["--event", "alaska-summit", "--format", "pdf", "--out", str(tmp_path / "x")])
    assert exit_info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_cli_reports_data_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = mini_root(tmp_path)
    set_cell(root / "data" / "claims.csv", 0, "quote", "words nobody said")
    monkeypatch.setenv(ROOT_ENV, str(root))
    assert export.main(["--event", "m1", "--format", "csv", "--out", str(tmp_path / "x.csv")]) == 1
    assert "claims.csv, row 2, field 'quote'" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    out = tmp_path / "positions.csv"
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.export", "--event", "putin-conditions-2024", "--format", "csv", "--out", out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stdout
    assert next(csv.DictReader(out.open(encoding="utf-8")))["as_of_event"] == "putin-conditions-2024"


def test_each_export_tells_a_comparison_from_a_map_state_by_its_type(alaska: MapState, sources: Sources) -> None:
    comparison = build_comparison(sources, *compare_sides("parties", *COMPARISONS["parties"]))
    plain, plain_name, _ = export.export_bundle(alaska, sources, "csv")
    compared, compared_name, _ = export.export_bundle(comparison, sources, "csv")
    assert plain.startswith(b"as_of_event,party,") and plain_name.endswith("_positions.csv")
    assert compared.startswith(b"region,region_name,side_a,") and compared_name.endswith(
        "_compare_russia-vs-ukraine_table.csv"
    )
    # A comparison's regions hold kinds of change, never stances: no export can read one as the other.
    kinds = [f["properties"] for f in comparison.regions["features"]]
    assert kinds and all("stance" not in p and p["change"] in CHANGE_STYLES for p in kinds)


def test_comparison_file_names_say_what_is_compared(sources: Sources) -> None:
    for kind, expected in (
        ("parties", "2025-08-15_alaska-summit_compare_russia-vs-ukraine_"),
        ("dates", "2025-08-15_alaska-summit_compare_russia_putin-conditions-2024-vs-alaska-summit_"),
    ):
        a, b = compare_sides(kind, *COMPARISONS[kind])
        comparison = build_comparison(sources, a, b)
        assert export.export_filename(comparison, sources, "png") == expected + "map.png"
        assert export.export_filename(comparison, sources, "csv") == expected + "table.csv"
        args = export.download_args(comparison, sources, "csv")
        assert (args["label"], args["file_name"]) == ("Comparison table (CSV)", expected + "table.csv")
        assert args["data"]().startswith(b"region,region_name,side_a,")  # made when the button is pressed


@pytest.mark.parametrize("kind", sorted(COMPARISONS))
def test_cli_exports_a_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sources: Sources, kind: str
) -> None:
    party, event, versus = COMPARISONS[kind]
    base = ["--event", event, "--shade", party, "--compare", kind, "--versus", versus]
    out = tmp_path / "compare.csv"
    assert export.main([*base, "--format", "csv", "--out", str(out)]) == 0, capsys.readouterr().err
    a, b = compare_sides(kind, party, event, versus)
    state = build_comparison(sources, a, b)
    assert out.read_bytes() == positions_csv(state, sources)
    geojson = tmp_path / "compare.geojson"
    assert export.main([*base, "--format", "geojson", "--out", str(geojson)]) == 0
    assert json.loads(geojson.read_text())["metadata"]["comparison"]["a"]["event"] == a.event


def test_cli_compares_the_first_party_shown_by_default(tmp_path: Path) -> None:
    out = tmp_path / "compare.geojson"
    args = ["--event", "alaska-summit", "--parties", "ukraine,united_states", "--compare", "parties"]
    assert export.main([*args, "--versus", "russia", "--format", "geojson", "--out", str(out)]) == 0
    sides = json.loads(out.read_text())["metadata"]["comparison"]
    assert (sides["a"]["party"], sides["b"]["party"]) == ("ukraine", "russia")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--versus", "ukraine"], "--versus needs --compare parties or --compare dates"),
        (["--compare", "parties"], "--compare parties needs --versus, another party: ukraine, united_states"),
        (["--compare", "dates"], "--compare dates needs --versus, another event: crimea-annexation"),
        (["--compare", "parties", "--versus", "mars"], "unknown party 'mars' in --versus. Parties: russia, ukraine"),
        (["--compare", "dates", "--versus", "moon"], "unknown event 'moon' in --versus. Events: crimea-annexation"),
        (["--compare", "parties", "--versus", "russia"], "--versus russia is the party compared"),
        (["--compare", "dates", "--versus", "alaska-summit"], "--versus alaska-summit is --event itself"),
        (["--compare", "years", "--versus", "x"], "argument --compare: invalid choice: 'years'"),
    ],
)
def test_cli_names_a_bad_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "out.csv"
    base = ["--event", "alaska-summit", "--shade", "russia", "--format", "csv", "--out", str(out)]
    try:
        status = export.main([*base, *args])
    except SystemExit as exit_info:  # argparse's own check of the choices
        status = exit_info.code
    assert status == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
