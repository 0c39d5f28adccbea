"""The static site's build: every view present and equal to the app's, strings escaped, size within budget.

The data file is read back as the browser reads it (the JSON after
``window.PEACE_MAP_DATA =``) and compared with ``build_map_state`` and the
``cards`` fragments for the same event, parties and shade.
"""

from __future__ import annotations

import atexit
import functools
import gzip
import html
import json
import shutil
import tempfile
from pathlib import Path

import folium
import pytest

from dashboard import paths, publish
from dashboard.claims import seed_digest
from dashboard.mapstate import MapState, build_map_state
from dashboard.render.cards import caption_html
from dashboard.render.legend import map_legend_html
from dashboard.render.mapview import BORDER_1991, base_geometry, layers_group
from dashboard.render.page import DEK
from dashboard.render.patterns import pattern_id, svg_pattern
from dashboard.sources import SourcePaths, Sources, load_sources
from tests.fixture_data import mini_root, read_rows, set_cell, write_rows

HOSTILE_QUOTE = "<img src=x onerror=window.__pwned=1> Donetsk must be handed over"
HOSTILE_SPEAKER = "<i onmouseover=window.__pwned=2>The Kremlin</i>"
HOSTILE_TITLE = "<script>window.__pwned=3</script> Kremlin demand"
HOSTILE_PARTY = "<b onmouseover=window.__pwned=4>Europe</b>"
RAW_MARKUP = ("<img", "<script", "<i onmouseover", "<b onmouseover")


def read_data(site: Path) -> dict:
    """The bundle in OUT/data.js, as the page's script sees it."""
    text = (site / "data.js").read_text(encoding="ascii")
    prefix = f"window.{publish.DATA_GLOBAL} = "
    assert text.startswith(prefix)
    return json.loads(text[len(prefix) :].rstrip().rstrip(";"))


@functools.cache
def real_site() -> Path:
    """The site built from the repository's data, once per test session (the browser tests use it too)."""
    folder = Path(tempfile.mkdtemp(prefix="publish-real-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    report, problems = publish.publish(folder / "site")
    assert problems == [], problems
    assert report is not None
    return report.out


def hostile_root(tmp_path: Path) -> Path:
    """A copy of the mini tree whose quote, speaker, first event's title and Europe's name hold markup."""
    root = mini_root(tmp_path)
    seed = root / "seeds" / "sample.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\nThe Kremlin said {HOSTILE_QUOTE}.\n", encoding="utf-8")
    set_cell(root / "seeds" / "manifest.csv", 0, "sha256", seed_digest(seed))
    set_cell(root / "data" / "claims.csv", 0, "quote", f"The Kremlin said {HOSTILE_QUOTE}")
    set_cell(root / "data" / "claims.csv", 0, "speaker", HOSTILE_SPEAKER)
    set_cell(root / "data" / "events.csv", 0, "title", HOSTILE_TITLE)
    set_cell(root / "data" / "parties.csv", 3, "name", HOSTILE_PARTY)  # Europe: the mini tree has no claim of it
    return root


def tiny_root(tmp_path: Path) -> Path:
    """The mini tree cut to its first event: a build takes well under a second, for tests of the folder handling."""
    root = mini_root(tmp_path)
    for name in ("claims.csv", "events.csv"):
        rows = read_rows(root / "data" / name)
        write_rows(root / "data" / name, [row for row in rows if row["event"] == "m1"])
    set_cell(root / "seeds" / "manifest.csv", 0, "events", "m1")
    set_cell(root / "seeds" / "manifest.csv", 0, "event_dates", "2025-03-01")
    return root


@functools.cache
def hostile_site() -> tuple[SourcePaths, Path]:
    """The hostile mini tree and its site, built once per session (published from a SourcePaths)."""
    folder = Path(tempfile.mkdtemp(prefix="publish-hostile-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    paths = SourcePaths.under(hostile_root(folder))
    report, problems = publish.publish(folder / "site", paths, jobs=1)
    assert problems == [], problems
    assert report is not None
    return paths, report.out


@pytest.fixture(scope="module")
def mini() -> tuple[Sources, dict]:
    """The hostile mini tree's sources and its published bundle."""
    paths, site = hostile_site()
    sources, problems = load_sources(paths)
    assert problems == []
    return sources, read_data(site)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _app_drawing(state: MapState, sources: Sources) -> tuple[list[list], list[list[str]]]:
    """What the app's folium layer group draws, in order: [geometry, Leaflet style, tooltip]; and its SVG patterns.

    A line along the 1991 border takes its geometry from the base outlines (mapview._SharedBorderLine).
    """
    group = layers_group(state)
    border = base_geometry(sources.oblasts, sources.neighbours)[BORDER_1991]
    drawn, patterns = [], []
    for child in group._children.values():
        if isinstance(child, folium.GeoJson):
            drawn += [
                [f["geometry"], child.style_function(f), f["properties"]["tooltip"]] for f in child.data["features"]
            ]
        elif child._name == "SharedBorderLine":
            feature = json.loads(child.feature.replace("<\\/", "</"))
            drawn.append([border, json.loads(child.style), feature["properties"]["tooltip"]])
        elif child._name == "PatternDefs":
            patterns = json.loads(child.patterns.replace("<\\/", "</"))
    return json.loads(json.dumps(drawn)), patterns


def _site_drawing(record: dict, data: dict) -> tuple[list[list], list[list[str]]]:
    """What the site's script draws for a stored view, in order, and the patterns it adds."""
    strings, styles = data["strings"], data["styles"]
    drawn = [[data["regions"][i]["shape"], styles[s], strings[t]] for i, s, t in record["regions"]]
    drawn += [[data["geometries"][g], styles[s], strings[t]] for g, s, t, _ in record["overlays"]]
    return drawn, [data["patterns"][i] for i in record["patterns"]]


def _check_view(record: dict, data: dict, sources: Sources, event: str, visible: list[str], shade: str | None) -> None:
    """One stored view against the app's own state, folium layers and fragments for the same choice."""
    state = build_map_state(sources, event, visible, shade)
    strings = data["strings"]
    assert record["shade"] == (state.shade or "")
    assert _site_drawing(record, data) == _app_drawing(state, sources)
    codes = [data["regions"][r[0]]["code"] for r in record["regions"]]
    assert codes == [f["properties"]["code"] for f in state.regions["features"]]
    assert strings[record["legend"]] == map_legend_html(state, sources)  # what the map shows: see test_legend.py
    names = [sources.parties.at[p, "name"] for p in visible]
    assert strings[record["caption"]] == caption_html(sources.events.loc[event], sources.manifest, names)


def test_every_event_party_set_and_shade_is_stored_and_matches_the_app(mini: tuple[Sources, dict]) -> None:
    sources, data = mini
    parties = list(sources.parties.index)
    assert [e["id"] for e in data["events"]] == list(sources.events.index)
    for event in data["events"]:
        assert len(event["views"]) == 2 ** len(parties)  # every visible set, the empty one included
        for mask, picks in enumerate(event["views"]):
            assert set(picks) == {publish.DEFAULT_SHADE, *publish.party_sets(parties)[mask]}
    # Every choice at the last event (the one with the most drawn) is what the app draws for that choice.
    last = data["events"][-1]
    for mask, picks in enumerate(last["views"]):
        visible = publish.party_sets(parties)[mask]
        _check_view(data["views"][picks[publish.DEFAULT_SHADE]], data, sources, last["id"], visible, None)
        for shade in visible:
            _check_view(data["views"][picks[shade]], data, sources, last["id"], visible, shade)


def test_the_real_data_has_every_view_for_every_event(sources: Sources) -> None:
    data = read_data(real_site())
    parties = list(sources.parties.index)
    assert len(data["events"]) == len(sources.events) == 11
    views = 0
    for event in data["events"]:
        assert len(event["views"]) == 2 ** len(parties)
        for mask, picks in enumerate(event["views"]):
            assert set(picks) == {publish.DEFAULT_SHADE, *publish.party_sets(parties)[mask]}
            views += len(picks)
    assert views == 11 * (16 + 32)  # 16 sets with a default each, plus one per shown party (4 x 8 in all)
    for event in data["events"]:  # built in parallel: each event as the app draws it with every party shown
        everyone = event["views"][2 ** len(parties) - 1]
        _check_view(data["views"][everyone["ukraine"]], data, sources, event["id"], parties, "ukraine")


def test_shared_tables_hold_each_value_once(mini: tuple[Sources, dict]) -> None:
    _, data = mini
    for table in ("strings", "styles", "geometries", "patterns", "views"):
        keys = [json.dumps(v, sort_keys=True) for v in data[table]]
        assert len(keys) == len(set(keys)), table
    assert len(data["regions"]) == 27  # each oblast's geometry once
    assert all(region["shape"]["type"] in {"Polygon", "MultiPolygon"} for region in data["regions"])


def test_patterned_fills_point_at_a_pattern_the_view_adds(mini: tuple[Sources, dict]) -> None:
    sources, data = mini
    used = set()
    for view in data["views"]:
        ids = [data["patterns"][i][0] for i in view["patterns"]]
        for _, style_index, _ in view["regions"]:
            fill = data["styles"][style_index]["fillColor"]
            if fill.startswith("url(#"):
                assert fill[5:-1] in ids
        used |= {tuple(data["patterns"][i]) for i in view["patterns"]}
    colour = sources.stances.at["freeze_as_final_line", "fill"]  # the mini tree freezes the front in Zaporizhzhia
    assert (pattern_id("hatch", colour), svg_pattern("hatch", colour)) in used


def test_every_string_from_the_data_is_escaped(mini: tuple[Sources, dict]) -> None:
    _, data = mini
    text = "\n".join(_strings(data))
    for markup in RAW_MARKUP:
        assert markup not in text
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in text  # the quote is there, as text
    assert "&lt;script&gt;window.__pwned=3&lt;/script&gt;" in text
    assert data["parties"][3]["name"] == "&lt;b onmouseover=window.__pwned=4&gt;Europe&lt;/b&gt;"


def test_the_bundled_data_fits_its_size_budget() -> None:
    data = (real_site() / "data.js").read_bytes()
    compressed = len(gzip.compress(data, 9))
    assert compressed <= publish.DATA_BUDGET_GZIP_BYTES
    assert compressed < len(data) / 5  # repeated tooltips compress: the tables do their job


def test_the_site_is_self_contained(tmp_path: Path) -> None:
    site = real_site()
    for name in ("index.html", "data.js", "site.js", "site.css", "shared.css", "leaflet/leaflet.js", "leaflet/LICENSE"):
        assert (site / name).is_file(), name
    assert "BSD" in (site / "leaflet" / "LICENSE").read_text(encoding="utf-8")
    page = (site / "index.html").read_text(encoding="utf-8")
    for needle in ("http:", "https:", '="//', "${"):
        assert needle not in page
    for name in ("site.js", "site.css", "shared.css"):
        assert "http:" not in (site / name).read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")


def test_a_root_folder_works_as_well_as_source_paths(tmp_path: Path) -> None:
    report, problems = publish.publish(tmp_path / "site", tiny_root(tmp_path), jobs=1)
    assert problems == []
    assert report.events == 1
    assert report.within_budget


def test_data_problems_write_nothing(tmp_path: Path) -> None:
    root = tiny_root(tmp_path)
    set_cell(root / "data" / "claims.csv", 0, "quote", "words that are not in the article")
    report, problems = publish.publish(tmp_path / "site", root, jobs=1)
    assert report is None
    assert any(p.field == "quote" for p in problems)
    assert not (tmp_path / "site").exists()
    assert publish.main([str(tmp_path / "site"), "--root", str(root), "--jobs", "1"]) == 1


def test_a_folder_with_other_files_is_left_untouched(tmp_path: Path) -> None:
    out = tmp_path / "newsroom"
    out.mkdir()
    (out / "story.html").write_text("keep me", encoding="utf-8")
    report, problems = publish.publish(out, tiny_root(tmp_path), jobs=1)
    assert report is None
    assert [p.field for p in problems] == ["OUT"]
    assert (out / "story.html").read_text(encoding="utf-8") == "keep me"
    assert publish.main([str(out), "--root", str(tiny_root(tmp_path / "again"))]) == 2


def test_a_rebuild_replaces_the_earlier_build_whole(tmp_path: Path) -> None:
    root = tiny_root(tmp_path)
    out = tmp_path / "site"
    publish.publish(out, root, jobs=1)
    (out / "stale.js").write_text("old", encoding="utf-8")
    set_cell(root / "data" / "events.csv", 0, "title", "Kremlin adds new terms")
    assert publish.main([str(out), "--root", str(root), "--jobs", "1"]) == 0
    assert not (out / "stale.js").exists()
    assert "Kremlin adds new terms" in (out / "data.js").read_text(encoding="ascii")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left behind
    assert oct(out.stat().st_mode & 0o777) == oct(0o755)


def test_the_site_lists_the_corrections_log_escaped() -> None:
    page = (real_site() / "index.html").read_text(encoding="utf-8")
    log = read_rows(paths.CORRECTIONS_CSV)
    assert page.count("<li><b>") >= len(log)
    for row in log:
        assert f"· {row['correction']} ·" in page
    assert html.escape(log[0]["why"], quote=True) in page  # article-derived text arrives escaped
    assert "${corrections}" not in page


def test_the_site_describes_the_map_with_the_apps_sentence() -> None:
    # One owner (render/page.DEK); it must not call every position "stated": some are drawn faint.
    page = (real_site() / "index.html").read_text(encoding="utf-8")
    assert f"<p>{html.escape(DEK, quote=True)}: hover it, or tap it on a phone.</p>" in page
    header = page.split('<header class="pms-head">')[1].split("</header>")[0]
    assert "stated position" not in header
