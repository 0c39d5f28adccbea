"""What each drawn feature's tooltip says, as facts: who holds which stance on a region, and on what quotes;
what a proposed line follows; the front line's date and sources; the land asked for beyond it.

A map state (``mapstate``) or a comparison (``compare``) puts one of these in each feature's ``tip``
property. They are plain data, taken from the data files as they are: ``render/tooltips.py`` writes them
as (escaped) HTML when a state becomes drawable, so nothing below rendering builds markup.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.frontline import Snapshot
from dashboard.proposals import NEGLIGIBLE_KM2, CompletedLine


@dataclass(frozen=True)
class Quote:
    """One claim as a tooltip cites it: the verbatim quote, who said it and when, how it is sourced, the article."""

    quote: str
    speaker: str
    date: pd.Timestamp
    sourcing_label: str  # "" when the sourcing has no label
    article: str  # the article's title (its seed name when the manifest does not list it)
    seed: str
    note: str


@dataclass(frozen=True)
class PartyEntry:
    """One party's position on one region: its name, primary stance label and the claims behind it.

    ``own_word`` is False when the drawn stance comes from a second-hand or
    inferred claim; ``sourcing`` is its id and ``sourcing_label`` its label.
    """

    party_name: str
    stance_label: str
    quotes: tuple[Quote, ...]
    sourcing: str = ""
    sourcing_label: str = ""
    own_word: bool = True

    @property
    def speakers(self) -> str:
        """Everyone quoted, each once, in the claims' order: "Putin; Peskov"."""
        return "; ".join(dict.fromkeys(q.speaker for q in self.quotes))

    @property
    def latest(self) -> pd.Timestamp:
        """The date of the newest claim."""
        return max(q.date for q in self.quotes)


@dataclass(frozen=True)
class RegionTip:
    """A region's tooltip: its name and each visible party's position, the shaded party's first when
    ``first_is_shaded`` (its quotes are shown in full, the others' in a line each)."""

    region_name: str
    entries: tuple[PartyEntry, ...]
    first_is_shaded: bool


@dataclass(frozen=True)
class LineTip:
    """A proposed line's tooltip: whose line (or which side's), what it follows, and the detail."""

    label: str
    what: str  # the kind of line in words: "the border of the regions it leaves to Russia"
    detail: str  # a sentence: what it asks for beyond the front line, or which regions it bounds


@dataclass(frozen=True)
class FrontTip:
    """The front line's tooltip: its own date, what it is, how long it is drawn, how far off, its sources."""

    date: pd.Timestamp | None  # None: the line is undated
    title: str
    length_km: float | None  # None or 0: not measured
    approximation: str
    sources: str


@dataclass(frozen=True)
class ExtraTip:
    """The tooltip of the land a position asks for beyond the front line: total and per region."""

    party_name: str
    extra_km2: float
    front_date: pd.Timestamp
    by_region: tuple[tuple[str, float], ...]  # (region name, km²), regions above NEGLIGIBLE_KM2 only


def quotes(claims: pd.DataFrame, manifest: pd.DataFrame, sourcing_labels: dict[str, str]) -> tuple[Quote, ...]:
    """The claims (rows of the claims table, in their order) as tooltips cite them."""
    titles = manifest["title"].to_dict() if "title" in manifest.columns else {}
    sourcing = claims["sourcing"] if "sourcing" in claims.columns else [""] * len(claims)
    return tuple(
        Quote(quote, speaker, date, sourcing_labels.get(str(how), ""), titles.get(seed, seed), seed, note)
        for quote, speaker, date, how, seed, note in zip(
            claims["quote"], claims["speaker"], claims["date"], sourcing, claims["seed"], claims["note"], strict=True
        )
    )


def front_tip(snapshot: Snapshot) -> FrontTip:
    """What the front line's tooltip says about a snapshot."""
    front = snapshot.front
    return FrontTip(front.date, front.title, snapshot.length_km.get("total"), front.approximation, front.sources)


def extra_tip(party_name: str, completed: CompletedLine) -> ExtraTip:
    """What the tooltip of a party's land beyond the front line says."""
    rows = completed.by_region[completed.by_region["extra_km2"] >= NEGLIGIBLE_KM2]
    by_region = tuple((row.name_en, row.extra_km2) for row in rows.itertuples())
    return ExtraTip(party_name, completed.extra_km2, completed.snapshot_date, by_region)
