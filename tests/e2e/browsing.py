"""Helpers the browser tests share: reading a timeline, waiting, opening the dashboard."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

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


def timeline(api: str, slug: str) -> list[dict[str, Any]]:
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


# Every visible element that reaches past the screen's edges, unless an ancestor clips it
# (the axis's plot hides what is zoomed out of view), and every box that scrolls sideways.
OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const name = (n) => n.tagName.toLowerCase() + (n.id ? '#' + n.id : '')
    + (n.classList.length ? '.' + [...n.classList].join('.') : '');
  const clipped = (n) => {
    for (let a = n.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const found = [];
  for (const n of document.querySelectorAll('body *')) {
    const style = getComputedStyle(n);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const box = n.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // screen-reader-only text, empty slots
    // Wholly left of the screen is a skip link waiting for focus: it widens nothing.
    if ((box.right > width + 1 || (box.left < -1 && box.right > 0)) && !clipped(n)) {
      found.push(`${name(n)} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
    if (style.overflowX !== 'visible' && style.overflowX !== 'hidden'
        && n.scrollWidth > n.clientWidth + 1) {
      found.push(`${name(n)} scrolls sideways (${n.scrollWidth} > ${n.clientWidth})`);
    }
  }
  return found.slice(0, 12);
}"""


def overflowing(page: Page) -> list[str]:
    """What sticks out of the screen sideways, or scrolls sideways within it (nothing, ideally)."""
    found: list[str] = page.evaluate(OVERFLOWING_JS)
    width, viewport = page.evaluate("document.documentElement.scrollWidth"), page.viewport_size
    if viewport and width > viewport["width"]:
        found.insert(0, f"the page is {width} px wide")
    return found
