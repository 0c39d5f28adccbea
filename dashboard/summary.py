"""Plain-language summary of where each party stands at a point on the timeline."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.layers import ProposedLine
from dashboard.timeline import regional, whole_country


@dataclass(frozen=True)
class PartySummary:
    """What a reader needs to know about one party at one date, as sentences."""

    party: str
    name: str
    since: pd.Timestamp | None
    sentences: tuple[str, ...]


def fmt_date(date: pd.Timestamp) -> str:
    """A date as readers write it: 14 Jun 2024 (plain text; the one format for every date shown or exported)."""
    return f"{date.day} {date:%b %Y}"


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _marked(row: pd.Series) -> str:
    """' (second-hand)' or ' (inferred)' after a place whose position is not in the party's own word."""
    if row.get("own_word", True):
        return ""
    return f" ({str(row.get('sourcing', '')).replace('_', '-')})"


def summarise_party(
    party: str,
    parties: pd.DataFrame,
    primary: pd.DataFrame,
    stances: pd.DataFrame,
    oblasts: pd.DataFrame,
    line: ProposedLine,
    areas_km2: pd.Series,
) -> PartySummary:
    """Sentences for one party: stances by region, the whole-country stance, the line and its area."""
    name = parties.at[party, "name"]
    if primary.empty:
        return PartySummary(party, name, None, ("No stated position on any region yet.",))
    sentences = []
    regions = regional(primary)
    for stance, rows in regions.groupby("stance", sort=False):
        places = join_names(sorted(oblasts.at[row["region"], "name_en"] + _marked(row) for _, row in rows.iterrows()))
        sentences.append(f"{stances.at[stance, 'label']}: {places}.")
    for _, row in whole_country(primary).iterrows():
        sentences.append(f"On Ukraine as a whole: {stances.at[row['stance'], 'label'].lower()}{_marked(row)}.")
    if line.russian_regions:
        area = areas_km2.loc[list(line.russian_regions)].sum()
        sentences.append(
            f"The regions it would leave to Russia cover {area:,.0f} km² as whole oblasts "
            "(equal-area measure), part of which Ukraine holds today."
        )
    if line.front_line_regions:
        places = join_names(sorted(oblasts.at[code, "name_en"] for code in line.front_line_regions))
        sentences.append(f"Its line runs along the front through {places}.")
    return PartySummary(party, name, primary["date"].max(), tuple(sentences))
