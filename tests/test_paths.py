"""One path resolver (dashboard/paths.py): under $PEACE_MAP_ROOT every reader finds the data folder's files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dashboard import paths
from dashboard.geo import Gazetteer
from dashboard.ingest import default_root
from dashboard.sources import ROOT_ENV, SourcePaths


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder named by $PEACE_MAP_ROOT."""
    root = tmp_path / "newsroom"
    (root / "data" / "geo").mkdir(parents=True)
    monkeypatch.setenv(ROOT_ENV, str(root))
    return root


def test_without_the_variable_every_file_is_the_repositorys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ROOT_ENV, raising=False)
    assert paths.data_root() == paths.ROOT
    assert SourcePaths.from_env() == SourcePaths()
    assert paths.resolve(paths.CLAIMS_CSV) == paths.CLAIMS_CSV
    assert default_root() == paths.ROOT


def test_under_the_variable_every_source_is_read_from_the_data_folder(data_folder: Path) -> None:
    where = SourcePaths.from_env()
    for field in dataclasses.fields(where):
        path = getattr(where, field.name)
        default = getattr(SourcePaths(), field.name)
        assert path == data_folder / default.relative_to(paths.ROOT), field.name
    assert where.frontlines == data_folder / "data" / "geo" / "frontlines" / "sources.csv"
    assert default_root() == data_folder  # where the ingest page and command write


def test_required_data_never_falls_back_but_optional_lists_do(data_folder: Path) -> None:
    assert paths.resolve(paths.CLAIMS_CSV) == data_folder / "data" / "claims.csv"  # missing: reported by the loader
    assert paths.resolve(paths.REGION_GROUPS_CSV, fallback=True) == paths.REGION_GROUPS_CSV
    (data_folder / "data" / "geo" / "region_groups.csv").write_text("group,codes,note\n", encoding="utf-8")
    assert paths.resolve(paths.REGION_GROUPS_CSV, fallback=True) == data_folder / "data" / "geo" / "region_groups.csv"


def test_the_gazetteer_reads_the_data_folders_region_groups(data_folder: Path) -> None:
    oblasts = Gazetteer.load()  # the repository's groups while the folder has none
    assert sorted(oblasts.resolve("Donbas")) == ["UA-09", "UA-14"]
    groups = data_folder / "data" / "geo" / "region_groups.csv"
    groups.write_text("group,codes,note\nSouthern coast,UA-23;UA-65,a newsroom's own group\n", encoding="utf-8")
    own = Gazetteer.load()
    assert own.resolve("Southern coast") == ["UA-23", "UA-65"]
    assert own.resolve("Donbas") == []  # the folder's list replaces the repository's
