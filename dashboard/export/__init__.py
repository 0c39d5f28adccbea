"""Every export of the map in one place: for the app's download buttons and for scripts.

In the app::

    data, filename, mime = export_bundle(state, sources, "png")  # a MapState
    data, filename, mime = export_bundle(build_comparison(sources, a, b), sources, "png")  # a Comparison

From a shell (reads the repository's data, or the folder in $PEACE_MAP_ROOT)::

    python -m dashboard.export --event alaska-summit --parties russia,ukraine --shade russia \\
        --format png --out alaska.png
    python -m dashboard.export --event alaska-summit --shade russia --compare parties --versus ukraine \\
        --format csv --out russia_vs_ukraine.csv
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.compare import Comparison, Side, build_comparison, compare_sides
from dashboard.export.data import layers_geojson_bytes, positions_csv
from dashboard.export.html import export_html
from dashboard.export.png import PRINT, SLIDE, render_png
from dashboard.mapstate import MapState, build_map_state
from dashboard.sources import SourcePaths, Sources, load_sources
from dashboard.viewstate import COMPARES

COMPARE_KINDS = [kind for kind in COMPARES if kind]  # "parties", "dates"


@dataclass(frozen=True)
class Format:
    """One kind of export: how to make it, what to call the file, its media type, and a label.

    A comparison's file may hold something else (its table instead of the
    positions): ``compare_suffix`` and ``compare_label`` say so when set.
    """

    make: Callable[[MapState | Comparison, Sources, bool], bytes]  # (view, sources, presentation)
    suffix: str  # after the date and event in the file name
    mime: str
    label: str  # for a download button
    compare_suffix: str = ""
    compare_label: str = ""

    def button_label(self, view: MapState | Comparison) -> str:
        """The download button's label for a map state or a comparison."""
        return self.compare_label if isinstance(view, Comparison) and self.compare_label else self.label


FORMATS: dict[str, Format] = {
    "png": Format(
        lambda view, so, _: render_png(view, so, SLIDE),
        "map.png",
        "image/png",
        "Map image for slides (PNG, 1920×1080)",
    ),
    "png-print": Format(
        lambda view, so, _: render_png(view, so, PRINT),
        "map_print.png",
        "image/png",
        "Map image for print (PNG, A4)",
    ),
    "html": Format(
        lambda view, so, present: export_html(view, so, present=present).encode("utf-8"),
        "map.html",
        "text/html",
        "Interactive map (HTML, works offline)",
    ),
    "csv": Format(
        lambda view, so, _: positions_csv(view, so),
        "positions.csv",
        "text/csv",
        "Positions at this date (CSV)",
        compare_suffix="table.csv",
        compare_label="Comparison table (CSV)",
    ),
    "geojson": Format(
        lambda view, so, _: layers_geojson_bytes(view, so),
        "layers.geojson",
        "application/geo+json",
        "Drawn layers (GeoJSON)",
    ),
}


def export_filename(view: MapState | Comparison, sources: Sources, fmt: str) -> str:
    """File name of an export: date, event and what it holds, e.g. 2025-08-15_alaska-summit_map.png;
    a comparison's says so and names its sides, e.g. 2025-08-15_alaska-summit_compare_russia-vs-ukraine_map.png."""
    kind = FORMATS[fmt]
    if isinstance(view, Comparison):
        what = f"compare_{view.slug()}_{kind.compare_suffix or kind.suffix}"
    else:
        what = kind.suffix
    return f"{sources.events.at[view.event, 'date']:%Y-%m-%d}_{view.event}_{what}"


def export_bundle(
    view: MapState | Comparison, sources: Sources, fmt: str, *, present: bool = False
) -> tuple[bytes, str, str]:
    """The export of ``view`` in ``fmt`` (a key of FORMATS): its bytes, file name and media type.

    ``view`` is a map state (``build_map_state``) or a comparison
    (``build_comparison``); each format exports what that view shows.
    ``present`` only changes the HTML.
    """
    kind = FORMATS[fmt]
    return kind.make(view, sources, present), export_filename(view, sources, fmt), kind.mime


def download_args(view: MapState | Comparison, sources: Sources, fmt: str, *, present: bool = False) -> dict:
    """Keyword arguments for ``st.download_button``: label, file name, media type, and the data as a
    callable, so Streamlit makes the file only when the button is pressed (not on every rerun)."""
    kind = FORMATS[fmt]
    return {
        "label": kind.button_label(view),
        "data": functools.partial(kind.make, view, sources, present),
        "file_name": export_filename(view, sources, fmt),
        "mime": kind.mime,
    }


class UsageError(Exception):
    """A command-line value that names nothing in the data; the message says what would."""


def _choose(sources: Sources, event: str, parties: str | None, shade: str | None) -> tuple[list[str], str | None]:
    """Check the event, parties and shading party against the data; return the visible parties and shade."""
    events, known = list(sources.events.index), list(sources.parties.index)
    if event not in events:
        raise UsageError(f"unknown event '{event}'. Events: {', '.join(events)}")
    visible = known if parties is None else [p.strip() for p in parties.split(",") if p.strip()]
    unknown = [p for p in visible if p not in known]
    if unknown:
        raise UsageError(
            f"unknown part{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}. Parties: {', '.join(known)}"
        )
    if not visible:
        raise UsageError(f"--parties names no party. Parties: {', '.join(known)}")
    if shade is not None and shade not in visible:
        raise UsageError(f"--shade {shade} is not among the parties shown ({', '.join(visible)})")
    return visible, shade


# --compare: what --versus names, their plural, and what it may not repeat
_VERSUS = {
    "parties": ("party", "Parties", "the party compared (--shade, or the first party shown)"),
    "dates": ("event", "Events", "--event itself"),
}


def _sides(sources: Sources, event: str, party: str, kind: str | None, versus: str | None) -> tuple[Side, Side] | None:
    """The comparison asked for (None: none), with ``party`` as side A as in the app; checks --versus."""
    if kind is None:
        if versus is not None:
            raise UsageError("--versus needs --compare parties or --compare dates")
        return None
    what, plural, taken_by = _VERSUS[kind]
    known = list(sources.parties.index if kind == "parties" else sources.events.index)
    taken = party if kind == "parties" else event
    others = ", ".join(k for k in known if k != taken)
    if versus is None:
        raise UsageError(f"--compare {kind} needs --versus, another {what}: {others}")
    if versus not in known:
        raise UsageError(f"unknown {what} '{versus}' in --versus. {plural}: {', '.join(known)}")
    if versus == taken:
        raise UsageError(f"--versus {versus} is {taken_by}; compare with another {what}: {others}")
    return compare_sides(kind, party, event, versus)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.export",
        description="Export the map at one event: an image, an offline HTML page, or the data behind it.",
    )
    parser.add_argument("--event", required=True, help="event id, as in data/events.csv")
    parser.add_argument("--parties", help="comma-separated party ids to show (default: all), e.g. russia,ukraine")
    parser.add_argument("--shade", help="party whose stances fill the regions (default: the first shown)")
    parser.add_argument("--format", required=True, choices=list(FORMATS), help="what to write")
    parser.add_argument("--out", required=True, type=Path, help="file to write")
    parser.add_argument(
        "--present", action="store_true", help="HTML only: presentation mode's larger place names and strokes"
    )
    parser.add_argument(
        "--compare",
        choices=COMPARE_KINDS,
        help="export a comparison, as the app shows it: the shading party against another party at the event "
        "(parties) or against its own position at another event (dates); needs --versus",
    )
    parser.add_argument("--versus", help="with --compare: the other party id (parties) or the other event id (dates)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 on success, 1 bad data, 2 bad arguments)."""
    parser = _parser()
    args = parser.parse_args(argv)
    sources, problems = load_sources(SourcePaths.from_env())
    if sources is None:
        print(f"error: {len(problems)} problem(s) in the data files:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    try:
        visible, shade = _choose(sources, args.event, args.parties, args.shade)
        # As on the map: the shading party, by default the first shown in the parties' file order.
        party = shade or next(p for p in sources.parties.index if p in visible)
        sides = _sides(sources, args.event, party, args.compare, args.versus)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    if sides is None:
        view: MapState | Comparison = build_map_state(sources, args.event, visible, shade)
    else:
        view = build_comparison(sources, *sides)
    data, _, _ = export_bundle(view, sources, args.format, present=args.present)
    try:
        args.out.write_bytes(data)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0
