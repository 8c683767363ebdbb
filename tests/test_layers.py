"""The house's floors, checked from the code's own imports: commands on top, then build, notice, cache and
sources, then the stages; no stage imports a floor above it (no import runs back up the house)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "noticepub"

# module (or package) -> the noticepub modules it must never import, directly or in a function
ABOVE = {
    "commands": ("noticepub.cli",),
    "build": ("noticepub.cli", "noticepub.commands"),
    "notice": ("noticepub.cli", "noticepub.commands", "noticepub.build"),
    "cache": ("noticepub.cli", "noticepub.commands", "noticepub.build", "noticepub.notice"),
    "sources": ("noticepub.cli", "noticepub.commands", "noticepub.build", "noticepub.notice", "noticepub.cache"),
}
STAGE_FORBIDDEN = ("noticepub.cli", "noticepub.commands", "noticepub.build", "noticepub.notice", "noticepub.cache")
STAGES = ("parse", "variants", "translate", "render", "ingest", "meta", "model", "fsutil", "settings", "errors")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _files(name: str) -> list[Path]:
    folder = PACKAGE / name
    if folder.is_dir():
        return sorted(folder.rglob("*.py"))
    return [path for path in (PACKAGE / f"{name}.py",) if path.is_file()]


def _offences(name: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(PACKAGE)} imports {module}" for path in _files(name) for module in _imports(path)
            if any(module == f or module.startswith(f + ".") for f in forbidden)]


def test_no_import_runs_back_up() -> None:
    offences = [o for name, forbidden in ABOVE.items() for o in _offences(name, forbidden)]
    offences += [o for name in STAGES for o in _offences(name, STAGE_FORBIDDEN)]
    assert offences == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from noticepub.build import build\n", encoding="utf-8")
    assert "noticepub.build" in _imports(module)
