"""Tables of the area arithmetic: land held at a date, what each proposal asks for, the articles' figures."""

from __future__ import annotations

import pandas as pd

from dashboard.frontline import Snapshot
from dashboard.mapstate import MapState
from dashboard.proposals import COMPLETED_KINDS
from dashboard.proposals import NEGLIGIBLE_KM2 as MIN_KM2  # smaller slivers are not land worth a row
from dashboard.quantities import COMPUTATIONS, LENGTH, SHARE, Check
from dashboard.summary import fmt_date

CARD_REGIONS = ("UA-14", "UA-09", "UA-23", "UA-65", "UA-43", "UA-40")  # listed first, in this order


def held_table(snapshot: Snapshot) -> pd.DataFrame:
    """Per oblast the front line enters: its area and the part on Russia's side of the line."""
    rows = snapshot.by_region[snapshot.by_region["occupied_km2"] >= MIN_KM2]
    order = [c for c in CARD_REGIONS if c in rows.index] + sorted(set(rows.index) - set(CARD_REGIONS))
    rows = rows.loc[order]
    return pd.DataFrame(
        {
            "Region": rows["name_en"],
            "Area (km²)": rows["area_km2"].round(0).astype(int),
            "Held by Russia (km²)": rows["occupied_km2"].round(0).astype(int),
            "Share": (rows["occupied_share"] * 100).round(1).astype(str) + "%",
        }
    ).reset_index(drop=True)


def asks_table(state: MapState) -> pd.DataFrame:
    """Per party: what its line follows and the land it asks for beyond the front line, by region."""
    rows = []
    for layer in state.layers:
        done = layer.completed
        if done is None:
            continue
        beyond = done.by_region[done.by_region["extra_km2"] >= MIN_KM2]
        rows.append(
            {
                "Party": layer.name,
                "Its line": COMPLETED_KINDS[done.kind],
                "Beyond the front line (km²)": round(done.extra_km2),
                "Where": ", ".join(f"{r.name_en} {r.extra_km2:,.0f}" for r in beyond.itertuples()) or "—",
            }
        )
    return pd.DataFrame(rows)


def factcheck_table(checks: list[Check], factcheck: pd.DataFrame, titles: pd.Series) -> pd.DataFrame:
    """The articles' own figures beside the geometry's, with the ratio and a plain verdict."""
    rows = []
    for check, (_, row) in zip(checks, factcheck.iterrows(), strict=True):
        rows.append(
            {
                "Article": titles.get(row["seed"], row["seed"]),
                "The article says": row["figure"],
                "In the sentence": row["sentence"],
                "The map gives": "—" if check.computed is None else _figure(check.compute, check.computed),
                "Ratio": "—" if check.ratio is None else f"{check.ratio:.2f}",
                "Verdict": check.verdict,
                "Front line of": "—" if check.snapshot_date is None else fmt_date(check.snapshot_date),
                "Note": check.note,
            }
        )
    return pd.DataFrame(rows)


def _figure(compute: str, value: float) -> str:
    kind = COMPUTATIONS.get(compute.partition(":")[0])
    if kind == SHARE:
        return f"{value * 100:.1f}%"
    return f"{value:,.0f} {'km' if kind == LENGTH else 'km²'}"
