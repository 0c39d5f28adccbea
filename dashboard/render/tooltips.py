"""Tooltips as HTML, and the one place a state becomes drawable.

A ``MapState`` or a ``Comparison`` holds each feature's tooltip as facts (a
``dashboard.tips`` record in its ``tip`` property). :func:`drawable` turns a
view into what every map draws, in drawing order, with each tip written as
escaped HTML in the feature's ``tooltip`` property: the app's folium map and
the layer scripts its launcher serves (``mapview.layers_group``), the static
site's data (``publish``), the HTML export and the PNG export all start from
it, so they cannot draw different things or say different words.

Every value from a data file or an article passes through ``esc``: folium's
tooltips insert strings as HTML, so an article's ``<img onerror=...>`` would
otherwise run.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.compare import Comparison
from dashboard.mapstate import MapState
from dashboard.render.cards import esc
from dashboard.summary import fmt_date
from dashboard.tips import ExtraTip, FrontTip, LineTip, PartyEntry, Quote, RegionTip

QUOTE_LIMIT = 400  # characters of a quote shown in a tooltip; tables show all of it


def _clip(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def claim_block(quote: Quote) -> str:
    """One claim: the verbatim quote, then speaker, date, how it is sourced and the article."""
    note = f'<div class="pm-note">{esc(quote.note)}</div>' if quote.note else ""
    sourced = f" · {esc(quote.sourcing_label)}" if quote.sourcing_label else ""
    return (
        f'<blockquote class="pm-quote">“{esc(_clip(quote.quote))}”</blockquote>'
        f'<div class="pm-cite">{esc(quote.speaker)} · {esc(fmt_date(quote.date))}{sourced}'
        f"<br>Article: {esc(quote.article)} ({esc(quote.seed)})</div>{note}"
    )


def whose_word(entry: PartyEntry) -> str:
    """In words, why a position is not drawn as the party's own (empty when it is)."""
    if entry.own_word:
        return ""
    if entry.sourcing == "inferred":
        return "Inferred: the map's reading goes beyond what the sentence says (the note says how)."
    party = entry.party_name
    return f"{entry.sourcing_label}: in the words of {entry.speakers}; the party itself ({party}) is not quoted."


def region_tooltip(tip: RegionTip) -> str:
    """Tooltip for a region: the shaded party's claims in full, other visible parties in a line each.

    Full quotes for every party would make a tooltip taller than the map; the
    region table (click the region) has them all. A position that is not the
    party's own word says whose word it is.
    """
    parts = [f'<div class="pm-tip"><div class="pm-head">{esc(tip.region_name)}</div>']
    rest = tip.entries
    if tip.first_is_shaded and tip.entries:
        lead, rest = tip.entries[0], tip.entries[1:]
        parts.append(f'<div class="pm-stance">{esc(lead.party_name)}: {esc(lead.stance_label)}</div>')
        if not lead.own_word:
            parts.append(f'<div class="pm-sourcing">{esc(whose_word(lead))}</div>')
        parts += [claim_block(quote) for quote in lead.quotes]
    if rest:
        items = "".join(
            f"<li><b>{esc(e.party_name)}</b>: {esc(e.stance_label)}"
            f"{'' if e.own_word else ' — ' + esc(e.sourcing_label.lower())} ({esc(e.speakers)}, "
            f"{esc(fmt_date(e.latest))})</li>"
            for e in rest
        )
        label = "Other layers on this region" if tip.first_is_shaded else "Positions on this region"
        parts.append(f'<div class="pm-also">{label}:<ul>{items}</ul>Click the region for their quotes.</div>')
    parts.append("</div>")
    return "".join(parts)


def line_tooltip(tip: LineTip) -> str:
    """Tooltip for a party's proposed line: what the line follows, then the detail."""
    return (
        f'<div class="pm-tip"><div class="pm-head">{esc(tip.label)}: proposed line</div>'
        f"<div>{esc(tip.what.capitalize())}.</div><div>{esc(tip.detail)}</div></div>"
    )


def front_tooltip(tip: FrontTip) -> str:
    """Tooltip for the front line: its own date, what it is, how far off it may be, and its sources."""
    when = fmt_date(tip.date) if tip.date is not None else "undated"
    size = f" About {tip.length_km:,.0f} km long as drawn." if tip.length_km else ""
    return (
        f'<div class="pm-tip"><div class="pm-head">Front line, {esc(when)}</div>'
        f"<div>{esc(tip.title)}.{esc(size)}</div>"
        f'<div class="pm-note">Approximate: {esc(tip.approximation)}</div>'
        f'<div class="pm-cite">Sources: {esc(tip.sources)}</div></div>'
    )


def extra_tooltip(tip: ExtraTip) -> str:
    """Tooltip for the land a position asks for beyond the front line, per region."""
    items = "".join(f"<li>{esc(name)}: {km2:,.0f} km²</li>" for name, km2 in tip.by_region)
    return (
        f'<div class="pm-tip"><div class="pm-head">{esc(tip.party_name)}: beyond the front line</div>'
        f"<div>Land Ukraine holds that this position would leave to Russia: "
        f"{tip.extra_km2:,.0f} km² (front line of {esc(fmt_date(tip.front_date))}).</div>"
        f"<ul>{items}</ul></div>"
    )


_WRITERS = {RegionTip: region_tooltip, LineTip: line_tooltip, FrontTip: front_tooltip, ExtraTip: extra_tooltip}


def tooltip_html(tip: RegionTip | LineTip | FrontTip | ExtraTip) -> str:
    """A feature's tooltip as HTML, every data string escaped, "{" and "}" as character references.

    folium renders each layer's script through Jinja, and the HTML export renders the page's parts a
    second time: a brace pair from the data would be read as template code. ``esc`` already writes
    braces as references; so does this, for anything else in the markup.
    """
    return _WRITERS[type(tip)](tip).replace("{", "&#123;").replace("}", "&#125;")


@dataclass(frozen=True)
class Drawable:
    """A view as every map draws it, bottom to top: GeoJSON whose features hold their tooltip as HTML.

    Each feature's properties are the state's, in the same order, with ``tooltip`` (escaped HTML)
    where the state has ``tip`` (facts).
    """

    regions: dict  # the shaded regions (or a comparison's regions by kind of difference)
    extras: tuple[tuple[str, dict], ...]  # (layer name, land it asks for beyond the front line), in layer order
    lines: tuple[tuple[str, dict], ...]  # (layer name, its proposed line), in layer order
    front: dict | None  # the front line, drawn on top (None: none for the date, or a comparison)


def drawable(view: MapState | Comparison) -> Drawable:
    """``view`` as the app, its served layer scripts, the static site and the exports draw it (see the module)."""
    written: dict[int, str] = {}  # a front line's parts share one tip: write it once

    def features(collection: dict) -> dict:
        return {**collection, "features": [_with_tooltip(f, written) for f in collection["features"]]}

    return Drawable(
        regions=features(view.regions),
        extras=tuple((layer.name, features(layer.extra)) for layer in view.layers if layer.extra is not None),
        lines=tuple((layer.name, features(layer.line)) for layer in view.layers if layer.line is not None),
        front=features(view.front) if view.front is not None else None,
    )


def _with_tooltip(feature: dict, written: dict[int, str]) -> dict:
    """The feature with its ``tip`` written as ``tooltip`` HTML, in the same place among its properties."""
    properties = {}
    for key, value in feature["properties"].items():
        if key != "tip":
            properties[key] = value
            continue
        if id(value) not in written:
            written[id(value)] = tooltip_html(value)
        properties["tooltip"] = written[id(value)]
    return {**feature, "properties": properties}
