"""Signing in as an editor in tests: the password the test apps are configured with, and the steps."""

from __future__ import annotations

from typing import Any

from dashboard.app.editors import EDITOR_ENV

EDITOR_PASSWORD = "test editor password, not a secret"  # noqa: S105 (configured only for the tests' own apps)
EDITOR_ENVIRONMENT = {EDITOR_ENV: EDITOR_PASSWORD}


def sign_in(at: Any, password: str = EDITOR_PASSWORD) -> Any:
    """Give the editor password on an AppTest page and submit it; return the page after the rerun."""
    at.text_input(key="editor_password").set_value(password)
    next(b for b in at.button if b.label == "Sign in as editor").click()
    return at.run()


def sign_in_browser(page: Any, password: str = EDITOR_PASSWORD) -> None:
    """Give the editor password in a real browser and submit it."""
    page.get_by_label("Editor password").fill(password)
    page.get_by_role("button", name="Sign in as editor").click()
