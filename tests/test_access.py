"""The text alternative to the map: a table per date of every position with its quotes, and keyboard scroll boxes."""

from __future__ import annotations

import html
from pathlib import Path

from dashboard.render.access import positions_rows, positions_table_html, scroll_region
from dashboard.sources import SourcePaths, load_sources
from tests.test_publish import HOSTILE_QUOTE, HOSTILE_SPEAKER, RAW_MARKUP, hostile_root


def _sources(tmp_path: Path) -> object:
    sources, problems = load_sources(SourcePaths.under(hostile_root(tmp_path)))
    assert problems == []
    return sources


def test_table_lists_each_shown_partys_stance_with_its_quote_escaped(tmp_path: Path) -> None:
    sources = _sources(tmp_path)
    event = sources.events.index[-1]
    everyone = list(sources.parties.index)
    rows = positions_rows(sources, event, everyone)
    assert not rows.empty
    table = positions_table_html(sources, event, everyone)
    assert table.count('<th scope="row">') == len(rows)
    assert html.escape(HOSTILE_QUOTE) in table
    assert html.escape(HOSTILE_SPEAKER) in table
    assert not any(raw in table for raw in RAW_MARKUP), "markup from the data reached the table unescaped"


def test_table_leaves_out_parties_not_shown_and_says_when_nothing_is_stated(tmp_path: Path) -> None:
    sources = _sources(tmp_path)
    event = sources.events.index[-1]
    only = [sources.parties.index[0]]
    table = positions_table_html(sources, event, only)
    assert set(positions_rows(sources, event, only)["party"]) == set(only)
    assert all(f'data-party="{p}"' not in table for p in sources.parties.index[1:])
    assert "No shown party has a stated position" in positions_table_html(sources, event, [])


def test_scroll_region_is_in_the_tab_order_and_named() -> None:
    box = scroll_region("<ul><li>x</li></ul>", 'Events "so far"', "pm-events-box")
    assert 'tabindex="0"' in box and 'role="region"' in box
    assert 'aria-label="Events &quot;so far&quot;"' in box
