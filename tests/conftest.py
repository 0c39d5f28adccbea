"""Shared fixtures: the dashboard served by a real Streamlit process, and Debian's Chromium.

The browser fixtures never download a browser: Playwright drives /usr/bin/chromium
(scripts/install-chromium.sh installs it). Without it the browser tests skip,
except in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from editor_session import EDITOR_ENVIRONMENT
from fixture_data import mini_paths

from bench.appserver import CHROMIUM, LOCAL_HOST, free_port
from bench.appserver import CHROMIUM_BASE_ARGS as CHROMIUM_ARGS
from dashboard.ingest.extract import Rules, load_rules
from dashboard.sources import Sources, load_sources

# The export tests' fixtures (alaska, hostile, compared) live beside their helpers, shared by the four export files.
pytest_plugins = ["export_cases"]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
IGNORED_SCHEMES = {"data", "blob", "about"}
START_TIMEOUT_S = 60
VIEWPORT = {"width": 1920, "height": 1080}
DEFAULT_TIMEOUT_MS = 15_000  # Playwright's 30 s default doubles the wait before a failure is reported


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test item (rep_setup, rep_call, rep_teardown) for fixtures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _healthy(url: str, port: int) -> bool:
    try:
        with socket.create_connection((LOCAL_HOST, port), timeout=1):
            pass
        with urllib.request.urlopen(f"{url}_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


STATIC_SERVER_START_S = 15  # s: python -m http.server starts in well under a second


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """`python -m http.server` bound to 127.0.0.1 on a free port, serving ``folder``; yield its URL."""
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", LOCAL_HOST, "--directory", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + STATIC_SERVER_START_S
        while True:
            try:
                socket.create_connection((LOCAL_HOST, port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"http.server did not start on port {port}")
                time.sleep(0.1)
        yield f"http://{LOCAL_HOST}:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def serve_app(
    env: dict[str, str] | None = None, log_name: str = "streamlit.log", *, preload: bool = False
) -> Iterator[str]:
    """Run `streamlit run dashboard/app/streamlit_app.py` on a free local port (with extra environment); yield its URL.

    ``preload`` starts it as `make dashboard` does, through `python -m dashboard.app`.
    """
    port = free_port()
    url = f"http://{LOCAL_HOST}:{port}/"
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / log_name
    start = ["dashboard.app"] if preload else ["streamlit", "run", "dashboard/app/streamlit_app.py"]
    command = [
        sys.executable,
        "-m",
        *start,
        "--server.address",
        LOCAL_HOST,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _healthy(url, port):
            if process.poll() is not None:
                pytest.fail(f"Streamlit exited with code {process.returncode} before serving:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                pytest.fail(f"Streamlit did not answer on {url} within {START_TIMEOUT_S} s:\n{_tail(log_path)}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def sources() -> Sources:
    """The repository's data, loaded once for the whole run; it must load without a problem.

    Shared by every test module, so a test that needs to change a table copies it first.
    """
    loaded, problems = load_sources()
    assert problems == []
    assert loaded is not None
    return loaded


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The extractor's rules from the repository's data files; they must load without a problem."""
    loaded, problems = load_rules()
    assert problems == []
    assert loaded is not None
    return loaded


@pytest.fixture
def mini_sources(tmp_path: Path) -> Sources:
    """The mini fixture tree (tests/fixtures/mini), freshly copied and loaded without a problem."""
    loaded, problems = load_sources(mini_paths(tmp_path))
    assert problems == []
    assert loaded is not None
    return loaded


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The dashboard on the repository's data, started as `make dashboard` starts it (preloaded)."""
    # An editor password is configured, so the "Add an article" tests can sign in (tests/editor_session.py).
    with serve_app(EDITOR_ENVIRONMENT, preload=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: the browser tests need Debian's chromium."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} Run scripts/install-chromium.sh.")
        pytest.skip(f"{message} Install it with scripts/install-chromium.sh to run them.")
    from playwright.sync_api import sync_playwright  # only the browser tests need Playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _is_outside(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in IGNORED_SCHEMES and parts.hostname != LOCAL_HOST


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh 1920x1080 tab.

    ``page.outside_requests`` lists every request to a host other than 127.0.0.1;
    ``page.failed_responses`` lists "status url" for every response >= 400.
    On failure a screenshot goes to tests/artifacts/<test name>.png.
    """
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab.outside_requests = []
    tab.failed_responses = []
    context.on("request", lambda req: tab.outside_requests.append(req.url) if _is_outside(req.url) else None)
    context.on(
        "response", lambda res: tab.failed_responses.append(f"{res.status} {res.url}") if res.status >= 400 else None
    )
    try:
        yield tab
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            try:
                tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception as error:  # a failed screenshot must not hide the test's failure
                print(f"screenshot failed: {error}")
        context.close()
