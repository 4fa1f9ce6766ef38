"""The lock files pin every dependency pyproject.toml names, runtime and development alike."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    return {k.lower().replace("_", "-"): v
            for k, v in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def _names(specs: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", spec, maxsplit=1)[0].lower().replace("_", "-")
            for spec in specs}


def test_every_dependency_is_pinned_in_the_lock_it_is_installed_from() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    run, dev = _pins("run.txt"), _pins("dev.txt")
    missing_run = _names(project["dependencies"]) - set(run)
    missing_dev = _names(project["optional-dependencies"]["dev"]) - set(dev)
    assert not missing_run, f"run `make lock`: not pinned in requirements/run.txt: {missing_run}"
    assert not missing_dev, f"run `make lock`: not pinned in requirements/dev.txt: {missing_dev}"


def test_the_development_lock_runs_the_same_releases_as_the_runtime_lock() -> None:
    run, dev = _pins("run.txt"), _pins("dev.txt")
    assert {k: (v, dev.get(k)) for k, v in run.items() if dev.get(k) != v} == {}


def test_make_run_installs_only_the_runtime_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pytest" not in _pins("run.txt") and "playwright" not in _pins("run.txt")
    assert re.search(r"^run: \$\(RUN_STAMP\)$", makefile, re.M)
    assert "requirements/run.txt" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
