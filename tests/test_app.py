"""The Streamlit script, run headless with AppTest: every event, links, offline assets, bad data."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from fixture_data import mini_root, set_cell
from streamlit.testing.v1 import AppTest

from dashboard import paths
from dashboard.render.page import DEK
from dashboard.sources import ROOT_ENV, Sources

APP = str(paths.APP_SCRIPT)
TIMEOUT = 60  # s: the first run loads every source file


def _run(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def _component(at: AppTest) -> dict:
    (element,) = at.get("component_instance")
    return json.loads(element.proto.json_args)


def test_every_event_renders_without_error_and_sends_its_regions(sources: Sources) -> None:
    at = _run()
    scripts = set()
    for event in sources.events.index:
        at.select_slider(key="event").set_value(event).run()
        assert not at.exception, event
        sent = _component(at)
        scripts.add(sent["script"])
        assert at.query_params["event"] == event
        drawn = set(sources.claims.loc[sources.claims["order"] <= sources.events.at[event, "order"], "region"])
        for code in drawn - {"UA"}:
            assert f'"code": "{code}"' in sent["feature_group"], (event, code)
    # The base map's script never changes, so the iframe is never replaced (no flicker).
    assert len(scripts) == 1


def test_the_map_loads_leaflet_from_the_app_not_a_cdn() -> None:
    sent = _component(_run())
    assert sent["js_links"] == ["../../app/static/leaflet/leaflet.js"]
    assert sent["css_links"] == ["../../app/static/leaflet/leaflet.css"]
    assert "https://" not in sent["script"] + sent["feature_group"]
    leaflet = Path(APP).parent / "static" / "leaflet"
    assert (leaflet / "leaflet.js").stat().st_size > 100_000
    assert (leaflet / "leaflet.css").is_file()


def test_a_link_opens_the_view_it_names() -> None:
    at = _run({"event": "putin-conditions-2024", "parties": "russia", "region": "UA-14"})
    assert not at.exception
    assert at.select_slider(key="event").value == "putin-conditions-2024"
    assert at.session_state["parties"] == ["russia"]
    assert any("Donetsk: every position up to 14 Jun 2024" in h.value for h in at.subheader)
    assert at.dataframe[0].value["Party"].tolist()[0] == "Russia"


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"event": "nope"}, "Unknown event 'nope'"),
        ({"parties": "russia,mars"}, "mars"),
        ({"region": "UA-99"}, "Unknown region 'UA-99'"),
    ],
)
def test_a_stale_link_falls_back_with_a_notice(params: dict[str, str], notice: str) -> None:
    at = _run(params)
    assert not at.exception
    assert any(notice in html.unescape(w.value) for w in at.warning)  # Markdown-escaped: app/text.md


def test_legend_and_summary_follow_the_visible_parties() -> None:
    at = _run({"event": "alaska-summit", "parties": "russia,ukraine"})
    legend = next(h for h in at.get("html") if "Proposed lines" in h.proto.body).proto.body
    assert "<b>Russia</b>" in legend
    assert "<b>Europe</b>" not in legend
    assert "Regions shaded by Russia" in legend


def test_bad_data_is_reported_and_the_last_good_data_stays_on_screen(tmp_path: Path, monkeypatch) -> None:
    root = mini_root(tmp_path)
    monkeypatch.setenv(ROOT_ENV, str(root))
    at = _run()
    assert not at.error
    good = _component(at)["feature_group"]
    assert '"code": "UA-14"' in good

    set_cell(root / "data" / "claims.csv", 0, "quote", "words nobody said")
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "last data that loaded cleanly" in error.value
    problems = " ".join(h.proto.body for h in at.get("html"))
    assert "claims.csv, row 2, field &#x27;quote&#x27;: not found verbatim" in problems
    assert '"code": "UA-14"' in _component(at)["feature_group"]


def test_the_map_leaves_page_scrolling_alone_and_keeps_ukraine_in_reach() -> None:
    script = _component(_run())["script"]
    assert '"scrollWheelZoom": false' in script
    assert '"minZoom": 5' in script
    assert "-180" not in script  # panning is bounded to the region, not the world


def test_presentation_mode_hides_the_chrome_and_captions_the_map() -> None:
    at = _run({"event": "alaska-summit", "mode": "present"})
    assert not at.exception
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert 'section[data-testid="stSidebar"]' in bodies  # the presentation styles are on the page
    assert "15 Aug 2025 — Trump–Putin summit in Alaska." in bodies
    assert "Source: Putin’s Peace Proposal at Alaska Summit" in bodies
    assert not any("Where each party stands" in h.value for h in at.subheader)
    exit_button = next(b for b in at.button if b.label == "Exit presentation")
    exit_button.click().run()
    assert at.session_state["mode"] == "explore"
    assert "mode" not in at.query_params


def test_keyboard_buttons_step_the_timeline_and_stop_at_the_ends() -> None:
    at = _run({"event": "putin-conditions-2024"})
    forward = next(b for b in at.button if b.label == "▶")
    forward.click().run()
    assert at.session_state["event"] == "russia-signal-2025-08"
    at = _run({"event": "yermak-atlantic"})
    next(b for b in at.button if b.label == "▶").click().run()
    assert at.session_state["event"] == "yermak-atlantic"


def test_a_comparison_link_draws_the_difference_and_its_table() -> None:
    at = _run(
        {
            "event": "alaska-summit",
            "parties": "russia,ukraine",
            "shade": "russia",
            "compare": "parties",
            "vs": "ukraine",
        }
    )
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns)[:4] == ["Region", "Russia", "Ukraine", "Difference"]
    assert "Russia: km² beyond the front line" in table.columns
    assert "Donetsk" in set(table["Region"])
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "Regions by difference" in legend


def test_a_place_can_be_found_by_a_russian_derived_spelling() -> None:
    at = _run()
    at.selectbox(key="place_query").set_value("Lugansk").run()
    assert at.session_state["region"] == "UA-09"
    assert any(h.value.startswith("Luhansk: every position") for h in at.subheader)
    assert at.query_params["region"] == "UA-09"


def test_a_map_view_preset_goes_into_the_link_and_the_map() -> None:
    at = _run()
    at.selectbox(key="focus").set_value("East and south").run()
    assert at.query_params["zoom"] == "7"
    sent = _component(at)
    assert sent["zoom"] == 7
    assert sent["center"] == [47.6, 36.2]


def test_the_caption_under_the_title_is_the_sites_sentence() -> None:
    at = _run()
    assert any(caption.value == f"{DEK}: hover it." for caption in at.caption)
