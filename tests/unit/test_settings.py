"""One environment naming for every process: DATABASE_URL and REDIS_URL bare, NEWSLINE_* else."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from newsline_api.settings import ApiSettings
from newsline_cli.main import build_parser, main
from newsline_contracts.settings import StreamSettings
from newsline_ingest.settings import IngestSettings
from newsline_timeline.settings import TimelineSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No Newsline variable from the test run's own environment leaks in."""
    for name in ("DATABASE_URL", "REDIS_URL", "NEWSLINE_STREAM_PREFIX", "NEWSLINE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_bare_field_name_in_the_environment_is_not_read(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    for name, value in {"API_KEY": "x", "READ_KEY": "y", "STREAM_PREFIX": "other",
                        "BATCH_SIZE": "7", "MAX_BODY_BYTES": "4096"}.items():
        clean_environment.setenv(name, value)
    ingest, timeline, api = IngestSettings(), TimelineSettings(), ApiSettings()
    assert ingest.api_key == [] and ingest.read_key == [] and api.api_key == []
    assert ingest.stream_prefix == timeline.stream_prefix == "newsline"
    assert timeline.batch_size == 100 and ingest.max_body_bytes == 2_000_000


def test_every_process_reads_the_same_urls_and_prefix(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    clean_environment.setenv("DATABASE_URL", "postgresql://db.test/n")
    clean_environment.setenv("REDIS_URL", "redis://redis.test/1")
    clean_environment.setenv("NEWSLINE_STREAM_PREFIX", "tenant")
    ingest, timeline, api = IngestSettings(), TimelineSettings(), ApiSettings()
    assert timeline.database_url == api.database_url == "postgresql://db.test/n"
    assert ingest.redis_url == timeline.redis_url == "redis://redis.test/1"
    assert ingest.stream_names.articles == timeline.stream_names.articles == "tenant.articles"
    replay = build_parser(["replay"]).parse_args(["replay"])
    assert (replay.redis_url, replay.prefix) == ("redis://redis.test/1", "tenant")


def test_documented_newsline_variables_are_read(clean_environment: pytest.MonkeyPatch) -> None:
    for name, value in {"NEWSLINE_API_KEY": "k1,k2", "NEWSLINE_RATE_LIMIT": "3",
                        "NEWSLINE_MAX_QUEUED_EXTRACTIONS": "2", "NEWSLINE_RETRY_AFTER": "9",
                        "NEWSLINE_KNOWLEDGE_DIR": "/k", "NEWSLINE_BATCH_SIZE": "20",
                        "NEWSLINE_STREAM_RETENTION": "off", "NEWSLINE_ETAG_POLL_MS": "0",
                        "NEWSLINE_CORS_ORIGINS": "https://a.test"}.items():
        clean_environment.setenv(name, value)
    ingest, timeline, api = IngestSettings(), TimelineSettings(), ApiSettings()
    assert [k.get_secret_value() for k in ingest.api_key] == ["k1", "k2"]
    assert (ingest.rate_per_s, ingest.max_queued, ingest.retry_after_s) == (3, 2, 9)
    assert str(ingest.knowledge_dir) == "/k"
    assert (timeline.batch_size, timeline.stream_retention) == (20, "off")
    assert (api.etag_poll_ms, api.cors_origins) == (0, ["https://a.test"])
    assert [k.get_secret_value() for k in api.api_key] == ["k1", "k2"]


def test_code_builds_settings_by_field_name_and_a_wrong_name_fails() -> None:
    built = IngestSettings(redis_url="redis://r.test/0", stream_prefix="t", rate_per_s=0)
    assert (built.redis_url, built.stream_prefix, built.rate_per_s) == ("redis://r.test/0", "t", 0)
    assert TimelineSettings(database_url="postgresql://d.test/x").database_url.endswith("/x")
    with pytest.raises(ValidationError, match="stream_prefx"):
        StreamSettings(stream_prefx="typo")  # type: ignore[call-arg]


def test_a_command_that_needs_a_database_is_never_given_a_guessed_one(
    clean_environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "--downgrade", "base"]) == 2
    assert "set DATABASE_URL or pass --database-url" in capsys.readouterr().err
    clean_environment.setenv("DATABASE_URL", "postgresql://db.test/n")
    args = build_parser(["reextract"]).parse_args(["reextract"])
    assert args.database_url == "postgresql://db.test/n"
