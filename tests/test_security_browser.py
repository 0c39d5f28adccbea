"""Markdown from links and data, checked in the real browser: no link, no image, no request leaves the page.

The source tree's party names, event titles, summaries and date sources hold a
Markdown link, a Markdown image and a template expression; the link to the page
puts an image into ``event`` and a link into ``region``. Every notice, the event
line and its help, the layer pills and radios must show them as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import serve_app
from mapdom import WAIT_MS, open_dashboard
from playwright.sync_api import expect
from test_security import EVALUATED, IMAGE, LINK, _hostile_markdown_root

from dashboard.sources import ROOT_ENV
from dashboard.views.text import WORD_JOINER


@pytest.fixture(scope="module")
def markdown_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = _hostile_markdown_root(tmp_path_factory.mktemp("markdown"))
    with serve_app({ROOT_ENV: str(root)}, log_name="streamlit_markdown.log") as url:
        yield url


def test_markdown_in_links_and_data_renders_as_text_and_no_request_leaves(page: Any, markdown_url: str) -> None:
    from urllib.parse import quote

    open_dashboard(page, markdown_url, f"?event={quote(IMAGE)}&region={quote(LINK)}&parties=russia,ukraine")
    notices = page.locator('[data-testid="stAlert"]')
    expect(notices.filter(has_text="tracker.example").first).to_be_visible(timeout=WAIT_MS)
    # The event line, the layer pills and the shading radio show the data's Markdown as text (an invisible
    # word joiner inside each URL keeps it from becoming a link).
    expect(page.locator('[data-testid="stMarkdownContainer"]', has_text="Official update").first).to_be_visible()
    body = page.locator("body")
    text = body.inner_text().replace(WORD_JOINER, "")
    assert "[Official update](https://phish.example/login)" in text
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text().replace(WORD_JOINER, "")
    assert "Ukraine ![x](http://tracker.example/t.png)" in sidebar
    assert "United States :red[alarm] $x^2$ www.phish.example" in sidebar
    assert page.locator('a[href*="phish.example"]').count() == 0
    assert page.locator('img[src*="tracker.example"]').count() == 0
    assert EVALUATED not in text
    assert page.outside_requests == []
