"""The data behind an exported map: positions as CSV, drawn layers as GeoJSON, and the caption.

A comparison (a ``dashboard.compare.Comparison``, told apart by its type)
exports what it shows instead: its table of regions as CSV, its regions coloured by kind of difference and both sides'
lines as GeoJSON, and a caption that names both sides.

Everything here is plain text taken from the data files (no HTML): the PNG
draws it as text, the HTML export escapes it, CSV and GeoJSON carry it as is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd

from dashboard.claims import WHOLE_COUNTRY
from dashboard.compare import CHANGE_STYLES, Comparison, Side, side_positions
from dashboard.frontline import Snapshot
from dashboard.layers import LINE_KINDS
from dashboard.mapstate import MapState, PartyLayer
from dashboard.proposals import COMPLETED_KINDS, NEGLIGIBLE_KM2
from dashboard.sources import Sources
from dashboard.summary import fmt_date
from dashboard.timeline import positions_at

TITLE = "Russia–Ukraine peace proposals: who wants which regions"
COMPARE_TITLE = "Russia–Ukraine peace proposals compared: {a} and {b}"
BORDERS_CREDIT = "Borders: Natural Earth (public domain)"
WHOLE_COUNTRY_NAME = "Ukraine (whole country)"
FRONT_SOURCES_MAX = 240  # characters of the front line's sources in a source line; the GeoJSON has them all
EXTRA_DESCRIPTION = "land Ukraine holds that the position would leave to Russia, beyond the front line"


@dataclass(frozen=True)
class Caption:
    """The words around an exported map: what it shows, when, and where it comes from."""

    title: str
    date: str  # as readers write it: 15 Aug 2025
    iso_date: str
    event_title: str
    summary: str
    date_basis: str  # how the event's date is known
    date_source: str  # the public record of the date, when the articles do not give it ("" otherwise)
    shaded_by: str  # the shaded party's name, or "" when no party is shown
    parties: tuple[str, ...]  # names of the parties shown, in layer order
    articles: tuple[str, ...]  # titles of the articles behind what is drawn, in manifest order
    front_date: str = ""  # the drawn front line's own date (15 Aug 2025), "" when none is drawn
    front_sources: str = ""  # its sources, shortened for a credit line
    front_off_km: float | None = None  # how far off the line may be, at most
    compared: tuple[str, ...] = ()  # a comparison's two sides (Russia, Ukraine), () for a map of stances

    @property
    def headline(self) -> str:
        """Date and event, e.g. "15 Aug 2025 · Alaska summit"."""
        return f"{self.date} · {self.event_title}"

    @property
    def front_credit(self) -> str:
        """The front line's date, that it is approximate, and its sources ("" when no line is drawn)."""
        if not self.front_date:
            return ""
        off = f" (up to about {self.front_off_km:g} km off)" if self.front_off_km else ""
        sources = f"see sources: {self.front_sources}" if self.front_sources else "sources not stated"
        return f"Front line of {self.front_date}: approximate{off}, {sources}."

    @property
    def source_line(self) -> str:
        """The credit line: articles cited, how the date is known, the front line, borders."""
        cited = "; ".join(f"“{title}”" for title in self.articles) or "none"
        date = f"{self.date_basis}: {self.date_source}" if self.date_source else self.date_basis
        front = f" {self.front_credit}" if self.front_credit else ""
        return f"Articles cited: {cited}. Date: {date}.{front} {BORDERS_CREDIT}."


def short_sources(text: str, limit: int = FRONT_SOURCES_MAX) -> str:
    """A front line's sources for a credit line: what follows "Sources:", asides in brackets dropped.

    The catalogue's sources are a paragraph (how the line was drawn, which
    towns fell when); a slide's footer has room for the names of the sources.
    """
    cited = text.split("Sources:", 1)[1] if "Sources:" in text else text
    while True:  # innermost brackets first, so nested asides go too
        shorter = re.sub(r"\s*\([^()]*\)", "", cited)
        if shorter == cited:
            break
        cited = shorter
    cited = " ".join(cited.split()).rstrip(". ")
    return cited if len(cited) <= limit else cited[: limit - 1].rstrip() + "…"


def visible_parties(state: MapState | Comparison) -> list[str]:
    """Ids of the parties shown, in layer order."""
    return [layer.party for layer in state.layers if layer.visible]


def _positions(state: MapState, sources: Sources) -> pd.DataFrame:
    positions = positions_at(sources.claims, sources.events, state.event)
    return positions[positions["party"].isin(visible_parties(state))]


def _articles(sources: Sources, seeds: set[str]) -> tuple[str, ...]:
    """Titles of the articles behind ``seeds``, in manifest order: stable from one export to the next."""
    return tuple(sources.manifest.at[seed, "title"] for seed in sources.manifest.index if seed in seeds)


def _event_seeds(row: pd.Series) -> set[str]:
    return {s for s in row["seeds"].split(";") if s}


def caption(view: MapState | Comparison, sources: Sources) -> Caption:
    """The caption of a view: event, date, parties and the articles behind every drawn claim.

    A comparison's names both sides and counts the regions by kind of difference.
    """
    if isinstance(view, Comparison):
        return _compare_caption(sources, view)
    state = view
    row = sources.events.loc[state.event]
    seeds = set(_positions(state, sources)["seed"]) | _event_seeds(row)
    articles = _articles(sources, seeds)
    return Caption(
        title=TITLE,
        date=fmt_date(row["date"]),
        iso_date=f"{row['date']:%Y-%m-%d}",
        event_title=row["title"],
        summary=row["summary"],
        date_basis=row["date_basis"],
        date_source=row["date_source"],
        shaded_by=sources.parties.at[state.shade, "name"] if state.shade else "",
        parties=tuple(sources.parties.at[p, "name"] for p in visible_parties(state)),
        articles=articles,
        **_front_caption(state.snapshot if state.front is not None else None),
    )


def _compare_caption(sources: Sources, compare: Comparison) -> Caption:
    """A comparison's caption: both sides in the title, the kinds of difference counted in the summary.

    The date is side B's (the date on screen); when A is another event, the
    headline names it too, and the source line says how each date is known.
    """
    labels = compare.labels(sources)
    row_a, row_b = sources.events.loc[compare.a.event], sources.events.loc[compare.b.event]
    seeds = set().union(*(_side_seeds(sources, side) for side in (compare.a, compare.b)))
    event_title, date_basis, date_source = row_b["title"], row_b["date_basis"], row_b["date_source"]
    if compare.a.event != compare.b.event:
        event_title += f" (against {row_a['title']}, {fmt_date(row_a['date'])})"
        date_basis = "; ".join(f"{fmt_date(row['date'])}, {_date_credit(row)}" for row in (row_a, row_b))
        date_source = ""
    return Caption(
        title=COMPARE_TITLE.format(**labels),
        date=fmt_date(row_b["date"]),
        iso_date=f"{row_b['date']:%Y-%m-%d}",
        event_title=event_title,
        summary=_change_counts(compare.table["change"], labels),
        date_basis=date_basis,
        date_source=date_source,
        shaded_by="",
        parties=(labels["a"], labels["b"]),
        articles=_articles(sources, seeds),
        compared=(labels["a"], labels["b"]),
    )


def _side_seeds(sources: Sources, side: Side) -> set[str]:
    """The articles behind one side's claims in force, and behind its event."""
    return set(side_positions(sources, side)[0]["seed"]) | _event_seeds(sources.events.loc[side.event])


def _date_credit(row: pd.Series) -> str:
    return f"{row['date_basis']}: {row['date_source']}" if row["date_source"] else row["date_basis"]


def _change_counts(changes: pd.Series, labels: dict[str, str]) -> str:
    """How many regions fall under each kind of difference, in the legend's words."""
    counts = changes.value_counts()
    parts = [
        f"{counts[text]} region{'' if counts[text] == 1 else 's'} where {text}"
        for text in (words.format(**labels) for _, _, words in CHANGE_STYLES.values())
        if text in counts.index
    ]
    return "; ".join(parts) + "." if parts else "Neither side states a position on any region."


def _front_caption(snapshot: Snapshot | None) -> dict:
    if snapshot is None:
        return {}
    front = snapshot.front
    return {
        "front_date": fmt_date(front.date) if front.date is not None else "undated",
        "front_sources": short_sources(front.sources),
        "front_off_km": front.approximation_km,
    }


def _region_names(sources: Sources) -> dict[str, str]:
    return sources.oblasts["name_en"].to_dict() | {WHOLE_COUNTRY: WHOLE_COUNTRY_NAME}


def _article(sources: Sources, seed: str) -> str:
    return sources.manifest.at[seed, "title"] if seed in sources.manifest.index else seed


def positions_table(state: MapState, sources: Sources) -> pd.DataFrame:
    """Every claim in force at the state's event for the visible parties, one row per claim.

    ``map_stance`` is the stance the map uses for that party and region (the
    highest-ranked of its claims there); the shaded party's fills the region.
    """
    rows = _positions(state, sources)
    map_stance = state.primary.set_index(["party", "region"])["stance"]
    keys = pd.MultiIndex.from_arrays([rows["party"], rows["region"]])
    return pd.DataFrame(
        {
            "as_of_event": state.event,
            "party": rows["party"],
            "region": rows["region"],
            "region_name": rows["region"].map(_region_names(sources)),
            "stance": rows["stance"],
            "stance_label": rows["stance"].map(sources.stances["label"]),
            "sourcing": rows["sourcing"],
            "date": rows["date"].dt.strftime("%Y-%m-%d"),
            "event": rows["event"],
            "speaker": rows["speaker"],
            "quote": rows["quote"],
            "seed": rows["seed"],
            "note": rows["note"],
            "map_stance": map_stance.reindex(keys).to_numpy(),
            "shades_map": rows["party"] == state.shade,
        }
    ).reset_index(drop=True)


def comparison_table(compare: Comparison, sources: Sources) -> pd.DataFrame:
    """The comparison's table as the screen lists it (one row per region, by name), with ids beside labels.

    ``beyond_front_km2_a`` and ``_b``: km² of the region the side asks for
    beyond the front line of its date (empty when no line is known for it).
    """
    labels = compare.labels(sources)
    table = compare.table
    ids = compare.diff.set_index("region")  # the comparison's per-region stance ids and kind of change
    columns: dict[str, object] = {"region": table["region"], "region_name": table["name"]}
    for key in ("a", "b"):
        stance = table["region"].map(ids[f"stance_{key}"])
        columns |= {
            f"side_{key}": labels[key],
            f"stance_{key}": stance,
            # The label as the screen shows it, "(second-hand)" or "(inferred)" included.
            f"stance_{key}_label": table[f"stance_{key}"].where(table[f"stance_{key}"] != "—", ""),
            f"sourcing_{key}": table["region"].map(ids[f"sourcing_{key}"]).fillna(""),
        }
    columns |= {"change": table["region"].map(ids["change"]), "change_label": table["change"]}
    for key in ("a", "b"):
        columns[f"beyond_front_km2_{key}"] = pd.to_numeric(table[f"beyond_{key}"]).round(1)
    return pd.DataFrame(columns).reset_index(drop=True)


def positions_csv(view: MapState | Comparison, sources: Sources) -> bytes:
    """``positions_table`` of a map state as UTF-8 CSV bytes; a comparison's ``comparison_table``.

    Every text cell passes through :func:`spreadsheet_safe`: a quote beginning
    with "=" would otherwise run as a formula in the reader's spreadsheet.
    """
    table = comparison_table(view, sources) if isinstance(view, Comparison) else positions_table(view, sources)
    text_columns = [c for c in table.columns if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])]
    table = table.assign(**{c: table[c].map(spreadsheet_safe) for c in text_columns})
    return table.to_csv(index=False).encode("utf-8")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula (OWASP)


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet shows as text: one starting with a FORMULA_STARTS character gets a "'" before it.

    The way OWASP recommends for CSV injection; the apostrophe is what
    spreadsheets themselves use to mark a cell as text. Numbers pass as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _claim_record(sources: Sources, claim: pd.Series) -> dict:
    """One claim as a plain-text record: who, which stance, the quote and where it comes from."""
    return {
        "party": claim["party"],
        "party_name": sources.parties.at[claim["party"], "name"],
        "stance": claim["stance"],
        "stance_label": sources.stances.at[claim["stance"], "label"],
        "sourcing": claim["sourcing"],
        "quote": claim["quote"],
        "speaker": claim["speaker"],
        "date": f"{claim['date']:%Y-%m-%d}",
        "event": claim["event"],
        "article": _article(sources, claim["seed"]),
        "seed": claim["seed"],
        "note": claim["note"],
    }


def _claim_records(state: MapState, sources: Sources, positions: pd.DataFrame, code: str) -> list[dict]:
    """Every visible party's claims on one region, the shaded party first, as plain-text records."""
    order = sorted(visible_parties(state), key=lambda party: party != state.shade)
    here = positions[positions["region"] == code]
    return [_claim_record(sources, claim) for party in order for _, claim in here[here["party"] == party].iterrows()]


def _stroke(style: dict) -> dict:
    """A Leaflet style in simplestyle-spec names, which geojson.io and GitHub draw."""
    return {
        "stroke": style["color"],
        "stroke-width": style["weight"],
        "stroke-opacity": style.get("opacity", 1.0),
        "stroke-dasharray": style.get("dashArray", ""),
    }


def _region_feature(state: MapState, sources: Sources, positions: pd.DataFrame, feature: dict) -> dict:
    props, style = feature["properties"], feature["properties"]["style"]
    code, stance = props["code"], props["stance"]
    claims = _claim_records(state, sources, positions, code)
    shaded = [c for c in claims if stance and c["party"] == state.shade]
    return {
        "type": "Feature",
        "geometry": feature["geometry"],
        "properties": {
            "layer": "region",
            "region": code,
            "region_name": sources.oblasts.at[code, "name_en"],
            "party": state.shade if stance else "",
            "party_name": sources.parties.at[state.shade, "name"] if stance else "",
            "stance": stance,
            "stance_label": sources.stances.at[stance, "label"] if stance else "",
            "sourcing": props.get("sourcing", ""),
            # Flat columns for tools that do not read lists; "claims" has every visible party's.
            "quote": "\n".join(c["quote"] for c in shaded),
            "speaker": "; ".join(dict.fromkeys(c["speaker"] for c in shaded)),
            "date": max((c["date"] for c in shaded), default=""),
            "article": "; ".join(dict.fromkeys(c["article"] for c in shaded)),
            "claims": claims,
            **_fill(style),
        },
    }


def _compare_region_features(compare: Comparison, sources: Sources) -> list[dict]:
    """A comparison's regions, in drawing order: the table's row, each side's claims, and the style."""
    rows = comparison_table(compare, sources).set_index("region")
    labels = compare.labels(sources)
    claims = {key: side_positions(sources, side)[0] for key, side in (("a", compare.a), ("b", compare.b))}
    features = []
    for feature in compare.regions["features"]:
        code = feature["properties"]["code"]
        row = rows.loc[code].to_dict()
        beyond = {k: None if pd.isna(row[k]) else row[k] for k in ("beyond_front_km2_a", "beyond_front_km2_b")}
        records = [
            {"side": key, "side_label": labels[key], **_claim_record(sources, claim)}
            for key in ("a", "b")
            for _, claim in claims[key][claims[key]["region"] == code].iterrows()
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "layer": "region",
                    "region": code,
                    **row,
                    **beyond,
                    # Flat columns for tools that do not read lists; "claims" has both sides' in full.
                    **{f"quote_{key}": "\n".join(r["quote"] for r in records if r["side"] == key) for key in "ab"},
                    "claims": records,
                    **_fill(feature["properties"]["style"]),
                },
            }
        )
    return features


def _iso(when: pd.Timestamp | None) -> str:
    return f"{when:%Y-%m-%d}" if when is not None else ""


def _measured_on(layer: PartyLayer) -> str:
    """The ISO date of the front line a party's line was completed with ("" when none)."""
    return _iso(layer.completed.snapshot_date) if layer.completed is not None else ""


def _fill(style: dict) -> dict:
    """A Leaflet area style in simplestyle-spec names, with the pattern the map draws over the fill."""
    return {
        "fill": style["fillColor"],
        "fill-opacity": style["fillOpacity"],
        "fill-pattern": style.get("pattern", ""),  # hatch, dots, cross or none
        **_stroke(style),
    }


def _extra_by_region(layer: PartyLayer) -> dict[str, float]:
    rows = layer.completed.by_region
    rows = rows[rows["extra_km2"] >= NEGLIGIBLE_KM2]
    return {row.name_en: round(float(row.extra_km2), 1) for row in rows.itertuples()}


def _extra_features(state: MapState | Comparison) -> list[dict]:
    """Each visible party's land beyond the front line, with its area in km² per oblast."""
    features = []
    for layer in state.layers:
        if layer.extra is None:
            continue
        for feature in layer.extra["features"]:
            features.append(
                {
                    "type": "Feature",
                    "geometry": feature["geometry"],
                    "properties": {
                        "layer": "extra",
                        "party": layer.party,
                        "party_name": layer.name,
                        "description": EXTRA_DESCRIPTION,
                        "extra_km2": round(float(layer.completed.extra_km2), 1),
                        "extra_km2_by_region": _extra_by_region(layer),
                        "front_line_date": _measured_on(layer),
                        **_fill(feature["properties"]["style"]),
                    },
                }
            )
    return features


def _line_features(view: MapState | Comparison, sources: Sources) -> list[dict]:
    """Each drawn proposed line; in a comparison, ``side`` says whose ("a" or "b", the layers' order)."""
    names = sources.oblasts["name_en"].to_dict()
    features = []
    sides = "ab" if isinstance(view, Comparison) else [""] * len(view.layers)
    for key, layer in zip(sides, view.layers, strict=True):
        if layer.line is None:
            continue
        completed = layer.completed
        for feature in layer.line["features"]:
            props = feature["properties"]
            features.append(
                {
                    "type": "Feature",
                    "geometry": feature["geometry"],
                    "properties": {
                        "layer": "proposed_line",
                        "party": layer.party,
                        "party_name": layer.name,
                        "kind": props["kind"],
                        "description": COMPLETED_KINDS.get(props["kind"]) or LINE_KINDS[props["kind"]],
                        "regions_left_to_russia": [names[c] for c in layer.proposed.russian_regions],
                        "front_line_regions": [names[c] for c in layer.proposed.front_line_regions],
                        # Measured against the front line, when the line was completed with one.
                        "extra_km2": round(float(completed.extra_km2), 1) if completed is not None else None,
                        "front_line_date": _measured_on(layer),
                        **({"side": key} if key else {}),
                        **_stroke(props["style"]),
                    },
                }
            )
    return features


def _segment_names(state: MapState) -> list[str]:
    """Each drawn front feature's own name ("Sumy oblast: Yunakivka area"), when the map draws one per part."""
    front = state.snapshot.front
    named = [name if name not in ("land", "river") else "" for name in front.segments]
    return named if len(named) == len(state.front["features"]) else [""] * len(state.front["features"])


def _front_features(state: MapState | Comparison) -> list[dict]:
    """The drawn front line, one feature per part as on the map, with its date, sources and accuracy."""
    if isinstance(state, Comparison) or state.front is None or state.snapshot is None:
        return []
    front = state.snapshot.front
    features = []
    for feature, name in zip(state.front["features"], _segment_names(state), strict=True):
        river = feature["properties"]["kind"] == "front_river"
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "layer": "front_line",
                    # river: the armies face each other across the Dnipro (dotted on the map)
                    "kind": "river" if river else "land",
                    "segment": name,
                    "front_line_date": _iso(front.date),
                    "title": front.title,
                    "approximate": True,
                    "approximation": front.approximation,
                    "approximation_km": front.approximation_km,
                    "sources": front.sources,
                    **_stroke(feature["properties"]["style"]),
                },
            }
        )
    return features


def _front_metadata(state: MapState | Comparison) -> dict | None:
    if isinstance(state, Comparison) or state.front is None or state.snapshot is None:
        return None
    snapshot = state.snapshot
    return {
        "date": _iso(snapshot.front.date),
        "title": snapshot.front.title,
        "sources": snapshot.front.sources,
        "approximation": snapshot.front.approximation,
        "approximation_km": snapshot.front.approximation_km,
        "occupied_km2": round(float(snapshot.occupied_km2), 1),
        "occupied_share": round(float(snapshot.share), 4),
        "length_km": {k: round(float(v), 1) for k, v in snapshot.length_km.items()},
    }


def _comparison_metadata(sources: Sources, compare: Comparison) -> dict:
    """Both sides (party, event, date, name) and the words for each kind of difference."""
    labels = compare.labels(sources)
    sides = {
        key: {
            "party": side.party,
            "event": side.event,
            "date": f"{sources.events.at[side.event, 'date']:%Y-%m-%d}",
            "label": labels[key],
        }
        for key, side in (("a", compare.a), ("b", compare.b))
    }
    return {**sides, "changes": {kind: words.format(**labels) for kind, (_, _, words) in CHANGE_STYLES.items()}}


def layers_geojson(view: MapState | Comparison, sources: Sources) -> dict:
    """The drawn layers as one FeatureCollection, in the map's drawing order: styled regions, the land
    each party asks for beyond the front line, proposed lines, then the front line.

    Properties are plain text (quotes as the articles wrote them, never HTML);
    styles use the simplestyle names (fill, stroke, ...). A ``metadata``
    member (a foreign member, allowed by RFC 7946) carries the caption. A
    comparison's regions carry both sides' stances and the kind of difference,
    its lines say which side they are, and ``metadata.comparison`` names the sides.
    """
    text = caption(view, sources)
    compared = isinstance(view, Comparison)
    if compared:
        regions = _compare_region_features(view, sources)
    else:
        positions = _positions(view, sources)
        regions = [_region_feature(view, sources, positions, f) for f in view.regions["features"]]
    metadata = {
        "title": text.title,
        "as_of_event": view.event,
        "as_of_date": text.iso_date,
        "event_title": text.event_title,
        "parties_shown": visible_parties(view),
        "shaded_by": "" if compared else view.shade or "",
        "lines_not_drawn": view.undrawn_lines,
        "articles": list(text.articles),
        "front_line": _front_metadata(view),
        "borders": BORDERS_CREDIT,
    }
    if compared:
        metadata |= {"comparison": _comparison_metadata(sources, view)}
    return {
        "type": "FeatureCollection",
        "metadata": metadata,
        "features": regions + _extra_features(view) + _line_features(view, sources) + _front_features(view),
    }


def layers_geojson_bytes(view: MapState | Comparison, sources: Sources) -> bytes:
    """``layers_geojson`` as UTF-8 JSON bytes (non-ASCII kept readable)."""
    return json.dumps(layers_geojson(view, sources), ensure_ascii=False, indent=1).encode("utf-8")
