"""The dashboard in real headless Chromium against `newsline up` with the seed articles."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.browsing import SCREENSHOTS, overflowing
from tests.e2e.browsing import open_dashboard as _open
from tests.e2e.browsing import timeline as _timeline
from tests.e2e.browsing import wait_until as _wait_until
from tests.support.newsline_up import Running

pytestmark = pytest.mark.e2e

POLL_S = 3  # the dashboard's change-feed poll interval (POLL_MS in static/js/live.js)
XSS_TEXT = (
    "Acme Cloud Ltd. announced on 2 May 2025 that it will offer 10 million free tokens "
    "<img src=x onerror=window.__pwned=2> to developers <script>window.__pwned=1</script>."
)
XSS_TITLE = "Acme <b>news</b> <script>window.__pwned=3</script>"


def _card(page: Page, text: str) -> Locator:
    return page.locator("section:not([hidden]) .event-card").filter(has_text=text)


def test_the_readme_pictures_at_desktop_and_phone_size(
    page: Page, phone: Page, newsline: Running,
) -> None:
    # First in the package's run (files sort before test_sources_disagree and
    # test_time_axis, which add their own actors): the dashboard shows only the seeds.
    block = next(e for e in _timeline(newsline.api, "openai") if e["type"] == "access_block")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _open(page, newsline.api, f"#actor=openai&event={block['id']}")
    expect(page.locator("#evidence-panel blockquote")).to_have_count(2)
    expect(page.locator("#time-axis")).to_have_attribute("data-state", "ready")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(400)  # the axis's marks settle
    page.screenshot(path=str(SCREENSHOTS / "desktop.png"))

    _open(phone, newsline.api, "#actor=openai")
    expect(phone.locator("#time-axis")).to_have_attribute("data-state", "ready")
    expect(_card(phone, "OpenAI blocks access")).to_be_visible()
    assert overflowing(phone) == []
    phone.evaluate("""() => {  // the timeline's title just under the sticky header
      const header = document.querySelector('header.top').getBoundingClientRect().height;
      const top = document.querySelector('#timeline-panel').getBoundingClientRect().top;
      window.scrollTo(0, top + window.scrollY - header - 8);
    }""")
    phone.wait_for_timeout(400)
    phone.screenshot(path=str(SCREENSHOTS / "phone.png"))


def test_seed_timelines_show_with_sources_evidence_and_amounts(
    page: Page, newsline: Running,
) -> None:
    _open(page, newsline.api, "#actor=openai")
    expect(page.locator("#timeline-title")).to_have_text("OpenAI")
    block = _card(page, "OpenAI blocks access")
    expect(block.locator(".badge")).to_have_text("access block")
    item = page.locator(".tl-item").filter(has_text="OpenAI blocks access")
    expect(item.locator(".tl-date time")).to_have_attribute("datetime", "2024-07-09")
    expect(item.locator(".tl-date")).to_contain_text("9 Jul 2024")
    # Seeds are posted concurrently, so which source came first varies.
    languages = block.locator(".sources .lang")
    expect(languages).to_have_count(2)
    assert sorted(t.strip().lower() for t in languages.all_inner_texts()) == ["de", "en"]

    block.click()
    panel = page.locator("#evidence-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("blockquote")).to_have_count(2)
    expect(panel.locator("blockquote mark.hl-actor").first).to_have_text("OpenAI")
    dates = panel.locator("blockquote mark.hl-date")
    expect(dates).to_have_count(2)
    assert sorted(dates.all_inner_texts()) == ["9. Juli 2024", "July 9, 2024"]

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    page.locator("#actor-search").fill("baid")
    page.locator("#actor-list button.actor", has_text="Baidu").click()
    expect(page).to_have_url(f"{newsline.api}/#actor=baidu")
    offer = _card(page, "50,000,000 free tokens")
    expect(offer.locator(".quantity")).to_contain_text("50,000,000 tokens")
    expect(offer.locator(".quantity .short")).to_have_text("50M")
    offer.click()
    amount = panel.locator("blockquote mark.hl-amount")
    expect(amount).to_have_text("50 Millionen kostenlose Tokens")
    expect(panel.locator("blockquote mark.hl-actor").first).to_have_text("Baidu")


def test_keyboard_opens_an_event_with_enter_and_escape_closes_it(
    page: Page, newsline: Running,
) -> None:
    _open(page, newsline.api, "#actor=openai")
    page.keyboard.press("/")
    expect(page.locator("#actor-search")).to_be_focused()
    page.keyboard.press("Tab")  # from the search box into the actor list
    expect(page.locator("#actor-list button.actor").first).to_be_focused()
    first = page.locator(".event-card").first
    first.focus()
    page.keyboard.press("ArrowDown")
    second = page.locator(".event-card").nth(1)
    expect(second).to_be_focused()
    summary = second.locator(".summary").inner_text()
    page.keyboard.press("Enter")
    panel = page.locator("#evidence-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".summary.big")).to_have_text(summary)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(second).to_be_focused()


def test_posted_article_appears_without_reload_within_one_poll(
    page: Page, newsline: Running,
) -> None:
    article = {
        "title": "OpenAI cuts prices",
        "text": "OpenAI announced on 3 March 2025 that it cut API prices by 20%.",
        "language": "en",
    }
    extracted = httpx.post(f"{newsline.ingest}/v1/extract", json=article, timeout=30).json()
    assert any(e["type"] == "price_cut" for e in extracted["events"]), extracted
    _open(page, newsline.api, "#actor=openai")
    expect(_card(page, "OpenAI blocks access")).to_be_visible()
    page.evaluate("window.__sameDocument = true")
    expect(page.locator("#live-new")).to_be_hidden()

    posted = httpx.post(f"{newsline.ingest}/v1/articles", json=article, timeout=30)
    assert posted.status_code == 202, posted.text
    _wait_until(
        lambda: any(e["type"] == "price_cut" for e in _timeline(newsline.api, "openai")),
        30, "the posted article's event in the API",
    )
    # Stored: the dashboard must show it within one poll interval (plus the fetch itself).
    new = page.locator(".tl-item.is-new").filter(has_text="20%")
    expect(new).to_be_visible(timeout=(POLL_S + 2) * 1000)
    expect(new.locator(".tl-date")).to_contain_text("3 Mar 2025")
    expect(page.locator("#live-new")).to_be_visible()
    expect(page.locator("#live-new")).to_have_text(re.compile(r"^\d+ new · updated "))
    assert page.evaluate("window.__sameDocument") is True, "the page reloaded"
    # Inserted in timeline order, between the 2024 block and the later events.
    dates = page.locator(".tl-item .tl-date time").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('datetime'))")
    assert dates == sorted(dates)


def test_html_and_script_payloads_in_articles_stay_inert_text(
    page: Page, newsline: Running,
) -> None:
    article = {"title": XSS_TITLE, "text": XSS_TEXT, "language": "en"}
    extracted = httpx.post(f"{newsline.ingest}/v1/extract", json=article, timeout=30).json()
    offer = next(e for e in extracted["events"] if e["type"] == "offer")
    assert "<img src=x" in offer["evidence"]["text"]
    slug = offer["actors"][0]["slug"]
    posted = httpx.post(f"{newsline.ingest}/v1/articles", json=article, timeout=30)
    assert posted.status_code == 202, posted.text
    _wait_until(lambda: _timeline(newsline.api, slug), 30, "the payload article's events")

    _open(page, newsline.api, f"#actor={slug}")
    card = _card(page, "10,000,000 free tokens")
    expect(card.locator(".source-title")).to_have_text(XSS_TITLE)
    card.click()
    quote = page.locator("#evidence blockquote").first
    expect(quote).to_contain_text("<img src=x onerror=window.__pwned=2>")
    expect(quote).to_contain_text("<script>window.__pwned=1</script>")
    expect(quote.locator("mark.hl-amount")).to_have_text("10 million free tokens")
    expect(quote.locator("mark.hl-date")).to_have_text("2 May 2025")
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("main img, main script, main b").count() == 0


def test_compare_view_shows_actors_side_by_side(page: Page, newsline: Running) -> None:
    _open(page, newsline.api, "#compare=openai,baidu")
    table = page.locator("table.compare")
    expect(table.locator("thead th")).to_contain_text(["Date", "OpenAI", "Baidu"])
    block_row = table.locator("tbody tr").filter(has_text="OpenAI blocks access")
    expect(block_row.locator("th time")).to_have_attribute("datetime", "2024-07-09")
    baidu_cells = table.locator("tbody tr td:nth-child(3)")
    expect(baidu_cells.filter(has_text="50,000,000 tokens")).to_have_count(1)
    page.locator("#actor-list button.actor", has_text="SenseTime").click()
    expect(table.locator("thead th")).to_contain_text(["Date", "OpenAI", "Baidu", "SenseTime"])
    page.locator("#actor-list button.actor", has_text="SenseTime").click()
    expect(table.locator("thead th")).to_have_count(3)
    page.screenshot(path=str(SCREENSHOTS / "compare.png"))


def test_responses_view_answers_for_a_block(page: Page, newsline: Running) -> None:
    block = next(e for e in _timeline(newsline.api, "openai") if e["type"] == "access_block")
    _open(page, newsline.api, f"#actor=openai&event={block['id']}")
    panel = page.locator("#evidence-panel")
    expect(panel.locator(".summary.big")).to_have_text(block["summary"])
    panel.get_by_role("button", name="Who responded").click()
    expect(page).to_have_url(f"{newsline.api}/#responses={block['id']}")
    view = page.locator("#responses")
    offered = httpx.get(f"{newsline.api}/v1/events/{block['id']}/responses", timeout=10)
    if offered.status_code == 404:
        expect(view.locator(".note")).to_contain_text("does not offer")
    else:
        expect(view.locator(".responses-head")).to_contain_text("OpenAI blocks access")
