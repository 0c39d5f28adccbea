"""The seed articles stay byte for byte what was reviewed, on this machine and on a clean clone.

The five originals are compared with ``../shared/seeds`` when that folder is
there, and with the digests the manifest recorded for them when it is not (a
clean clone, CI): the check runs everywhere, never skips.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.claims import seed_digest
from dashboard.paths import MANIFEST_CSV, SEEDS_DIR, SHARED_SEEDS_DIR
from dashboard.tables import read_table

ORIGINALS = 5  # the source articles the project started from: seeds 000 to 004


def _manifest() -> pd.DataFrame:
    manifest, problems = read_table(MANIFEST_CSV, ["seed", "sha256"])
    assert problems == []
    return manifest


def original_digests(shared: Path = SHARED_SEEDS_DIR) -> dict[str, str]:
    """Name -> SHA-256 of each original article: from ``shared`` when present, else from the manifest."""
    if shared.is_dir():
        return {p.name: seed_digest(p) for p in sorted(shared.glob("*.txt"))}
    rows = _manifest().sort_values("seed").head(ORIGINALS)  # added articles are numbered after the originals
    return dict(zip(rows["seed"], rows["sha256"], strict=True))


def test_every_seed_matches_the_digest_in_the_manifest() -> None:
    manifest = _manifest()
    assert len(manifest) >= ORIGINALS  # the five source articles, and any added since
    for _, row in manifest.iterrows():
        assert seed_digest(SEEDS_DIR / row["seed"]) == row["sha256"], row["seed"]


# As here (../shared/seeds when this machine has it) and as on a clean clone, where it is absent.
@pytest.mark.parametrize("shared", [SHARED_SEEDS_DIR, Path("/nonexistent/shared/seeds")], ids=["here", "clean_clone"])
def test_the_five_original_articles_are_byte_copies_of_the_originals(shared: Path) -> None:
    originals = original_digests(shared)
    assert len(originals) == ORIGINALS
    assert [name[:3] for name in sorted(originals)] == [f"{n:03d}" for n in range(ORIGINALS)]
    for name, digest in originals.items():
        assert (SEEDS_DIR / name).is_file(), f"{name} is missing from seeds/"
        assert seed_digest(SEEDS_DIR / name) == digest, name
    manifest = _manifest()
    recorded = dict(zip(manifest["seed"], manifest["sha256"], strict=True))
    assert {name: recorded.get(name) for name in originals} == originals  # the manifest pins the same bytes
