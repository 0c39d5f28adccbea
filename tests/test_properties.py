"""Every loader and upload parser is total: generated and mutated files give data or problems, never an exception.

Property-based (Hypothesis): each test starts from the real file (or a
generated one), breaks it the ways files break (bytes flipped, cut, spliced
with delimiters, quotes, bad UTF-8, template and Markdown syntax, huge numbers,
deep nesting) and checks the loader's promise: it returns, within a time limit
per file (Hypothesis' deadline), a result whose problems say what is wrong, and
data only when there is no problem. The whole file runs in well under a minute.
"""

from __future__ import annotations

import json
import string
from datetime import timedelta
from pathlib import Path

import pytest
from fixture_data import MINI, mini_root
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import claims as claim_files
from dashboard.frontline import load_catalogue, parse_frontline
from dashboard.geo import load_oblasts, load_region_groups
from dashboard.ingest import submission_from_document
from dashboard.ingest.articles import read_article
from dashboard.paths import FACTCHECK_CSV, FRONTLINES_DIR, GEO_DIR, OBLASTS_GEOJSON
from dashboard.problems import Problem
from dashboard.quantities import load_factcheck
from dashboard.viewstate import parse_view

LIMIT = timedelta(seconds=3)  # per generated file: a loader that takes longer fails the property
PROPERTY = settings(
    max_examples=50,  # about 10 s for the whole file on a quiet machine; CI allows a minute
    deadline=LIMIT,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same files on every run: CI is reproducible
)
HOSTILE_PIECES = [
    b",", b"\n", b"\r\n", b'"', b"\xff", b"\xef\xbb\xbf", b"{{ 7*7 }}", b"[x](http://e.example)", b"-", b"=",
    b"9" * 30, b"-2014-03-18", b"nan", b"0 0", b"\x00", b"UA-99", b"[" * 50, b"{", b"}", b"\t",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few edits: bytes replaced, cut out, or hostile pieces spliced in."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(0, len(data))))
        kind = draw(st.sampled_from(["insert", "delete", "flip", "truncate"]))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE_PIECES) | st.binary(max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        else:
            del data[at:]
    return bytes(data)


def generated_csv(columns: list[str]) -> st.SearchStrategy[bytes]:
    """CSV files with the right header and rows of arbitrary (often hostile) text."""
    cell = st.text(alphabet=string.printable + "é{}[]()!𝕏\u2028", max_size=20) | st.sampled_from(
        [p.decode("utf-8", "replace") for p in HOSTILE_PIECES]
    )
    row = st.lists(cell, min_size=0, max_size=len(columns) + 2)

    def render(rows: list[list[str]]) -> bytes:
        lines = [",".join(columns)] + [",".join(json.dumps(c) if "," in c else c for c in r) for r in rows]
        return "\n".join(lines).encode("utf-8", "surrogatepass")

    return st.lists(row, max_size=6).map(render)


def _ok(result: tuple[object, list[Problem]]) -> None:
    """The source tables' contract: Problems with a message, and a table exactly when there is none."""
    data, problems = result
    assert isinstance(problems, list)
    assert all(isinstance(p, Problem) and p.message for p in problems)
    assert (data is None) == bool(problems)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the mini source tree; each example writes the file under test beside it."""
    return mini_root(tmp_path_factory.mktemp("properties"))


@pytest.fixture(scope="module")
def refs(tree: Path) -> dict:
    """The mini tree's good tables, which the claims and manifest loaders check references against."""
    data = tree / "data"
    parties, _ = claim_files.load_parties(data / "parties.csv")
    stances, _ = claim_files.load_stances(data / "stances.csv")
    events, _ = claim_files.load_events(data / "events.csv", tree / "seeds")
    oblasts, _ = load_oblasts(OBLASTS_GEOJSON)
    return {"parties": parties, "stances": stances, "events": events, "oblasts": oblasts}


def _write(tree: Path, name: str, data: bytes) -> Path:
    path = tree / "scratch" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


# --- the source tables ------------------------------------------------------------------------------------


@PROPERTY
@given(data=mutated((MINI / "data" / "parties.csv").read_bytes()) | generated_csv(claim_files.PARTY_COLUMNS))
def test_load_parties_is_total(tree: Path, data: bytes) -> None:
    _ok(claim_files.load_parties(_write(tree, "parties.csv", data)))


@PROPERTY
@given(data=mutated((MINI / "data" / "stances.csv").read_bytes()) | generated_csv(claim_files.STANCE_COLUMNS))
def test_load_stances_is_total(tree: Path, data: bytes) -> None:
    _ok(claim_files.load_stances(_write(tree, "stances.csv", data)))


@PROPERTY
@given(data=mutated((MINI / "data" / "events.csv").read_bytes()) | generated_csv(claim_files.EVENT_COLUMNS))
def test_load_events_is_total(tree: Path, data: bytes) -> None:
    _ok(claim_files.load_events(_write(tree, "events.csv", data), tree / "seeds"))


@PROPERTY
@given(data=mutated((MINI / "data" / "claims.csv").read_bytes()) | generated_csv(claim_files.CLAIM_COLUMNS))
def test_load_claims_is_total(tree: Path, refs: dict, data: bytes) -> None:
    result = claim_files.load_claims(
        _write(tree, "claims.csv", data),
        seeds_dir=tree / "seeds",
        events=refs["events"],
        parties=refs["parties"],
        stances=refs["stances"],
        region_codes=set(refs["oblasts"].index),
    )
    _ok(result)


@PROPERTY
@given(data=mutated((MINI / "seeds" / "manifest.csv").read_bytes()) | generated_csv(claim_files.MANIFEST_COLUMNS))
def test_load_manifest_is_total(tree: Path, refs: dict, data: bytes) -> None:
    path = _write(tree, "manifest.csv", data)
    _ok(claim_files.load_manifest(path, seeds_dir=tree / "seeds", events=refs["events"]))


@PROPERTY
@given(data=mutated((FRONTLINES_DIR / "sources.csv").read_bytes()[:3000]))
def test_load_front_line_catalogue_is_total(tree: Path, data: bytes) -> None:
    table, problems = load_catalogue(_write(tree, "sources.csv", data))
    assert all(isinstance(p, Problem) for p in problems)
    assert table is not None


@PROPERTY
@given(data=mutated((GEO_DIR / "region_groups.csv").read_bytes()) | generated_csv(["group", "codes", "note"]))
def test_load_region_groups_is_total(tree: Path, data: bytes) -> None:
    groups, problems = load_region_groups(_write(tree, "region_groups.csv", data))
    assert all(isinstance(p, Problem) for p in problems)
    assert all(isinstance(codes, list) and codes for codes in groups.values())


@PROPERTY
@given(data=mutated(FACTCHECK_CSV.read_bytes()[:2000]))
def test_load_factcheck_is_total(tree: Path, refs: dict, data: bytes) -> None:
    _, problems = load_factcheck(_write(tree, "factcheck.csv", data), seeds_dir=tree / "seeds", events=refs["events"])
    assert all(isinstance(p, Problem) for p in problems)


# --- GeoJSON: the oblasts file and front-line uploads --------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)
LINE = {"type": "LineString", "coordinates": [[36.0, 46.5], [36.2, 48.0], [36.0, 50.8]], "date": "2025-01-01"}


def _geojson_like(value: object) -> bytes:
    shapes = [value, {"type": "Feature", "geometry": value}, {"type": "FeatureCollection", "features": [value]}]
    return json.dumps(shapes[hash(json.dumps(value, default=str)) % 3], default=str).encode()


@PROPERTY
@given(
    data=mutated(json.dumps(LINE).encode())
    | JSON_VALUES.map(_geojson_like)
    | st.builds(
        lambda t, c: json.dumps({"type": t, "coordinates": c}).encode(),
        st.sampled_from(["LineString", "MultiLineString", "Polygon", "MultiPolygon", "Point", "GeometryCollection"]),
        JSON_VALUES,
    )
    | st.integers(1, 5000).map(lambda n: b"[" * n)
)
def test_parse_frontline_is_total(refs: dict, data: bytes) -> None:
    front, problems = parse_frontline(data, "upload.geojson", refs["oblasts"])
    assert (front is None) == bool(problems)
    assert all(isinstance(p, Problem) and p.message for p in problems)


@PROPERTY
@given(data=mutated(OBLASTS_GEOJSON.read_bytes()[:4000]) | JSON_VALUES.map(_geojson_like))
def test_load_oblasts_is_total(tree: Path, data: bytes) -> None:
    frame, problems = load_oblasts(_write(tree, "oblasts.geojson", data))
    assert all(isinstance(p, Problem) for p in problems)
    assert frame is not None


# --- uploads and links: articles, reviewed JSON, the query string -------------------------------------------

ARTICLE = (
    b"Moscow, 3 March 2025. The Kremlin said Ukrainian troops must withdraw from Donetsk and Luhansk before "
    b"any ceasefire. President Zelenskyy said on Tuesday that Ukraine will never cede Donetsk to Russia."
)


@PROPERTY
@given(data=mutated(ARTICLE) | mutated(b"<html><body><p>" + ARTICLE + b"</p></body></html>") | st.binary(max_size=300))
def test_read_article_is_total(data: bytes) -> None:
    article, problems = read_article(data, "article.txt")
    assert (article is None) == bool(problems)


@PROPERTY
@given(
    document=JSON_VALUES
    | st.fixed_dictionaries(
        {"candidates": st.lists(JSON_VALUES, max_size=3)},
        optional={"new_events": JSON_VALUES, "title": JSON_VALUES, "sha256": JSON_VALUES, "article": JSON_VALUES},
    )
)
def test_a_reviewed_json_document_is_read_totally(document: object) -> None:
    article, _ = read_article(ARTICLE, "article.txt")
    submission, problems = submission_from_document(article, document)
    assert (submission is None) == bool(problems)


@PROPERTY
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["event", "date", "parties", "shade", "region", "mode", "compare", "vs", "lat", "lon", "zoom", "pace"]
        ),
        st.text(max_size=30) | st.sampled_from(["-0001-01-01", "1e309", "nan", "[x](http://e)", "{{7*7}}"]),
    )
)
def test_parse_view_is_total(refs: dict, params: dict[str, str]) -> None:
    view = parse_view(params, refs["events"], list(refs["parties"].index), set(refs["oblasts"].index))
    assert view.event in refs["events"].index
