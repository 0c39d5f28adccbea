"""The seed articles stay byte for byte what was reviewed."""

from __future__ import annotations

import pytest

from dashboard.claims import seed_digest
from dashboard.paths import MANIFEST_CSV, SEEDS_DIR, SHARED_SEEDS_DIR
from dashboard.tables import read_table


def test_every_seed_matches_the_digest_in_the_manifest() -> None:
    manifest, problems = read_table(MANIFEST_CSV, ["seed", "sha256"])
    assert problems == []
    assert len(manifest) >= 5  # the five source articles, and any added since
    for _, row in manifest.iterrows():
        assert seed_digest(SEEDS_DIR / row["seed"]) == row["sha256"], row["seed"]


def test_seeds_are_byte_copies_of_the_shared_originals() -> None:
    if not SHARED_SEEDS_DIR.is_dir():
        pytest.skip("../shared/seeds is not on this machine; the manifest digests above still pin the bytes")
    originals = sorted(SHARED_SEEDS_DIR.glob("*.txt"))
    assert len(originals) == 5
    for original in originals:
        assert (SEEDS_DIR / original.name).read_bytes() == original.read_bytes(), original.name
