"""/docs and /redoc render in real headless Chromium with every other host unreachable,
and break no rule of their Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Route, async_playwright

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")  # Debian's, as the e2e tests use (see the Makefile)


async def test_the_docs_render_offline_under_their_csp(live_url: str) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    foreign: list[str] = []
    violations: list[str] = []

    async def only_this_origin(route: Route) -> None:
        if route.request.url.startswith(live_url):
            await route.continue_()
        else:
            foreign.append(route.request.url)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            context = await browser.new_context()
            await context.route("**/*", only_this_origin)
            page = await context.new_page()
            page.on("console", lambda m: violations.append(m.text)
                    if "Content Security Policy" in m.text else None)

            await page.goto(f"{live_url}/docs")
            await page.wait_for_selector(".opblock-summary-path", timeout=15_000)
            paths = await page.locator(".opblock-summary-path").all_inner_texts()
            assert "/v1/actors/{slug}/timeline" in paths
            assert not violations, violations
            assert not foreign, foreign

            await page.goto(f"{live_url}/redoc")
            await page.wait_for_selector("h2:has-text('Timeline')", timeout=15_000)
            # ReDoc's footer logo lives on its CDN: the CSP blocks it, nothing else.
            assert all("cdn.redoc.ly" in v for v in violations), violations
        finally:
            await browser.close()
