"""Links: every setting survives a round trip; bad values fall back with a notice, never an exception."""

from __future__ import annotations

import pytest

from dashboard.sources import Sources
from dashboard.viewstate import DEFAULT_PACE, MAX_PARAM_CHARS, View, parse_view, view_query


def _parse(sources: Sources, params: dict[str, str]) -> View:
    return parse_view(params, sources.events, list(sources.parties.index), set(sources.oblasts.index))


def test_an_empty_link_opens_the_latest_event_with_every_party(sources: Sources) -> None:
    view = _parse(sources, {})
    assert view.event == sources.events.index[-1]
    assert view.parties == tuple(sources.parties.index)
    assert view.mode == "explore"
    assert view.notices == ()


def test_every_setting_round_trips_through_the_query_string(sources: Sources) -> None:
    params = {
        "event": "alaska-summit",
        "parties": "ukraine,russia",
        "shade": "ukraine",
        "region": "UA-23",
        "mode": "present",
        "compare": "dates",
        "vs": "putin-conditions-2024",
        "lat": "47.6",
        "lon": "36.2",
        "zoom": "7.5",
        "pace": "8",
    }
    view = _parse(sources, params)
    assert view.notices == ()
    assert view.parties == ("russia", "ukraine")  # layer order, whatever the link's order
    assert (view.centre, view.zoom, view.pace) == ((47.6, 36.2), 7.5, 8)
    assert _parse(sources, view_query(view)) == view


def test_a_date_picks_the_last_event_on_or_before_it(sources: Sources) -> None:
    assert _parse(sources, {"date": "2025-08-14"}).event == "zelenskyy-pre-summit"
    assert _parse(sources, {"date": "2025-08-15"}).event == "alaska-summit"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"event": "nope"}, "Unknown event 'nope'"),
        ({"date": "1990-01-01"}, "not a date on the timeline"),
        ({"date": "15/08/2025"}, "YYYY-MM-DD"),
        ({"parties": "russia,mars"}, "Unknown party in the link: mars"),
        ({"shade": "europe", "parties": "russia"}, "Cannot shade by 'europe'"),
        ({"region": "UA-99"}, "Unknown region 'UA-99'"),
        ({"mode": "fullscreen"}, "Unknown mode 'fullscreen'"),
        ({"compare": "parties", "vs": "mars"}, "comparison off"),
        ({"compare": "sideways"}, "Unknown compare"),
        ({"zoom": "abc"}, "'abc' is not a valid zoom"),
        ({"zoom": "99"}, "not a valid zoom"),
        ({"lat": "nan", "lon": "30"}, "not a valid lat"),
        ({"pace": "1"}, "Unknown pace '1'"),
        ({"event": "x" * (MAX_PARAM_CHARS + 1)}, "longer than"),
    ],
)
def test_a_bad_value_falls_back_to_its_default_with_a_notice(
    sources: Sources, params: dict[str, str], words: str
) -> None:
    view = _parse(sources, params)
    assert any(words in notice for notice in view.notices), view.notices
    default = _parse(sources, {})
    assert view.event in sources.events.index
    assert view.mode in ("explore", "present")
    assert view.compare in ("", "parties", "dates")
    assert view.zoom is None or 5 <= view.zoom <= 10
    assert view.pace in (3, 5, 8, 12)
    assert default.pace == DEFAULT_PACE


def test_html_in_a_link_is_kept_out_of_notices_as_markup(sources: Sources) -> None:
    # Notices go through st.warning (markdown, escaped), but they also must not grow without bound.
    view = _parse(sources, {"event": "<img src=x onerror=alert(1)>" + "a" * 150})
    (notice,) = view.notices
    assert len(notice) < 120


def test_a_half_given_centre_is_ignored(sources: Sources) -> None:
    assert _parse(sources, {"lat": "48"}).centre is None


def test_the_query_string_leaves_out_defaults(sources: Sources) -> None:
    query = view_query(_parse(sources, {"event": "alaska-summit"}))
    assert query == {"event": "alaska-summit", "parties": "russia,ukraine,united_states,europe"}
