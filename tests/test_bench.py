"""The benchmark scripts' behaviour (bench/): structure of the figures, faithful payloads.

Nothing here checks timings: they depend on the machine. The browser and load
scripts are not run (they take minutes); their pure parts are checked here.
"""

from __future__ import annotations

import json
import re

import pytest
import streamlit_folium

from bench import browser, load, naive, pagejs, scale
from bench import server as bench
from bench.__main__ import main as bench_main
from dashboard.mapstate import build_map_state
from dashboard.render.mapview import PrerenderedGroup, layer_script, layers_group
from dashboard.sources import SourcePaths, load_sources


def test_json_has_a_row_per_chosen_event_and_every_toggle(tmp_path, sources, capsys):
    first, last = sources.events.index[0], sources.events.index[-1]
    out = tmp_path / "bench.json"
    assert bench_main(["--repeat", "1", "--quick", "--events", f"{first},{last}", "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert [row["label"] for row in figures["events"]] == [first, last]
    parties = list(sources.parties.index)
    assert [row["label"] for row in figures["toggles"]] == [f"only {p}" for p in parties] + [
        f"shade {p}" for p in parties
    ]
    for row in figures["events"] + figures["toggles"]:
        assert row["state_ms"] > 0
        assert row["map_ms"] > 0
        assert 0 < row["layer_bytes"] < row["sent_bytes"], row
        assert row["step_ms"] == pytest.approx(row["state_ms"] + row["map_ms"])
        assert row["cached_ms"] == row["rerun_ms"] > 0
    assert [row["shade"] for row in figures["toggles"][len(parties) :]] == parties
    summary = figures["summary"]
    assert summary["sent_kib_max"] == pytest.approx(max(r["sent_kib"] for r in figures["events"] + figures["toggles"]))
    assert summary["step_within_budget"] == (summary["step_ms_max"] <= bench.STEP_BUDGET_MS)
    assert "naive" not in figures
    assert "scaling" not in figures
    printed = capsys.readouterr().out
    assert f"vs budget {bench.STEP_BUDGET_MS} ms" in printed
    assert f"vs budget {bench.PAYLOAD_BUDGET_KIB} KiB" in printed


def test_unknown_event_is_refused(capsys):
    assert bench_main(["--repeat", "1", "--quick", "--events", "no-such-event"]) == 2
    assert "no-such-event" in capsys.readouterr().out


def test_repeat_must_be_positive():
    with pytest.raises(SystemExit):
        bench_main(["--repeat", "0"])


def test_sent_args_are_every_component_argument(sources):
    state = build_map_state(sources, sources.events.index[-1], list(sources.parties.index))
    args = bench.sent_args(bench.new_base_map(sources), layers_group(state))
    assert {"script", "feature_group", "html", "header", "js_links", "css_links", "default", "key"} <= set(args)
    assert "on_change" not in args  # a Python callback: it never leaves the server
    assert args["returned_objects"] == ["last_active_drawing"]
    json.dumps(args)  # Streamlit sends them as JSON: they must serialise
    assert bench.wire_bytes(args) > bench.wire_bytes(args["script"]) + bench.wire_bytes(args["feature_group"])


def test_payload_is_what_streamlit_folium_builds(sources):
    fmap = bench.new_base_map(sources)
    bench.base_map_script(fmap)
    state = build_map_state(sources, sources.events.index[-1], list(sources.parties.index))
    ours = bench.feature_group_payload(layers_group(state), fmap)
    theirs = streamlit_folium._get_feature_group_string(layers_group(state), map=fmap)
    assert ours == theirs


@pytest.mark.parametrize("present", [False, True])
def test_a_cached_layer_script_sends_what_rendering_the_layer_sends(sources, present):
    # The app caches layer_script per state and sends it through PrerenderedGroup on later reruns.
    for event in (sources.events.index[1], sources.events.index[-1]):
        state = build_map_state(sources, event, list(sources.parties.index), "russia")
        rendered = bench.sent_args(bench.new_base_map(sources), layers_group(state, present=present))
        cached = bench.sent_args(bench.new_base_map(sources), PrerenderedGroup(layer_script(state, present=present)))
        assert cached == rendered
        assert "map_div.addLayer" in cached["feature_group"]
        assert cached["feature_group"].count(".addTo(map_div)") == rendered["feature_group"].count(".addTo(map_div)")


def test_base_map_script_is_what_streamlit_folium_builds(sources):
    ours = bench.base_map_script(bench.new_base_map(sources))
    fmap = bench.new_base_map(sources)
    fmap.get_root().render()
    fmap.render()
    assert ours == streamlit_folium._get_map_string(fmap)


def test_fresh_sources_forget_completed_lines_only(sources):
    build_map_state(sources, sources.events.index[-1], list(sources.parties.index))
    assert sources.completed
    empty = bench.fresh(sources)
    assert len(empty.completed) == 0
    assert sources.completed  # the original keeps its cache
    assert empty.claims is sources.claims


def _decimals(geometry: dict) -> int:
    """Most decimals of any coordinate in a GeoJSON geometry."""
    return max(len(digits) for digits in re.findall(r"\.(\d+)", json.dumps(geometry["coordinates"])))


def test_naive_step_sends_the_whole_map_with_unrounded_lines(sources):
    event, parties = sources.events.index[-1], list(sources.parties.index)
    state = naive.naive_state(sources, event, parties)
    line = next(layer.line for layer in state.layers if layer.line is not None)
    assert _decimals(line["features"][0]["geometry"]) > 4
    app_state = build_map_state(sources, event, parties)
    app_line = next(layer.line for layer in app_state.layers if layer.line is not None)
    assert _decimals(app_line["features"][0]["geometry"]) <= 4
    args = naive.naive_step(sources, bench.BaseMaps(sources), event, parties)
    assert args["feature_group"] is None  # the layer is inside the map's own script
    assert "pm-tip" in args["script"]  # region tooltips
    assert "FeatureCollection" in args["script"]  # outlines inline
    assert bench.wire_bytes(args) > bench.wire_bytes(
        bench.sent_args(bench.new_base_map(sources), layers_group(app_state))
    )


def test_synthetic_copies_multiply_rows_with_unique_ids_and_moved_dates():
    events = [{"event": "a", "date": "2025-01-31", "date_basis": "x", "date_source": "y", "title": "A"}]
    claims = [{"claim": "c1", "event": "a", "date": "2025-01-31", "quote": "q"}]
    more_events, more_claims = scale.synthetic_copies(events, claims, 3)
    assert [e["event"] for e in more_events] == ["a", "a-x001", "a-x002"]
    assert [e["date"] for e in more_events] == ["2025-01-31", "2025-02-01", "2025-02-02"]
    assert [(c["claim"], c["event"], c["date"]) for c in more_claims] == [
        ("c1", "a", "2025-01-31"),
        ("c1-x001", "a-x001", "2025-02-01"),
        ("c1-x002", "a-x002", "2025-02-02"),
    ]
    assert all(c["quote"] == "q" for c in more_claims)  # quotes stay verbatim from the article


def test_synthetic_tree_loads_cleanly_with_the_factor_applied(tmp_path, sources):
    root = scale.synthetic_root(tmp_path, 2)
    loaded, problems = load_sources(SourcePaths.under(root))
    assert problems == []
    assert len(loaded.events) == 2 * len(sources.events)
    assert len(loaded.claims) == 2 * len(sources.claims)


def test_sample_spreads_over_the_timeline_and_keeps_the_ends():
    items = [f"e{i}" for i in range(100)]
    picked = scale.sample(items, 11)
    assert len(picked) == 11
    assert picked[0] == "e0"
    assert picked[-1] == "e99"
    assert picked == sorted(set(picked), key=items.index)
    assert scale.sample(items[:5], 11) == items[:5]


def test_slider_keys_walk_to_the_end_and_back():
    keys = browser.slider_keys(7, 4)
    assert keys == ["ArrowRight"] * 3 + ["ArrowLeft"] * 3 + ["ArrowRight"]


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert browser.percentile(values, 0.5) == 50
    assert browser.percentile(values, 0.95) == 95
    assert browser.percentile([7.0], 0.95) == 7.0


def test_load_sessions_start_from_different_links(sources):
    viewers = [load.first_view(n, sources) for n in range(20)]
    links = {json.dumps(load.query(v, sources), sort_keys=True) for v in viewers}
    assert len(links) == 20
    for viewer in viewers:
        assert viewer.shade in viewer.parties


def test_load_toggles_never_hide_every_party_and_keep_shade_shown(sources):
    viewer = load.first_view(0, sources)
    for turn in range(40):
        name = load.toggle(viewer, sources, turn)
        assert name in set(sources.parties["name"])
        assert viewer.parties
        assert viewer.shade in viewer.parties
        assert viewer.parties == [p for p in sources.parties.index if p in viewer.parties]


def test_load_steps_stay_on_the_timeline(sources):
    viewer = load.first_view(0, sources)
    count = len(sources.events)
    buttons = [load.step(viewer, count) for _ in range(3 * count)]
    assert set(buttons) == {"▶", "◀"}
    assert 0 <= viewer.event < count


def test_load_caption_names_event_and_parties(sources):
    viewer = load.first_view(5, sources)
    date_title, shown = load.caption_parts(viewer, sources)
    assert sources.events.iloc[viewer.event]["title"] in date_title
    for party in viewer.parties:
        assert sources.parties.at[party, "name"] in shown


def test_page_scripts_name_the_map_iframe():
    for script in (pagejs.FIRST_MAP_INIT, pagejs.STEP_ARM, pagejs.ACTION_ARM, pagejs.MAP_READY):
        assert pagejs.MAP_IFRAME in script
