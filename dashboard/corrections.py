"""The corrections log, and the published record that makes an unlogged edit fail.

``data/corrections.csv`` holds one row per correction, as newsrooms keep
them: when, which claims, what the map showed, what it shows now, and why.
``data/published.csv`` records a digest of every claim row as last published
and the correction that last changed it. A claim whose row no longer matches
its digest, or that disappeared, was edited without a log entry:
:func:`unlogged_changes` says so (a test runs it on the real data), and
``python -m dashboard.corrections --record`` refreshes the record only for
changes that a correction names.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

import pandas as pd

from dashboard import paths
from dashboard.problems import Problem
from dashboard.tables import parse_dates, read_records, read_table, where

CORRECTION_COLUMNS = ["correction", "date", "claims", "was", "now", "why"]
PUBLISHED_COLUMNS = ["claim", "sha256", "correction"]
REMOVED = "removed"  # the digest of a claim taken off the map
# The fields a reader sees, in this order: a change to any of them is a change to what the map says.
DIGESTED = ["claim", "event", "date", "party", "speaker", "stance", "sourcing", "region", "quote", "seed", "note"]


def load_corrections(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The corrections log in file order, each with its ``claims`` as a tuple of ids.

    Ids must be unique and in increasing order (k001, k002, …), so the last
    correction of a claim is the one with the greatest id. Claim ids are not
    checked against the current table: a correction may name a removed claim.
    """
    table, name, problems = read_records(path, CORRECTION_COLUMNS, CORRECTION_COLUMNS, ["correction"])
    if table is None:
        return None, problems
    dates, found = parse_dates(table, name, "date")
    problems += found
    previous = ""
    for _, row in table.iterrows():
        if row["correction"] and row["correction"] <= previous:
            problems.append(Problem(name, where(row), "correction", f"'{row['correction']}' is not after '{previous}'"))
        previous = max(previous, row["correction"])
    if problems:
        return None, problems
    table["date"] = dates
    table["claims"] = table["claims"].map(lambda cell: tuple(c.strip() for c in cell.split(";") if c.strip()))
    return table.set_index("correction", drop=False), []


def claim_digest(row: dict[str, str]) -> str:
    """SHA-256 of a claim row's reader-facing fields, as the CSV holds them."""
    text = "\x1f".join(str(row.get(field, "")).strip() for field in DIGESTED)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _claim_rows(path: Path) -> dict[str, dict[str, str]]:
    table, _ = read_table(path, ["claim"])
    if table is None:
        return {}
    return {row["claim"]: row.to_dict() for _, row in table.iterrows()}


def _published(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["claim"]: row for row in csv.DictReader(handle)}


def unlogged_changes(claims_csv: Path, published_csv: Path) -> list[str]:
    """Claims edited or removed since the published record, each as a sentence saying what to do."""
    rows, record = _claim_rows(claims_csv), _published(published_csv)
    advice = "log it in data/corrections.csv, then run python -m dashboard.corrections --record"
    found = []
    for claim, row in rows.items():
        if claim in record and record[claim]["sha256"] != claim_digest(row):
            found.append(f"claim {claim} changed since it was published: {advice}")
    for claim, entry in record.items():
        if claim not in rows and entry["sha256"] != REMOVED:
            found.append(f"claim {claim} was removed since it was published: {advice}")
    return found


def record(claims_csv: Path, published_csv: Path, corrections_csv: Path) -> tuple[list[str], list[str]]:
    """Bring the published record up to date; returns (what was recorded, what was refused).

    A changed or removed claim is recorded only when a correction newer than
    the one it was last recorded under names it; a new claim is recorded as
    first published. Nothing is written when anything is refused.
    """
    rows, record_rows = _claim_rows(claims_csv), _published(published_csv)
    log, problems = load_corrections(corrections_csv)
    if log is None:
        return [], [str(p) for p in problems]
    done, refused = [], []
    updated = dict(record_rows)
    changes = {c: claim_digest(r) for c, r in rows.items()}
    changes |= {c: REMOVED for c in record_rows if c not in rows}
    for claim, digest in changes.items():
        entry = record_rows.get(claim)
        if entry is None:
            updated[claim] = {"claim": claim, "sha256": digest, "correction": ""}
            done.append(f"{claim}: new")
            continue
        if entry["sha256"] == digest:
            continue
        naming = [c for c, claims in log["claims"].items() if claim in claims and c > entry["correction"]]
        if not naming:
            refused.append(f"{claim} changed but no correction newer than '{entry['correction']}' names it")
            continue
        updated[claim] = {"claim": claim, "sha256": digest, "correction": naming[-1]}
        done.append(f"{claim}: {naming[-1]}")
    if not refused:
        with published_csv.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, PUBLISHED_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(sorted(updated.values(), key=lambda r: r["claim"]))
    return done, refused


def main(argv: list[str] | None = None) -> int:
    """Command line: check the record (default) or refresh it (--record)."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.corrections", description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="record changes that a correction names")
    args = parser.parse_args(argv)
    if args.record:
        done, refused = record(paths.CLAIMS_CSV, paths.PUBLISHED_CSV, paths.CORRECTIONS_CSV)
        print("\n".join(done) or "nothing to record")
        print("\n".join(f"refused: {r}" for r in refused), file=sys.stderr)
        return 1 if refused else 0
    found = unlogged_changes(paths.CLAIMS_CSV, paths.PUBLISHED_CSV)
    print("\n".join(found) or "every claim matches its published record")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
