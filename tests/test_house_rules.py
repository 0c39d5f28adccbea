"""The rules of the house (docs/architecture.md), read from the source with ``ast``.

Nothing below the rendering layer imports Streamlit, folium, branca or the
rendering package (``dashboard.views``): records, geometry, state, caches and
paths stay plain Python and data, so they can be tested, benchmarked and
reused by every front end (the app, the exports, the static site).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"
# The rendering layer and the front ends: they turn a state into HTML, folium, PNG or the static site.
RENDERING = {
    "views",  # the rendering package (the ingest page included)
    "app.py",
    "serve.py",
    "export_html.py",
    "export_png.py",
    "publish.py",
    "viewcache.py",  # the app's cache of drawn views: it keeps their scripts (the app's room in the layout)
}
FORBIDDEN = ("streamlit", "streamlit_folium", "folium", "branca", "dashboard.views")
# Known debt, pinned so it can only shrink: the state still asks views/cards.py for its tooltips' HTML
# (issue 13: "a state type that holds data, tooltips rendered in render/"). Nothing else below rendering
# may import the views, and these two may import nothing else from them; when the tooltips move, the test
# below fails until the entry is deleted.
TOOLTIPS_STILL_IN_THE_STATE = {"mapstate.py": "dashboard.views.cards", "compare.py": "dashboard.views.cards"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (relative imports made absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x, from .views import y
                base = ".".join(["dashboard", *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # from dashboard import views
    return names


def below_rendering() -> list[Path]:
    """The modules of the package outside the rendering layer."""
    return sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in RENDERING)


def _forbidden(module: str) -> bool:
    return any(module == banned or module.startswith(banned + ".") for banned in FORBIDDEN)


def test_the_rule_reads_imports_of_every_kind(tmp_path: Path) -> None:
    source = "import folium.plugins\nfrom dashboard import views\ndef f():\n    from streamlit import config\n"
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    found = sorted(m for m in imported_modules(path) if _forbidden(m))
    assert found == ["dashboard.views", "folium.plugins", "streamlit", "streamlit.config"]


def test_the_layers_are_where_the_rule_expects_them() -> None:
    modules = {p.name for p in below_rendering()}
    assert {"mapstate.py", "sources.py", "cache.py", "paths.py", "timeline.py", "export_data.py"} <= modules
    assert not modules & {"app.py", "publish.py", "export_png.py"}


@pytest.mark.parametrize("path", below_rendering(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_below_rendering_imports_streamlit_folium_branca_or_the_views(path: Path) -> None:
    found = sorted(m for m in imported_modules(path) if _forbidden(m))
    allowed = TOOLTIPS_STILL_IN_THE_STATE.get(path.name)
    if allowed is not None:
        assert found, f"{path.name} no longer imports the views: delete it from TOOLTIPS_STILL_IN_THE_STATE"
        found = [m for m in found if m != allowed and not m.startswith(allowed + ".")]
    assert found == [], f"{path.relative_to(PACKAGE.parent)} imports {', '.join(found)}"
