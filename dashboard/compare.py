"""Two positions side by side: two parties at one date, or one party at two dates.

The comparison is per region: which side spoke about it, and whether their
stances differ. The result is a ``Comparison``, its own type: drawn like a map
state (regions styled by the kind of difference, each side's line), listed as
a table, and exported as what it is; every front end tells it from a
``MapState`` by its type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.frontline import snapshot_for
from dashboard.mapstate import LINE_WEIGHTS, PartyLayer, line_feature, party_position, undrawn_lines
from dashboard.sources import Sources
from dashboard.summary import fmt_date
from dashboard.timeline import positions_at, primary_stances, regional
from dashboard.tips import PartyEntry, RegionTip, quotes

# kind -> (fill, fill opacity, legend text with {a} and {b} for the two sides)
CHANGE_STYLES = {
    "only_a": ("#E66101", 0.55, "only {a} states a position"),
    "only_b": ("#5E3C99", 0.55, "only {b} states a position"),
    "different": ("#FDB863", 0.65, "both state a position, with different stances"),
    "same": ("#D9D9D9", 0.5, "both state the same stance"),
}
CHANGE_DASH = {"only_a": "", "only_b": "", "different": "6 4", "same": "2 4"}  # tells kinds apart in greyscale
RUSSIAN_CONTROL = "russian_control"
EARLIER_DASH = "3 7"  # one party at two dates: the earlier line dotted, the later in the party's own style


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a party's position as of an event."""

    party: str
    event: str

    def label(self, sources: Sources, *, with_date: bool) -> str:
        """'Russia' or 'Russia, 14 Jun 2024'."""
        name = sources.parties.at[self.party, "name"]
        return f"{name}, {fmt_date(sources.events.at[self.event, 'date'])}" if with_date else name


@dataclass(frozen=True, eq=False)
class Comparison:
    """Two sides compared, as the map draws them and the page lists them.

    Drawn like a ``MapState``: ``regions`` (one feature per region either side
    spoke about, its ``change`` the kind of difference, its ``tip`` both
    positions) and both sides' ``layers``; no front line and no shading party.
    ``diff`` holds the ids (each side's stance, outcome and sourcing, and the
    kind of change) per region; ``table`` the same rows as the page shows them.
    """

    a: Side
    b: Side
    regions: dict  # GeoJSON FeatureCollection
    layers: tuple[PartyLayer, PartyLayer]  # side a's line, then side b's
    diff: pd.DataFrame  # per region: stance_, outcome_, sourcing_ (a and b) and change
    table: pd.DataFrame  # per region, by name: labels, kinds of change in words, km² beyond the front line

    front = None  # as a MapState's: a comparison draws no front line (its sides may be at two dates)

    @property
    def event(self) -> str:
        """The event on screen: side B's."""
        return self.b.event

    @property
    def undrawn_lines(self) -> dict[str, str]:
        """The sides' parties whose proposed line is not drawn, with the reason."""
        return undrawn_lines(self.layers)

    def labels(self, sources: Sources) -> dict[str, str]:
        """The sides' names, as the map and its legend give them ({"a": ..., "b": ...})."""
        return side_labels(sources, self.a, self.b)

    def slug(self) -> str:
        """What is compared, for a file name: "russia-vs-ukraine" or "russia_putin-conditions-2024-vs-alaska-summit"."""
        if self.a.party != self.b.party:
            return f"{self.a.party}-vs-{self.b.party}"
        return f"{self.a.party}_{self.a.event}-vs-{self.b.event}"


def compare_sides(kind: str, party: str, event: str, versus: str) -> tuple[Side, Side]:
    """The two sides the app compares: ``party`` and ``versus`` at ``event`` ("parties"),
    or ``party`` at ``versus`` against ``party`` at ``event`` ("dates")."""
    if kind == "parties":
        return Side(party, event), Side(versus, event)
    if kind == "dates":
        return Side(party, versus), Side(party, event)
    raise ValueError(f"unknown kind of comparison '{kind}': 'parties' or 'dates'")


def side_labels(sources: Sources, a: Side, b: Side) -> dict[str, str]:
    """Names of the two sides: the parties', with the dates when one party is compared with itself."""
    with_date = a.party == b.party
    return {"a": a.label(sources, with_date=with_date), "b": b.label(sources, with_date=with_date)}


def change_style(kind: str) -> dict:
    """The map style of a region with this kind of change (a key of CHANGE_STYLES)."""
    fill, opacity, _ = CHANGE_STYLES[kind]
    return {"fillColor": fill, "fillOpacity": opacity, "color": "#333333", "weight": 2, "dashArray": CHANGE_DASH[kind]}


def side_positions(sources: Sources, side: Side) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(claims in force, primary stance per region) for one side."""
    positions = positions_at(sources.claims, sources.events, side.event)
    positions = positions[positions["party"] == side.party]
    return positions, primary_stances(positions, sources.stances)


def compare_primary(primary_a: pd.DataFrame, primary_b: pd.DataFrame) -> pd.DataFrame:
    """Per region either side spoke about: stance and outcome on each side, and the kind of change."""
    cols = ["region", "stance", "outcome", "sourcing"]
    a, b = (regional(p).reindex(columns=cols) for p in (primary_a, primary_b))
    merged = a.merge(b, on="region", how="outer", suffixes=("_a", "_b"))
    merged = merged.fillna("")
    merged["change"] = [
        "only_a" if not b else "only_b" if not a else "same" if a == b else "different"
        for a, b in zip(merged["stance_a"], merged["stance_b"], strict=True)
    ]
    return merged.sort_values("region").reset_index(drop=True)


def changed_area_km2(diff: pd.DataFrame, areas_km2: pd.Series) -> float:
    """km² of whole regions one side would leave to Russia and the other would not."""
    to_russia_a = diff["outcome_a"] == RUSSIAN_CONTROL
    to_russia_b = diff["outcome_b"] == RUSSIAN_CONTROL
    return float(areas_km2.reindex(diff.loc[to_russia_a != to_russia_b, "region"]).sum())


def _stance_texts(sources: Sources, diff: pd.DataFrame, key: str) -> pd.Series:
    """Each side's stance label for the table, saying when it is second-hand or inferred."""
    labels = sources.sourcing_labels()
    return pd.Series(
        [
            "—"
            if not stance
            else sources.stances.at[stance, "label"]
            + ("" if sources.own_word(sourcing) else f" ({labels.get(sourcing, sourcing).lower()})")
            for stance, sourcing in zip(diff[f"stance_{key}"], diff[f"sourcing_{key}"], strict=True)
        ],
        index=diff.index,
    )


def build_comparison(sources: Sources, a: Side, b: Side) -> Comparison:
    """The comparison of two sides: its map (regions by kind of difference, both lines) and its table."""
    with_date = a.party == b.party
    labels = side_labels(sources, a, b)
    (claims_a, primary_a), (claims_b, primary_b) = side_positions(sources, a), side_positions(sources, b)
    diff = compare_primary(primary_a, primary_b)
    names = sources.oblasts["name_en"].to_dict()
    sourcing = sources.sourcing_labels()
    features = []
    for _, row in diff.iterrows():
        entries = [
            PartyEntry(
                labels[key],
                sources.stances.at[row[f"stance_{key}"], "label"],
                quotes(claims[claims["region"] == code], sources.manifest, sourcing),
                sourcing=row[f"sourcing_{key}"],
                sourcing_label=sourcing.get(row[f"sourcing_{key}"], ""),
                own_word=sources.own_word(row[f"sourcing_{key}"]),
            )
            for key, claims, code in (("a", claims_a, row["region"]), ("b", claims_b, row["region"]))
            if row[f"stance_{key}"]
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": sources.shapes[row["region"]],
                "properties": {
                    "code": row["region"],
                    "change": row["change"],
                    "style": change_style(row["change"]),
                    "tip": RegionTip(names[row["region"]], tuple(entries), True),
                },
            }
        )
    dashes = (EARLIER_DASH, None) if with_date else (None, None)
    layers = tuple(
        _side_layer(sources, side, primary, labels[key], LINE_WEIGHTS[index], dash)
        for index, (key, side, primary, dash) in enumerate(
            (("a", a, primary_a, dashes[0]), ("b", b, primary_b, dashes[1]))
        )
    )
    table = diff.assign(
        beyond_a=[_beyond(layers[0], code) for code in diff["region"]],
        beyond_b=[_beyond(layers[1], code) for code in diff["region"]],
        name=diff["region"].map(names),
        stance_a=_stance_texts(sources, diff, "a"),
        stance_b=_stance_texts(sources, diff, "b"),
        change=diff["change"].map(lambda kind: CHANGE_STYLES[kind][2].format(**labels)),
    )
    regions = {"type": "FeatureCollection", "features": features}
    return Comparison(a, b, regions, layers, diff, table.sort_values("name").reset_index(drop=True))


def _side_layer(
    sources: Sources, side: Side, primary: pd.DataFrame, label: str, weight: float, dash: str | None
) -> PartyLayer:
    snapshot = snapshot_for(sources.events.at[side.event, "date"], list(sources.snapshots))
    proposed, completed, summary = party_position(sources, side.event, side.party, primary, snapshot)
    line = line_feature(sources, side.party, proposed, weight, label, dash, completed=completed)
    return PartyLayer(side.party, label, True, line, proposed, summary, completed)


def _beyond(layer: PartyLayer, region: str) -> float | None:
    """km² of ``region`` the side asks for beyond the front line of its date (None: no line for the date)."""
    if layer.completed is None:
        return None
    by_region = layer.completed.by_region
    return float(by_region.at[region, "extra_km2"]) if region in by_region.index else 0.0


def change_legend(labels: dict[str, str]) -> list[tuple[str, str, str]]:
    """(fill, dash, text) per kind of change, for the legend."""
    return [(fill, CHANGE_DASH[kind], text.format(**labels)) for kind, (fill, _, text) in CHANGE_STYLES.items()]
