"""Helpers the browser tests share: reading a timeline, waiting, opening the dashboard."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx
from playwright.sync_api import Page, expect

from tests.support.newsline_up import ROOT

T = TypeVar("T")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def timeline(api: str, slug: str) -> list[dict]:
    """The first 200 events of `slug`'s timeline, or [] while it has none."""
    response = httpx.get(f"{api}/v1/actors/{slug}/timeline", params={"limit": 200}, timeout=10)
    return response.json()["data"] if response.status_code == 200 else []


def wait_until(check: Callable[[], T], timeout: float, what: str) -> T:
    """Poll `check` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def open_dashboard(page: Page, api: str, hash_: str) -> None:
    """Load the dashboard at `hash_` and wait until its live feed has started."""
    page.goto(f"{api}/{hash_}")
    expect(page.locator("#live")).not_to_have_attribute("data-mode", "starting")
