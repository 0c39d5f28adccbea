"""The static site: the whole map for any static host or CDN, every view computed ahead of time.

Run ``python -m dashboard.publish OUT/`` (``--root DIR`` reads another source
tree laid out like the repository; so does $PEACE_MAP_ROOT). OUT receives
``index.html``, the site's script and styles, Leaflet with its licence, and
``data.js``: every view of the map, computed here by the code the app uses.

One source of truth: for every event, every set of visible parties (empty
included) and every choice of the shaded party, ``build_map_state`` decides
what is drawn, ``render.tooltips.drawable`` writes its tooltips and
``render.cards`` the legend, caption, summaries and event list (all escaped),
exactly as in the app. The browser only looks a
view up and draws it: it never decides a fill, a line or a word.

Compact: each oblast's outline is stored once; the other geometries (proposed
lines, front lines, land beyond them), styles, SVG patterns and strings
(tooltips, legends, captions, summaries) once each, referred to by index.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from string import Template

import folium
from folium.utilities import camelize

from dashboard import paths
from dashboard.mapstate import MapState, build_map_state
from dashboard.problems import Problem, display_name
from dashboard.render.access import positions_table_html
from dashboard.render.cards import caption_html, corrections_html, esc, events_html, summary_html
from dashboard.render.legend import map_legend_html
from dashboard.render.mapview import (
    LABEL_ANCHOR,
    LABEL_BOX,
    LABEL_MIN_KM2,
    MAP_CSS,
    MAX_BOUNDS,
    NEIGHBOUR_STYLE,
    OBLAST_STYLE,
    UKRAINE_BOUNDS,
    base_geometry,
    base_map,
    layers_group,
)
from dashboard.render.page import DEK, PAGE_CSS, event_label
from dashboard.render.patterns import map_fill, pattern_id, svg_pattern
from dashboard.render.tooltips import Drawable, drawable
from dashboard.sources import SourcePaths, Sources, load_sources
from dashboard.summary import fmt_date
from dashboard.timeline import events_up_to

# The bundled data (data.js) after gzip, as a static host or CDN sends it: ~1 s on a 12 Mbit/s phone link.
DATA_BUDGET_GZIP_BYTES = 1_500_000
SITE_DIR = Path(__file__).resolve().parent / "site"
LEAFLET_DIR = paths.LEAFLET_DIR
DATA_GLOBAL = "PEACE_MAP_DATA"  # site.js reads the bundle from this global (a script works from file:// too)
MARKER = ".peace-map-site"  # marks a folder as a build of this site: only such a folder is replaced
SITE_FILES = ("site.js", "site.css")  # copied from dashboard/publish/site/ as they are
DEFAULT_JOBS = os.cpu_count() or 1  # events are computed in parallel: ~45 ms per view, ~360 views
DEFAULT_SHADE = ""  # key of the view drawn when the link names no shaded party (or one not shown)
# The site holds a view for every set of visible parties: 2**n sets, each with up to n+1 shadings. Six parties
# give 64 sets (~450 views per event); each party more doubles the build's time and size, and site.js keeps
# the set as a 32-bit mask. A newsroom with more parties uses the app, not the static site.
MAX_SITE_PARTIES = 6


class _Table:
    """Values stored once each, referred to by their index in the list."""

    def __init__(self) -> None:
        self.values: list[object] = []
        self._index: dict[str, int] = {}

    def add(self, value: object) -> int:
        """The index of ``value``, adding it the first time it is seen."""
        key = json.dumps(value, sort_keys=True)
        if key not in self._index:
            self._index[key] = len(self.values)
            self.values.append(value)
        return self._index[key]


@dataclass
class _Tables:
    """Everything the views share, deduplicated."""

    strings: _Table  # HTML, escaped by render.cards (or here with esc)
    styles: _Table  # Leaflet path styles
    geometries: _Table  # GeoJSON geometries drawn over the regions: proposed lines, front lines, land beyond them
    patterns: _Table  # [SVG id, SVG <pattern>] pairs
    views: _Table  # one record per distinct view


def party_sets(parties: list[str]) -> list[list[str]]:
    """Every set of visible parties, at the index of its bit mask (bit i: the i-th party in file order).

    Raises ValueError beyond MAX_SITE_PARTIES parties (``publish`` reports that as a problem first).
    """
    if len(parties) > MAX_SITE_PARTIES:
        raise ValueError(f"{len(parties)} parties; the static site is built for at most {MAX_SITE_PARTIES}")
    return [[p for i, p in enumerate(parties) if mask >> i & 1] for mask in range(1 << len(parties))]


def _overlays(drawn: Drawable) -> list[tuple[str, dict]]:
    """The features drawn above the regions, in the order mapview.layers_group adds them, with their kind."""
    extras = [("extra", f) for _, extra in drawn.extras for f in extra["features"]]
    lines = [("line", f) for _, line in drawn.lines for f in line["features"]]
    front = [("front", f) for f in drawn.front["features"]] if drawn.front is not None else []
    return extras + lines + front


def _raw_view(state: MapState, sources: Sources) -> dict:
    """What one view draws, in the app's order, with its SVG patterns, legend and caption (escaped HTML)."""
    drawn = drawable(state)
    overlays = _overlays(drawn)
    patterns = {}
    for feature in drawn.regions["features"] + [f for _, f in overlays]:
        style = feature["properties"]["style"]
        if style.get("pattern"):  # the pairs mapview._PatternDefs puts into the map's SVG
            key = pattern_id(style["pattern"], style["fillColor"])
            patterns[key] = [key, svg_pattern(style["pattern"], style["fillColor"])]
    names = [layer.name for layer in state.layers if layer.visible]
    return {
        "shade": state.shade or "",
        "regions": [
            [f["properties"]["code"], map_fill(f["properties"]["style"]), f["properties"]["tooltip"]]
            for f in drawn.regions["features"]
        ],
        "overlays": [
            [f["geometry"], map_fill(f["properties"]["style"]), f["properties"]["tooltip"], kind]
            for kind, f in overlays
        ],
        "patterns": [patterns[k] for k in sorted(patterns)],
        "legend": map_legend_html(state, sources),
        "caption": caption_html(sources.events.loc[state.event], sources.manifest, names),
    }


def _raw_event(sources: Sources, event: str) -> dict:
    """One event: its texts, and for every visible set (by bit mask) the view for each shaded party."""
    row = sources.events.loc[event]
    choices, summaries = [], None
    for visible in party_sets(list(sources.parties.index)):
        default = build_map_state(sources, event, visible)
        summaries = summaries or [layer.summary for layer in default.layers]  # the same for every visible set
        picks = {DEFAULT_SHADE: _raw_view(default, sources)}
        for shade in visible:
            state = default if shade == default.shade else build_map_state(sources, event, visible, shade)
            picks[shade] = _raw_view(state, sources)
        choices.append(picks)
    return {
        "id": event,
        "label": esc(event_label(sources.events, event)),
        "heading": esc(f"Where each party stands on {fmt_date(row['date'])}"),
        "dateSource": esc(row["date_source"]),
        "summary": summary_html(summaries, sources.parties),
        "events": events_html(events_up_to(sources.events, event), event),
        # Every party's rows; the page hides those of parties it does not show (data-party).
        "positions": positions_table_html(sources, event, list(sources.parties.index)),
        "views": choices,
    }


def _intern_view(raw: dict, tables: _Tables, codes: dict[str, int]) -> int:
    strings, styles = tables.strings, tables.styles
    record = {
        "shade": raw["shade"],
        "regions": [[codes[code], styles.add(style), strings.add(tip)] for code, style, tip in raw["regions"]],
        "overlays": [
            [tables.geometries.add(geom), styles.add(style), strings.add(tip), kind]
            for geom, style, tip, kind in raw["overlays"]
        ],
        "patterns": [tables.patterns.add(pair) for pair in raw["patterns"]],
        "legend": strings.add(raw["legend"]),
        "caption": strings.add(raw["caption"]),
    }
    return tables.views.add(record)


def _intern_event(raw: dict, tables: _Tables, codes: dict[str, int]) -> dict:
    keys = ("label", "heading", "dateSource", "summary", "events", "positions")
    texts = {key: tables.strings.add(raw[key]) for key in keys}
    views = [{shade: _intern_view(view, tables, codes) for shade, view in picks.items()} for picks in raw["views"]]
    return {"id": raw["id"], **texts, "views": views}


_worker_sources: Sources | None = None  # set in each worker process by _start_worker


def _start_worker(sources: Sources) -> None:
    global _worker_sources  # noqa: PLW0603 (one read-only copy per worker process)
    _worker_sources = sources


def _raw_event_in_worker(event: str) -> dict:
    return _raw_event(_worker_sources, event)


def _raw_events(sources: Sources, jobs: int) -> list[dict]:
    """Every event's views, computed over ``jobs`` processes (each event is independent)."""
    events = list(sources.events.index)
    if jobs <= 1 or len(events) <= 1:
        return [_raw_event(sources, event) for event in events]
    # spawn, not fork: the caller may run threads (a test's browser) that a fork would copy mid-lock.
    context = multiprocessing.get_context("spawn")
    workers = min(jobs, len(events))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(sources,)) as pool:
        return list(pool.map(_raw_event_in_worker, events))


def _child(parent: folium.Element, cls: type, name: str) -> folium.Element:
    """A child element of a folium object by class and name (folium keeps children in ``_children``)."""
    for child in parent._children.values():
        if isinstance(child, cls) and name in (getattr(child, "layer_name", None), child._name):
            return child
    raise LookupError(f"no {cls.__name__} named {name!r} in {parent.get_name()}")


def _base_map(sources: Sources, highlight_state: MapState | None) -> dict:
    """The map that never changes, as the app draws it: its options, outline styles, place names, hover style."""
    fmap = base_map(sources.oblasts, sources.neighbours, sources.areas_km2.to_dict())
    options = {camelize(k): v for k, v in fmap.options.items() if k not in {"max_bounds", "zoom"}}
    labels = _child(fmap, folium.MacroElement, "Labels")
    highlight = {}
    if highlight_state is not None:
        regions = _child(layers_group(highlight_state), folium.GeoJson, "Regions")
        highlight = regions.highlight_function(None)
    outlines = base_geometry(sources.oblasts, sources.neighbours)
    return {
        "options": options,
        "bounds": UKRAINE_BOUNDS,
        "maxBounds": MAX_BOUNDS,
        "scale": bool(fmap.control_scale),
        "neighbourStyle": NEIGHBOUR_STYLE,
        "neighbours": [f["geometry"] for f in outlines["neighbours"]["features"]],
        "oblastStyle": OBLAST_STYLE,
        "labels": _by_priority(json.loads(labels.items.replace("<\\/", "</")), sources),  # escaped (mapview._Labels)
        "labelBox": list(LABEL_BOX),
        "labelAnchor": list(LABEL_ANCHOR),
        "highlight": highlight,
    }


def _by_priority(labels: list[list], sources: Sources) -> list[list]:
    """Place names in the order the page keeps them when they would overlap: larger oblasts first, then countries.

    ``labels`` are mapview.base_map's, oblasts (those large enough to be named, in file order) then countries.
    """
    areas = sources.areas_km2
    named = [code for code in sources.oblasts.index if areas[code] >= LABEL_MIN_KM2]
    oblasts, countries = labels[: len(named)], labels[len(named) :]
    ranked = sorted(zip(named, oblasts, strict=True), key=lambda pair: -areas[pair[0]])
    return [label for _, label in ranked] + countries


def _regions(sources: Sources) -> list[dict]:
    """Each oblast once: code, escaped name and outline, as the base map has them (regions refer to these)."""
    outlines = base_geometry(sources.oblasts, sources.neighbours)["oblasts"]["features"]
    return [
        {"code": code, "name": f["properties"]["label"], "shape": f["geometry"]}
        for code, f in zip(sources.oblasts.index, outlines, strict=True)
    ]


def build_bundle(sources: Sources, jobs: int = 1) -> dict:
    """Every view of the map at every event, with the shared tables they index into."""
    codes = {code: i for i, code in enumerate(sources.oblasts.index)}
    tables = _Tables(_Table(), _Table(), _Table(), _Table(), _Table())
    events = [_intern_event(raw, tables, codes) for raw in _raw_events(sources, jobs)]
    everyone = list(sources.parties.index)
    with_regions = next(
        (s for e in sources.events.index[::-1] if (s := build_map_state(sources, e, everyone)).regions["features"]),
        None,
    )
    return {
        "parties": [
            {"id": p, "name": esc(row["name"]), "colour": row["colour"]} for p, row in sources.parties.iterrows()
        ],
        "regions": _regions(sources),
        "base": _base_map(sources, with_regions),
        "events": events,
        "views": tables.views.values,
        "geometries": tables.geometries.values,
        "styles": tables.styles.values,
        "patterns": tables.patterns.values,
        "strings": tables.strings.values,
    }


def data_script(bundle: dict) -> bytes:
    """The bundle as a script that sets one global; ASCII-only, so a host's wrong charset cannot garble it."""
    body = json.dumps(bundle, ensure_ascii=True, separators=(",", ":"))
    return f"window.{DATA_GLOBAL} = {body};\n".encode("ascii")


def shared_css() -> str:
    """The app's own map and page styles, so the site looks like the dashboard."""
    return "\n".join(css.replace("<style>", "").replace("</style>", "").strip() for css in (MAP_CSS, PAGE_CSS))


@dataclass(frozen=True)
class SiteReport:
    """What was written, and how big the data is."""

    out: Path
    events: int
    views: int
    data_bytes: int
    data_gzip_bytes: int

    @property
    def within_budget(self) -> bool:
        """True when the compressed data fits DATA_BUDGET_GZIP_BYTES."""
        return self.data_gzip_bytes <= DATA_BUDGET_GZIP_BYTES

    def __str__(self) -> str:
        return (
            f"{self.out}: {self.events} events, {self.views} distinct views; data.js {self.data_bytes:,} bytes, "
            f"{self.data_gzip_bytes:,} gzip-compressed (budget {DATA_BUDGET_GZIP_BYTES:,})"
        )


def _version(content: bytes) -> str:
    """A short content hash, appended to file links so caches fetch a file again only when it changed."""
    return hashlib.sha256(content).hexdigest()[:12]


def _write_files(folder: Path, data: bytes, corrections: str) -> None:
    """Leaflet, the data, the script and styles, and index.html linking each by a hash of its content.

    ``corrections`` is the corrections log as escaped HTML, written into the page itself.
    """
    shutil.copytree(LEAFLET_DIR, folder / "leaflet")  # with its LICENSE
    files = {"data.js": data, "shared.css": shared_css().encode("utf-8")}
    files |= {name: (SITE_DIR / name).read_bytes() for name in SITE_FILES}
    for name, content in files.items():
        (folder / name).write_bytes(content)
    template = Template((SITE_DIR / "index.html").read_text(encoding="utf-8"))
    links = {name.replace(".", "_"): f"{name}?v={_version(content)}" for name, content in files.items()}
    page = template.substitute(links, corrections=corrections, dek=esc(DEK))
    (folder / "index.html").write_text(page, encoding="utf-8")
    (folder / MARKER).write_text("Built by python -m dashboard.publish; a rebuild replaces this folder.\n")


def _out_problem(out: Path) -> Problem | None:
    """Why ``out`` cannot take the site (a file, or a folder holding anything but an earlier build), if it cannot."""
    if out.exists() and not out.is_dir():
        return Problem(str(out), "", "OUT", "is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        return Problem(str(out), "", "OUT", f"is not empty and not an earlier build (no {MARKER}): left untouched")
    return None


def _source_paths(where: SourcePaths | Path | str | None) -> SourcePaths:
    if isinstance(where, SourcePaths):
        return where
    return SourcePaths.under(Path(where)) if where else SourcePaths.from_env()


def _swap_in(staging: Path, out: Path) -> None:
    """Put the finished site at ``out``, replacing an earlier build only once the new one is complete."""
    if not out.exists():
        staging.rename(out)
        return
    old = out.with_name(f"{staging.name}.old")
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)  # put the earlier build back
        raise
    shutil.rmtree(old)


def publish(
    out: Path | str, where: SourcePaths | Path | str | None = None, jobs: int = DEFAULT_JOBS
) -> tuple[SiteReport | None, list[Problem]]:
    """Write the static site into ``out``; ``where`` is a SourcePaths, a source tree's root, or None (the repo's).

    ``jobs`` processes compute the views. Nothing is written when the sources
    have problems or ``out`` holds other files. The site is built in a sibling
    folder and swapped in at the end, so a failed build never leaves half a site.
    """
    out = Path(out)
    problem = _out_problem(out)
    if problem is not None:
        return None, [problem]
    where = _source_paths(where)
    sources, problems = load_sources(where)
    if sources is None:
        return None, problems
    if len(sources.parties) > MAX_SITE_PARTIES:
        message = (
            f"{len(sources.parties)} parties; the static site is built for at most {MAX_SITE_PARTIES} "
            "(MAX_SITE_PARTIES: every set of visible parties is computed ahead, 2 to the power of the number "
            "of parties): use the app, or fewer parties"
        )
        return None, [Problem(display_name(where.parties), "", "party", message)]
    bundle = build_bundle(sources, jobs)
    data = data_script(bundle)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server running as another user must read it
    try:
        _write_files(staging, data, corrections_html(sources.corrections))
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # only left when writing failed
    report = SiteReport(out, len(bundle["events"]), len(bundle["views"]), len(data), len(gzip.compress(data, 9)))
    return report, []


def main(argv: list[str] | None = None) -> int:
    """Command line: build the site, print its size; exit 1 on data problems, 2 on an unusable OUT."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.publish", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the site into (created; an earlier build is replaced)")
    parser.add_argument("--root", type=Path, help="a source tree laid out like the repo (seeds/, data/, data/geo/)")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="processes to use (default: one per CPU)")
    args = parser.parse_args(argv)
    report, problems = publish(args.out, args.root, args.jobs)
    for problem in problems:
        print(problem, file=sys.stderr)
    if report is None:
        return 2 if any(p.field == "OUT" for p in problems) else 1
    print(report)
    if not report.within_budget:
        print(f"warning: the data is over its budget of {DATA_BUDGET_GZIP_BYTES:,} bytes compressed", file=sys.stderr)
    return 0
