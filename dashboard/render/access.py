"""What the map says, for readers who cannot see it or use a mouse: HTML a screen reader can walk.

The map's fills and tooltips are pictures and hover boxes; the same facts are
written here as a table per date (region, party, stance, the verbatim quotes
with speaker and article), and scroll boxes are made reachable by keyboard.
Shared by the app and the static site; every value from the data is escaped.
"""

from __future__ import annotations

import pandas as pd

from dashboard.claims import WHOLE_COUNTRY
from dashboard.render.cards import esc, fmt_date
from dashboard.sources import Sources
from dashboard.timeline import positions_at, primary_stances

WHOLE_COUNTRY_LABEL = "Ukraine as a whole"
TABLE_CLASS = "pm-positions"
ROW_COLUMNS = ["region", "region_name", "party", "party_name", "stance_label", "claims"]


def scroll_region(inner_html: str, label: str, css_class: str) -> str:
    """A box that scrolls its content and that the keyboard can reach and scroll (WCAG 2.1.1).

    A scrollable box with nothing focusable inside cannot be scrolled without a
    mouse: tabindex="0" puts it in the Tab order, and role/label name it for
    screen readers.
    """
    return f'<div class="{esc(css_class)}" tabindex="0" role="region" aria-label="{esc(label)}">{inner_html}</div>'


def positions_rows(sources: Sources, event: str, parties: list[str]) -> pd.DataFrame:
    """Each of ``parties``' positions in force at ``event``, one row per (party, region) with its claims.

    Columns: region (code), region_name, party, party_name, stance_label, claims
    (a DataFrame of the claims behind it, newest first). Regions are in the
    order of the oblast file, Ukraine as a whole first; parties in file order.
    """
    positions = positions_at(sources.claims, sources.events, event)
    positions = positions[positions["party"].isin(parties)]
    primary = primary_stances(positions, sources.stances)
    region_order = {WHOLE_COUNTRY: -1} | {code: i for i, code in enumerate(sources.oblasts.index)}
    party_order = {party: i for i, party in enumerate(sources.parties.index)}
    rows = []
    for _, row in primary.iterrows():
        region, party = row["region"], row["party"]
        claims = positions[(positions["party"] == party) & (positions["region"] == region)]
        rows.append(
            {
                "region": region,
                "region_name": WHOLE_COUNTRY_LABEL
                if region == WHOLE_COUNTRY
                else sources.oblasts.at[region, "name_en"],
                "party": party,
                "party_name": sources.parties.at[party, "name"],
                "stance_label": sources.stances.at[row["stance"], "label"],
                "claims": claims.sort_values("date", ascending=False, kind="stable"),
                "_order": (region_order.get(region, len(region_order)), party_order.get(party, 0)),
            }
        )
    if not rows:
        return pd.DataFrame(columns=ROW_COLUMNS)
    frame = pd.DataFrame(rows).sort_values("_order", kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def _quotes_html(claims: pd.DataFrame, titles: pd.Series) -> str:
    items = []
    for _, claim in claims.iterrows():
        title = titles.get(claim["seed"], claim["seed"])
        items.append(
            f"<li><q>{esc(claim['quote'])}</q> — {esc(claim['speaker'])}, {esc(fmt_date(claim['date']))}; "
            f"article: {esc(title)}</li>"
        )
    return f"<ul>{''.join(items)}</ul>"


def positions_table_html(sources: Sources, event: str, parties: list[str]) -> str:
    """A table of every position in force at ``event`` for ``parties``: region, party, stance, quotes.

    Row headers name the region, so a screen reader announces it in every cell;
    each row carries ``data-party`` so a page can hide the rows of parties it
    does not show (the static site holds one table per date for every party).
    """
    rows = positions_rows(sources, event, parties)
    when = esc(fmt_date(sources.events.at[event, "date"]))
    caption = f"<caption>Stated positions on each region on {when}, with the quotes they rest on</caption>"
    if rows.empty:
        return f'<p class="{TABLE_CLASS}-none">No shown party has a stated position on any region on {when}.</p>'
    head = (
        '<thead><tr><th scope="col">Region</th><th scope="col">Party</th>'
        '<th scope="col">Stance</th><th scope="col">What was said</th></tr></thead>'
    )
    titles = sources.manifest["title"]
    body = "".join(
        f'<tr data-party="{esc(r.party)}" data-region="{esc(r.region)}">'
        f'<th scope="row">{esc(r.region_name)}</th><td>{esc(r.party_name)}</td>'
        f"<td>{esc(r.stance_label)}</td><td>{_quotes_html(r.claims, titles)}</td></tr>"
        for r in rows.itertuples()
    )
    return f'<table class="{TABLE_CLASS}">{caption}{head}<tbody>{body}</tbody></table>'


def positions_details_html(table_html: str, label: str = "Every region's positions and quotes, as a table") -> str:
    """The table folded under a summary a keyboard opens with Enter, so it does not lengthen the page."""
    return f'<details class="{TABLE_CLASS}-box"><summary>{esc(label)}</summary>{table_html}</details>'
