"""Layer scripts and outlines served as files the map frame keeps: written at launch, named by content."""

from __future__ import annotations

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
