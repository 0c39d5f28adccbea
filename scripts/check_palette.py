"""Print how the stance palette holds up under colour-vision deficiencies and in greyscale.

    python scripts/check_palette.py

For each vision, the pair of stances with different fills and the same
pattern that look most alike, and their CIE76 ΔE (about 10 or more reads as
clearly different on a map; patterns separate the other pairs).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.claims import load_stances
from dashboard.palette import closest_pairs
from dashboard.paths import STANCES_CSV


def main() -> int:
    """Print the table; exit 1 if the stances file has problems."""
    stances, problems = load_stances(STANCES_CSV)
    if stances is None:
        print("\n".join(str(p) for p in problems), file=sys.stderr)
        return 1
    print(closest_pairs(stances).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
