"""Claims, events, parties, stances and the manifest: the committed data and every kind of bad row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fixture_data import mini_paths, read_rows, set_cell, write_rows

from dashboard.claims import WHOLE_COUNTRY, split_list
from dashboard.paths import CLAIMS_CSV, SEEDS_DIR
from dashboard.sources import SourcePaths, Sources, load_sources

CARD_REGIONS = {"UA-14": "Donetsk", "UA-09": "Luhansk", "UA-23": "Zaporizhzhia", "UA-65": "Kherson", "UA-43": "Crimea"}


def test_committed_data_loads_without_problems(sources: Sources) -> None:
    assert len(sources.claims) >= 55
    assert len(sources.events) >= 11


def test_every_quote_is_verbatim_in_its_seed_article() -> None:
    # Read independently of the loader, so a loader bug cannot hide a bad quote.
    for row in read_rows(CLAIMS_CSV):
        text = (SEEDS_DIR / row["seed"]).read_text(encoding="utf-8")
        assert row["quote"] in text, f"{row['claim']}: quote not in {row['seed']}"


def test_each_card_region_has_positions_from_at_least_two_parties(sources: Sources) -> None:
    for code, name in CARD_REGIONS.items():
        parties = set(sources.claims.loc[sources.claims["region"] == code, "party"])
        assert len(parties) >= 2, f"{name} has positions from {parties}"


def test_timeline_covers_the_events_the_articles_report(sources: Sources) -> None:
    dates = set(sources.events["date"].dt.strftime("%Y-%m-%d"))
    for day in ["2014-03-18", "2022-09-30", "2022-11-15", "2024-06-14", "2025-08-15", "2025-11-20", "2025-11-27"]:
        assert day in dates
    assert sources.events["date"].is_monotonic_increasing


def test_every_event_has_a_claim_or_ends_positions_and_every_article_is_cited(sources: Sources) -> None:
    ending = set(sources.events.index[sources.events["ends"] != ""])
    assert set(sources.events.index) <= set(sources.claims["event"]) | ending
    assert set(sources.manifest.index) == set(sources.claims["seed"])


def test_dates_not_from_the_articles_name_their_public_source(sources: Sources) -> None:
    outside = sources.events[sources.events["date_basis"].str.contains("public record|approximate")]
    assert not outside.empty
    assert (outside["date_source"].str.len() > 20).all()


def test_three_parties_speak_and_whole_country_claims_exist(sources: Sources) -> None:
    # Europe keeps its layer for new articles; the seeds give it no region-level position of its own.
    assert set(sources.claims["party"]) == {"russia", "ukraine", "united_states"}
    assert "europe" in sources.parties.index
    assert (sources.claims["region"] == WHOLE_COUNTRY).any()


def test_manifest_lists_every_seed_with_its_events(sources: Sources) -> None:
    assert sorted(sources.manifest.index) == sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
    for _, row in sources.manifest.iterrows():
        assert len(split_list(row["events"])) == len(split_list(row["event_dates"]))


def test_mini_fixture_loads_and_claims_are_in_timeline_order(tmp_path: Path) -> None:
    loaded, problems = load_sources(mini_paths(tmp_path))
    assert problems == []
    assert list(loaded.claims.index) == ["k1", "k2", "k3", "k4", "k5"]
    assert loaded.claims.at["k3", "date"] == pd.Timestamp("2025-03-02")


def _claims(p: SourcePaths) -> Path:
    return p.claims


def _edit(file: Callable[[SourcePaths], Path], row: int, field: str, value: str) -> Callable[[SourcePaths], None]:
    return lambda p: set_cell(file(p), row, field, value)


def _write(file: Callable[[SourcePaths], Path], data: bytes) -> Callable[[SourcePaths], None]:
    return lambda p: file(p).write_bytes(data)


def _duplicate_first_claim(p: SourcePaths) -> None:
    rows = read_rows(p.claims)
    write_rows(p.claims, [*rows, dict(rows[0])])


def _drop_column(p: SourcePaths) -> None:
    rows = [{k: v for k, v in row.items() if k != "speaker"} for row in read_rows(p.claims)]
    write_rows(p.claims, rows)


def _add_unlisted_seed(p: SourcePaths) -> None:
    (p.seeds_dir / "extra.txt").write_text("An article nobody listed.", encoding="utf-8")


def _change_seed(p: SourcePaths) -> None:
    seed = p.seeds_dir / "sample.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA new paragraph.", encoding="utf-8")


# (what is wrong, how to break the mini fixture, file named, row named, field named, words in the message)
BAD_INPUTS = [
    (
        "quote not verbatim",
        _edit(_claims, 2, "quote", "Ukraine may cede Donetsk"),
        "claims.csv",
        "row 4",
        "quote",
        "not found verbatim",
    ),
    ("unknown party", _edit(_claims, 0, "party", "china"), "claims.csv", "row 2", "party", "unknown party 'china'"),
    ("unknown region", _edit(_claims, 0, "region", "UA-99"), "claims.csv", "row 2", "region", "unknown region"),
    ("unknown stance", _edit(_claims, 1, "stance", "annex"), "claims.csv", "row 3", "stance", "unknown stance"),
    ("unknown event", _edit(_claims, 1, "event", "m9"), "claims.csv", "row 3", "event", "unknown event 'm9'"),
    (
        "date not the event's",
        _edit(_claims, 2, "date", "2025-03-05"),
        "claims.csv",
        "row 4",
        "date",
        "differs from the event's date 2025-03-02",
    ),
    (
        "date in another format",
        _edit(_claims, 2, "date", "02/03/2025"),
        "claims.csv",
        "row 4",
        "date",
        "not a date in YYYY-MM-DD form",
    ),
    ("empty quote", _edit(_claims, 3, "quote", ""), "claims.csv", "row 5", "quote", "value is empty"),
    ("seed missing", _edit(_claims, 0, "seed", "gone.txt"), "claims.csv", "row 2", "seed", "'gone.txt' not found"),
    (
        "seed outside seeds/",
        _edit(_claims, 0, "seed", "../data/claims.csv"),
        "claims.csv",
        "row 2",
        "seed",
        "not found",
    ),
    ("duplicate claim", _duplicate_first_claim, "claims.csv", "row 7", "claim", "duplicate of an earlier row"),
    ("missing column", _drop_column, "claims.csv", "row 1", "speaker", "column is missing"),
    ("not UTF-8", _write(_claims, "claim,quote\nk1,caf\xe9\n".encode("latin-1")), "claims.csv", "", "", "not UTF-8"),
    ("empty file", _write(_claims, b""), "claims.csv", "", "", "file is empty"),
    ("bad event date", _edit(lambda p: p.events, 0, "date", "March 2025"), "events.csv", "row 2", "date", "YYYY-MM-DD"),
    ("bad colour", _edit(lambda p: p.parties, 0, "colour", "red"), "parties.csv", "row 2", "colour", "not a colour"),
    (
        "bad stance outcome",
        _edit(lambda p: p.stances, 0, "outcome", "maybe"),
        "stances.csv",
        "row 2",
        "outcome",
        "is not one of",
    ),
    (
        "unknown pattern",
        _edit(lambda p: p.stances, 0, "pattern", "stripes"),
        "stances.csv",
        "row 2",
        "pattern",
        "is not one of",
    ),
    (
        "opacity out of range",
        _edit(lambda p: p.stances, 0, "fill_opacity", "3"),
        "stances.csv",
        "row 2",
        "fill_opacity",
        "from 0 to 1",
    ),
    (
        "manifest date mismatch",
        _edit(lambda p: p.manifest, 0, "event_dates", "2025-03-01;2025-03-02;2025-03-09"),
        "manifest.csv",
        "row 2",
        "event_dates",
        "m3 is dated 2025-03-09",
    ),
    ("seed without manifest row", _add_unlisted_seed, "manifest.csv", "", "seed", "extra.txt has no manifest row"),
    ("seed changed since review", _change_seed, "manifest.csv", "row 2", "sha256", "the article changed"),
]


@pytest.mark.parametrize(
    ("break_it", "file", "where", "field", "words"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_is_reported_with_file_row_field_and_reason(
    tmp_path: Path, break_it: Callable[[SourcePaths], None], file: str, where: str, field: str, words: str
) -> None:
    paths = mini_paths(tmp_path)
    break_it(paths)
    loaded, problems = load_sources(paths)
    assert loaded is None
    matching = [p for p in problems if Path(p.file).name == file and p.where == where and p.field == field]
    assert matching, f"no problem for {file} {where} {field}; got {[str(p) for p in problems]}"
    assert any(words in p.message for p in matching), [str(p) for p in matching]


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    paths = mini_paths(tmp_path)
    set_cell(paths.claims, 0, "party", "china")
    set_cell(paths.claims, 3, "region", "UA-99")
    set_cell(paths.events, 1, "title", "")
    _, problems = load_sources(paths)
    messages = [str(p) for p in problems]
    assert len(problems) >= 2, messages
    assert any("events.csv, row 3, field 'title'" in m for m in messages)


def test_a_byte_order_mark_from_a_spreadsheet_is_accepted(tmp_path: Path) -> None:
    paths = mini_paths(tmp_path)
    paths.claims.write_bytes(b"\xef\xbb\xbf" + paths.claims.read_bytes())
    loaded, problems = load_sources(paths)
    assert problems == []
    assert "k1" in loaded.claims.index


def test_a_file_larger_than_the_limit_is_refused_without_reading_it_as_csv(tmp_path: Path) -> None:
    paths = mini_paths(tmp_path)
    paths.claims.write_bytes(b"x" * 5_000_001)
    _, problems = load_sources(paths)
    assert any("the limit is 5,000,000" in p.message for p in problems)


def test_every_claim_joins_an_oblast_polygon_or_the_whole_country() -> None:
    import json

    from dashboard.paths import OBLASTS_GEOJSON

    codes = {f["properties"]["code"] for f in json.loads(OBLASTS_GEOJSON.read_text(encoding="utf-8"))["features"]}
    for row in read_rows(CLAIMS_CSV):
        assert row["region"] in codes | {WHOLE_COUNTRY}, f"{row['claim']}: {row['region']}"
