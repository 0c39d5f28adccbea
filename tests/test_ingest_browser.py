"""The "Add an article" page in a real browser: paste an article, get candidate positions (nothing written)."""

from __future__ import annotations

from typing import Any

from editor_session import sign_in_browser
from mapdom import WAIT_MS
from playwright.sync_api import expect

ARTICLE = (
    "Moscow, 3 March 2025. The Kremlin said Ukrainian troops must withdraw from Donetsk and Luhansk before "
    "any ceasefire. President Zelenskyy said on Tuesday that Ukraine will never cede Donetsk to Russia."
)


def test_pasting_an_article_proposes_candidates_for_review(page: Any, app_url: str) -> None:
    page.goto(app_url + "add-article")
    sign_in_browser(page)
    page.get_by_label("…or paste an article (plain text or the page's HTML)").fill(ARTICLE)
    page.get_by_role("button", name="Find positions").click()
    page.get_by_text("candidate(s) from 3 sentences").wait_for(timeout=WAIT_MS)
    # The script is still drawing the rest of the page when the first line appears: wait for it, never read once.
    expect(page.get_by_role("button", name="Write accepted claims")).to_be_visible(timeout=WAIT_MS)
    # Any sentence can become a claim: the picker lists the article's sentences.
    expect(page.get_by_text("Add a claim from any sentence")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Add as claim")).to_be_visible(timeout=WAIT_MS)
    assert page.outside_requests == []


def test_pasting_text_without_any_region_explains_why_nothing_is_proposed(page: Any, app_url: str) -> None:
    page.goto(app_url + "add-article")
    sign_in_browser(page)
    page.get_by_label("…or paste an article (plain text or the page's HTML)").fill(
        "The weather in the capital was mild this week, and markets were calm as traders waited for data."
    )
    page.get_by_role("button", name="Find positions").click()
    page.get_by_text("no region of Ukraine is named in the article").wait_for(timeout=WAIT_MS)
    expect(page.locator("body")).not_to_contain_text("Write accepted claims", timeout=WAIT_MS)
