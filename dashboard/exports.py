"""Data behind the map, as files a journalist can take away (kept for existing callers).

The tables now live in ``dashboard.export_data``; every export format is in
``dashboard.export``.
"""

from __future__ import annotations

from dashboard.export_data import positions_csv, positions_table

__all__ = ["positions_csv", "positions_table"]
