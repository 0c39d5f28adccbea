"""Hostile input at every surface where outside text or files enter the app, one table.

Each case names the surface, how the input is broken and words the message
must contain. Every case must give a clear problem (never an exception), and
a source file that was refused must leave the files on disk as they were.
Browser-side injection (tooltips, panels, exported HTML) is in
test_hostile_browser.py; the query string's own table is in test_viewstate.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fixture_data import mini_paths, read_rows, write_rows

from dashboard.frontline import MAX_BYTES as MAX_FRONT_BYTES
from dashboard.frontline import parse_frontline
from dashboard.geo import load_oblasts
from dashboard.ingest.articles import MAX_ARTICLE_BYTES, read_article
from dashboard.paths import OBLASTS_GEOJSON, ROOT
from dashboard.render.tooltips import drawable
from dashboard.sources import SourcePaths, Sources, load_sources
from dashboard.tables import MAX_TABLE_BYTES
from dashboard.viewstate import parse_view

SCRIPT = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
UKRAINE = json.loads(OBLASTS_GEOJSON.read_text(encoding="utf-8"))


# --- source tables (claims, events, manifest, parties, stances) --------------------------------------------


def _claims_bytes(p: SourcePaths, data: bytes) -> None:
    p.claims.write_bytes(data)


def _truncate(p: SourcePaths) -> None:
    raw = p.claims.read_bytes()
    p.claims.write_bytes(raw[: raw.index(b"Ukraine will never") + 5])  # ends inside a row


def _duplicate_event(p: SourcePaths) -> None:
    rows = read_rows(p.events)
    write_rows(p.events, [*rows, dict(rows[0])])


def _iso_date_swapped(p: SourcePaths) -> None:
    rows = read_rows(p.events)
    rows[0]["date"] = "2025-13-01"
    write_rows(p.events, rows)


def _bad_manifest_encoding(p: SourcePaths) -> None:
    p.manifest.write_bytes(p.manifest.read_bytes().replace(b"made-up", "mad\xe9-up".encode("cp1252")))


def _cell(file: str, field: str, value: str, row: int = 1) -> Callable[[SourcePaths], None]:
    """Set one cell of one of the source tables."""

    def change(p: SourcePaths) -> None:
        rows = read_rows(getattr(p, file))
        rows[row][field] = value
        write_rows(getattr(p, file), rows)

    return change


def _catalogue_bytes(data: bytes) -> Callable[[SourcePaths], None]:
    def change(p: SourcePaths) -> None:
        p.frontlines.write_bytes(p.frontlines.read_bytes() + data)

    return change


TABLE_CASES = [
    ("claims: truncated mid-row", _truncate, "claims.csv", "value is empty"),
    (
        "claims: Windows-1252 bytes",
        lambda p: _claims_bytes(p, "claim\ncafé\n".encode("cp1252")),
        "claims.csv",
        "not UTF-8",
    ),
    ("claims: UTF-16", lambda p: _claims_bytes(p, "claim,quote\n".encode("utf-16")), "claims.csv", "not UTF-8"),
    ("claims: empty", lambda p: _claims_bytes(p, b""), "claims.csv", "empty"),
    ("claims: only whitespace", lambda p: _claims_bytes(p, b"\n\n  \n"), "claims.csv", "empty"),
    ("claims: huge", lambda p: _claims_bytes(p, b"a" * (MAX_TABLE_BYTES + 1)), "claims.csv", "limit"),
    ("claims: binary", lambda p: _claims_bytes(p, bytes(range(256)) * 4), "claims.csv", "not UTF-8"),
    ("events: duplicate id", _duplicate_event, "events.csv", "duplicate"),
    ("events: impossible date", _iso_date_swapped, "events.csv", "YYYY-MM-DD"),
    ("manifest: wrong encoding", _bad_manifest_encoding, "manifest.csv", "not UTF-8"),
    *[
        (f"parties: dash {dash!r}", _cell("parties", "dash", dash), "parties.csv", "dash pattern")
        for dash in ("10 x", "{{", "0 0", "-4 4", "nan", "1e9 1", "4 " * 9)
    ],
    ("stances: 30-digit rank", _cell("stances", "rank", "9" * 30), "stances.csv", "largest rank"),
    ("stances: rank in other digits", _cell("stances", "rank", "\u0665"), "stances.csv", "whole number"),
    ("stances: template as id", _cell("stances", "stance", "x{{7*7}}"), "stances.csv", "valid id"),
    ("parties: markup as id", _cell("parties", "party", "<b>x</b>"), "parties.csv", "valid id"),
    ("events: negative date", _cell("events", "date", "-2014-03-18", 0), "events.csv", "outside the years"),
    ("events: year 9999", _cell("events", "date", "9999-03-18", 0), "events.csv", "outside the years"),
    ("events: Markdown link as id", _cell("events", "event", "[a](http://x)", 0), "events.csv", "valid id"),
    ("claims: region with markup", _cell("claims", "region", "UA-14<b>", 0), "claims.csv", "valid region"),
    ("front lines: bad byte", _catalogue_bytes(b"2025-12-01,x\xff.geojson,t,s,1,a\n"), "sources.csv", "not UTF-8"),
    ("front lines: short row", _catalogue_bytes(b"2025-12-01,2025-08-15.geojson\n"), "sources.csv", "number"),
    ("front lines: file outside", _catalogue_bytes(b"2025-12-01,../../x.geojson,t,s,1,a\n"), "sources.csv", "folder"),
    (
        "front lines: negative date",
        _catalogue_bytes(b"-0001-01-01,2025-08-15.geojson,t,s,1,a\n"),
        "sources.csv",
        "date",
    ),
]


@pytest.mark.parametrize(("break_it", "file", "words"), [c[1:] for c in TABLE_CASES], ids=[c[0] for c in TABLE_CASES])
def test_a_broken_source_table_is_reported_and_left_as_it_was(
    tmp_path: Path, break_it: Callable[[SourcePaths], None], file: str, words: str
) -> None:
    paths = mini_paths(tmp_path)
    break_it(paths)
    before = {f: f.read_bytes() for f in (paths.claims, paths.events, paths.manifest)}
    loaded, problems = load_sources(paths)
    assert loaded is None
    assert any(Path(p.file).name == file and words in p.message for p in problems), [str(p) for p in problems]
    assert {f: f.read_bytes() for f in before} == before  # reading never rewrites


def test_markup_in_every_text_field_loads_as_plain_text_and_is_escaped_on_the_way_out(tmp_path: Path) -> None:
    from dashboard.mapstate import build_map_state

    paths = mini_paths(tmp_path)
    rows = read_rows(paths.claims)
    for row in rows:
        row["speaker"], row["note"] = SCRIPT, SCRIPT
    write_rows(paths.claims, rows)
    events = read_rows(paths.events)
    for row in events:
        row["title"], row["summary"] = SCRIPT, SCRIPT
    write_rows(paths.events, events)
    loaded, problems = load_sources(paths)
    assert problems == []
    state = build_map_state(loaded, "m3", ["russia", "ukraine"])
    tooltips = " ".join(f["properties"]["tooltip"] for f in drawable(state).regions["features"])
    assert "<img" not in tooltips and "<script" not in tooltips
    assert "&lt;img src=x onerror=alert(1)&gt;" in tooltips


# --- oblast GeoJSON ---------------------------------------------------------------------------------------


def _oblasts_with(tmp_path: Path, change: Callable[[dict], object]) -> Path:
    doc = json.loads(json.dumps(UKRAINE))
    result = change(doc)
    target = tmp_path / "oblasts.geojson"
    if isinstance(result, bytes):
        target.write_bytes(result)
    else:
        target.write_text(json.dumps(doc), encoding="utf-8")
    return target


def _swap_lat_lon(doc: dict) -> None:
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    ring[:] = [[y, x] for x, y in ring] if isinstance(ring[0][0], float) else ring
    geometry = doc["features"][0]["geometry"]
    geometry["type"], geometry["coordinates"] = "Polygon", [[[48.0, 37.0], [49.0, 37.0], [49.0, 38.0], [48.0, 37.0]]]


OBLAST_CASES = [
    ("truncated JSON", lambda d: json.dumps(d).encode()[:5000], "not valid JSON"),
    (
        "point instead of polygon",
        lambda d: d["features"][0].update(geometry={"type": "Point", "coordinates": [30, 50]}),
        "Point",
    ),
    (
        "longitude out of range",
        lambda d: d["features"][0]["geometry"].update(
            type="Polygon", coordinates=[[[200.0, 50.0], [201.0, 50.0], [201.0, 51.0], [200.0, 50.0]]]
        ),
        "outside longitude",
    ),
    ("latitude and longitude swapped", _swap_lat_lon, "swapped"),
    ("duplicate code", lambda d: d["features"].append(d["features"][0]), "duplicate"),
    ("markup as a code", lambda d: d["features"][0]["properties"].update(code=SCRIPT), "code"),
    ("deeply nested JSON", lambda d: b"[" * 100_000, "nested too deeply"),
    ("deeply nested object", lambda d: b'{"a":' * 100_000, "nested too deeply"),
]


@pytest.mark.parametrize(("change", "words"), [c[1:] for c in OBLAST_CASES], ids=[c[0] for c in OBLAST_CASES])
def test_a_broken_oblast_file_is_reported(tmp_path: Path, change: Callable[[dict], object], words: str) -> None:
    _, problems = load_oblasts(_oblasts_with(tmp_path, change))
    assert any(words.lower() in str(p).lower() for p in problems), [str(p) for p in problems]


# --- front-line uploads ------------------------------------------------------------------------------------

LINE = {"type": "LineString", "coordinates": [[36.0, 46.5], [36.0, 50.8]]}
FRONT_CASES = [
    ("empty", b"", "empty"),
    ("not JSON", b"<html>" + SCRIPT.encode() + b"</html>", "JSON"),
    (
        "truncated",
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": LINE}]}).encode()[:60],
        "JSON",
    ),
    ("huge", b" " * (MAX_FRONT_BYTES + 1), "MiB"),
    ("a point", json.dumps({"type": "Point", "coordinates": [36, 48]}).encode(), "Point"),
    (
        "swapped coordinates",
        json.dumps({"type": "LineString", "coordinates": [[46.5, 36.0], [50.8, 36.0]]}).encode(),
        "outside",
    ),
    (
        "coordinates out of range",
        json.dumps({"type": "LineString", "coordinates": [[360, 46.5], [36, 95]]}).encode(),
        "outside longitude",
    ),
    ("latin-1 text", '{"type": "LineString", "title": "caf\xe9"}'.encode("latin-1"), "UTF-8"),
    ("deeply nested JSON (200 KB)", b"[" * 200_000, "nested too deeply"),
    ("nested coordinates", json.dumps({"type": "LineString", "coordinates": [[[[[36, 46]]]]]}).encode(), "malformed"),
]


@pytest.mark.parametrize(("data", "words"), [c[1:] for c in FRONT_CASES], ids=[c[0] for c in FRONT_CASES])
def test_a_bad_front_line_upload_is_refused_with_a_reason(data: bytes, words: str) -> None:
    oblasts, _ = load_oblasts(OBLASTS_GEOJSON)
    front, problems = parse_frontline(data, "upload.geojson", oblasts)
    assert front is None
    assert any(words.lower() in str(p).lower() for p in problems), [str(p) for p in problems]


# --- articles (uploads and pasted HTML) --------------------------------------------------------------------

ARTICLE_CASES = [
    ("empty", b"", "empty"),
    ("binary", bytes(range(256)) * 8, "binary"),
    ("huge", b"Donetsk. " * (MAX_ARTICLE_BYTES // 9 + 2), "MB"),
    ("not English", "Росія вимагає, щоб Україна вийшла з Донецької області. ".encode() * 10, "English"),
    ("wrong encoding", "Kremlin demands Donetsk — caf\xe9 ".encode("cp1252") * 20, "UTF-8"),
]


@pytest.mark.parametrize(("data", "words"), [c[1:] for c in ARTICLE_CASES], ids=[c[0] for c in ARTICLE_CASES])
def test_a_bad_article_is_refused_with_a_reason(data: bytes, words: str) -> None:
    article, problems = read_article(data, "article.txt")
    assert article is None
    assert any(words.lower() in str(p).lower() for p in problems), [str(p) for p in problems]


def test_script_in_pasted_html_is_dropped_not_read_as_article_text() -> None:
    page = (
        b"<html><head><script>alert('x')</script><style>p{}</style></head><body><p>Moscow, 3 March 2025. "
        b"The Kremlin said Ukrainian troops must withdraw from Donetsk before any ceasefire, officials said on "
        b"Monday in a statement carried by state media.</p><img src=x onerror=alert(1)></body></html>"
    )
    article, problems = read_article(page, "page.html")
    assert problems == []
    assert "alert" not in article.text
    assert "withdraw from Donetsk" in article.text


# --- query string ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [SCRIPT, "x" * 10_000, "\x00\x01", "2025-02-30", "NaN", "1e309", "../../etc/passwd"])
def test_any_query_value_falls_back_with_a_short_notice(value: str, sources: Sources) -> None:
    params = dict.fromkeys(
        ("event", "date", "parties", "shade", "region", "mode", "compare", "vs", "lat", "lon", "zoom", "pace"), value
    )
    view = parse_view(params, sources.events, list(sources.parties.index), set(sources.oblasts.index))
    assert view.event in sources.events.index
    assert view.notices
    assert all(len(n) < 300 for n in view.notices)


# --- command-line arguments ----------------------------------------------------------------------------------

CLI_CASES = [
    (["-m", "dashboard.export", "--event", SCRIPT, "--format", "csv", "--out", "x.csv"], "unknown event"),
    (["-m", "dashboard.export", "--event", "alaska-summit", "--format", "exe", "--out", "x"], "format"),
    (
        ["-m", "dashboard.export", "--event", "alaska-summit", "--parties", "mars", "--format", "csv", "--out", "x"],
        "mars",
    ),
    (["-m", "dashboard.ingest", "does-not-exist.txt"], "no such file"),
]


@pytest.mark.parametrize(("args", "words"), CLI_CASES, ids=["export event", "export format", "export party", "ingest"])
def test_bad_command_line_arguments_exit_non_zero_with_a_message(tmp_path: Path, args: list[str], words: str) -> None:
    done = subprocess.run(
        [sys.executable, *args],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert words.lower() in output.lower(), output
    assert "Traceback" not in output
    assert not (tmp_path / "x.csv").exists()


# --- more loaders: region groups, dated uploads, reviewed JSON --------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"group,codes,note\nDonbas,UA-14;UA-09,x\nCaf\xe9,UA-14,x\n", "not UTF-8"),
        (b"group,codes,note\nDonbas\n", "ISO codes"),
        (b"group,codes,note\nDonbas,UA-14;<b>,x\n", "ISO codes"),
        (b"group\nDonbas\n", "missing"),
        (b"", "empty"),
    ],
    ids=["bad byte", "short row", "markup as a code", "no codes column", "empty"],
)
def test_a_broken_region_groups_file_is_a_problem_not_a_traceback(tmp_path: Path, data: bytes, words: str) -> None:
    from dashboard.geo import load_region_groups, read_region_groups

    path = tmp_path / "region_groups.csv"
    path.write_bytes(data)
    groups, problems = load_region_groups(path)
    assert any(words in str(p) for p in problems), [str(p) for p in problems]
    assert read_region_groups(path) == groups  # the extractor's reader gives the good rows, never raises


@pytest.mark.parametrize("day", ["-0001-01-01", "0001-01-01", "9999-12-31", "2025-02-30"])
def test_an_upload_dated_outside_the_accepted_years_is_refused_or_asks_for_a_date(day: str) -> None:
    oblasts, _ = load_oblasts(OBLASTS_GEOJSON)
    line = {"type": "LineString", "coordinates": [[36.0, 46.5], [36.0, 50.8]]}
    front, problems = parse_frontline(json.dumps(line).encode(), "dated.geojson", oblasts, date=day)
    assert front is None
    assert any("not a date" in str(p) for p in problems)
    # The same date inside the file: the line is read without a date, and the app asks for one.
    inside, problems = parse_frontline(json.dumps({**line, "date": day}).encode(), "dated.geojson", oblasts)
    assert problems == [] and inside.date is None


@pytest.mark.parametrize(
    ("review", "words"),
    [
        (b"[" * 100_000, "nested too deeply"),
        (json.dumps({"candidates": [], "new_events": 5}).encode(), "new_events"),
        (json.dumps({"candidates": [5]}).encode(), "JSON object"),
        (b"\xff\xfe", "cannot read"),
    ],
    ids=["nested", "new_events a number", "candidate a number", "bad bytes"],
)
def test_ingest_apply_with_a_broken_review_file_is_a_problem_not_a_traceback(
    tmp_path: Path, review: bytes, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from fixture_data import mini_root

    from dashboard import ingest

    root = mini_root(tmp_path)
    path = tmp_path / "review.json"
    path.write_bytes(review)
    article = ROOT / "tests" / "fixtures" / "ingest" / "article.txt"
    before = (root / "data" / "claims.csv").read_bytes()
    code = ingest.main([str(article), "--root", str(root), "--apply", str(path)])
    err = capsys.readouterr().err
    assert code != 0
    assert words in err
    assert "Traceback" not in err
    assert (root / "data" / "claims.csv").read_bytes() == before
