"""Reading JSON from files and uploads without trusting it: every failure is a message, never an exception."""

from __future__ import annotations

import json
from typing import Any


def read_json(text: str) -> tuple[Any, str | None]:
    """The document in ``text`` and None, or None and why it cannot be read.

    JSON nested too deeply for the parser (it recurses once per level) is
    reported like any other malformed file.
    """
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
    except RecursionError:
        return None, "JSON nested too deeply to read"
