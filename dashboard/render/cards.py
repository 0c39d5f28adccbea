"""HTML fragments for the legend, the event panel, captions and summaries (tooltips: ``tooltips.py``).

Every value that comes from a data file or an article passes through
``esc`` before it is placed in markup: folium's tooltips and Streamlit's
unsafe HTML insert strings as HTML, so an article's ``<img onerror=...>``
would otherwise run.
"""

from __future__ import annotations

import html

import pandas as pd

from dashboard.render.patterns import css_fill
from dashboard.summary import PartySummary, fmt_date, join_names

# What a faint region with a dotted edge means; every legend (page, site, HTML and PNG exports) says it this way.
INDIRECT_LEGEND = (
    "Another party's account of the position, or a reading that goes beyond the sentence: not the party's own words."
)


# folium renders each layer's script through Jinja a second time, so "{{ … }}" in a
# tooltip would be evaluated on the server; as character references it shows as typed.
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})

EVENTS_LISTED = 40  # the panel is resent on every rerun: a long timeline must not grow every step


def esc(value: object) -> str:
    """Escape any value for HTML text and attribute contexts, and for folium's template pass."""
    return html.escape(str(value), quote=True).translate(_BRACES)


def _stance_items(stances: pd.DataFrame) -> str:
    rows = []
    for _, stance in stances.iterrows():
        dashed = " pm-swatch-front" if stance["outcome"] == "front_line" else ""
        fill = css_fill(stance.get("pattern", ""), stance["fill"])
        rows.append(
            f'<li><span class="pm-swatch{dashed}" style="background:{fill}"></span>'
            f"<span><b>{esc(stance['label'])}</b>. {esc(stance['legend'])}</span></li>"
        )
    return "".join(rows)


def line_swatch(colour: str, dash: str) -> str:
    """A CSS background drawing a line's dash pattern ("10 6" = 10 px on, 6 px off).

    Streamlit's HTML sanitiser drops inline SVG, so the legend cannot use
    stroke-dasharray; a repeating gradient draws the same pattern.
    """
    lengths = [float(n) for n in dash.replace(",", " ").split()] if dash.strip() else []
    if len(lengths) % 2:  # SVG repeats an odd list to make it even
        lengths *= 2
    if not lengths:
        return esc(colour)
    stops, at = [], 0.0
    for index, length in enumerate(lengths):
        paint = colour if index % 2 == 0 else "transparent"
        stops.append(f"{paint} {at:g}px {at + length:g}px")
        at += length
    return esc(f"repeating-linear-gradient(90deg, {', '.join(stops)})")


def legend_html(
    parties: pd.DataFrame,
    stances: pd.DataFrame,
    visible: list[str],
    drawn: list[str],
    shade: str | None,
    undrawn: dict[str, str] | None = None,
    front_date: pd.Timestamp | None = None,
    extras: list[str] | None = None,
    indirect: bool = False,
) -> str:
    """Legend: the stance fills on the map now, the front-line style, each visible party's line style.

    Only the stances drawn at this date are listed up front, so the legend
    stays short enough to read on a shared screen; the rest fold away.
    ``undrawn`` maps a visible party whose line is not drawn to the reason;
    ``front_date`` is the date of the front line drawn (None: no line for the
    date); ``extras`` lists the parties whose land beyond the line is shaded;
    ``indirect`` says a region is drawn from a second-hand or inferred claim.
    """
    undrawn = undrawn or {}
    on_map = stances[stances.index.isin(drawn)]
    others = stances[~stances.index.isin(drawn)]
    shade_name = esc(parties.at[shade, "name"]) if shade in parties.index else ""
    heading = f"Regions shaded by {shade_name}'s stance" if shade_name else "Stance in a region"
    shown = f"<ul>{_stance_items(on_map)}</ul>" if not on_map.empty else '<p class="pm-small">No region shaded.</p>'
    front = ""
    if (on_map["outcome"] == "front_line").any():
        where = "drawn in black" if front_date is not None else "not drawn for this date, so the whole region is shaded"
        front = (
            '<p class="pm-small">Dashed edge: the party proposes to stop on the current front line, which runs '
            f"through the region ({where}).</p>"
        )
    if indirect:
        front += (
            '<p class="pm-small"><span class="pm-swatch pm-swatch-indirect" aria-hidden="true"></span>'
            f"Faint fill, dotted edge: <b>second-hand or inferred</b>. {esc(INDIRECT_LEGEND)} Hover the region to "
            "see whose word it is.</p>"
        )
    rest = ""
    if not others.empty:
        summary = (
            f'<summary class="pm-small">Other stances, at other dates or for other parties ({len(others)})</summary>'
        )
        rest = f"<details>{summary}<ul>{_stance_items(others)}</ul></details>"
    lines = []
    for party in visible:
        row = parties.loc[party]
        swatch = line_swatch(row["colour"], row["dash"])
        reason = f'<span class="pm-small">: not drawn, {esc(undrawn[party])}</span>' if party in undrawn else ""
        lines.append(
            f'<li><span class="pm-line" aria-hidden="true" style="background:{swatch}">'
            f"</span><span><b>{esc(row['name'])}</b>{reason}</span></li>"
        )
    if front_date is not None:
        lines.append(
            f'<li><span class="pm-line" aria-hidden="true" style="background:{line_swatch("#1a1a1a", "")}"></span>'
            f"<span><b>Front line of {esc(fmt_date(front_date))}</b> (approximate; dotted along the Dnipro)</span></li>"
        )
    for party in extras or []:
        lines.append(
            f'<li><span class="pm-swatch" aria-hidden="true" '
            f'style="background:{css_fill("hatch", parties.at[party, "colour"])}"></span>'
            f"<span>{esc(parties.at[party, 'name'])}: land asked for beyond the front line</span></li>"
        )
    return (
        '<div class="pm-legend" role="region" aria-label="Map legend">'
        f"<h4>{heading}</h4>{shown}{front}{rest}"
        f"<h4>Proposed lines</h4><ul>{''.join(lines) or '<li>No layer shown.</li>'}</ul>"
        '<p class="pm-small">A proposed line is the edge of what the position would leave under Russian '
        "control. Regions with no stated position are left blank, not guessed. Hover a region for the quotes.</p>"
        "</div>"
    )


def corrections_html(corrections: pd.DataFrame | None) -> str:
    """The corrections log, newest first: when, which claims, what the map showed, what it shows now, why."""
    if corrections is None or corrections.empty:
        return '<p class="pm-small">No corrections so far.</p>'
    items = []
    for _, row in corrections.iloc[::-1].iterrows():
        claims = ", ".join(row["claims"])
        items.append(
            f"<li><b>{esc(fmt_date(row['date']))}</b> · {esc(row['correction'])} · claims {esc(claims)}"
            f"<dl><dt>Was</dt><dd>{esc(row['was'])}</dd><dt>Now</dt><dd>{esc(row['now'])}</dd>"
            f"<dt>Why</dt><dd>{esc(row['why'])}</dd></dl></li>"
        )
    return f'<ol class="pm-corrections" reversed>{"".join(items)}</ol>'


def events_html(events: pd.DataFrame, current: str, limit: int = EVENTS_LISTED) -> str:
    """The event panel: events up to the chosen one, newest first, the chosen one marked.

    Lists the ``limit`` newest and says how many earlier ones the timeline holds.
    """
    items = []
    for event, row in events.iloc[::-1].head(limit).iterrows():
        mark = ' class="pm-current" aria-current="true"' if event == current else ""
        items.append(
            f"<li{mark}><b>{esc(fmt_date(row['date']))}</b> · {esc(row['title'])}"
            f"<div>{esc(row['summary'])}</div>"
            f'<div class="pm-small">Sources: {esc(row["seeds"].replace(";", ", "))}. '
            f"Date: {esc(row['date_basis'])}.</div></li>"
        )
    earlier = len(events) - len(items)
    more = (
        f'<p class="pm-small">{earlier} earlier event{"s" if earlier != 1 else ""} on the timeline: '
        "step back to see them.</p>"
        if earlier > 0
        else ""
    )
    return f'<ol class="pm-events" reversed>{"".join(items)}</ol>{more}'


def summary_html(summaries: list[PartySummary], parties: pd.DataFrame) -> str:
    """Plain-language summary, one paragraph per party."""
    paras = []
    for item in summaries:
        colour = parties.at[item.party, "colour"]
        since = f" (latest statement {esc(fmt_date(item.since))})" if item.since is not None else ""
        paras.append(
            f'<p><span class="pm-dot" style="background:{esc(colour)}"></span>'
            f"<b>{esc(item.name)}</b>{since}: {esc(' '.join(item.sentences))}</p>"
        )
    return f'<div class="pm-summary">{"".join(paras)}</div>'


def problems_html(problems: list[object]) -> str:
    """A list of data problems, for the error panel."""
    items = "".join(f"<li><code>{esc(problem)}</code></li>" for problem in problems)
    return f'<ul class="pm-problems">{items}</ul>'


def caption_html(event: pd.Series, manifest: pd.DataFrame, layer_names: list[str]) -> str:
    """The line under the map: date, event, what is shown and the sources, for screen-sharing and screen readers."""
    titles = [manifest.at[s, "title"] if s in manifest.index else s for s in event["seeds"].split(";") if s]
    shown = f" Shown: {esc(join_names(layer_names))}." if layer_names else ""
    return (
        f'<p class="pm-caption" role="note"><b>{esc(fmt_date(event["date"]))} — {esc(event["title"])}.</b> '
        f"{esc(event['summary'])}{shown}<br><small>Source: {esc('; '.join(titles))}. "
        f"Date: {esc(event['date_basis'])}.</small></p>"
    )


def compare_legend_html(changes: list[tuple[str, str, str]], lines: list[tuple[str, dict | None]]) -> str:
    """Legend of a comparison: one swatch per kind of difference, then each side's line style (None: not drawn)."""
    rows = "".join(
        f'<li><span class="pm-swatch{" pm-swatch-front" if dash else ""}" style="background:{esc(fill)}"></span>'
        f"<span>{esc(text)}</span></li>"
        for fill, dash, text in changes
    )
    items = "".join(
        f'<li><span class="pm-line" aria-hidden="true" style="background:{_style_swatch(style)}">'
        f"</span><span><b>{esc(name)}</b>: proposed line</span></li>"
        if style
        else f"<li><span><b>{esc(name)}</b>: no line drawn</span></li>"
        for name, style in lines
    )
    return (
        '<div class="pm-legend" role="region" aria-label="Map legend">'
        f"<h4>Regions by difference</h4><ul>{rows}</ul><h4>Proposed lines</h4><ul>{items}</ul>"
        '<p class="pm-small">Hover a region for both positions and their quotes.</p></div>'
    )


def _style_swatch(style: dict) -> str:
    return line_swatch(style["color"], style["dashArray"])
