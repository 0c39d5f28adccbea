"""Safe on a shared server (issue 14): one test, or a small table, per defect found by an attacker's review.

1. no code from a data value: identifiers are validated, and no value meets a template pass;
2. no markup from links and data on Streamlit's Markdown surfaces (the browser side is in
   test_security_browser.py);
3. no spreadsheet formula in a CSV export;
4. bounded work for a front-line upload;
5. loaders total (tables in test_hostile.py; generated files in test_properties.py);
6. a named limit on the parties a static site is built for;
7. an uploaded file's name never crosses sessions;
8. writes stay inside the data root; and the write path is for editors only.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from editor_session import EDITOR_PASSWORD, sign_in
from fixture_data import mini_paths, mini_root, read_rows, set_cell, write_rows
from streamlit.testing.v1 import AppTest

from dashboard import ingest, paths
from dashboard.app.editors import EDITOR_ENV, email_allowed, password_matches
from dashboard.app.text import WORD_JOINER, md
from dashboard.app.viewcache import upload_key
from dashboard.claims import seed_digest
from dashboard.export.data import positions_csv
from dashboard.export.html import export_html
from dashboard.frontline import MAX_VERTICES, parse_frontline
from dashboard.geo import load_oblasts
from dashboard.ingest.review import PLAN_FILE, WORK_DIR, recover, write_review
from dashboard.mapstate import build_map_state
from dashboard.paths import OBLASTS_GEOJSON, ROOT
from dashboard.publish import MAX_SITE_PARTIES, publish
from dashboard.render.mapview import base_map
from dashboard.sources import ROOT_ENV, load_sources

PAGE_APP = str(Path(__file__).parent / "fixtures" / "ingest" / "page_app.py")
APP = str(paths.APP_SCRIPT)
EVALUATED = "range49"  # what PROBE renders to if a template pass evaluates it (no quote: survives escaping)
PROBE = "{{ range.__name__ ~ 7*7 }}"
LINK = "[Official update](https://phish.example/login)"
IMAGE = "![x](http://tracker.example/t.png)"


# Creates a folder "Cycler" in the working directory when a template pass evaluates it (the reported exploit);
# no quote, so neither JSON nor HTML escaping on the way disarms it by accident.
MAKES_FOLDER = "{{ cycler.__init__.__globals__.os.mkdir(cycler.__name__) }}"


# --- 1. no code from a data value ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "field", "value"),
    [
        ("stances", "stance", "x{{lipsum.__globals__.os.getcwd()}}"),
        ("parties", "party", "<b>russia</b>"),
        ("events", "event", LINK),
        ("claims", "claim", "k1 {{7*7}}"),
        ("claims", "region", "UA-14 UA-09"),
        ("claims", "region", "UA-14{{x}}"),
    ],
)
def test_an_identifier_outside_the_strict_pattern_is_a_problem_at_load_time(
    tmp_path: Path, file: str, field: str, value: str
) -> None:
    paths = mini_paths(tmp_path)
    set_cell(getattr(paths, file), 0, field, value)
    loaded, problems = load_sources(paths)
    assert loaded is None
    assert any(
        p.file.endswith(f"{file}.csv") and p.field == field and ("valid id" in p.message or "valid region" in p.message)
        for p in problems
    ), [str(p) for p in problems]


def test_a_template_stance_id_in_stances_and_claims_is_refused_and_nothing_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "Cycler"
    paths = mini_paths(tmp_path)
    evil = "x" + MAKES_FOLDER
    rows = read_rows(paths.stances)
    old = rows[2]["stance"]
    rows[2]["stance"] = evil
    write_rows(paths.stances, rows)
    claims = read_rows(paths.claims)
    for row in claims:
        row["stance"] = evil if row["stance"] == old else row["stance"]
    write_rows(paths.claims, claims)
    loaded, problems = load_sources(paths)
    assert loaded is None
    assert any(p.file.endswith("stances.csv") and p.field == "stance" for p in problems)
    assert not target.exists()


def test_no_value_meets_a_template_pass_in_the_html_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past validation too (a value that slipped in some other way): the export renders each template once."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "Cycler"
    loaded, problems = load_sources(mini_paths(tmp_path))
    assert problems == []
    state = build_map_state(loaded, "m3", ["russia", "ukraine"])
    for feature in state.regions["features"]:
        feature["properties"]["stance"] = "x" + MAKES_FOLDER
        feature["properties"]["note"] = PROBE + "{% if true %}{# #}"
    loaded.oblasts.loc[loaded.areas_km2.idxmax(), "name_en"] = PROBE
    page = export_html(state, loaded)
    assert not target.exists()
    assert EVALUATED not in page
    assert "cycler" in page  # shown as data, not evaluated


def test_no_value_meets_a_template_pass_when_the_app_renders_its_base_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """streamlit-folium renders the whole figure (``get_root().render()``) on every run of the page."""
    monkeypatch.chdir(tmp_path)
    loaded, _ = load_sources(mini_paths(tmp_path))
    target = tmp_path / "Cycler"
    loaded.oblasts.loc[loaded.areas_km2.idxmax(), "name_en"] = MAKES_FOLDER + PROBE
    fmap = base_map(loaded.oblasts, loaded.neighbours, loaded.areas_km2.to_dict())
    html = fmap.get_root().render()
    assert not target.exists()
    assert EVALUATED not in html


# --- 2. no markup from links and data --------------------------------------------------------------------


@pytest.mark.parametrize("text", [LINK, IMAGE, PROBE, "# Heading\n- item", ":red[alarm] $x^2$ <b>bold</b>"])
def test_markdown_escaping_leaves_no_markup_to_render(text: str) -> None:
    escaped = md(text)
    assert "](" not in escaped and "![" not in escaped
    assert "\n" not in escaped
    # Every punctuation character is a character reference, so nothing Markdown reads as syntax is left.
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"&#\d+;", "", escaped))
    # The reader sees the text as it was (an invisible word joiner keeps a URL from becoming a link).
    assert html.unescape(escaped).replace(WORD_JOINER, "") == text.replace("\n", " ")


def _hostile_markdown_root(tmp_path: Path) -> Path:
    """The mini tree whose party names and event texts hold a Markdown link, an image and a template."""
    root = mini_root(tmp_path)
    data = root / "data"
    parties = read_rows(data / "parties.csv")
    parties[0]["name"] = f"Russia {LINK}"
    parties[1]["name"] = f"Ukraine {IMAGE}"
    parties[2]["name"] = "United States :red[alarm] $x^2$ www.phish.example"
    write_rows(data / "parties.csv", parties)
    events = read_rows(data / "events.csv")
    for row in events:
        row["title"], row["summary"], row["date_source"] = f"{LINK} {PROBE}", IMAGE, LINK
    write_rows(data / "events.csv", events)
    return root


def _no_markup(value: str) -> bool:
    return "](" not in value and "{{" not in value and "://" not in value and EVALUATED not in value


def test_every_markdown_surface_of_the_map_page_shows_link_and_data_values_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ROOT_ENV, str(_hostile_markdown_root(tmp_path)))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["event"] = IMAGE
    at.query_params["region"] = LINK
    at.run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert warnings and all(_no_markup(w) for w in warnings), warnings
    assert any("tracker&#46;example" in w for w in warnings)  # the link's value is quoted back, as text
    surfaces = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    assert any("Official update" in s for s in surfaces)  # the event line is drawn
    assert all(_no_markup(s) for s in surfaces), [s for s in surfaces if not _no_markup(s)]
    helps = [m.proto.help for m in at.markdown if m.proto.help]
    assert helps and all(_no_markup(h) for h in helps)
    radio = next(r for r in at.radio if r.label == "Shade regions by")
    assert all(_no_markup(option) for option in radio.options), radio.options
    timeline = at.select_slider(key="event")
    assert all(_no_markup(option) for option in timeline.options), timeline.options


# --- 3. no spreadsheet formulas ----------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://phish.example","Official")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_csv_export_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    paths = mini_paths(tmp_path)
    seed = paths.seeds_dir / "sample.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n" + FORMULAS[0] + "\n", encoding="utf-8")
    set_cell(paths.manifest, 0, "sha256", seed_digest(seed))
    rows = read_rows(paths.claims)
    rows[0]["quote"] = FORMULAS[0]
    rows[0]["sourcing"] = "second_hand"  # the formula names no one of the party (see the loader's reading checks)
    for row, formula in zip(rows[1:], FORMULAS[1:], strict=False):
        row["speaker"], row["note"] = formula, formula
    write_rows(paths.claims, rows)
    loaded, problems = load_sources(paths)
    assert problems == [], [str(p) for p in problems]
    state = build_map_state(loaded, "m3", list(loaded.parties.index))
    cells = [c for row in csv.reader(io.StringIO(positions_csv(state, loaded).decode("utf-8"))) for c in row]
    assert "'" + FORMULAS[0] in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c.startswith("-") and c[1:2] == "2")]


# --- 4. bounded work ---------------------------------------------------------------------------------------


def test_a_front_line_upload_over_the_vertex_limit_is_refused_naming_the_limit() -> None:
    oblasts, _ = load_oblasts(OBLASTS_GEOJSON)
    count = 2 * MAX_VERTICES
    coords = [[36.0 + 0.0001 * (i % 2), 46.5 + 4.3 * i / count] for i in range(count)]
    data = json.dumps({"type": "LineString", "coordinates": coords}).encode()
    front, problems = parse_frontline(data, "dense.geojson", oblasts, date="2025-01-01")
    assert front is None
    assert any(f"{MAX_VERTICES:,} vertices" in p.message for p in problems), [str(p) for p in problems]


# --- 6. publish: a named limit on parties ------------------------------------------------------------------


def test_publish_refuses_more_parties_than_its_named_limit(tmp_path: Path) -> None:
    paths = mini_paths(tmp_path)
    rows = read_rows(paths.parties)
    extra = [{**rows[0], "party": f"party-{n}", "name": f"Party {n}"} for n in range(MAX_SITE_PARTIES + 1 - len(rows))]
    write_rows(paths.parties, rows + extra)
    report, problems = publish(tmp_path / "site", paths, jobs=1)
    assert report is None
    assert any("MAX_SITE_PARTIES" in p.message and str(MAX_SITE_PARTIES) in p.message for p in problems)
    assert not (tmp_path / "site").exists()


# --- 7. session caches keyed by everything shown -----------------------------------------------------------


def test_the_same_upload_under_two_names_gets_two_cache_keys() -> None:
    data = b'{"type": "LineString", "coordinates": [[36, 46.5], [36, 50.8]]}'
    assert upload_key("ours.geojson", data, "2025-01-01") != upload_key("theirs.geojson", data, "2025-01-01")
    assert upload_key("a", data, None) == upload_key("a", data, None)
    assert upload_key("ab", b"c", None) != upload_key("a", b"bc", None)  # no two splits share a key


# --- 8. writes stay inside the data root -------------------------------------------------------------------


def test_recover_refuses_a_plan_that_moves_a_file_from_outside_the_data_root(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("keep me")
    stage = root / WORK_DIR / "staging-crafted"
    stage.mkdir(parents=True)
    (stage / PLAN_FILE).write_text(json.dumps({"moves": [["../outside/victim.txt", "data/victim.txt"]]}))
    messages = recover(root)
    assert victim.read_text() == "keep me"
    assert not (root / "data" / "victim.txt").exists()
    assert any("refused" in m for m in messages), messages


def test_recover_refuses_a_plan_that_moves_a_file_out_of_the_data_root(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    stage = root / WORK_DIR / "staging-crafted"
    stage.mkdir(parents=True)
    (stage / "claims.csv").write_text("x")
    (stage / PLAN_FILE).write_text(
        json.dumps({"moves": [[f"{WORK_DIR}/staging-crafted/claims.csv", str(tmp_path / "x.csv")]]})
    )
    assert any("refused" in m for m in recover(root))
    assert (stage / "claims.csv").exists()


def test_a_symlinked_work_folder_is_refused_and_nothing_is_written_outside(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / WORK_DIR).symlink_to(outside, target_is_directory=True)
    before = (root / "data" / "claims.csv").read_bytes()
    article = str(Path(__file__).parent / "fixtures" / "ingest" / "article.txt")
    args = [article, "--root", str(root), "--accept-all", "--event", "m1", "--title", "T", "--outlet", "O"]
    result = ingest.main(args)
    assert result != 0
    assert list(outside.iterdir()) == []
    assert (root / "data" / "claims.csv").read_bytes() == before
    assert any("symbolic link" in m for m in recover(root))


def test_write_review_refuses_a_symlinked_work_folder_with_a_clear_problem(tmp_path: Path) -> None:
    from test_review import submission

    root = mini_root(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / WORK_DIR).symlink_to(outside, target_is_directory=True)
    result = write_review(root, submission(root))
    assert not result.written
    assert any("symbolic link" in p.message for p in result.problems)
    assert list(outside.iterdir()) == []


# --- writes by editors only --------------------------------------------------------------------------------


def test_the_add_article_page_is_read_only_without_a_configured_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ROOT_ENV, str(mini_root(tmp_path)))
    monkeypatch.delenv(EDITOR_ENV, raising=False)
    at = AppTest.from_file(PAGE_APP, default_timeout=60).run()
    assert not at.exception
    assert any("read-only" in i.value for i in at.info)
    assert [b for b in at.button if b.key == "ingest_run"] == []
    assert [t for t in at.text_area if t.key == "ingest_paste"] == []


def test_the_add_article_page_needs_the_editor_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ROOT_ENV, str(mini_root(tmp_path)))
    monkeypatch.setenv(EDITOR_ENV, EDITOR_PASSWORD)
    at = AppTest.from_file(PAGE_APP, default_timeout=60).run()
    assert [b for b in at.button if b.key == "ingest_run"] == []
    at = sign_in(at, "wrong password, wrong")
    assert [e.value for e in at.error] == ["Wrong editor password."]
    assert [b for b in at.button if b.key == "ingest_run"] == []
    at = sign_in(at)
    assert not at.exception
    assert [b.key for b in at.button if b.key == "ingest_run"] == ["ingest_run"]


def test_a_short_editor_password_leaves_writing_off() -> None:
    assert not password_matches("short", "short")
    assert not password_matches("", "")
    assert password_matches(EDITOR_PASSWORD, EDITOR_PASSWORD)
    assert not password_matches(EDITOR_PASSWORD + "x", EDITOR_PASSWORD)


def test_a_signed_in_account_writes_only_when_listed_as_an_editor() -> None:
    assert email_allowed("desk@news.example", None)
    assert email_allowed("Desk@News.example", ["desk@news.example"])
    assert not email_allowed("reader@else.example", ["desk@news.example"])
    assert not email_allowed(None, None)


# --- 4. heavy work in another process, with a time limit ----------------------------------------------------


def test_work_over_its_time_limit_is_stopped_with_a_message_naming_the_limit() -> None:
    import time

    from dashboard.app.bounded import run_with_time_limit

    started = time.monotonic()
    result, failed = run_with_time_limit(time.sleep, (60,), 1)
    assert result is None
    assert "limit of 1 s" in failed
    assert time.monotonic() - started < 30  # stopped, not waited for


def test_an_upload_read_in_another_process_gives_the_same_snapshot_as_in_this_one() -> None:
    from dashboard.app.bounded import UPLOAD_TIME_LIMIT_S, run_with_time_limit
    from dashboard.frontline import read_upload

    oblasts, _ = load_oblasts(OBLASTS_GEOJSON)
    data = (ROOT / "data" / "geo" / "frontlines" / "2025-08-15.geojson").read_bytes()
    (snapshot, problems, dated), failed = run_with_time_limit(
        read_upload, (data, "ours.geojson", oblasts, "2025-08-15"), UPLOAD_TIME_LIMIT_S
    )
    assert failed is None and problems == [] and dated
    here, _, _ = read_upload(data, "ours.geojson", oblasts, "2025-08-15")
    assert snapshot.front.file == "ours.geojson"
    assert round(snapshot.occupied_km2) == round(here.occupied_km2)
