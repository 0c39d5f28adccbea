"""Colour checks for the map's palette: colour-vision simulation, perceptual distance, greyscale.

Simulation uses the Machado, Oliveira & Fernandes (2009) matrices at full
severity, applied in linear RGB; distance is CIE76 ΔE in CIELAB (D65).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

# Machado et al. 2009, severity 1.0 (published in "A Physiologically-based Model for
# Simulation of Color Vision Deficiency", IEEE TVCG 15(6)).
CVD_MATRICES = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
VISIONS = ("normal", *CVD_MATRICES, "greyscale")
_SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_D65 = np.array([0.95047, 1.0, 1.08883])


def hex_to_linear(colour: str) -> np.ndarray:
    """#RRGGBB to linear-light RGB in 0..1."""
    srgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def seen_as(colour: str, vision: str) -> np.ndarray:
    """Linear RGB of ``colour`` as seen with ``vision`` (one of :data:`VISIONS`)."""
    rgb = hex_to_linear(colour)
    if vision == "greyscale":
        return np.full(3, _SRGB_TO_XYZ[1] @ rgb)
    if vision == "normal":
        return rgb
    return np.clip(CVD_MATRICES[vision] @ rgb, 0, 1)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    """CIELAB of a linear RGB colour (D65 white)."""
    xyz = (_SRGB_TO_XYZ @ rgb_linear) / _D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str) -> float:
    """CIE76 distance between two colours as seen with ``vision``."""
    return float(np.linalg.norm(lab(seen_as(a, vision)) - lab(seen_as(b, vision))))


def closest_pairs(stances: pd.DataFrame) -> pd.DataFrame:
    """For each vision: the two stances with different fills and the same pattern that look most alike.

    Stances that share a fill on purpose (same outcome, e.g. a freeze and a
    ceasefire on the current line) are not compared: the tooltip names them.
    """
    rows = []
    pairs = [
        (a, b)
        for (a, ra), (b, rb) in itertools.combinations(stances.iterrows(), 2)
        if ra["fill"].lower() != rb["fill"].lower() and ra["pattern"] == rb["pattern"]
    ]
    for vision in VISIONS:
        a, b = min(pairs, key=lambda p: delta_e(stances.at[p[0], "fill"], stances.at[p[1], "fill"], vision))
        rows.append(
            {
                "vision": vision,
                "closest": f"{a} / {b}",
                "delta_e": round(delta_e(stances.at[a, "fill"], stances.at[b, "fill"], vision), 1),
            }
        )
    return pd.DataFrame(rows)
