"""The legend lists what the map draws: on the static site at every date and shading, and the same as in the app.

The static site's legend once said the front line was "not drawn for this
date" while its map drew it, and left out the land beyond the line. These
tests read the legend's entries out of its HTML and hold them against what
the same view draws (its overlays and their tooltips, as a reader hovering the
map sees them), and against the legend the Streamlit script shows: never
against the legend builder called again.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest

from dashboard import paths, publish
from tests.test_publish import read_data, real_site

APP = str(paths.APP_SCRIPT)
HEAD = re.compile(r'<div class="pm-head">(.*?)</div>')


class _Items(HTMLParser):
    """The text of each list item under the legend's "Proposed lines" heading, and its notes."""

    def __init__(self) -> None:
        super().__init__()
        self.heading = ""
        self.items: list[str] = []
        self.text = ""
        self._in = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("h4", "li"):
            self._in = tag
            if tag == "h4":
                self.heading = ""
            elif self.heading == "Proposed lines":
                self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = ""

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._in == "h4":
            self.heading += data
        elif self._in == "li" and self.heading == "Proposed lines":
            self.items[-1] += data


def legend_entries(legend: str) -> dict:
    """The entries a reader sees in a legend: the front line, land beyond it, each party's line or why not."""
    parser = _Items()
    parser.feed(legend)
    lines = parser.items
    front = [i for i in lines if i.startswith("Front line of ")]
    extras = sorted(i.removesuffix(": land asked for beyond the front line") for i in lines if "land asked" in i)
    parties = {}
    for item in lines:
        if item in front or "land asked" in item or item == "No layer shown.":
            continue
        name, _, reason = item.partition(": not drawn, ")
        parties[name] = "drawn" if not reason else "not drawn"
    dashed = "drawn in black" if "(drawn in black)" in parser.text else ""
    dashed = dashed or ("not drawn" if "not drawn for this date" in parser.text else "")
    return {"front": front, "extras": extras, "lines": parties, "dashed_edge_front": dashed}


def _heads(data: dict, record: dict, kind: str) -> list[str]:
    """The tooltip headings of a view's overlays of one kind, as the site shows them on hover."""
    tips = [data["strings"][tip] for _, _, tip, k in record["overlays"] if k == kind]
    return [html.unescape(m.group(1)) for tip in tips for m in HEAD.finditer(tip)]


def drawn_entries(data: dict, record: dict, visible: list[str]) -> dict:
    """The legend entries a view's own drawing calls for: read from its overlays, not from any legend."""
    names = {p["id"]: html.unescape(p["name"]) for p in data["parties"]}
    fronts = sorted({h.removeprefix("Front line, ") for h in _heads(data, record, "front")})
    lines = {h.removesuffix(": proposed line") for h in _heads(data, record, "line")}
    extras = sorted(h.removesuffix(": beyond the front line") for h in _heads(data, record, "extra"))
    return {
        "front": [f"Front line of {when} (approximate; dotted along the Dnipro)" for when in fronts],
        "extras": extras,
        "lines": {names[p]: "drawn" if names[p] in lines else "not drawn" for p in visible},
    }


def test_the_sites_legend_lists_what_its_map_draws_at_every_date_and_shading() -> None:
    data = read_data(real_site())
    parties = [p["id"] for p in data["parties"]]
    checked = 0
    for event in data["events"]:
        for mask, picks in enumerate(event["views"]):
            visible = publish.party_sets(parties)[mask]
            for shade, index in picks.items():
                record = data["views"][index]
                entries = legend_entries(data["strings"][record["legend"]])
                expected = drawn_entries(data, record, visible)
                where = (event["id"], visible, shade)
                assert {k: entries[k] for k in expected} == expected, where
                note = entries["dashed_edge_front"]  # the note on front-line stances agrees with the map
                assert note in ("", "drawn in black" if entries["front"] else "not drawn"), where
                checked += 1
    assert checked == len(data["events"]) * sum(1 + len(s) for s in publish.party_sets(parties))


def test_the_sites_legend_is_the_apps_legend_at_every_date() -> None:
    data = read_data(real_site())
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["shade"] = "russia"
    at.run()
    for event in data["events"]:
        at.select_slider(key="event").set_value(event["id"]).run()
        assert not at.exception, event["id"]
        app_legend = next(h.proto.body for h in at.get("html") if "Proposed lines" in h.proto.body)
        site_legend = data["strings"][data["views"][event["views"][-1]["russia"]]["legend"]]
        assert legend_entries(site_legend) == legend_entries(app_legend), event["id"]
        assert "Regions shaded by Russia" in app_legend
    # The date the issue was found at: the Alaska summit, Russia shaded, every party shown.
    alaska = next(e for e in data["events"] if e["id"] == "alaska-summit")
    entries = legend_entries(data["strings"][data["views"][alaska["views"][-1]["russia"]]["legend"]])
    assert entries["front"] == ["Front line of 15 Aug 2025 (approximate; dotted along the Dnipro)"]
    assert "Russia" in entries["extras"]
