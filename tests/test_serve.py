"""The preloading launcher (dashboard/app/serve.py): what it imports and loads before Streamlit serves.

The browser suites start the app through it (conftest's ``app_url``), which
checks that a preloaded server still draws the map.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dashboard import paths
from dashboard.app import serve

ROOT = Path(__file__).resolve().parent.parent


def test_the_app_imports_are_read_from_its_source_without_the_component_modules(tmp_path: Path) -> None:
    script = tmp_path / "app.py"
    script.write_text(
        "from __future__ import annotations\nimport sys, json\nimport pandas as pd\n"
        "from streamlit_folium import st_folium\nfrom dashboard.geo import Gazetteer\nfrom . import nothing\n"
        "def later():\n    import folium\n",
        encoding="utf-8",
    )

    assert serve.app_imports(script) == ["sys", "json", "pandas", "dashboard.geo"]


def test_the_real_app_imports_include_what_draws_the_map() -> None:
    modules = serve.app_imports()

    assert {"dashboard.mapstate", "dashboard.render.mapview", "dashboard.sources"} <= set(modules)
    assert not set(modules) & serve.COMPONENT_MODULES


def test_preload_loads_the_sources_and_every_position_without_declaring_components() -> None:
    # In a fresh interpreter: this test process has long imported streamlit_folium.
    probe = (
        "import json, sys\n"
        "from dashboard.app import serve\n"
        "from dashboard.sources import load_sources_once\n"
        "timings = serve.preload()\n"
        "from dashboard.app import served\n"
        "from dashboard.app.viewcache import state_key, view_script, view_state\n"
        "from dashboard.sources import SourcePaths\n"
        "where = SourcePaths.from_env()\n"
        "fp = where.fingerprint()\n"
        "sources, _ = load_sources_once(where, fp)\n"
        "parties, event = tuple(sources.parties.index), sources.events.index[-1]\n"
        "state = view_state(sources, fp, event, parties, parties[-1])\n"
        "sent = {mode: served.layer_payload(view_script(state_key(fp, event, parties, parties[-1]), state, mode))"
        " for mode in (False, True)}\n"
        "print(json.dumps({'timings': timings, 'component': 'streamlit_folium' in sys.modules,"
        " 'loaded': load_sources_once.cache_info().currsize, 'published': sorted(served._published.values()),"
        " 'sent': {str(mode): len(text) for mode, text in sent.items()}}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert set(report["timings"]) == {"imports", "load", "positions", "views", "files"}
    assert all(seconds > 0 for seconds in report["timings"].values())
    assert report["loaded"] == 1  # the app's first run finds these sources in the same cache
    assert report["component"] is False  # declared before the server, its frame would stay blank
    # The outlines and the preloaded views' layers are files the map frame fetches, written now, at launch.
    published = report["published"]
    assert any(url.endswith(".json") for url in published) and sum(url.endswith(".js") for url in published) > 10
    for url in published:
        assert (paths.STATIC_DIR / url.split("/app/static/", 1)[1]).is_file()
    # A step sends a loader naming the file (under 1 KB), in presentation mode too, not the layer (20-90 KB).
    assert set(report["sent"]) == {"False", "True"}
    assert all(size < 1_000 for size in report["sent"].values())


def test_preload_leaves_bad_data_for_the_app_to_report(tmp_path: Path) -> None:
    # An empty folder: nothing loads, so nothing is computed, and the launcher still starts.
    probe = "import json\nfrom dashboard.app import serve\nprint(json.dumps(serve.preload()))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "PEACE_MAP_ROOT": str(tmp_path)},
    )

    assert set(json.loads(done.stdout.strip().splitlines()[-1])) == {"imports", "load"}
