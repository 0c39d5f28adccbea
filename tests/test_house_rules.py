"""The rules of the house (docs/architecture.md), read from the source with ``ast``.

The package's rooms are its folders. The core (the modules at the top of
``dashboard/``: records, geometry, state, caches, paths) and ``ingest/`` stay
plain Python and data: they import no Streamlit, folium, branca, nor any of the
rooms that draw (``render/``, ``export/``, ``publish/``, ``app/``), so they can
be tested, benchmarked and reused by every front end. ``render/`` turns a
state into HTML and folium and never writes a file nor imports Streamlit's
widgets; files are written by the app's launcher, the exports and the site.
``export/`` and ``publish/`` import neither Streamlit nor ``app/``: what they
share with the app (styles, labels, legend) comes from ``render/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"
ROOMS = ("render", "export", "publish", "app", "ingest")  # the subpackages; every other module is the core
DRAWING_ROOMS = ("render", "export", "publish", "app")  # where Streamlit, folium and HTML may be imported
DRAWING_LIBRARIES = ("streamlit", "streamlit_folium", "folium", "branca")
FORBIDDEN_BELOW_DRAWING = DRAWING_LIBRARIES + tuple(f"dashboard.{room}" for room in DRAWING_ROOMS)
# render/ may use streamlit-folium's HTML helpers (mapview), never Streamlit itself nor the rooms that use it.
FORBIDDEN_IN_RENDER = ("streamlit", "dashboard.app", "dashboard.export", "dashboard.publish", "dashboard.ingest")
# The exports and the static site run without Streamlit: what they share with the app comes from render/.
FORBIDDEN_IN_FILE_FRONT_ENDS = ("streamlit", "dashboard.app")
# Calls that write to disk: render returns strings and bytes; the launcher, exports and site write them.
WRITING_CALLS = {
    "write_text",
    "write_bytes",
    "mkdir",
    "makedirs",
    "touch",
    "mkdtemp",
    "NamedTemporaryFile",
    "copyfile",
    "copytree",
}


def imported_modules(path: Path, package: list[str] | None = None) -> set[str]:
    """Every module a file imports, at the top or inside a function (relative imports made absolute,
    from ``package``: by default the file's own package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if package is None:
        inside = path.relative_to(PACKAGE).parts[:-1] if path.is_relative_to(PACKAGE) else ()
        package = ["dashboard", *inside]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x, from ..render import y
                anchor = package[: len(package) - node.level + 1] or ["dashboard"]
                base = ".".join([*anchor, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # from dashboard import render
    return names


def room(path: Path) -> str:
    """The room a module lives in: its subpackage, or "core" for the modules at the top of the package."""
    first = path.relative_to(PACKAGE).parts[0]
    return first if first in ROOMS else "core"


def modules_in(*rooms: str) -> list[Path]:
    """The package's modules in the given rooms."""
    return sorted(p for p in PACKAGE.rglob("*.py") if room(p) in rooms)


def _matches(module: str, banned: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in banned)


def writing_calls(path: Path) -> list[str]:
    """The calls in a file that write to disk (by name), and ``open`` in a mode that writes."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in WRITING_CALLS:
            found.append(f"{name}() on line {node.lineno}")
        elif name == "open":
            modes = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
            modes += [k.value.value for k in node.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant)]
            if any(isinstance(m, str) and set(m) & set("wax+") for m in modes):
                found.append(f"open(..., {modes[0]!r}) on line {node.lineno}")
    return found


def test_the_rule_reads_imports_of_every_kind(tmp_path: Path) -> None:
    source = "import folium.plugins\nfrom dashboard import render\ndef f():\n    from streamlit import config\n"
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    found = sorted(m for m in imported_modules(path) if _matches(m, FORBIDDEN_BELOW_DRAWING))
    assert found == ["dashboard.render", "folium.plugins", "streamlit", "streamlit.config"]


def test_relative_imports_are_read_from_the_module_s_own_package(tmp_path: Path) -> None:
    path = tmp_path / "probe.py"
    path.write_text("from . import extract\nfrom ..render import cards\n", encoding="utf-8")
    found = imported_modules(path, package=["dashboard", "ingest"])
    assert found == {"dashboard.ingest", "dashboard.ingest.extract", "dashboard.render", "dashboard.render.cards"}


def test_the_rule_finds_writes_of_every_kind(tmp_path: Path) -> None:
    source = (
        "from pathlib import Path\nPath('a').write_text('x')\nopen('b', 'w')\nopen('c')\n"
        "open('d', mode='ab')\nimport os\nos.makedirs('e')\n"
    )
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert writing_calls(path) == [
        "write_text() on line 2",
        "open(..., 'w') on line 3",
        "open(..., 'ab') on line 5",
        "makedirs() on line 7",
    ]


def test_the_rooms_are_where_the_rules_expect_them() -> None:
    core = {p.name for p in modules_in("core")}
    assert {"mapstate.py", "sources.py", "cache.py", "paths.py", "timeline.py", "viewstate.py"} <= core
    assert {p.relative_to(PACKAGE).as_posix() for p in modules_in("render")} >= {"render/cards.py", "render/mapview.py"}
    assert (PACKAGE / "app" / "streamlit_app.py").is_file() and (PACKAGE / "app" / "static" / "leaflet").is_dir()
    assert {p.name for p in modules_in("export")} >= {"data.py", "html.py", "png.py"}
    ingest = {p.relative_to(PACKAGE / "ingest").as_posix() for p in modules_in("ingest")}
    assert ingest >= {"review.py", "articles.py", "extract/__init__.py", "extract/rules.py", "extract/sentences.py"}
    assert ingest >= {f"extract/{seam}.py" for seam in ("mentions", "holders", "stances", "dates")}
    assert not (PACKAGE / "views").exists() and not (PACKAGE / "static").exists()


@pytest.mark.parametrize("path", modules_in("core", "ingest"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_below_drawing_imports_streamlit_folium_branca_or_a_drawing_room(path: Path) -> None:
    found = sorted(m for m in imported_modules(path) if _matches(m, FORBIDDEN_BELOW_DRAWING))
    assert found == [], f"{path.relative_to(PACKAGE.parent)} imports {', '.join(found)}"


@pytest.mark.parametrize("path", modules_in("core"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_imports_nothing_from_ingest(path: Path) -> None:
    found = sorted(m for m in imported_modules(path) if _matches(m, ("dashboard.ingest",)))
    assert found == [], f"{path.relative_to(PACKAGE.parent)} imports {', '.join(found)}"


@pytest.mark.parametrize("path", modules_in("render"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_render_imports_no_streamlit_and_no_room_that_uses_it(path: Path) -> None:
    found = sorted(m for m in imported_modules(path) if _matches(m, FORBIDDEN_IN_RENDER))
    assert found == [], f"{path.relative_to(PACKAGE.parent)} imports {', '.join(found)}"


@pytest.mark.parametrize("path", modules_in("export", "publish"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_exports_and_the_static_site_import_no_streamlit_and_nothing_from_the_app(path: Path) -> None:
    found = sorted(m for m in imported_modules(path) if _matches(m, FORBIDDEN_IN_FILE_FRONT_ENDS))
    assert found == [], f"{path.relative_to(PACKAGE.parent)} imports {', '.join(found)}"


@pytest.mark.parametrize("path", modules_in("render"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_render_never_writes_files(path: Path) -> None:
    assert writing_calls(path) == [], f"{path.relative_to(PACKAGE.parent)} writes: {writing_calls(path)}"
