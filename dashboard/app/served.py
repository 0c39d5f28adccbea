"""Files the map's frame fetches once and keeps, instead of receiving them again with every rerun.

Streamlit sends every argument of ``st_folium`` over the websocket on every
rerun: the oblast outlines (125 KiB) and each view's layer script (20-90 KiB)
would travel again at each slider step. Instead they are written as files
named by their content into Streamlit's static folder (``dashboard/app/static/``,
served at ``/app/static/``), and a step sends only which file to draw.

When the files are written: **only at launch**, by ``dashboard.app.serve``
(``make dashboard``), before the server takes its first page. Rendering a page
never writes a file: a view that was not published at launch (another set of
parties, an uploaded front line, data edited while the server runs) is sent
inline as before. Streamlit serves no other folder and no custom route
without patching its server, and a launch-time write into its static folder
keeps the package read-only while the app runs. Names are content hashes, so a
file never changes under a reader and two servers started from one checkout
share them safely.

Old files are pruned at launch too (:func:`prune_generated`): each launch
writes the files of its data version, and every edit of the data used to
leave the previous version's files behind for good.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from dashboard import paths

STATIC_DIR = paths.STATIC_DIR  # served at /app/static (enableStaticServing)
STATIC_ROOT = "../../app/static"  # the same folder, relative to the map's frame (works under baseUrlPath)
GENERATED = "generated"  # derived from the data: not in git (.gitignore)
LAYERS = "layers"
LOADED_LAYERS_KEPT = 48  # compiled layer scripts the frame keeps (~0.1 MiB each): a briefing's dates and shades
FEATURE_GROUP = "feature_group_feature_group_0"  # the variable streamlit-folium's closing lines add to the map

# A file no launch has written or reused for this long is removed by the next launch. Not sooner, because two
# servers may be started from one checkout and share the folder: the other one may draw a different version
# of the data, whose files this launch neither wrote nor needs, and its readers fetch them for as long as it
# runs. Every launch refreshes the times of the files it uses, so a server's files stay this long after its
# start; a server left running longer than this beside newer launches of other data should be restarted.
PRUNE_AFTER_S = 7 * 24 * 3600

_published: dict[str, str] = {}  # content digest -> URL of the file holding it (this process's launch)
_launch_files: set[Path] = set()  # the files this process's launch wrote or found already written


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    _launch_files.add(target.resolve())
    if target.exists():
        os.utime(target)  # named by content: already right; its new time tells other launches it is in use
        return
    temporary = folder / f".{name}.{os.getpid()}.tmp"  # one per process: servers may start side by side
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)  # atomic: a reader never sees half a file


def publish_geometry(data: dict, static_dir: Path = STATIC_DIR) -> str:
    """Write the base outlines (launch time only); return the URL the map fetches them from."""
    text = json.dumps(data, separators=(",", ":"))
    name = f"base-{_digest(text)}.json"
    _write(static_dir / GENERATED, name, text)
    url = f"{STATIC_ROOT}/{GENERATED}/{name}"
    _published[_digest(text)] = url
    return url


def published_geometry(data: dict) -> str | None:
    """The URL of these outlines if they were published at launch, else None (the map then inlines them)."""
    return _published.get(_digest(json.dumps(data, separators=(",", ":"))))


def publish_layer(script: str, static_dir: Path = STATIC_DIR) -> str:
    """Write a layer script (see mapview.layer_script) as a file the frame can load; return its URL.

    The file is a function of the map that runs the script and returns the
    feature group it made, so the frame can run it where streamlit-folium
    expects the group to be declared.
    """
    digest = _digest(script)
    body = f"(function (map_div) {{\n{script}\nreturn {FEATURE_GROUP};\n}})\n"
    _write(static_dir / GENERATED / LAYERS, f"{digest}.js", body)
    url = f"{STATIC_ROOT}/{GENERATED}/{LAYERS}/{digest}.js"
    _published[digest] = url
    return url


def layer_payload(script: str) -> str:
    """What a step sends for this layer: a loader naming its file when published at launch, else the script.

    The loader runs inside streamlit-folium's ``eval`` of the feature group and
    must declare the group there synchronously (its closing lines add it to the
    map and bind the click handlers right after), so the file is fetched with a
    synchronous request the first time and its compiled function kept in the
    frame (the newest LOADED_LAYERS_KEPT); a date seen before costs no request.
    """
    url = _published.get(_digest(script))
    if url is None:
        return script
    return _LOADER.replace("__URL__", json.dumps(url)).replace("__KEEP__", str(LOADED_LAYERS_KEPT))


_LOADER = (
    "var "
    + FEATURE_GROUP
    + """ = (function (url) {
  var kept = window.pmLayers = window.pmLayers || {order: [], code: {}};
  if (!kept.code[url]) {
    var request = new XMLHttpRequest();
    request.open("GET", url, false);
    request.send();
    if (request.status !== 200) { return L.featureGroup(); }
    kept.code[url] = (0, eval)(request.responseText);
    kept.order.push(url);
    while (kept.order.length > __KEEP__) { delete kept.code[kept.order.shift()]; }
  }
  return kept.code[url](map_div);
})(__URL__);
"""
)


def prune_generated(static_dir: Path = STATIC_DIR, older_than_s: float = PRUNE_AFTER_S) -> list[Path]:
    """Remove generated files this launch did not write or reuse and that are older than ``older_than_s``.

    Called by the launcher after it published its files; returns what it
    removed. Half-written files left by a launch that crashed (``.*.tmp``)
    go by the same rule. A file that vanishes meanwhile (another launch
    pruning at the same moment) is skipped.
    """
    cutoff = time.time() - older_than_s
    removed = []
    for folder in (static_dir / GENERATED, static_dir / GENERATED / LAYERS):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if not path.is_file() or path.resolve() in _launch_files:
                continue
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:
                continue
    return removed
