"""The layers import downwards only: contract ← pure domain ← store ← use cases ← entry points.

Read with the standard library's `ast` from the source files, so a new import that breaks a rule fails here
before anyone notices the layering has decayed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ENTRY_POINTS = ("streams", "services", "dashboard")
# What each of our top-level packages may import of ours; anything not listed is forbidden.
MAY_IMPORT: dict[str, set[str]] = {
    "schemas": set(),
    "domain": {"schemas"},
    "store": {"schemas", "domain"},
    "usecases": {"schemas", "domain", "store"},
    **{entry: {"schemas", "domain", "store", "usecases"} for entry in ENTRY_POINTS},
}
OURS = set(MAY_IMPORT) | {"bench", "tests"}
# The pure domain does no I/O: no database, network, broker, web framework or process control.
DOMAIN_MUST_NOT = {"sqlmodel", "sqlalchemy", "psycopg", "sqlite3", "httpx", "requests", "socket", "aiokafka",
                   "kafka", "faust", "fastapi", "starlette", "streamlit", "subprocess", "os", "asyncio", "alembic"}


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """(line, top-level module) of every absolute import in a file, including those inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name.split(".")[0]) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.split(".")[0]


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "versions" not in p.parts)


def broken_rules(package: str) -> list[str]:
    """Each import in `package` that its layer does not allow, as 'file:line imports X'."""
    allowed = MAY_IMPORT[package] | {package}
    found = []
    for path in sources(package):
        for line, top in imports_of(path):
            if (top in OURS and top not in allowed) or (package == "domain" and top in DOMAIN_MUST_NOT):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {top}")
    return found


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_each_package_imports_only_the_layers_below_it(package: str) -> None:
    assert sources(package), f"{package}/ has no Python files: the layer map is out of date"
    assert broken_rules(package) == []


def test_every_top_level_package_has_a_place_in_the_layers() -> None:
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    assert packages - OURS == set(), "a new top-level package needs a row in MAY_IMPORT"


def test_the_check_finds_an_import_that_goes_upwards(tmp_path: Path) -> None:
    upward = tmp_path / "m.py"
    upward.write_text("def f():\n    from services.api import app\n    import sqlmodel\n", encoding="utf-8")
    assert list(imports_of(upward)) == [(2, "services"), (3, "sqlmodel")]
