"""docs/SECURITY.md names a test for each mitigation: every named test must exist.

References are written `file.py::test_name`, or `::test_name` for another test of the
file named last before it; a bare `file.py` must exist under tests/. A renamed or
deleted test then fails here instead of leaving the document claiming a proof.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "SECURITY.md"
TESTS = ROOT / "tests"
_REFERENCE = re.compile(r"`(?P<file>(?:[\w./-]*/)?test_\w+\.py)?(?:::(?P<name>\w+))?`")


def _references() -> list[tuple[str, str | None]]:
    """(file as written, test name or None) for every reference, in the document's order."""
    found: list[tuple[str, str | None]] = []
    current: str | None = None
    for match in _REFERENCE.finditer(DOC.read_text(encoding="utf-8")):
        file, name = match["file"], match["name"]
        if not file and not name:
            continue
        current = file or current
        assert current, f"`::{name}` comes before any test file is named"
        found.append((current, name))
    return found


def _files(written: str) -> list[Path]:
    if "/" in written:
        return [p for p in [ROOT / written] if p.is_file()]
    return sorted(TESTS.rglob(written))


@cache
def _test_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree)
                     if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


def test_the_document_names_tests() -> None:
    assert sum(1 for _, name in _references() if name) >= 50


def test_every_test_the_security_document_names_exists() -> None:
    missing = []
    for written, name in _references():
        files = _files(written)
        if not files:
            missing.append(f"{written} (no such file under tests/)")
        elif name and not any(name in _test_names(f) for f in files):
            missing.append(f"{written}::{name}")
    assert not missing, "docs/SECURITY.md names tests that do not exist:\n" + "\n".join(missing)
