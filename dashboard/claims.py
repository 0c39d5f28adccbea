"""Parties, stances, events, claims and the seed manifest: loaded and validated.

Every loader returns ``(table, problems)``. A table is returned only when its
own file has no problems; cross-file checks (an unknown party in a claim, a
quote missing from its seed) are reported against the file that refers.
"""

from __future__ import annotations

import hashlib
import re
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
PARTY_OPTIONAL = {"names": ""}  # words that name the party or its officials, ';'-separated
SOURCING_COLUMNS = ["sourcing", "label", "own_word", "legend", "example"]
YES_NO = {"yes": True, "no": False}
STANCE_COLUMNS = ["stance", "label", "outcome", "fill", "fill_opacity", "pattern", "rank", "legend"]
PATTERNS = ("", "hatch", "dots", "cross")  # overlaid on the fill, so stances read in greyscale too
EVENT_COLUMNS = ["event", "date", "date_basis", "date_source", "title", "summary", "seeds"]
# A plan-level event (a draft scaled back) can end a party's earlier positions: the map stops drawing them.
EVENT_OPTIONAL = {"ends": "", "ends_quote": ""}
CLAIM_COLUMNS = ["claim", "event", "date", "party", "speaker", "stance", "sourcing", "region", "quote", "seed", "note"]
WITHDRAWAL = "withdraw"  # the stance that asks Ukraine to leave land: it must hold some there
MANIFEST_COLUMNS = ["seed", "sha256", "title", "outlet", "events", "event_dates", "date_basis"]


def split_list(value: str) -> list[str]:
    """Split a semicolon-separated cell into its non-empty items."""
    return [item.strip() for item in value.split(";") if item.strip()]


def _with_optional(table: pd.DataFrame, optional: dict[str, str]) -> pd.DataFrame:
    """Add the optional columns a file leaves out, with their default value."""
    return table.assign(**{column: default for column, default in optional.items() if column not in table.columns})


def load_parties(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parties, indexed by id, in file order (the order layers are listed)."""
    table, name, problems = read_records(path, PARTY_COLUMNS, ["party", "name", "colour"], ["party"])
    if table is None:
        return None, problems
    table = _with_optional(table, PARTY_OPTIONAL)
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


def load_sourcing(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The closed set of ways a claim is sourced, indexed by id, with ``own_word`` as a bool.

    ``own_word`` says whether the position is the party's own (stated, or
    reported as its) or someone else's reading of it (second-hand, inferred).
    """
    table, name, problems = read_records(path, SOURCING_COLUMNS, SOURCING_COLUMNS, ["sourcing"])
    if table is None:
        return None, problems
    problems += [
        Problem(name, where(row), "own_word", f"'{row['own_word']}' is not yes or no")
        for _, row in table.iterrows()
        if row["own_word"] and row["own_word"] not in YES_NO
    ]
    if problems:
        return None, problems
    table["own_word"] = table["own_word"].map(YES_NO).astype(bool)
    return table.set_index("sourcing", drop=False), []


def _missing_seeds(name: str, row: pd.Series, field: str, seeds: list[str], seeds_dir: Path) -> list[Problem]:
    return [
        Problem(name, where(row), field, f"seed file '{seed}' not found in {display_name(seeds_dir)}/")
        for seed in seeds
        if Path(seed).name != seed or not (seeds_dir / seed).is_file()
    ]


def load_events(
    path: Path, seeds_dir: Path, parties: pd.DataFrame | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Timeline events in chronological order, indexed by id, with an ``order`` column.

    Events on the same day keep their file order, so the file decides which
    statement of a day comes first. ``ends`` lists parties whose earlier
    positions the event ends (a plan scaled back); ``ends_quote`` is the
    verbatim sentence of one of the event's seeds that says so.
    """
    table, name, problems = read_records(
        path, EVENT_COLUMNS, ["event", "date", "date_basis", "title", "summary", "seeds"], ["event"]
    )
    if table is None:
        return None, problems
    table = _with_optional(table, EVENT_OPTIONAL)
    dates, date_problems = parse_dates(table, name, "date")
    problems += date_problems + id_problems(table, name, ["event"])
    for _, row in table.iterrows():
        missing = _missing_seeds(name, row, "seeds", split_list(row["seeds"]), seeds_dir)
        problems += missing
        if not missing:
            problems += _ends_problems(name, row, parties, seeds_dir)
    if problems:
        return None, problems
    table["date"] = dates
    table = table.sort_values(["date", ROW], kind="stable").reset_index(drop=True)
    table["order"] = range(len(table))
    return table.set_index("event", drop=False), []


def _ends_problems(name: str, row: pd.Series, parties: pd.DataFrame | None, seeds_dir: Path) -> list[Problem]:
    ends = split_list(row["ends"])
    if not ends and not row["ends_quote"]:
        return []
    if not ends or not row["ends_quote"]:
        return [Problem(name, where(row), "ends_quote" if ends else "ends", "'ends' and 'ends_quote' go together")]
    found = []
    if parties is not None:
        found += [
            Problem(name, where(row), "ends", f"unknown party '{party}'")
            for party in ends
            if party not in parties.index
        ]
    texts = [(seeds_dir / seed).read_text(encoding="utf-8") for seed in split_list(row["seeds"])]
    if not any(row["ends_quote"] in text for text in texts):
        message = f"not found verbatim in the event's seeds: '{_short(row['ends_quote'])}'"
        found.append(Problem(name, where(row), "ends_quote", message))
    return found


def load_claims(
    path: Path,
    *,
    seeds_dir: Path,
    events: pd.DataFrame | None,
    parties: pd.DataFrame | None,
    stances: pd.DataFrame | None,
    region_codes: set[str] | None,
    sourcing: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Claims joined to their event's date and order, after checking every field.

    Checks: required fields, unique ids and (event, party, region, stance)
    keys, known event/party/stance/sourcing/region, the date equal to the
    event's date, the seed present, the quote a verbatim substring of the
    seed, and the editorial checks of :func:`reading_problems`.
    A reference given as None (its own file is broken) skips only the checks
    against it, so one run still reports every problem in the claims file.
    The table gains ``own_word`` (bool) from the sourcing vocabulary.
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
        if sourcing is not None and row["sourcing"] and row["sourcing"] not in sourcing.index:
            known = ", ".join(sourcing.index)
            problems.append(Problem(name, where(row), "sourcing", f"unknown sourcing '{row['sourcing']}' ({known})"))
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
    if sourcing is not None:
        table["own_word"] = table["sourcing"].map(sourcing["own_word"]).astype(bool)
        problems += reading_problems(table, name, parties, stances, sourcing)
    if problems:
        return None, problems
    return table.sort_values(["order", ROW], kind="stable").set_index("claim", drop=False), []


def reading_problems(
    claims: pd.DataFrame, name: str, parties: pd.DataFrame | None, stances: pd.DataFrame | None, sourcing: pd.DataFrame
) -> list[Problem]:
    """Editorial checks that a careful reader would make of the claims table.

    - Two different stances from one party on one region on one date: each
      row's note must name the other stances (by id or label), saying why both hold.
    - A party's own-word claim (stated or reported) whose quote names neither
      the party nor any of its officials (``names`` in parties.csv) is
      second-hand or inferred, and must say so.
    """
    found = []
    for (party, region, _), rows in claims.groupby(["party", "region", "date"], sort=False):
        distinct = set(rows["stance"])
        if len(distinct) < 2:
            continue
        for _, row in rows.iterrows():
            others = distinct - {row["stance"]}
            labels = {
                s: str(stances.at[s, "label"]) if stances is not None and s in stances.index else s for s in others
            }
            unexplained = [
                s for s in sorted(others) if s not in row["note"] and labels[s].lower() not in row["note"].lower()
            ]
            if unexplained:
                message = (
                    f"{party} also takes {', '.join(unexplained)} on {region} on this date: "
                    "the note must name the other stance and say why both hold"
                )
                found.append(Problem(name, where(row), "note", message))
    if parties is not None:
        for _, row in claims.iterrows():
            if not sourcing.at[row["sourcing"], "own_word"] or row["party"] not in parties.index:
                continue
            names = split_list(parties.at[row["party"], "names"])
            if names and not any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", row["quote"]) for n in names):
                message = (
                    f"the quote names neither {parties.at[row['party'], 'name']} nor its officials "
                    f"({', '.join(names)}): source it as second_hand or inferred, or quote the sentence that names them"
                )
                found.append(Problem(name, where(row), "sourcing", message))
    return found


def withdrawal_problems(
    claims: pd.DataFrame, name: str, held_by_ukraine: dict[str, dict[str, float]], min_km2: float
) -> list[Problem]:
    """A withdrawal asked from a region where Ukraine holds no land at the claim's date.

    ``held_by_ukraine`` maps a claim id to {region: km² Ukraine holds} from the
    front line in force at its date; claims before the first known front line
    are not in it and are not checked. Less than ``min_km2`` counts as none.
    """
    found = []
    for claim, row in claims[claims["stance"] == WITHDRAWAL].iterrows():
        held = held_by_ukraine.get(claim)
        if held is None or row["region"] == WHOLE_COUNTRY:
            continue
        if held.get(row["region"], 0.0) < min_km2:
            message = (
                f"asks Ukraine to withdraw from {row['region']}, where it holds no land on {row['date'].date()} "
                "(bundled front lines): read the sentence again"
            )
            found.append(Problem(name, where(row), "stance", message))
    return found


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
