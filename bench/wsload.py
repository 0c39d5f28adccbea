"""Many briefers at once, without browsers in the way: Streamlit's websocket driven directly.

    python -m bench.wsload                      # 50 sessions, 20 actions each, app started as `make dashboard` does
    python -m bench.wsload --sessions 10 --actions 10 --url http://127.0.0.1:8501/

Each session opens the app's websocket (``/_stcore/stream``) as the browser
does, asks for the first run, then alternates a timeline step (the slider's
new value, sent as a rerun of the map's fragment, as the page sends it) and a
layer toggle (the sidebar's party pills, a whole-page rerun), all sessions at
once. Per action it times the server from the request to the run's "finished"
message (server time: no browser drawing), counts the bytes it sent and
checks the run ended cleanly with no exception element. Server memory (RSS,
/proc) is read before the sessions open and once they all have drawn a page.

Bounded: at most --sessions sockets, --actions actions each, --minutes in
all; 127.0.0.1 only. Not a test: it prints figures (and exits 1 on errors).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.appserver import LOCAL_HOST, rss_mib, running_app
from bench.server import load_average

SESSIONS = 50
ACTIONS = 20
MINUTES = 10.0
RUN_TIMEOUT_S = 120  # one run's answer on a loaded 2-core machine
SLIDER_KEY, PILLS_KEY = "event", "parties"  # the widgets' keys in the app (app/page.py, app/streamlit_app.py)
FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


@dataclass
class Widget:
    """A widget found in the page: its id, option count, value and the fragment it lives in."""

    id: str
    options: list[str]  # as the page shows them: Streamlit sends these labels back, not indices
    value: list[int]
    fragment: str = ""


@dataclass
class Session:
    """One simulated reader."""

    number: int
    steps_ms: list[float] = field(default_factory=list)
    toggles_ms: list[float] = field(default_factory=list)
    step_bytes: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    page_hash: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)


def _widget_key(widget_id: str) -> str:
    # Streamlit's ids for keyed widgets end with "-<key>"; the key is what the app names them by.
    return widget_id.rsplit("-", 1)[-1]


def _read(session: Session, message: ForwardMsg) -> None:
    """Note the page's hash, widgets and any exception shown."""
    kind = message.WhichOneof("type")
    if kind == "new_session":
        session.page_hash = message.new_session.page_script_hash or session.page_hash
    elif kind == "navigation" and message.navigation.page_script_hash:
        session.page_hash = message.navigation.page_script_hash
    elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
        element = message.delta.new_element
        which = element.WhichOneof("type")
        if which == "exception":
            session.errors.append(f"exception: {element.exception.message[:200]}")
        elif which == "slider" and _widget_key(element.slider.id) == SLIDER_KEY:
            value = [int(v) for v in element.slider.value] or [int(v) for v in element.slider.default]
            options = list(element.slider.options)
            session.widgets[SLIDER_KEY] = Widget(element.slider.id, options, value, message.delta.fragment_id)
        elif which == "button_group" and _widget_key(element.button_group.id) == PILLS_KEY:
            group = element.button_group
            labels = [option.content for option in group.options]
            session.widgets[PILLS_KEY] = Widget(group.id, labels, list(group.default))


async def _run(socket: object, session: Session, states: list[WidgetState], fragment: str = "") -> tuple[float, int]:
    """Ask for a rerun with these widget values; wait for its end. Returns (ms, bytes received)."""
    back = BackMsg()
    back.rerun_script.page_script_hash = session.page_hash
    back.rerun_script.fragment_id = fragment
    back.rerun_script.widget_states.widgets.extend(states)
    start = time.perf_counter()
    await socket.send(back.SerializeToString())
    received = 0
    while True:
        data = await asyncio.wait_for(socket.recv(), RUN_TIMEOUT_S)
        received += len(data)
        message = ForwardMsg()
        message.ParseFromString(data)
        _read(session, message)
        if message.WhichOneof("type") == "script_finished":
            status = message.script_finished
            if status == ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                continue  # a newer run of this session follows
            if status not in FINISHED:
                session.errors.append(f"run ended with status {status}")
            return (time.perf_counter() - start) * 1000, received


async def reader(url: str, session: Session, actions: int, opened: asyncio.Event, go: asyncio.Event) -> None:
    """Open a session, draw the first page, wait for the start signal, then step and toggle."""
    parts = urlsplit(url)
    stream = f"ws://{parts.hostname}:{parts.port}{parts.path.rstrip('/')}/_stcore/stream"
    origin = f"http://{parts.hostname}:{parts.port}"
    async with websockets.connect(
        stream, subprotocols=["streamlit"], origin=origin, max_size=None, open_timeout=RUN_TIMEOUT_S
    ) as socket:
        await _run(socket, session, [])
        opened.set()
        await go.wait()
        for action in range(actions):
            if action % 2 == 0 and SLIDER_KEY in session.widgets:
                slider = session.widgets[SLIDER_KEY]
                index = slider.value[0] - 1 if slider.value[0] > 0 else len(slider.options) - 1
                state = WidgetState(id=slider.id)
                state.string_array_value.data.extend([slider.options[index]])
                ms, size = await _run(socket, session, [state], slider.fragment)
                slider.value = [index]
                session.steps_ms.append(ms)
                session.step_bytes.append(size)
            elif PILLS_KEY in session.widgets:
                pills = session.widgets[PILLS_KEY]
                dropped = session.number % len(pills.options)  # each session hides its own party, then shows it
                if dropped in pills.value:
                    chosen = [i for i in pills.value if i != dropped]
                else:
                    chosen = sorted({*pills.value, dropped})
                state = WidgetState(id=pills.id)
                state.string_array_value.data.extend(pills.options[i] for i in chosen)
                ms, _ = await _run(socket, session, [state])
                pills.value = chosen
                session.toggles_ms.append(ms)
            else:
                session.errors.append("the timeline slider or the party pills were not found in the page")
                return


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


async def drive(url: str, pid: int | None, sessions: int, actions: int, minutes: float) -> dict:
    """Open ``sessions`` readers one by one, then let them all act at once; return the figures."""
    rss_before = rss_mib(pid) if pid else float("nan")
    readers = [Session(n) for n in range(sessions)]
    go = asyncio.Event()
    tasks, started = [], time.perf_counter()
    for session in readers:
        opened = asyncio.Event()
        tasks.append(asyncio.create_task(reader(url, session, actions, opened, go)))
        await asyncio.wait({asyncio.create_task(opened.wait()), tasks[-1]}, return_when=asyncio.FIRST_COMPLETED)
    open_s = time.perf_counter() - started
    rss_open = rss_mib(pid) if pid else float("nan")
    go.set()
    acting = time.perf_counter()
    done, pending = await asyncio.wait(tasks, timeout=minutes * 60)
    acting_s = time.perf_counter() - acting
    for task in pending:
        task.cancel()
    failures = [f"session did not finish: {task.exception()!r}" for task in done if task.exception()]
    steps = [ms for s in readers for ms in s.steps_ms]
    toggles = [ms for s in readers for ms in s.toggles_ms]
    sizes = [b / 1024 for s in readers for b in s.step_bytes]
    errors = [e for s in readers for e in s.errors] + failures + [f"{len(pending)} sessions timed out"] * bool(pending)
    return {
        "sessions": sessions,
        "opened_in_s": round(open_s, 1),
        "finished": sum(1 for s in readers if len(s.steps_ms) + len(s.toggles_ms) == actions),
        "steps": len(steps),
        "step_ms_p50": round(statistics.median(steps), 1) if steps else None,
        "step_ms_p95": round(_pct(steps, 0.95), 1),
        "step_kib_p50": round(statistics.median(sizes), 1) if sizes else None,
        "actions_per_s": round((len(steps) + len(toggles)) / acting_s, 1),
        "toggles": len(toggles),
        "toggle_ms_p50": round(statistics.median(toggles), 1) if toggles else None,
        "toggle_ms_p95": round(_pct(toggles, 0.95), 1),
        "errors": errors[:20],
        "error_count": len(errors),
        "rss_mib_before": round(rss_before, 1),
        "rss_mib_open": round(rss_open, 1),
        "mib_per_session": round((rss_open - rss_before) / sessions, 2) if pid else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Start the app (or use --url), drive it, print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.wsload", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="websocket sessions at once")
    parser.add_argument("--actions", type=int, default=ACTIONS, help="steps and toggles per session")
    parser.add_argument("--minutes", type=float, default=MINUTES, help="stop after this long")
    parser.add_argument("--url", help="an app already running on 127.0.0.1 (its memory is then not read)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    print(f"load average at start: {load_average()}", flush=True)
    if args.url:
        if urlsplit(args.url).hostname != LOCAL_HOST:
            parser.error(f"--url must be on {LOCAL_HOST}")
        figures = asyncio.run(drive(args.url, None, args.sessions, args.actions, args.minutes))
    else:
        with running_app(preload=True) as app:
            figures = asyncio.run(drive(app.url, app.pid, args.sessions, args.actions, args.minutes))
    figures["load_average_end"] = load_average()
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 1 if figures["error_count"] else 0


if __name__ == "__main__":
    sys.exit(main())
