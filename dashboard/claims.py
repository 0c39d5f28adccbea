"""Parties, stances, events, claims and the seed manifest: loaded and validated.

Every loader returns ``(table, problems)``. A table is returned only when its
own file has no problems; cross-file checks (an unknown party in a claim, a
quote missing from its seed) are reported against the file that refers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from dashboard.identifiers import id_problems
from dashboard.problems import Problem, display_name
from dashboard.tables import HEX_COLOUR, ROW, dash_problem, duplicates, parse_dates, rank_problem, read_records, where

WHOLE_COUNTRY = "UA"  # region code of a claim about Ukraine as a whole
OUTCOMES = {
    "russian_control": "would leave the region under Russian control",
    "front_line": "the current front line, which runs through the region, would divide it",
    "ukrainian_control": "the region stays with or returns to Ukraine",
    "open": "no territorial outcome stated",
}

PARTY_COLUMNS = ["party", "name", "colour", "dash", "description"]
STANCE_COLUMNS = ["stance", "label", "outcome", "fill", "fill_opacity", "pattern", "rank", "legend"]
PATTERNS = ("", "hatch", "dots", "cross")  # overlaid on the fill, so stances read in greyscale too
EVENT_COLUMNS = ["event", "date", "date_basis", "date_source", "title", "summary", "seeds"]
CLAIM_COLUMNS = ["claim", "event", "date", "party", "speaker", "stance", "region", "quote", "seed", "note"]
MANIFEST_COLUMNS = ["seed", "sha256", "title", "outlet", "events", "event_dates", "date_basis"]


def split_list(value: str) -> list[str]:
    """Split a semicolon-separated cell into its non-empty items."""
    return [item.strip() for item in value.split(";") if item.strip()]


def load_parties(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parties, indexed by id, in file order (the order layers are listed)."""
    table, name, problems = read_records(path, PARTY_COLUMNS, ["party", "name", "colour"], ["party"])
    if table is None:
        return None, problems
    problems += [
        Problem(name, where(row), "colour", f"'{row['colour']}' is not a colour like #1A2B3C")
        for _, row in table.iterrows()
        if row["colour"] and not HEX_COLOUR.match(row["colour"])
    ]
    problems += id_problems(table, name, ["party"])
    problems += [
        Problem(name, where(row), "dash", msg) for _, row in table.iterrows() if (msg := dash_problem(row["dash"]))
    ]
    return (None if problems else table.set_index("party", drop=False)), problems


def load_stances(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The closed stance vocabulary, indexed by id, with its map styles."""
    table, name, problems = read_records(
        path, STANCE_COLUMNS, ["stance", "label", "outcome", "fill", "fill_opacity", "rank", "legend"], ["stance"]
    )
    if table is None:
        return None, problems
    for _, row in table.iterrows():
        if row["outcome"] and row["outcome"] not in OUTCOMES:
            problems.append(
                Problem(name, where(row), "outcome", f"'{row['outcome']}' is not one of {', '.join(OUTCOMES)}")
            )
        if row["fill"] and not HEX_COLOUR.match(row["fill"]):
            problems.append(Problem(name, where(row), "fill", f"'{row['fill']}' is not a colour like #1A2B3C"))
        opacity = pd.to_numeric(row["fill_opacity"], errors="coerce")
        if row["fill_opacity"] and not (0 <= opacity <= 1):
            problems.append(Problem(name, where(row), "fill_opacity", "must be a number from 0 to 1"))
        if row["pattern"] not in PATTERNS:
            allowed = ", ".join(p or "(empty)" for p in PATTERNS)
            problems.append(Problem(name, where(row), "pattern", f"'{row['pattern']}' is not one of {allowed}"))
        if row["rank"] and (wrong := rank_problem(row["rank"])):
            problems.append(Problem(name, where(row), "rank", wrong))
    problems += id_problems(table, name, ["stance"])
    if problems:
        return None, problems
    table["fill_opacity"] = table["fill_opacity"].astype(float)
    table["rank"] = table["rank"].astype(int)
    return table.set_index("stance", drop=False), []


def _missing_seeds(name: str, row: pd.Series, field: str, seeds: list[str], seeds_dir: Path) -> list[Problem]:
    return [
        Problem(name, where(row), field, f"seed file '{seed}' not found in {display_name(seeds_dir)}/")
        for seed in seeds
        if Path(seed).name != seed or not (seeds_dir / seed).is_file()
    ]


def load_events(path: Path, seeds_dir: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Timeline events in chronological order, indexed by id, with an ``order`` column.

    Events on the same day keep their file order, so the file decides which
    statement of a day comes first.
    """
    table, name, problems = read_records(
        path, EVENT_COLUMNS, ["event", "date", "date_basis", "title", "summary", "seeds"], ["event"]
    )
    if table is None:
        return None, problems
    dates, date_problems = parse_dates(table, name, "date")
    problems += date_problems + id_problems(table, name, ["event"])
    for _, row in table.iterrows():
        problems += _missing_seeds(name, row, "seeds", split_list(row["seeds"]), seeds_dir)
    if problems:
        return None, problems
    table["date"] = dates
    table = table.sort_values(["date", ROW], kind="stable").reset_index(drop=True)
    table["order"] = range(len(table))
    return table.set_index("event", drop=False), []


def load_claims(
    path: Path,
    *,
    seeds_dir: Path,
    events: pd.DataFrame | None,
    parties: pd.DataFrame | None,
    stances: pd.DataFrame | None,
    region_codes: set[str] | None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Claims joined to their event's date and order, after checking every field.

    Checks: required fields, unique ids and (event, party, region, stance)
    keys, known event/party/stance/region, the date equal to the event's date,
    the seed present, and the quote a verbatim substring of the seed.
    A reference given as None (its own file is broken) skips only the checks
    against it, so one run still reports every problem in the claims file.
    """
    table, name, problems = read_records(path, CLAIM_COLUMNS, [c for c in CLAIM_COLUMNS if c != "note"], ["claim"])
    if table is None:
        return None, problems
    problems += duplicates(table, name, ["event", "party", "region", "stance"])
    problems += id_problems(table, name, ["claim", "event", "party", "stance"], ("region",))
    dates, date_problems = parse_dates(table, name, "date")
    problems += date_problems
    seed_texts: dict[str, str | None] = {}
    for (_, row), date in zip(table.iterrows(), dates, strict=True):
        problems += _check_claim_refs(name, row, date, events, parties, stances, region_codes)
        if not row["seed"]:
            continue
        missing = _missing_seeds(name, row, "seed", [row["seed"]], seeds_dir)
        if missing:
            problems += missing
            continue
        if row["seed"] not in seed_texts:
            seed_texts[row["seed"]] = (seeds_dir / row["seed"]).read_text(encoding="utf-8")
        if row["quote"] and row["quote"] not in seed_texts[row["seed"]]:
            message = f"not found verbatim in seed {row['seed']}: '{_short(row['quote'])}'"
            problems.append(Problem(name, where(row), "quote", message))
    if problems or events is None:
        return None, problems
    table["date"] = dates
    table["order"] = table["event"].map(events["order"]).astype(int)
    return table.sort_values(["order", ROW], kind="stable").set_index("claim", drop=False), []


def _check_claim_refs(
    name: str,
    row: pd.Series,
    date: pd.Timestamp,
    events: pd.DataFrame | None,
    parties: pd.DataFrame | None,
    stances: pd.DataFrame | None,
    region_codes: set[str] | None,
) -> list[Problem]:
    found = []
    if events is not None and row["event"]:
        if row["event"] not in events.index:
            found.append(Problem(name, where(row), "event", f"unknown event '{row['event']}'"))
        elif not pd.isna(date) and events.at[row["event"], "date"] != date:
            expected = events.at[row["event"], "date"].date().isoformat()
            found.append(Problem(name, where(row), "date", f"{row['date']} differs from the event's date {expected}"))
    if parties is not None and row["party"] and row["party"] not in parties.index:
        known = ", ".join(parties.index)
        found.append(Problem(name, where(row), "party", f"unknown party '{row['party']}' (known: {known})"))
    if stances is not None and row["stance"] and row["stance"] not in stances.index:
        found.append(Problem(name, where(row), "stance", f"unknown stance '{row['stance']}'"))
    if region_codes is not None and row["region"] and row["region"] not in region_codes | {WHOLE_COUNTRY}:
        message = f"unknown region '{row['region']}' (an ISO code such as UA-14, or UA)"
        found.append(Problem(name, where(row), "region", message))
    return found


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def seed_digest(path: Path) -> str:
    """SHA-256 of a seed file's bytes, as recorded in the manifest."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _changed_seed(name: str, row: pd.Series, seed: Path) -> list[Problem]:
    # Quotes were checked against these exact bytes; an edited article must be re-reviewed.
    if seed_digest(seed) == row["sha256"].lower():
        return []
    return [
        Problem(name, where(row), "sha256", f"{seed.name} no longer matches its recorded SHA-256: the article changed")
    ]


def load_manifest(path: Path, *, seeds_dir: Path, events: pd.DataFrame) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The seed manifest: one row per article, consistent with the seeds folder and events.

    Each row records the article's SHA-256, so a changed article is reported
    rather than silently re-read (the project keeps seeds byte for byte).
    """
    table, name, problems = read_records(
        path, MANIFEST_COLUMNS, ["seed", "sha256", "title", "events", "event_dates", "date_basis"], ["seed"]
    )
    if table is None:
        return None, problems
    for _, row in table.iterrows():
        missing = _missing_seeds(name, row, "seed", [row["seed"]] if row["seed"] else [], seeds_dir)
        problems += missing
        if row["seed"] and not missing and row["sha256"]:
            problems += _changed_seed(name, row, seeds_dir / row["seed"])
        ids, days = split_list(row["events"]), split_list(row["event_dates"])
        if len(ids) != len(days):
            problems.append(Problem(name, where(row), "event_dates", "needs one date per event"))
            continue
        for event, day in zip(ids, days, strict=True):
            if event not in events.index:
                problems.append(Problem(name, where(row), "events", f"unknown event '{event}'"))
            elif events.at[event, "date"].date().isoformat() != day:
                problems.append(
                    Problem(name, where(row), "event_dates", f"{event} is dated {day} here but not in events.csv")
                )
    listed = set(table["seed"])
    problems += [
        Problem(name, "", "seed", f"seed file {seed.name} has no manifest row")
        for seed in sorted(seeds_dir.glob("*.txt"))
        if seed.name not in listed
    ]
    return (None if problems else table.set_index("seed", drop=False)), problems
