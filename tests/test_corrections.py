"""The corrections log: every change to what the map says is logged, and an unlogged edit fails here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixture_data import read_rows, set_cell, write_rows

from dashboard import paths
from dashboard.corrections import REMOVED, load_corrections, record, unlogged_changes


def test_every_claim_matches_its_published_record() -> None:
    # Fails on any edit to data/claims.csv that no corrections entry names (see docs/sourcing.md).
    assert unlogged_changes(paths.CLAIMS_CSV, paths.PUBLISHED_CSV) == []


def test_the_log_loads_and_every_correction_says_what_why_and_which_claims() -> None:
    log, problems = load_corrections(paths.CORRECTIONS_CSV)
    assert problems == []
    assert len(log) >= 10
    assert all(log["claims"].map(len) > 0)
    assert (log[["was", "now", "why"]].map(len) > 5).all().all()
    recorded = {row["claim"]: row for row in read_rows(paths.PUBLISHED_CSV)}
    for claim, row in recorded.items():  # every recorded correction exists and names its claim
        if row["correction"]:
            assert claim in log.at[row["correction"], "claims"], (claim, row["correction"])


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Copies of the real claims, record and log, to edit."""
    files = []
    for source in (paths.CLAIMS_CSV, paths.PUBLISHED_CSV, paths.CORRECTIONS_CSV):
        files.append(tmp_path / source.name)
        shutil.copy(source, files[-1])
    return files[0], files[1], files[2]


def _log(corrections: Path, claims: str, correction: str = "k900") -> None:
    rows = read_rows(corrections)
    entry = {"correction": correction, "date": "2026-12-05", "claims": claims, "was": "a", "now": "b", "why": "c"}
    write_rows(corrections, [*rows, entry])


def test_an_edit_without_a_log_entry_is_reported_and_not_recorded(tree: tuple[Path, Path, Path]) -> None:
    claims, published, corrections = tree
    set_cell(claims, 0, "stance", "withdraw")
    found = unlogged_changes(claims, published)
    assert len(found) == 1 and found[0].startswith("claim c001 changed since it was published")
    before = published.read_bytes()
    _done, refused = record(claims, published, corrections)
    assert refused == ["c001 changed but no correction newer than 'k013' names it"]
    assert published.read_bytes() == before  # nothing written while anything is refused


def test_an_old_correction_does_not_cover_a_new_edit(tree: tuple[Path, Path, Path]) -> None:
    claims, published, corrections = tree
    set_cell(claims, 0, "note", "Edited again.")  # c001 is named by k001, already applied
    _, refused = record(claims, published, corrections)
    assert refused and "c001" in refused[0]


def test_a_logged_edit_is_recorded_and_then_matches(tree: tuple[Path, Path, Path]) -> None:
    claims, published, corrections = tree
    set_cell(claims, 0, "note", "Edited.")
    _log(corrections, "c001")
    done, refused = record(claims, published, corrections)
    assert (done, refused) == (["c001: k900"], [])
    assert unlogged_changes(claims, published) == []
    assert {r["claim"]: r["correction"] for r in read_rows(published)}["c001"] == "k900"


def test_a_removed_claim_needs_a_correction_and_stays_recorded_as_removed(tree: tuple[Path, Path, Path]) -> None:
    claims, published, corrections = tree
    write_rows(claims, read_rows(claims)[1:])
    assert unlogged_changes(claims, published) == [
        "claim c001 was removed since it was published: "
        "log it in data/corrections.csv, then run "
        "python -m dashboard.corrections --record"
    ]
    _log(corrections, "c001")
    assert record(claims, published, corrections)[1] == []
    assert {r["claim"]: r["sha256"] for r in read_rows(published)}["c001"] == REMOVED


def test_a_new_claim_needs_no_correction(tree: tuple[Path, Path, Path]) -> None:
    claims, published, corrections = tree
    rows = read_rows(claims)
    write_rows(claims, [*rows, rows[0] | {"claim": "c999"}])
    assert unlogged_changes(claims, published) == []
    assert record(claims, published, corrections) == (["c999: new"], [])


def test_correction_ids_must_increase(tree: tuple[Path, Path, Path]) -> None:
    _, _, corrections = tree
    _log(corrections, "c001", correction="k000")
    log, problems = load_corrections(corrections)
    assert log is None
    assert [(p.field, p.message) for p in problems] == [("correction", "'k000' is not after 'k018'")]
