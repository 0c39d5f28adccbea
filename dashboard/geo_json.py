"""Shapely geometry to compact GeoJSON dicts for the browser."""

from __future__ import annotations

import shapely
from shapely.geometry import mapping

COORD_DECIMALS = 4  # ~10 m: finer than the source's detail, keeps payloads small


def round_geometry(geometry: shapely.Geometry) -> dict:
    """GeoJSON geometry dict with coordinates on a 10^-4 degree grid."""
    return mapping(shapely.set_precision(geometry, 10**-COORD_DECIMALS))
