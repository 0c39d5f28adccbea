"""The shape every identifier in the data must have, checked when a table is loaded.

Ids (stance, party, event, claim) name things in links, caches, GeoJSON
properties and file names; region codes are ISO 3166-2 codes. Allowing only
lower-case letters, digits, "_" and "-" (and "UA" or "UA-" with two digits for
regions) keeps markup, Markdown and template syntax ("{{ ... }}") out of every
one of them by construction, whatever a later step does with the value.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.problems import Problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
REGION_PATTERN = re.compile(r"^UA(-\d{2})?$")
ID_RULE = "an id is 1 to 64 lower-case letters, digits, '_' or '-', starting with a letter or digit"
REGION_RULE = "a region is 'UA' or an ISO code such as 'UA-14'"
MAX_SHOWN = 60  # characters of a refused value quoted back in the message


def is_id(value: str) -> bool:
    """True when ``value`` is a valid id (stance, party, event, claim)."""
    return bool(ID_PATTERN.fullmatch(value))


def is_region(value: str) -> bool:
    """True when ``value`` is 'UA' or 'UA-' followed by two digits."""
    return bool(REGION_PATTERN.fullmatch(value))


def _shown(value: str) -> str:
    # repr() shows control characters as escapes; the cut keeps a hostile value from filling the page.
    text = repr(value[:MAX_SHOWN])
    return text + ("…" if len(value) > MAX_SHOWN else "")


def id_problems(
    table: pd.DataFrame,
    name: str,
    id_fields: list[str],
    region_fields: tuple[str, ...] = (),
    list_fields: tuple[str, ...] = (),
) -> list[Problem]:
    """Problems for every non-empty id, region or ';'-separated id-list cell that is not of the allowed shape.

    Empty cells are left to the required-field check, so each is reported once.
    """
    found = []
    for _, row in table.iterrows():
        where = f"row {row['_row']}" if "_row" in row else ""
        for field in id_fields:
            value = row[field]
            if value and not is_id(value):
                found.append(Problem(name, where, field, f"{_shown(value)} is not a valid id: {ID_RULE}"))
        for field in region_fields:
            value = row[field]
            if value and not is_region(value):
                found.append(Problem(name, where, field, f"{_shown(value)} is not a valid region: {REGION_RULE}"))
        for field in list_fields:
            for item in (i.strip() for i in row[field].split(";")):
                if item and not is_id(item):
                    found.append(Problem(name, where, field, f"{_shown(item)} is not a valid id: {ID_RULE}"))
    return found
