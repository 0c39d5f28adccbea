"""Start the dashboard with its data loaded and every date's views built before the first page.

``streamlit run dashboard/app/streamlit_app.py`` imports the app's libraries, reads the data
and completes the proposed lines only when the first browser connects, so the
first page after a start took over 5 s. This launcher does that work first, in
the same process (Streamlit runs the app's script in this process, so it finds
the modules imported and the sources loaded), then hands over to Streamlit's own
``streamlit run``::

    python -m dashboard.app --server.port 8501 --server.address 127.0.0.1

Every argument is passed to ``streamlit run``. ``make dashboard`` uses it.
"""

from __future__ import annotations

import ast
import importlib
import logging
import sys
import time
from pathlib import Path

from dashboard import paths

APP_SCRIPT = paths.APP_SCRIPT
# Modules that declare a Streamlit component on import: declared before the server exists, a component is
# never registered with it and its frame stays blank. The preload leaves them to the app's first run, which
# imports them in milliseconds (their own imports are preloaded), and forgets them if it needed them itself.
COMPONENT_MODULES = frozenset({"streamlit_folium"})
# Slow imports that the first run would otherwise pay for (~0.4 s): folium's plugins, which streamlit-folium
# imports, and the emoji table set_page_config checks the page icon against.
EXTRA_IMPORTS = ("folium.plugins", "streamlit.emojis")
# The [server] flags "change" the config that the preload's imports parsed without them, and Streamlit
# warns that a restart is needed; nothing is serving yet, so the flags do apply.
CONFIG_LOGGER = "streamlit.config"
SCRIPT_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


def app_imports(script: Path = APP_SCRIPT) -> list[str]:
    """The modules the app's script imports at its top level, in order (read from its source, not run),
    less those that declare components."""
    modules: list[str] = []
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
    return [name for name in dict.fromkeys(modules) if name != "__future__" and name not in COMPONENT_MODULES]


def preload(script: Path = APP_SCRIPT) -> dict[str, float]:
    """Import what the app imports, load the sources, complete every party's position at every date
    and build every date's views (all parties shown, shaded by each) into the app's view cache.

    Returns the seconds each part took. Problems in the data are left for the
    app to report on the page: nothing is computed from data that did not load.
    """
    repo = str(paths.ROOT)
    if repo not in sys.path:
        sys.path.insert(0, repo)  # as the app's script does, so both see the same `dashboard` package
    timings: dict[str, float] = {}
    start = time.perf_counter()
    for name in [*app_imports(script), *EXTRA_IMPORTS]:
        importlib.import_module(name)
    timings["imports"] = time.perf_counter() - start

    from dashboard.app.viewcache import warm_views
    from dashboard.mapstate import warm_positions  # after the imports above, which include them
    from dashboard.sources import SourcePaths, load_sources_once

    start = time.perf_counter()
    where = SourcePaths.from_env()
    fingerprint = where.fingerprint()  # the app's cache key for this version of the data
    sources, _ = load_sources_once(where, fingerprint)
    timings["load"] = time.perf_counter() - start
    if sources is not None:
        start = time.perf_counter()
        warm_positions(sources)
        timings["positions"] = time.perf_counter() - start
        start = time.perf_counter()
        # Every date with all parties shown, shaded by each: what a plain link opens and a briefer steps
        # through. Done here rather than in the app's background thread, which would share the interpreter
        # with the first pages.
        # Rendering imports streamlit-folium, which warns that it runs outside a script: true, and harmless.
        context_logger = logging.getLogger(SCRIPT_CONTEXT_LOGGER)
        context_logger.disabled = True
        try:
            warm_views(sources, fingerprint, list(sources.parties.index))
        finally:
            context_logger.disabled = False
        timings["views"] = time.perf_counter() - start
        start = time.perf_counter()
        publish_files(sources, fingerprint)
        timings["files"] = time.perf_counter() - start
    for name in COMPONENT_MODULES:
        sys.modules.pop(name, None)  # the app's first run imports it again, under the server: declared there
    return timings


def publish_files(sources: object, fingerprint: tuple) -> int:
    """Write the outlines and every preloaded view's layer, as drawn at the desk and in presentation mode,
    into Streamlit's static folder; return the count.

    Launch time is the only time files are written (see dashboard/app/served.py):
    the app then sends a step as the name of a file its map frame keeps. Files
    that no launch has used for a week are removed afterwards.
    """
    from dashboard.app.served import prune_generated, publish_geometry, publish_layer
    from dashboard.app.viewcache import state_key, view_script, view_state
    from dashboard.render.mapview import base_geometry

    publish_geometry(base_geometry(sources.oblasts, sources.neighbours))
    parties = tuple(sources.parties.index)
    count = 0
    for shade in parties:  # the views warm_views built: every date, all parties shown, shaded by each
        for event in sources.events.index:
            state = view_state(sources, fingerprint, event, parties, shade)
            for present in (False, True):  # presentation mode draws the same views with wider lines
                publish_layer(view_script(state_key(fingerprint, event, parties, shade), state, present=present))
                count += 1
    prune_generated()
    return count + 1


def main(argv: list[str] | None = None) -> int:
    """Preload, report what it took, then run ``streamlit run dashboard/app/streamlit_app.py`` with ``argv``."""
    args = sys.argv[1:] if argv is None else argv
    timings = preload()
    spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(f"Preloaded the dashboard ({spent}); starting Streamlit.", flush=True)
    from streamlit import config
    from streamlit.web import cli  # deferred: Streamlit's CLI takes over the process from here

    sys.argv = ["streamlit", "run", str(APP_SCRIPT), *args]
    # Silence the config warning only for the one parse that reads the flags; later ones log as usual.
    logging.getLogger(CONFIG_LOGGER).disabled = True
    undo: list = []

    def _speak_again() -> None:
        logging.getLogger(CONFIG_LOGGER).disabled = False
        undo[0]()

    undo.append(config.on_config_parsed(_speak_again, force_connect=True))
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
