"""Quantities in article text, and a check of the articles' figures against the geometry.

:func:`find_quantities` reads lengths ("1,100-kilometre", "six miles"),
areas ("90,000 square kilometers", "5,000 km²") and shares ("18%", "one-fifth",
"a fifth", "three-quarters") out of any text, each with the sentence it
comes from. ``data/factcheck.csv`` pairs figures in the seed articles with
what to compute for the same thing (a reviewed, editorial choice), and
:func:`check_figure` computes it from a front-line snapshot and gives the
ratio and a plain verdict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.frontline import Snapshot
from dashboard.paths import FACTCHECK_CSV
from dashboard.problems import Problem, display_name
from dashboard.tables import ROW, in_date_range, read_table

FACTCHECK_COLUMNS = ["figure_id", "seed", "event", "line_date", "figure", "sentence_start", "compute", "note"]

# Verdict thresholds on |article / geometry - 1|. Within AGREES_WITHIN the
# figures agree; within ROUGHLY_WITHIN they agree roughly (our lines are
# approximations to 5-12 km, and articles round); beyond, they do not agree.
AGREES_WITHIN = 0.10
ROUGHLY_WITHIN = 0.25
AGREES, ROUGHLY, DISAGREES, NOT_CHECKED = "agrees", "roughly", "does not agree", "not checked"

KM_PER_MILE = 1.609344
LENGTH, AREA, SHARE = "length_km", "area_km2", "share"

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "a hundred": 100,
}  # fmt: skip
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                 "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "tenth": 10, "tenths": 10}  # fmt: skip
_NUMERATORS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "nine": 9}
_SCALES = {"thousand": 1e3, "million": 1e6}
# Words that say a figure is not exact; kept with the quantity for the reader.
_HEDGES = (
    "approximately", "about", "around", "roughly", "nearly", "almost", "some", "close to", "more than",
    "over", "less than", "under", "up to", "at least", "estimated", "an estimated", "just under", "just over",
)  # fmt: skip

_NUMBER = (
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + ")"
)
_SCALE = r"(?:[\s-](?P<scale>thousand|million))?"
_SQ = r"(?:square|sq\.?)[\s-]"
_KM = r"(?:kilomet(?:re|er)s?|km)"
_MI = r"(?:miles?|mi)"
_PATTERNS = [
    # areas first: "square kilometres" must not be read as a length
    (
        AREA,
        re.compile(
            rf"\b{_NUMBER}{_SCALE}[\s-]*(?:{_SQ}(?P<unit>{_KM}|{_MI})|(?P<unit2>km²|km2|sq\.?\s?km))(?![\w²])", re.I
        ),
    ),
    (LENGTH, re.compile(rf"\b{_NUMBER}{_SCALE}[\s-]*(?P<unit>{_KM}|{_MI})\b(?!\s*²)", re.I)),
    (SHARE, re.compile(rf"\b{_NUMBER}\s*(?P<unit>%|per\s?cent|percent)", re.I)),
    (SHARE, re.compile(r"\b(?P<half>half)\b(?=\s+(?:of|the|its|their|a|an)\b)", re.I)),
    (
        SHARE,
        re.compile(
            r"\b(?P<frac>(?P<numer>a|an|one|two|three|four|nine)[\s-]"
            r"(?P<denom>halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|tenths?))\b",
            re.I,
        ),
    ),
]
# A sentence ends at . ! or ? (plus closing quotes) followed by space and a capital
# or an opening quote, unless the full stop ends an initial or abbreviation ("U.S.").
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|No|Gen|Lt|Col|vs|etc)\.)$")


@dataclass(frozen=True)
class Quantity:
    """One figure found in a text: its kind, its value in km / km² / a 0..1 share, and where it is."""

    kind: str
    value: float
    text: str
    hedge: str
    sentence: str
    start: int
    end: int


def sentences(text: str) -> list[tuple[int, str]]:
    """Split text into sentences: (offset of the sentence in ``text``, sentence)."""
    spans: list[tuple[int, str]] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        start = paragraph.start()
        body = paragraph.group()
        cut = 0
        for end in _SENTENCE_END.finditer(body):
            if _ABBREVIATION.search(body[cut : end.start()].rstrip('"”’)')):
                continue
            spans.append((start + cut, body[cut : end.start()].strip()))
            cut = end.end()
        if body[cut:].strip():
            spans.append((start + cut, body[cut:].strip()))
    return spans


def _number(raw: str, scale: str | None) -> float:
    word = raw.lower()
    value = float(_WORD_NUMBERS[word]) if word in _WORD_NUMBERS else float(raw.replace(",", ""))
    return value * _SCALES.get((scale or "").lower(), 1.0)


def _hedge_before(sentence: str, offset: int) -> str:
    """The hedging words right before a figure ("approximately", "about"), or ''."""
    before = sentence[:offset].lower().rstrip()
    for hedge in sorted(_HEDGES, key=len, reverse=True):
        if re.search(rf"\b{re.escape(hedge)}$", before):
            return hedge
    return ""


def _value(kind: str, match: re.Match[str]) -> float:
    groups = match.groupdict()
    if groups.get("half"):
        return 0.5
    if groups.get("frac"):
        denom = groups["denom"].lower()
        return _NUMERATORS[groups["numer"].lower()] / _DENOMINATORS[denom]
    value = _number(groups["num"], groups.get("scale"))
    unit = (groups.get("unit") or groups.get("unit2") or "").lower()
    if kind == SHARE:
        return value / 100
    miles = unit.startswith("mi")
    if kind == LENGTH:
        return value * KM_PER_MILE if miles else value
    return value * KM_PER_MILE**2 if miles else value


def find_quantities(text: str) -> list[Quantity]:
    """Every length, area and share in ``text``, in reading order, with its sentence."""
    found: list[Quantity] = []
    for offset, sentence in sentences(text):
        taken: list[tuple[int, int]] = []
        for kind, pattern in _PATTERNS:
            for match in pattern.finditer(sentence):
                if any(match.start() < e and s < match.end() for s, e in taken):
                    continue  # already read as an area
                taken.append((match.start(), match.end()))
                found.append(
                    Quantity(
                        kind=kind,
                        value=_value(kind, match),
                        text=match.group(0),
                        hedge=_hedge_before(sentence, match.start()),
                        sentence=sentence,
                        start=offset + text[offset:].find(sentence) + match.start(),
                        end=offset + text[offset:].find(sentence) + match.end(),
                    )
                )
    return sorted(found, key=lambda q: q.start)


# --------------------------------------------------------------------------
# Figures checked against the geometry
# --------------------------------------------------------------------------

# What can be computed, with the unit the result is in.
COMPUTATIONS = {
    "occupied_share": SHARE,  # share of Ukraine on Russia's side of the line (Crimea included)
    "occupied_km2": AREA,  # km² on Russia's side of the line (Crimea included)
    "front_length_km": LENGTH,  # the whole line: land and the Dnipro with its estuary
    "land_front_length_km": LENGTH,  # the line without the Dnipro stretch
    "area_of_regions": AREA,  # whole regions, e.g. area_of_regions:UA-14;UA-09
    "held_area_of_regions": AREA,  # the part of those regions Ukraine holds on the date
    "occupied_area_of_regions": AREA,  # the part of those regions Russia holds on the date
    "not_checked": "",  # a figure the geometry cannot speak to (an advance over days, troop numbers)
}


@dataclass(frozen=True)
class Check:
    """One article figure set beside the geometry's figure for the same thing."""

    figure_id: str
    quantity: Quantity | None
    compute: str
    computed: float | None
    ratio: float | None
    verdict: str
    snapshot_date: pd.Timestamp | None
    note: str


def verdict(ratio: float | None) -> str:
    """Plain verdict for article / geometry."""
    if ratio is None or not math.isfinite(ratio) or ratio <= 0:
        return NOT_CHECKED
    off = abs(ratio - 1) - 1e-9  # a ratio exactly on a threshold counts as within it
    if off <= AGREES_WITHIN:
        return AGREES
    return ROUGHLY if off <= ROUGHLY_WITHIN else DISAGREES


def compute_figure(compute: str, snapshot: Snapshot, oblasts: gpd.GeoDataFrame) -> float | None:
    """The figure the geometry gives for ``compute`` (see :data:`COMPUTATIONS`), or None."""
    name, _, arg = compute.partition(":")
    codes = [c.strip() for c in arg.split(";") if c.strip()]
    if name == "occupied_share":
        return snapshot.share
    if name == "occupied_km2":
        return snapshot.occupied_km2
    if name == "front_length_km":
        return snapshot.length_km.get("total")
    if name == "land_front_length_km":
        return snapshot.length_km.get("land", snapshot.length_km.get("unclassified"))
    if name in ("area_of_regions", "held_area_of_regions", "occupied_area_of_regions"):
        from dashboard.geo import area_km2  # deferred: only these computations need it

        whole = float(area_km2(oblasts.loc[codes]).sum())
        held = float(snapshot.by_region["occupied_km2"].reindex(codes).fillna(0.0).sum())
        return {"area_of_regions": whole, "occupied_area_of_regions": held}.get(name, whole - held)
    return None


def check_figure(
    figure_id: str, quantity: Quantity | None, compute: str, snapshot: Snapshot | None, oblasts: gpd.GeoDataFrame,
    note: str = "",
) -> Check:  # fmt: skip
    """Compute ``compute`` on the snapshot and set the article's figure beside it."""
    if quantity is None or snapshot is None or compute.startswith("not_checked"):
        return Check(figure_id, quantity, compute, None, None, NOT_CHECKED, None, note)
    computed = compute_figure(compute, snapshot, oblasts)
    ratio = quantity.value / computed if computed else None
    return Check(figure_id, quantity, compute, computed, ratio, verdict(ratio), snapshot.date, note)


def load_factcheck(
    path: Path = FACTCHECK_CSV, seeds_dir: Path | None = None, events: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """The reviewed pairings of seed figures with computations; problems for rows that do not hold.

    Each row names a seed, the start of the sentence the figure is in
    (``sentence_start``, copied exactly), the figure as written and what to
    compute. A row is kept only if the finder reads that figure out of that
    sentence of that seed, the event exists and the computation is known.
    Adds columns ``sentence`` and ``value``.
    """
    file = display_name(path)
    if not path.exists():
        return pd.DataFrame(columns=FACTCHECK_COLUMNS), [Problem(file, "", "", "file not found")]
    from dashboard.paths import SEEDS_DIR  # deferred: tests pass their own folder

    seeds_dir = seeds_dir or SEEDS_DIR
    table, problems = read_table(path, FACTCHECK_COLUMNS)  # bad bytes, size, short rows: problems, not errors
    if table is None:
        return pd.DataFrame(columns=FACTCHECK_COLUMNS), problems
    good = []
    texts: dict[str, list[Quantity]] = {}
    for row in table.to_dict("records"):
        where = f"row {row.pop(ROW)}"
        seed = seeds_dir / row["seed"]
        if Path(row["seed"]).name != row["seed"] or not row["seed"].endswith(".txt") or not seed.is_file():
            problems.append(Problem(file, where, "seed", f"no such seed: {row['seed'][:60]!r}"))
            continue
        if row["seed"] not in texts:
            try:
                texts[row["seed"]] = find_quantities(seed.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                texts[row["seed"]] = []
        if events is not None and row["event"] not in events.index:
            problems.append(Problem(file, where, "event", f"unknown event {row['event']!r}"))
            continue
        if row["line_date"] and not in_date_range(pd.to_datetime(row["line_date"], format="%Y-%m-%d", errors="coerce")):
            problems.append(Problem(file, where, "line_date", f"not a date: {row['line_date']!r}"))
            continue
        if row["compute"].partition(":")[0] not in COMPUTATIONS:
            problems.append(Problem(file, where, "compute", f"unknown computation {row['compute']!r}"))
            continue
        match = [
            q
            for q in texts[row["seed"]]
            if q.sentence.startswith(row["sentence_start"]) and q.text.lower() == row["figure"].lower()
        ]
        if not match:
            problems.append(
                Problem(file, where, "figure", f"the finder does not read {row['figure']!r} from that sentence")
            )
            continue
        good.append({**row, "sentence": match[0].sentence, "value": match[0].value, "quantity": match[0]})
    return pd.DataFrame(good), problems


def run_factcheck(
    table: pd.DataFrame, snapshots: list[Snapshot], events: pd.DataFrame, oblasts: gpd.GeoDataFrame
) -> list[Check]:
    """Check every row of :func:`load_factcheck` against the front line of its date.

    The line compared is the latest snapshot on or before ``line_date`` when
    the row gives one, else on or before its event's date.
    """
    from dashboard.frontline import snapshot_for  # deferred: keeps the import graph one-way at import time

    checks = []
    for _, row in table.iterrows():
        when = row["line_date"] or events.at[row["event"], "date"]
        snapshot = snapshot_for(when, snapshots)
        checks.append(check_figure(row["figure_id"], row["quantity"], row["compute"], snapshot, oblasts, row["note"]))
    return checks
