"""The state of every party's position at a point on the timeline.

A point on the timeline is an event; the state there includes the claims of
that event and of every event before it (events on one day keep file order).
"""

from __future__ import annotations

import pandas as pd

from dashboard.claims import WHOLE_COUNTRY


def events_up_to(events: pd.DataFrame, event: str) -> pd.DataFrame:
    """Events from the start of the timeline up to and including ``event``."""
    return events[events["order"] <= events.at[event, "order"]]


def event_at_date(events: pd.DataFrame, date: str | pd.Timestamp) -> str | None:
    """The last event on or before ``date``, or None before the first event."""
    earlier = events[events["date"] <= pd.Timestamp(date)]
    return None if earlier.empty else str(earlier.index[-1])


def positions_at(claims: pd.DataFrame, events: pd.DataFrame, event: str) -> pd.DataFrame:
    """Each party's latest stated position on each region (or the whole country) as of ``event``.

    The position on a region is the set of claims from the party's latest event
    about that region: a later statement replaces an earlier one, and claims
    made together stay together. An event that ``ends`` a party's positions (a
    plan scaled back) drops that party's earlier claims from then on.
    """
    order = events.at[event, "order"]
    known = ended_removed(claims[claims["order"] <= order], events, order)
    latest = known.groupby(["party", "region"])["order"].transform("max")
    return known[known["order"] == latest]


def ended_removed(claims: pd.DataFrame, events: pd.DataFrame, order: int) -> pd.DataFrame:
    """``claims`` without those that an event up to ``order`` ended (see events.csv ``ends``)."""
    if "ends" not in events.columns:
        return claims
    enders = events[(events["order"] <= order) & (events["ends"] != "")]
    for _, ender in enders.iterrows():
        parties = [p.strip() for p in ender["ends"].split(";") if p.strip()]
        claims = claims[~(claims["party"].isin(parties) & (claims["order"] < ender["order"]))]
    return claims


def primary_stances(positions: pd.DataFrame, stances: pd.DataFrame) -> pd.DataFrame:
    """One row per (party, region): the stance the map draws for the position.

    Claims in the party's own word (stated or reported, ``own_word``) come
    before second-hand and inferred ones, then the highest-ranked stance: a
    region is drawn from someone else's reading only when that is all there
    is. The tooltip still lists every claim.
    """
    if positions.empty:
        return positions.assign(rank=pd.Series(dtype=int), outcome=pd.Series(dtype=str))
    own = positions["own_word"] if "own_word" in positions.columns else True
    ranked = positions.assign(
        rank=positions["stance"].map(stances["rank"]),
        outcome=positions["stance"].map(stances["outcome"]),
        _own=own,
    )
    best = ranked.sort_values(["_own", "rank", "order"], ascending=[False, False, False], kind="stable")
    best = best.drop(columns="_own")
    return best.drop_duplicates(["party", "region"]).sort_values(["party", "region"]).reset_index(drop=True)


def regional(positions: pd.DataFrame) -> pd.DataFrame:
    """Only the positions about a named region, not about the whole country."""
    return positions[positions["region"] != WHOLE_COUNTRY]


def whole_country(positions: pd.DataFrame) -> pd.DataFrame:
    """Only the positions about Ukraine as a whole."""
    return positions[positions["region"] == WHOLE_COUNTRY]


def region_history(claims: pd.DataFrame, events: pd.DataFrame, region: str, event: str) -> pd.DataFrame:
    """Every claim about ``region`` (and about the whole country) up to ``event``, oldest first."""
    known = claims[(claims["order"] <= events.at[event, "order"]) & claims["region"].isin([region, WHOLE_COUNTRY])]
    return known.sort_values(["order", "party"], kind="stable")
