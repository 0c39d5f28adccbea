"""Every export of the map in one place: for the app's download buttons and for scripts.

In the app::

    data, filename, mime = export_bundle(state, sources, "png")

From a shell (reads the repository's data, or the folder in $PEACE_MAP_ROOT)::

    python -m dashboard.export --event alaska-summit --parties russia,ukraine --shade russia \\
        --format png --out alaska.png
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.export_data import layers_geojson_bytes, positions_csv
from dashboard.export_html import export_html
from dashboard.export_png import PRINT, SLIDE, render_png
from dashboard.mapstate import MapState, build_map_state
from dashboard.sources import SourcePaths, Sources, load_sources


@dataclass(frozen=True)
class Format:
    """One kind of export: how to make it, what to call the file, its media type, and a label."""

    make: Callable[[MapState, Sources, bool], bytes]  # (state, sources, presentation mode)
    suffix: str  # after the date and event in the file name
    mime: str
    label: str  # for a download button


FORMATS: dict[str, Format] = {
    "png": Format(
        lambda st, so, _: render_png(st, so, SLIDE), "map.png", "image/png", "Map image for slides (PNG, 1920×1080)"
    ),
    "png-print": Format(
        lambda st, so, _: render_png(st, so, PRINT), "map_print.png", "image/png", "Map image for print (PNG, A4)"
    ),
    "html": Format(
        lambda st, so, present: export_html(st, so, present=present).encode("utf-8"),
        "map.html",
        "text/html",
        "Interactive map (HTML, works offline)",
    ),
    "csv": Format(lambda st, so, _: positions_csv(st, so), "positions.csv", "text/csv", "Positions at this date (CSV)"),
    "geojson": Format(
        lambda st, so, _: layers_geojson_bytes(st, so),
        "layers.geojson",
        "application/geo+json",
        "Drawn layers (GeoJSON)",
    ),
}


def export_filename(state: MapState, sources: Sources, fmt: str) -> str:
    """File name of an export: date, event and what it holds, e.g. 2025-08-15_alaska-summit_map.png."""
    return f"{sources.events.at[state.event, 'date']:%Y-%m-%d}_{state.event}_{FORMATS[fmt].suffix}"


def is_plain_view(state: MapState, sources: Sources) -> bool:
    """Whether ``state`` shows stances (build_map_state), not a comparison (its regions hold kinds of change)."""
    return all(
        f["properties"]["stance"] in sources.stances.index or not f["properties"]["stance"]
        for f in state.regions["features"]
    )


def _require_plain_view(state: MapState, sources: Sources) -> None:
    if not is_plain_view(state, sources):
        raise ValueError("exports take a view of stances from build_map_state, not a comparison")


def export_bundle(state: MapState, sources: Sources, fmt: str, *, present: bool = False) -> tuple[bytes, str, str]:
    """The export of ``state`` in ``fmt`` (a key of FORMATS): its bytes, file name and media type.

    ``state`` is a view from ``build_map_state``; comparisons are not exported
    (their legend and tables are the app's). ``present`` only changes the HTML.
    """
    _require_plain_view(state, sources)
    kind = FORMATS[fmt]
    return kind.make(state, sources, present), export_filename(state, sources, fmt), kind.mime


def download_args(state: MapState, sources: Sources, fmt: str, *, present: bool = False) -> dict:
    """Keyword arguments for ``st.download_button``: label, file name, media type, and the data as a
    callable, so Streamlit makes the file only when the button is pressed (not on every rerun)."""
    _require_plain_view(state, sources)
    kind = FORMATS[fmt]
    return {
        "label": kind.label,
        "data": functools.partial(kind.make, state, sources, present),
        "file_name": export_filename(state, sources, fmt),
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
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    state = build_map_state(sources, args.event, visible, shade)
    data, _, _ = export_bundle(state, sources, args.format, present=args.present)
    try:
        args.out.write_bytes(data)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
