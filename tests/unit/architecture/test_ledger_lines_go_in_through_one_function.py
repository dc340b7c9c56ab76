"""Issue 19: every ledger line goes in through store.ledger.append_entries, which keeps the daily read model in the
same transaction — so no writer can add a line the overview would never see.

Read with `ast` from the product's source files: a new `LedgerEntry(...)`, `insert_rows(…, LedgerEntry, …)`,
`insert(LedgerEntry)` or SQL text inserting into ledger_entry outside store/ledger.py fails here. (Migrations and
benchmark bulk loads are not product writers: a benchmark rebuilds the read model after its load.)
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WRITERS = ("store", "usecases", "streams", "services", "dashboard")
THE_ONE_WAY = ROOT / "store" / "ledger.py"


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | \
        {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def ledger_writes(path: Path, root: Path = ROOT) -> list[str]:
    """`file:line what` for each way this file could write ledger lines itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if func == "LedgerEntry":
                found.append(f"{path.relative_to(root)}:{node.lineno} LedgerEntry(...)")
            elif func in ("insert_rows", "insert") and any("LedgerEntry" in _names(a) for a in node.args):
                found.append(f"{path.relative_to(root)}:{node.lineno} {func}(LedgerEntry)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and "insert into ledger_entry" in " ".join(node.value.lower().split()):
            found.append(f"{path.relative_to(root)}:{node.lineno} SQL inserting into ledger_entry")
    return found


def test_no_product_code_but_store_ledger_appends_ledger_lines() -> None:
    files = [p for package in WRITERS for p in (ROOT / package).rglob("*.py")
             if "migrations" not in p.parts and p != THE_ONE_WAY]
    assert files
    assert [w for p in files for w in ledger_writes(p)] == []


def test_the_scan_sees_each_way_of_writing_a_line(tmp_path: Path) -> None:
    sample = tmp_path / "writer.py"
    sample.write_text("session.add(LedgerEntry(entry_key='k'))\ninsert_rows(session, LedgerEntry, rows)\n"
                      "conn.execute(insert(LedgerEntry), rows)\nsql = 'INSERT INTO  ledger_entry (a) VALUES (1)'\n",
                      encoding="utf-8")
    assert len(ledger_writes(sample, tmp_path)) == 4
