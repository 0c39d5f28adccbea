"""Start the dashboard on a free localhost port for a benchmark, read its memory, stop it.

Only 127.0.0.1: the benchmarks never listen on or reach another host.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard.sources import ROOT_ENV

REPO = Path(__file__).resolve().parent.parent
LOCAL_HOST = "127.0.0.1"
START_TIMEOUT_S = 90
CHROMIUM = Path("/usr/bin/chromium")  # Debian's (scripts/install-chromium.sh); Playwright never downloads one
# Headless in a container, and nothing that calls an outside host (the tests fail on any such request).
CHROMIUM_BASE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Background tabs keep painting: the load test has many tabs and no window in front.
CHROMIUM_ARGS = [
    *CHROMIUM_BASE_ARGS,
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
VIEWPORT = {"width": 1920, "height": 1080}


@dataclass(frozen=True)
class App:
    """A running dashboard: its URL, process id and log file."""

    url: str
    pid: int
    log: Path

    def rss_mib(self) -> float:
        """Resident memory of the Streamlit process, from /proc (Linux)."""
        return rss_mib(self.pid)


def rss_mib(pid: int) -> float:
    """VmRSS of a process in MiB, read from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether Streamlit answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}_stcore/health", timeout=2) as response:  # noqa: S310 (localhost URL)
            return response.read().strip() == b"ok"
    except OSError:
        return False


@contextmanager
def running_app(root: Path | None = None, *, preload: bool = False) -> Iterator[App]:
    """``streamlit run dashboard/app/streamlit_app.py`` on a free localhost port, stopped on exit.

    ``root`` points the app at another source tree (``$PEACE_MAP_ROOT``);
    ``preload`` starts it through ``python -m dashboard.app`` (as ``make dashboard`` does),
    which loads the data before the server answers.
    """
    port = free_port()
    url = f"http://{LOCAL_HOST}:{port}/"
    env = {**os.environ, **({ROOT_ENV: str(root)} if root else {})}
    command = [sys.executable, "-m", "dashboard.app"] if preload else [sys.executable, "-m", "streamlit", "run"]
    command += [] if preload else ["dashboard/app/streamlit_app.py"]
    command += ["--server.address", LOCAL_HOST, "--server.port", str(port), "--server.headless", "true"]
    with tempfile.NamedTemporaryFile("w", prefix="peace-map-bench-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = Path(log.name).read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Streamlit did not start on {url}:\n{tail}")
            time.sleep(0.2)
        yield App(url, process.pid, Path(log.name))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
