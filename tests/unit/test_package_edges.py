"""The pure packages stay pure: importing them loads no client library and no framework."""

from __future__ import annotations

import subprocess
import sys

import pytest

CLIENTS = ("redis", "faststream", "sqlalchemy", "asyncpg", "fastapi", "starlette", "httpx")


@pytest.mark.parametrize("modules", [
    "newsline_contracts, newsline_contracts.settings, newsline_contracts.logs",
    "newsline_engine",
    "newsline_vocabulary",
])
def test_a_pure_package_imports_no_client_library(modules: str) -> None:
    probe = (f"import sys, {modules}\n"
             f"print(','.join(m for m in {CLIENTS!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "", f"{modules} loaded {loaded}"

