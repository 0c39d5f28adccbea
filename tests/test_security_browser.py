"""Markdown from links and data, checked in the real browser: no link, no image, no request leaves the page.

The source tree's party names, event titles, summaries and date sources hold a
Markdown link, a Markdown image and a template expression; the link to the page
puts an image into ``event`` and a link into ``region``. Every notice, the event
line and its help, the layer pills and radios must show them as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import serve_app
from mapdom import WAIT_MS
from playwright.sync_api import expect
from test_security import EVALUATED, IMAGE, LINK, _hostile_markdown_root

from dashboard.app.text import WORD_JOINER
from dashboard.sources import ROOT_ENV


def _as_shown(text: str) -> re.Pattern[str]:
    """``text`` as a pattern that also matches it with app.text's word joiner before "://", "." and "@"."""
    return re.compile("".join(f"{WORD_JOINER}?{re.escape(c)}" if c in ":.@" else re.escape(c) for c in text))


@pytest.fixture(scope="module")
def markdown_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = _hostile_markdown_root(tmp_path_factory.mktemp("markdown"))
    with serve_app({ROOT_ENV: str(root)}, log_name="streamlit_markdown.log") as url:
        yield url


def test_markdown_in_links_and_data_renders_as_text_and_no_request_leaves(page: Any, markdown_url: str) -> None:
    from urllib.parse import quote

    # The texts are what is checked here, not the map (test_hostile_browser.py): wait for them, not for the map.
    page.goto(markdown_url + f"?event={quote(IMAGE)}&region={quote(LINK)}&parties=russia,ukraine")
    notices = page.locator('[data-testid="stAlert"]')
    expect(notices.filter(has_text="tracker.example").first).to_be_visible(timeout=WAIT_MS)
    # The event line, the layer pills and the shading radio show the data's Markdown as text (an invisible
    # word joiner inside each URL keeps it from becoming a link).
    sidebar = page.locator('[data-testid="stSidebar"]')
    body = page.locator("body")
    expect(body).to_contain_text(_as_shown("[Official update](https://phish.example/login)"), timeout=WAIT_MS)
    expect(sidebar).to_contain_text(_as_shown("Ukraine ![x](http://tracker.example/t.png)"), timeout=WAIT_MS)
    expect(sidebar).to_contain_text(_as_shown("United States :red[alarm] $x^2$ www.phish.example"))
    text = body.inner_text()
    assert page.locator('a[href*="phish.example"]').count() == 0
    assert page.locator('img[src*="tracker.example"]').count() == 0
    assert EVALUATED not in text
    assert page.outside_requests == []


def test_party_and_event_names_in_the_comparison_pickers_stay_text(page: Any, markdown_url: str) -> None:
    page.goto(markdown_url + "?event=m3&parties=russia,ukraine&shade=russia&compare=parties&vs=ukraine")
    sidebar = page.locator('[data-testid="stSidebar"]')
    # The box holds the chosen party's name as written (an <input>): a select box's options are plain text.
    picker = sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="…with").first
    expect(picker.get_by_role("combobox")).to_have_value("Ukraine ![x](http://tracker.example/t.png)", timeout=WAIT_MS)
    assert page.locator('a[href*="phish.example"]').count() == 0
    assert page.locator('img[src*="tracker.example"]').count() == 0
    assert page.outside_requests == []
