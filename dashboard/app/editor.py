"""The editor gate of the "Add an article" page: sign in with the newsroom's login, or with the editor password.

Rules in :mod:`dashboard.app.editors`; this module only draws. A session that is
not an editor sees why, and nothing that reads or writes articles.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard.app.editors import (
    EDITOR_ENV,
    EMAILS_KEY,
    FAILED_SIGN_IN_DELAY_S,
    SECRET_KEY,
    configured_password,
    email_allowed,
    password_matches,
    password_problem,
)

EDITOR_SESSION_KEY = "editor_signed_in"


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml at all: Streamlit raises; nothing is configured
        return {}


def require_editor() -> bool:
    """True when this session may add articles; otherwise draw the sign-in (or why writing is off)."""
    secrets = _secrets()
    if "auth" in secrets:
        if not st.user.is_logged_in:
            st.info("Adding articles is for editors: sign in with the newsroom's account.")
            st.button("Sign in", on_click=st.login, key="editor_login")
            return False
        if not email_allowed(st.user.get("email"), secrets.get(EMAILS_KEY)):
            st.error("This account is not on the editors' list (editor_emails): the map is read-only for it.")
            st.button("Sign out", on_click=st.logout, key="editor_logout")
            return False
        return True
    password = configured_password(secrets=secrets)
    if not password or password_problem(password):
        st.info(
            "This server is read-only: nobody can add articles from the browser. To allow editors, configure "
            f"a login ([auth] in .streamlit/secrets.toml) or an editor password (${EDITOR_ENV} or {SECRET_KEY}, "
            "at least 12 characters), or use `python -m dashboard.ingest` on the server."
        )
        return False
    if st.session_state.get(EDITOR_SESSION_KEY):
        return True
    with st.form("editor_sign_in"):
        given = st.text_input("Editor password", type="password", key="editor_password")
        signed = st.form_submit_button("Sign in as editor")
    if signed:
        if password_matches(given, password):
            st.session_state[EDITOR_SESSION_KEY] = True
            st.rerun()
        time.sleep(FAILED_SIGN_IN_DELAY_S)  # this session only: guessing stays slow
        st.error("Wrong editor password.")
    st.info("Adding articles is for editors: give the editor password.")
    return False
