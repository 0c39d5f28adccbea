"""Layer scripts and outlines served as files the map frame keeps: written at launch, named by content."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dashboard.app import served


def test_an_unpublished_layer_is_sent_inline_and_nothing_is_written(tmp_path: Path, monkeypatch: object) -> None:
    monkeypatch.setattr(served, "STATIC_DIR", tmp_path)
    script = "var feature_group_feature_group_0 = L.featureGroup({}); // never published"
    assert served.layer_payload(script) == script
    assert list(tmp_path.iterdir()) == []


def test_a_published_layer_is_sent_as_a_loader_of_its_file(tmp_path: Path) -> None:
    script = "var feature_group_feature_group_0 = L.featureGroup({}); var marker = 1;"
    url = served.publish_layer(script, tmp_path)
    name = url.rsplit("/", 1)[-1]
    written = tmp_path / served.GENERATED / served.LAYERS / name
    body = written.read_text(encoding="utf-8")
    assert body.startswith("(function (map_div) {") and script in body
    assert f"return {served.FEATURE_GROUP};" in body
    payload = served.layer_payload(script)
    assert url in payload and script not in payload
    assert payload.startswith(f"var {served.FEATURE_GROUP} = ")  # declared where streamlit-folium expects it
    assert len(payload) < 1_000
    assert served.publish_layer(script, tmp_path) == url  # same content, same file
    assert len(list(written.parent.iterdir())) == 1


def test_outlines_are_named_by_content_and_found_again(tmp_path: Path) -> None:
    data = {"oblasts": {"type": "FeatureCollection", "features": []}}
    assert served.published_geometry({"other": 1}) is None
    url = served.publish_geometry(data, tmp_path)
    assert served.published_geometry(data) == url
    assert (tmp_path / served.GENERATED / url.rsplit("/", 1)[-1]).exists()


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_launch_prunes_old_files_it_did_not_write_and_keeps_its_own_and_recent_ones(tmp_path: Path) -> None:
    layers = tmp_path / served.GENERATED / served.LAYERS
    layers.mkdir(parents=True)
    week = served.PRUNE_AFTER_S
    stale = layers / "0123456789abcdef0123.js"  # an earlier data version's layer, unused for over a week
    stale.write_text("(function (map_div) {})", encoding="utf-8")
    _age(stale, week + 3600)
    stale_outlines = tmp_path / served.GENERATED / "base-0123456789abcdef0123.json"
    stale_outlines.write_text("{}", encoding="utf-8")
    _age(stale_outlines, week + 3600)
    crashed = layers / ".feedfacefeedfacefeed.js.4242.tmp"  # half-written by a launch that died
    crashed.write_text("(funct", encoding="utf-8")
    _age(crashed, week + 3600)
    other_server = layers / "fedcba9876543210fedc.js"  # written by another server's launch two days ago
    other_server.write_text("(function (map_div) {})", encoding="utf-8")
    _age(other_server, 2 * 24 * 3600)
    mine = layers / served.publish_layer("var x = 'pruning';", tmp_path).rsplit("/", 1)[-1]
    _age(mine, week + 3600)  # this launch's own file, however old its time, is in use

    removed = served.prune_generated(tmp_path)

    assert sorted(removed) == sorted([stale, stale_outlines, crashed])
    assert not stale.exists() and not stale_outlines.exists() and not crashed.exists()
    assert other_server.exists()
    assert mine.exists()


def test_a_launch_that_finds_its_file_written_marks_it_in_use_for_other_launches(tmp_path: Path) -> None:
    script = "var y = 'reused by a later launch';"
    url = served.publish_layer(script, tmp_path)
    path = tmp_path / served.GENERATED / served.LAYERS / url.rsplit("/", 1)[-1]
    _age(path, served.PRUNE_AFTER_S + 3600)
    served.publish_layer(script, tmp_path)  # a later launch of the same data finds it written
    assert time.time() - path.stat().st_mtime < 60
    served._launch_files.discard(path.resolve())  # seen from yet another process's launch
    assert served.prune_generated(tmp_path) == []
    assert path.exists()


def test_pruning_an_empty_or_missing_folder_removes_nothing(tmp_path: Path) -> None:
    assert served.prune_generated(tmp_path) == []
    assert served.prune_generated(tmp_path / "nowhere") == []
