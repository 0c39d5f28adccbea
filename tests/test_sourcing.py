"""How each position is sourced and read: the vocabulary, the loader's editorial checks, and what the map draws.

Fixture edits use the mini tree (tests/fixtures/mini, invented sentences), one
change per test, so each check is seen to fire on exactly what it guards.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fixture_data import mini_root, read_rows, set_cell, write_rows

from dashboard.export.data import positions_table
from dashboard.mapstate import INDIRECT_DASH, build_map_state
from dashboard.render.cards import legend_html
from dashboard.render.tooltips import drawable
from dashboard.sources import SourcePaths, Sources, load_sources, own_word_only
from dashboard.timeline import positions_at, primary_stances
from dashboard.viewstate import parse_view, view_query

OWN_WORD = {"stated", "reported"}


def _add_claim(root: Path, **fields: str) -> None:
    path = root / "data" / "claims.csv"
    rows = read_rows(path)
    base = dict(rows[0]) | {"note": ""}
    write_rows(path, [*rows, base | fields])


def _problems(root: Path) -> list:
    loaded, problems = load_sources(SourcePaths.under(root))
    assert (loaded is None) == bool(problems)
    return problems


# --- vocabulary ---------------------------------------------------------------------------------


def test_every_stance_and_sourcing_used_is_defined_with_legend_text(sources: Sources) -> None:
    assert set(sources.claims["stance"]) <= set(sources.stances.index)
    assert set(sources.claims["sourcing"]) <= set(sources.sourcing.index)
    for table in (sources.stances.loc[sorted(set(sources.claims["stance"]))], sources.sourcing):
        assert (table["legend"].str.len() > 20).all()
        assert (table["label"].str.len() > 0).all()
    assert set(sources.sourcing.index) == {"stated", "reported", "second_hand", "inferred"}
    assert set(sources.sourcing.index[sources.sourcing["own_word"]]) == OWN_WORD
    assert (sources.sourcing["example"].str.len() > 30).all()


def test_the_vocabulary_tells_a_freeze_offered_as_a_final_line_from_a_ceasefire_to_start_talks(
    sources: Sources,
) -> None:
    freeze, ceasefire = sources.stances.loc["freeze_as_final_line"], sources.stances.loc["ceasefire_current_line"]
    assert freeze["fill"] != ceasefire["fill"]
    assert freeze["rank"] != ceasefire["rank"]
    assert "final" in freeze["label"] and "talks" in ceasefire["label"]


def test_labels_of_asked_positions_say_to_be_not_are(sources: Sources) -> None:
    for stance in ("recognised_de_jure", "recognised_de_facto", "recognised_form_unstated", "return_to_ukraine"):
        assert sources.stances.at[stance, "label"].startswith("To "), stance
    assert "terms_revised" not in sources.stances.index  # plan-level statements are events, not region stances


def test_an_unknown_sourcing_value_is_reported_with_its_row(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    set_cell(root / "data" / "claims.csv", 1, "sourcing", "rumour")
    problems = _problems(root)
    assert [(p.where, p.field) for p in problems] == [("row 3", "sourcing")]
    assert "unknown sourcing 'rumour'" in problems[0].message


# --- the loader's editorial checks --------------------------------------------------------------


def test_a_withdrawal_from_a_region_ukraine_holds_none_of_is_refused(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    # Crimea, March 2025: the front line in force (14 Jun 2024) leaves Ukraine nothing there.
    _add_claim(root, claim="k9", region="UA-43")
    problems = _problems(root)
    assert [(p.where, p.field) for p in problems] == [("row 7", "stance")]
    assert "holds no land" in problems[0].message and "UA-43" in problems[0].message


def test_a_withdrawal_from_a_region_ukraine_partly_holds_loads(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    _add_claim(root, claim="k9", region="UA-23")  # Zaporizhzhia: Ukraine holds most of it
    assert _problems(root) == []


def test_two_stances_on_one_region_on_one_day_need_notes_naming_each_other(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    _add_claim(root, claim="k9", stance="recognised_de_jure")  # k1's party, region and day
    problems = _problems(root)
    assert sorted((p.where, p.field) for p in problems) == [("row 2", "note"), ("row 7", "note")]
    assert "recognised_de_jure" in next(p.message for p in problems if p.where == "row 2")


def test_notes_that_name_the_other_stance_explain_two_stances_on_one_day(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    _add_claim(root, claim="k9", stance="recognised_de_jure", note="Asked together with `withdraw`.")
    set_cell(root / "data" / "claims.csv", 0, "note", "With To be recognised as Russian (de jure), same day.")
    assert _problems(root) == []


def test_an_own_word_claim_whose_quote_names_no_one_of_its_party_is_refused(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    # A sentence about the Kremlin given to Ukraine as Ukraine's own statement.
    frozen = "the Kremlin added that it wants the front line frozen in Zaporizhzhia"
    _add_claim(
        root, claim="k9", party="ukraine", stance="cession_rejected", region="UA-23", sourcing="stated", quote=frozen
    )
    problems = _problems(root)
    assert [(p.where, p.field) for p in problems] == [("row 7", "sourcing")]
    assert "names neither Ukraine nor its officials" in problems[0].message


@pytest.mark.parametrize("sourcing", ["second_hand", "inferred"])
def test_a_quote_that_names_no_one_of_the_party_may_be_second_hand_or_inferred(tmp_path: Path, sourcing: str) -> None:
    root = mini_root(tmp_path)
    frozen = "the Kremlin added that it wants the front line frozen in Zaporizhzhia"
    _add_claim(
        root, claim="k9", party="ukraine", stance="cession_rejected", region="UA-23", sourcing=sourcing, quote=frozen
    )
    assert _problems(root) == []


def test_an_event_that_ends_a_partys_positions_needs_a_verbatim_quote(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    events = root / "data" / "events.csv"
    set_cell(events, 2, "ends", "russia")
    assert [p.field for p in _problems(root)] == ["ends_quote"]
    set_cell(events, 2, "ends_quote", "The Kremlin withdrew every earlier demand.")
    problems = _problems(root)
    assert [p.field for p in problems] == ["ends_quote"] and "not found verbatim" in problems[0].message
    set_cell(events, 2, "ends", "atlantis")
    assert "unknown party 'atlantis'" in " ".join(p.message for p in _problems(root))


# --- the timeline and the map -------------------------------------------------------------------


def test_an_event_that_ends_a_partys_positions_removes_them_from_then_on(tmp_path: Path) -> None:
    root = mini_root(tmp_path)
    events = root / "data" / "events.csv"
    set_cell(events, 2, "ends", "russia")
    set_cell(events, 2, "ends_quote", "the Kremlin added that it wants the front line frozen in Zaporizhzhia")
    loaded, problems = load_sources(SourcePaths.under(root))
    assert problems == []
    before = positions_at(loaded.claims, loaded.events, "m2")
    after = positions_at(loaded.claims, loaded.events, "m3")
    assert set(before.loc[before["party"] == "russia", "claim"]) == {"k1", "k2"}
    assert set(after.loc[after["party"] == "russia", "claim"]) == {"k4", "k5"}  # only what m3 itself says
    assert set(after.loc[after["party"] == "ukraine", "claim"]) == {"k3"}  # other parties untouched


def test_the_real_us_first_draft_is_not_drawn_after_it_was_scaled_back(sources: Sources) -> None:
    drafted = positions_at(sources.claims, sources.events, "us-28-point-plan")
    revised = positions_at(sources.claims, sources.events, "us-plan-revised")
    assert (drafted["party"] == "united_states").sum() >= 4
    assert (revised["party"] == "united_states").sum() == 0


def test_the_map_prefers_a_partys_own_word_over_a_higher_ranked_reading(sources: Sources) -> None:
    positions = pd.DataFrame(
        {
            "party": ["russia", "russia"],
            "region": ["UA-14", "UA-14"],
            "stance": ["annexation_claimed", "withdraw"],
            "order": [1, 1],
            "own_word": [False, True],
        }
    )
    assert primary_stances(positions, sources.stances)["stance"].tolist() == ["withdraw"]


def _second_hand_tree(tmp_path: Path) -> Sources:
    root = mini_root(tmp_path)
    set_cell(root / "data" / "claims.csv", 4, "sourcing", "second_hand")  # k5: Luhansk at m3
    set_cell(root / "data" / "claims.csv", 4, "speaker", "Zelenskyy (describing the Kremlin's wish)")
    loaded, problems = load_sources(SourcePaths.under(root))
    assert problems == []
    return loaded


def test_a_second_hand_position_is_drawn_faint_with_a_dotted_edge_and_says_whose_word(tmp_path: Path) -> None:
    sources = _second_hand_tree(tmp_path)
    state = build_map_state(sources, "m3", ["russia"], shade="russia")
    by_code = {f["properties"]["code"]: f["properties"] for f in drawable(state).regions["features"]}
    indirect, own = by_code["UA-09"], by_code["UA-23"]
    stance = sources.stances.loc[indirect["stance"]]
    assert (indirect["sourcing"], indirect["own_word"]) == ("second_hand", False)
    assert indirect["style"]["dashArray"] == INDIRECT_DASH
    assert indirect["style"]["fillOpacity"] < stance["fill_opacity"]
    assert own["own_word"] is True and own["style"]["dashArray"] != INDIRECT_DASH
    assert "Second-hand: in the words of Zelenskyy (describing the Kremlin&#x27;s wish)" in indirect["tooltip"]
    assert "Second-hand" not in own["tooltip"]
    assert state.indirect_drawn


def test_the_legend_explains_faint_positions_only_when_one_is_drawn(tmp_path: Path) -> None:
    sources = _second_hand_tree(tmp_path)
    args = (sources.parties, sources.stances, ["russia"], ["withdraw"], "russia")
    assert "second-hand or inferred" in legend_html(*args, indirect=True)
    assert "second-hand or inferred" not in legend_html(*args, indirect=False)


def test_own_word_only_falls_back_to_the_partys_latest_own_position(tmp_path: Path) -> None:
    sources = _second_hand_tree(tmp_path)
    full = build_map_state(sources, "m3", ["russia"], shade="russia")
    own = build_map_state(own_word_only(sources), "m3", ["russia"], shade="russia")
    stance = {f["properties"]["code"]: f["properties"]["stance"] for f in full.regions["features"]}
    stance_own = {f["properties"]["code"]: f["properties"]["stance"] for f in own.regions["features"]}
    assert stance["UA-09"] == "recognised_de_facto"
    assert stance_own["UA-09"] == "withdraw"  # k2, stated at m1
    assert not own.indirect_drawn
    assert own_word_only(sources) is own_word_only(sources)  # one filtered bundle per loaded bundle


def test_summaries_and_the_positions_export_say_how_each_position_is_sourced(tmp_path: Path) -> None:
    sources = _second_hand_tree(tmp_path)
    state = build_map_state(sources, "m3", ["russia"], shade="russia")
    russia = next(layer for layer in state.layers if layer.party == "russia")
    assert "Luhansk (second-hand)" in " ".join(russia.summary.sentences)
    table = positions_table(state, sources).set_index("region")
    assert table.at["UA-09", "sourcing"] == "second_hand"
    assert table.at["UA-23", "sourcing"] == "stated"


def test_the_own_word_switch_lives_in_the_link(sources: Sources) -> None:
    args = (sources.events, list(sources.parties.index), set(sources.oblasts.index))
    view = parse_view({"event": "putin-kyrgyzstan", "sourcing": "own"}, *args)
    assert view.sourcing == "own" and view.notices == ()
    assert view_query(view)["sourcing"] == "own"
    assert "sourcing" not in view_query(parse_view({"event": "putin-kyrgyzstan"}, *args))
    bad = parse_view({"sourcing": "[x](http://example.com)"}, *args)
    assert bad.sourcing == "" and len(bad.notices) == 1


def test_an_inferred_region_says_the_reading_goes_beyond_the_sentence(sources: Sources) -> None:
    # Zaporizhzhia, 27 Nov 2025: "the territories that Moscow claims" names no region.
    state = build_map_state(sources, "putin-kyrgyzstan", ["russia"], shade="russia")
    zaporizhzhia = next(
        f["properties"] for f in drawable(state).regions["features"] if f["properties"]["code"] == "UA-23"
    )
    assert (zaporizhzhia["sourcing"], zaporizhzhia["own_word"]) == ("inferred", False)
    assert "Inferred: the map&#x27;s reading goes beyond what the sentence says" in zaporizhzhia["tooltip"]
    assert "the party itself" not in zaporizhzhia["tooltip"]
