"""Who may write to the data: editors, never an anonymous viewer.

The app is read-only unless the newsroom configures editors, either with
Streamlit's built-in login (an ``[auth]`` section in ``.streamlit/secrets.toml``,
OpenID Connect; optionally ``editor_emails`` lists who may write) or, for an
offline room, an editor password: $PEACE_MAP_EDITOR_PASSWORD or
``editor_password`` in ``.streamlit/secrets.toml``. The rendering side is
``app/editor.py``; this module holds the rules and imports no Streamlit.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping

EDITOR_ENV = "PEACE_MAP_EDITOR_PASSWORD"  # the offline editor password, when set in the environment
SECRET_KEY = "editor_password"  # noqa: S105 (the name of the setting in .streamlit/secrets.toml, not a password)
EMAILS_KEY = "editor_emails"  # with [auth]: the signed-in addresses that may write (all, when absent)
MIN_PASSWORD_CHARS = 12  # a shorter configured password is refused: it would be guessed
FAILED_SIGN_IN_DELAY_S = 1.0  # each wrong password costs its session this long: guessing stays slow


def configured_password(env: Mapping[str, str] | None = None, secrets: Mapping | None = None) -> str:
    """The editor password from the environment, else from the secrets; "" when none is configured."""
    env = os.environ if env is None else env
    value = env.get(EDITOR_ENV) or (secrets or {}).get(SECRET_KEY) or ""
    return value if isinstance(value, str) else ""


def password_problem(password: str) -> str | None:
    """Why a configured password cannot be used (too short), or None."""
    if password and len(password) < MIN_PASSWORD_CHARS:
        return f"the editor password is shorter than {MIN_PASSWORD_CHARS} characters (MIN_PASSWORD_CHARS)"
    return None


def password_matches(given: str, configured: str) -> bool:
    """True when ``given`` is the configured password; compared in constant time. Never true without one."""
    if not configured or password_problem(configured):
        return False
    return hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8"))


def email_allowed(email: str | None, allowed: object) -> bool:
    """True when a signed-in address may write: any, when no list is configured; else one on the list."""
    if not email:
        return False
    if not allowed:
        return True
    entries = [allowed] if isinstance(allowed, str) else list(allowed) if isinstance(allowed, list | tuple) else []
    return email.casefold() in {str(e).casefold() for e in entries}
