"""Reading CSV source files into string tables, reporting problems instead of raising."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from dashboard.problems import Problem, display_name

MAX_TABLE_BYTES = 5_000_000  # far above any hand-kept table; guards against a wrong file
ROW = "_row"  # column holding the spreadsheet row number (header = row 1)
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
# Dates the data can hold: a year outside these is a typo (or "-2014-03-18"), and
# dates far from today break date arithmetic further on.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
MAX_RANK = 1000  # stance ranks order a legend of a dozen entries; a 30-digit rank is a typo
MAX_DASH_PARTS, MAX_DASH_PX = 8, 100  # an SVG dash pattern: a few positive lengths in pixels


def read_table(path: Path, columns: list[str]) -> tuple[pd.DataFrame | None, list[Problem]]:  # noqa: PLR0911
    """Read a UTF-8 CSV as strings, checking that ``columns`` are present.

    Values are stripped of surrounding whitespace; a ``_row`` column records
    each record's row number as a spreadsheet would show it.
    """
    name = display_name(path)
    if not path.is_file():
        return None, [Problem(name, "", "", "file not found")]
    raw = path.read_bytes()
    if len(raw) > MAX_TABLE_BYTES:
        return None, [Problem(name, "", "", f"file is {len(raw):,} bytes; the limit is {MAX_TABLE_BYTES:,}")]
    try:
        text = raw.decode("utf-8-sig")  # tolerate a byte-order mark from spreadsheet exports
    except UnicodeDecodeError as err:
        return None, [Problem(name, "", "", f"not UTF-8 text (bad byte at offset {err.start})")]
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        return None, [Problem(name, "", "", "file is empty")]
    except pd.errors.ParserError as err:
        return None, [Problem(name, "", "", f"not valid CSV ({err})")]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        return None, [Problem(name, "row 1", c, "column is missing") for c in missing]
    table = table.apply(lambda col: col.str.strip())
    table[ROW] = range(2, len(table) + 2)
    return table, []


def where(row: pd.Series) -> str:
    """The row label used in problem messages."""
    return f"row {row[ROW]}"


def require(table: pd.DataFrame, name: str, fields: list[str]) -> list[Problem]:
    """Problems for every empty required field."""
    return [
        Problem(name, where(row), field, "value is empty")
        for _, row in table.iterrows()
        for field in fields
        if not row[field]
    ]


def duplicates(table: pd.DataFrame, name: str, key: list[str]) -> list[Problem]:
    """Problems for every row repeating an earlier row's key."""
    dup = table[table.duplicated(subset=key, keep="first")]
    label = " + ".join(key)
    return [
        Problem(name, where(row), label, f"duplicate of an earlier row ({', '.join(row[k] for k in key)})")
        for _, row in dup.iterrows()
    ]


def parse_dates(table: pd.DataFrame, name: str, field: str) -> tuple[pd.Series, list[Problem]]:
    """Parse an ISO date column (YYYY-MM-DD); problems for values that do not parse."""
    dates = pd.to_datetime(table[field], format="%Y-%m-%d", errors="coerce")
    problems = []
    for (_, row), date in zip(table.iterrows(), dates, strict=True):
        if row[field] and pd.isna(date):
            problems.append(Problem(name, where(row), field, f"'{row[field]}' is not a date in YYYY-MM-DD form"))
        elif row[field] and not in_date_range(date):
            message = f"'{row[field]}' is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}"
            problems.append(Problem(name, where(row), field, message))
    dates = dates.where(pd.Series([in_date_range(d) for d in dates], index=dates.index, dtype=bool))
    return dates, problems


def in_date_range(date: pd.Timestamp) -> bool:
    """True for a date in the years EARLIEST_YEAR..LATEST_YEAR (the range every loader accepts)."""
    return not pd.isna(date) and EARLIEST_YEAR <= date.year <= LATEST_YEAR


def dash_problem(value: str) -> str | None:
    """Why ``value`` is not an SVG dash pattern ("10 6": up to MAX_DASH_PARTS positive lengths), or None.

    Empty means a solid line. The value reaches SVG, the legend's CSS, the PNG
    renderer and the static site, so only plain positive numbers pass.
    """
    if not value:
        return None
    parts = value.replace(",", " ").split()
    if len(parts) > MAX_DASH_PARTS:
        return f"'{value[:40]}' is not a dash pattern: it has more than {MAX_DASH_PARTS} lengths"
    for part in parts:
        if not re.fullmatch(r"\d{1,3}(\.\d{1,3})?", part) or not 0 < float(part) <= MAX_DASH_PX:
            return (
                f"'{value[:40]}' is not a dash pattern: give up to {MAX_DASH_PARTS} numbers "
                f"above 0 and at most {MAX_DASH_PX}, separated by spaces (e.g. '10 6')"
            )
    return None


def rank_problem(value: str) -> str | None:
    """Why ``value`` is not a rank (a whole number from 0 to MAX_RANK), or None."""
    if not value.isascii() or not value.isdigit():
        return f"'{value[:40]}' is not a whole number"
    if int(value) > MAX_RANK:
        return f"{value[:40]} is above the largest rank, {MAX_RANK}"
    return None


def read_records(
    path: Path, columns: list[str], required: list[str], key: list[str]
) -> tuple[pd.DataFrame | None, str, list[Problem]]:
    """``read_table``, then the checks every source table shares: required fields and a unique key.

    Returns the table (None if it could not be read), the file's display name
    for further messages, and the problems found so far.
    """
    name = display_name(path)
    table, problems = read_table(path, columns)
    if table is None:
        return None, name, problems
    return table, name, problems + require(table, name, required) + duplicates(table, name, key)
