"""Many viewers at once: headless browser sessions stepping and toggling the dashboard together.

Run with ``python -m bench.load [--sessions 20] [--actions 50] [--minutes 20]``.
It starts the app on a free 127.0.0.1 port, opens the sessions one by one
(each in its own browser context, so each is its own Streamlit session) with
its own link (event, parties, shaded party), then lets all of them act at
once: every session alternates a timeline step (◀ ▶) with a layer toggle.

After each action the session checks that the page shows *its own* choices:
the URL's event, parties and shaded party, the slider's label and the caption
under the map all match what that session did, so a session that saw
another's state is caught. Step latency runs from the click to the caption
naming the new state and the new layer drawn on the map. Any page error,
console error, failed response, request to another host or Streamlit
exception counts as an error. Bounded: the sessions, actions and minutes
given, localhost only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from bench import pagejs
from bench.appserver import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOST, App, running_app
from bench.browser import percentile
from bench.server import load_average
from dashboard.render.page import event_label
from dashboard.sources import Sources, load_sources
from dashboard.summary import fmt_date, join_names

SESSIONS = 20
ACTIONS = 50
MINUTES = 20.0
VIEWPORT = {"width": 1280, "height": 900}  # wide enough to keep the sidebar open
OPEN_TIMEOUT_MS = 120_000  # a page opened while others work waits its turn for the server
ACTION_TIMEOUT_MS = 60_000
SETTLE_MS = 3_000  # a link or label that is still old this long after the caption changed is a mismatch


@dataclass
class Session:
    """One viewer: what it has chosen, what it measured, what went wrong."""

    number: int
    event: int  # index into the timeline
    parties: list[str]  # shown, in file order
    shade: str
    direction: int = 1
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    blank_actions: int = 0
    no_new_layer: int = 0
    late_updates: int = 0  # the page showed the session's choice only after the caption did
    foreign: int = 0  # mismatches matching no state this session ever had
    seen: set[str] = field(default_factory=set)  # every (link, label) the session has chosen
    done: int = 0
    opened: bool = False


def first_view(number: int, sources: Sources) -> Session:
    """A different starting link per session: event, a rotation of the parties, the shaded one."""
    parties = list(sources.parties.index)
    rotated = parties[number % len(parties) :] + parties[: number % len(parties)]
    shown = rotated[: 1 + number % len(parties)]
    ordered = [p for p in parties if p in shown]
    return Session(number, number % len(sources.events), ordered, shown[0])


def query(session: Session, sources: Sources) -> dict[str, str]:
    """The link for a session's current choices, as the app writes it."""
    return {
        "event": sources.events.index[session.event],
        "parties": ",".join(session.parties),
        "shade": session.shade,
    }


def step(session: Session, events: int) -> str:
    """Move one event along (turning at either end); return the button to click."""
    if not 0 <= session.event + session.direction < events:
        session.direction = -session.direction
    session.event += session.direction
    return "▶" if session.direction > 0 else "◀"


def toggle(session: Session, sources: Sources, turn: int) -> str:
    """Switch one party on or off (never the last one off); return its name to click."""
    parties = list(sources.parties.index)
    party = parties[(session.number + turn) % len(parties)]
    if session.parties == [party]:
        party = parties[(parties.index(party) + 1) % len(parties)]
    shown = set(session.parties) ^ {party}
    session.parties = [p for p in parties if p in shown]
    if session.shade not in session.parties:
        session.shade = session.parties[0]  # what the app does: the first shown party shades
    return str(sources.parties.at[party, "name"])


def caption_parts(session: Session, sources: Sources) -> list[str]:
    """What the caption under the map must say for the session's choices."""
    row = sources.events.iloc[session.event]
    names = [str(sources.parties.at[p, "name"]) for p in session.parties]
    return [f"{fmt_date(row['date'])} — {row['title']}.", f"Shown: {join_names(names)}."]


def watch(page: Any, session: Session) -> None:
    """Record every error the page shows: script errors, console errors, failed and outside requests."""
    page.on("pageerror", lambda error: session.errors.append(f"page error: {error}"))
    page.on("console", lambda msg: session.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on(
        "response", lambda res: session.errors.append(f"HTTP {res.status} {res.url}") if res.status >= 400 else None
    )

    def outside(request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in {"data", "blob", "about"} and parts.hostname != LOCAL_HOST:
            session.errors.append(f"outside request: {request.url}")

    page.on("request", outside)


async def shown_view(page: Any) -> tuple[dict[str, str], str]:
    """The page's link (event, shade, the set of parties) and the slider's label."""
    found = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    # The link keeps the parties in the order they were switched on; the set is what the session chose.
    link = {
        "event": found.get("event", ""),
        "parties": ",".join(sorted(found.get("parties", "").split(","))),
        "shade": found.get("shade", ""),
    }
    return link, await page.get_by_role("slider", name="Timeline").get_attribute("aria-valuetext") or ""


def own_view(session: Session, sources: Sources) -> tuple[dict[str, str], str]:
    """What the page must show for the session's choices: link and slider label."""
    link = {**query(session, sources), "parties": ",".join(sorted(session.parties))}
    return link, event_label(sources.events, sources.events.index[session.event])


async def check_view(page: Any, session: Session, sources: Sources, action: int) -> None:
    """The URL and slider show this session's own choices.

    A difference that clears within :data:`SETTLE_MS` is a late update; one
    that stays is a mismatch, marked "own earlier" when the page shows a state
    this session had before, else "foreign" (another session's choices).
    """
    wanted = own_view(session, sources)
    session.seen.add(json.dumps(wanted))
    found = await shown_view(page)
    if found == wanted:
        return
    deadline = time.monotonic() + SETTLE_MS / 1000
    while time.monotonic() < deadline:
        await page.wait_for_timeout(100)
        if await shown_view(page) == wanted:
            session.late_updates += 1
            return
    kind = "own earlier" if json.dumps(found) in session.seen else "foreign"
    session.mismatches.append(f"action {action} ({kind}): page shows {found}, the session chose {wanted}")
    session.foreign += kind == "foreign"


async def act(page: Any, session: Session, sources: Sources, action: int) -> None:
    """One step or toggle, timed to the new state on screen, then checked."""
    if action % 2 == 0:
        target = page.get_by_role("button", name=re.compile(rf"^{step(session, len(sources.events))}(?!.*Play)"))
    else:
        name = toggle(session, sources, action)
        target = page.get_by_role("toolbar", name="Parties shown on the map").get_by_role("button", name=name)
    await page.evaluate(pagejs.ACTION_ARM, caption_parts(session, sources))
    await target.click()
    await page.wait_for_function(pagejs.ACTION_DONE, timeout=ACTION_TIMEOUT_MS)
    probe = await page.evaluate(pagejs.ACTION_READ)
    end = probe["groupAt"] if probe["groupAt"] is not None else probe["captionAt"]
    session.latencies.append(max(end, probe["captionAt"]) - probe["actionAt"])
    session.no_new_layer += probe["groupAt"] is None
    session.blank_actions += probe["minShapes"] < pagejs.BASE_SHAPES
    await check_view(page, session, sources, action)
    session.done += 1


async def open_session(browser: Any, app: App, session: Session, sources: Sources) -> Any:
    """A new context and tab on the session's own link, waiting for its map."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    watch(page, session)
    await page.goto(f"{app.url}?{urlencode(query(session, sources))}", timeout=OPEN_TIMEOUT_MS)
    await page.wait_for_function(
        pagejs.MAP_READY,
        timeout=OPEN_TIMEOUT_MS,
    )
    await check_view(page, session, sources, 0)
    session.opened = True
    return page


async def run_session(page: Any, session: Session, sources: Sources, actions: int, deadline: float) -> None:
    """The session's actions, until done, an error stops it, or time runs out."""
    try:
        for action in range(1, actions + 1):
            if time.monotonic() > deadline:
                session.errors.append(f"stopped by the time limit after {session.done} actions")
                return
            await act(page, session, sources, action)
        if await page.locator('[data-testid="stException"]').count():
            session.errors.append("a Streamlit exception is on the page")
    except Exception as error:  # a timeout or a closed page: record it, let the others go on
        message = f"action {session.done + 1}: {type(error).__name__}: {str(error).splitlines()[0]}"
        with contextlib.suppress(Exception):  # what the page showed then: was the click lost, or the page stuck?
            link, label = await shown_view(page)
            caption = await page.locator(".pm-caption").first.inner_text(timeout=5_000)
            message += f"; the page showed {link}, slider {label!r}, caption {caption[:80]!r}"
        message += f"; the session expected {own_view(session, sources)}"
        session.errors.append(message)


async def load(sessions: int, actions: int, minutes: float) -> dict[str, Any]:
    """Start the app and a browser, open the sessions, run them together, return the figures."""
    from playwright.async_api import async_playwright  # deferred: only the load test needs it

    sources, problems = load_sources()
    if sources is None:
        raise SystemExit(f"The sources do not load ({len(problems)} problem(s)).")
    deadline = time.monotonic() + minutes * 60
    viewers = [first_view(n, sources) for n in range(sessions)]
    with running_app(preload=True) as app:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            rss = {"start": app.rss_mib()}
            pages = []
            opened_at = time.monotonic()
            for viewer in viewers:
                try:
                    pages.append((await open_session(browser, app, viewer, sources), viewer))
                except Exception as error:  # the machine holds no more: stop opening
                    viewer.errors.append(f"did not open: {type(error).__name__}: {str(error).splitlines()[0]}")
                    break
            open_s = time.monotonic() - opened_at
            rss["opened"] = app.rss_mib()
            started = time.monotonic()
            await asyncio.gather(*(run_session(p, v, sources, actions, deadline) for p, v in pages))
            run_s = time.monotonic() - started
            rss["end"] = app.rss_mib()
            await browser.close()
    return summarise(viewers, actions, open_s, run_s, rss)


def summarise(viewers: list[Session], actions: int, open_s: float, run_s: float, rss: dict) -> dict[str, Any]:
    """Figures over every session."""
    latencies = [ms for v in viewers for ms in v.latencies]
    completed = [v for v in viewers if v.opened and v.done == actions and not v.errors and not v.mismatches]
    return {
        "load_average": load_average(),
        "sessions_tried": len(viewers),
        "sessions_opened": sum(v.opened for v in viewers),
        "sessions_completed_clean": len(completed),
        "actions_per_session": actions,
        "actions_done": sum(v.done for v in viewers),
        "open_s": open_s,
        "run_s": run_s,
        "latency_ms": {
            "p50": statistics.median(latencies) if latencies else None,
            "p95": percentile(latencies, 0.95) if latencies else None,
            "max": max(latencies) if latencies else None,
        },
        "errors": {v.number: v.errors for v in viewers if v.errors},
        "mismatches": {v.number: v.mismatches for v in viewers if v.mismatches},
        "foreign_views": sum(v.foreign for v in viewers),
        "late_updates": sum(v.late_updates for v in viewers),
        "blank_actions": sum(v.blank_actions for v in viewers),
        "actions_without_new_layer": sum(v.no_new_layer for v in viewers),
        "server_rss_mib": rss,
    }


def print_report(figures: dict[str, Any]) -> None:
    """The load figures in a few lines."""
    lat = figures["latency_ms"]
    print(f"Load test (localhost, headless Chromium; load average at the end {figures['load_average']})")
    print(
        f"sessions: {figures['sessions_tried']} tried, {figures['sessions_opened']} opened, "
        f"{figures['sessions_completed_clean']} did all {figures['actions_per_session']} actions with no error "
        f"or mismatch ({figures['actions_done']} actions in {figures['run_s']:.0f} s; opening took "
        f"{figures['open_s']:.0f} s)"
    )
    if lat["p50"] is not None:
        print(
            f"step latency (click → caption and new layer drawn): p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms,"
            f" max {lat['max']:.0f} ms"
        )
    print(
        f"views matching another session's choices: {figures['foreign_views']}; sessions with a lasting "
        f"mismatch: {len(figures['mismatches'])}; late link/label updates: {figures['late_updates']}; "
        f"sessions with errors: "
        f"{len(figures['errors'])}; actions with a blank map frame: {figures['blank_actions']}; "
        f"actions whose layer did not change: {figures['actions_without_new_layer']}"
    )
    rss = figures["server_rss_mib"]
    print(
        f"server RSS: {rss['start']:.0f} MiB at start, {rss['opened']:.0f} with the sessions open, "
        f"{rss['end']:.0f} at the end"
    )
    for number, errors in list(figures["errors"].items())[:5]:
        print(f"  session {number}: {errors[:3]}")
    for number, found in list(figures["mismatches"].items())[:5]:
        print(f"  session {number}: {found[:2]}")


def main(argv: list[str] | None = None) -> int:
    """Command line; exit 1 when any session saw an error or another's choices."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--actions", type=int, default=ACTIONS, help="steps and toggles per session")
    parser.add_argument("--minutes", type=float, default=MINUTES, help="stop every session after this long")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install-chromium.sh).")
        return 1
    figures = asyncio.run(load(max(args.sessions, 1), max(args.actions, 1), max(args.minutes, 0.5)))
    print_report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if not figures["errors"] and not figures["mismatches"] else 1  # any lasting mismatch fails


if __name__ == "__main__":
    raise SystemExit(main())
