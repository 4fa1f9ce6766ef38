"""Conflicts on the card, in real headless Chromium: sources of one event that disagree on
its date, amount or product, and events that may be the same one read twice.

The events are published to the running stack's stream (see `corpus.py`), so the real
consumer stores them and the real api serves them; only extraction is skipped.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import SCREENSHOTS, open_dashboard, timeline
from tests.support.newsline_up import Running

pytestmark = pytest.mark.e2e


def test_a_card_whose_sources_disagree_says_so_and_links_its_possible_duplicate(
    page: Page, corpus_loaded: Running,
) -> None:
    open_dashboard(page, corpus_loaded.api, "#actor=conflict-co")
    expect(page.locator(".event-card")).to_have_count(2)
    both = page.locator(".event-card").filter(has_text="offer on 2025-03-04")
    badge = both.locator(".badge.conflict")
    expect(badge).to_contain_text("sources disagree on the amount")
    expect(badge).to_have_attribute("title", re.compile(r"10M.*Reuters.*12M.*Heise|12M.*10M"))
    later = page.locator(".event-card").filter(has_text="offer on 2025-03-05")
    expect(later.locator(".badge.conflict")).to_have_count(0)
    link = later.locator(".dup-link")
    expect(link).to_have_text("possible duplicate: 4 Mar 2025 (date differs)")
    expect(both.locator(".dup-link")).to_contain_text("possible duplicate: 5 Mar 2025")
    link.click()
    panel = page.locator("#evidence-panel")
    expect(panel.locator(".summary.big")).to_have_text("Conflict Co did offer on 2025-03-04.")
    expect(panel.locator(".conflict-box:not(.duplicates)")).to_contain_text(
        "Sources disagree on the amount")
    back = panel.locator(".duplicates .dup-link")
    expect(back).to_have_text("possible duplicate: 5 Mar 2025 (date differs)")
    back.click()
    expect(panel.locator(".summary.big")).to_have_text("Conflict Co did offer on 2025-03-05.")


def test_a_card_names_a_date_and_a_product_its_sources_disagree_on(
    page: Page, corpus_loaded: Running,
) -> None:
    open_dashboard(page, corpus_loaded.api, "#actor=dispute-co")
    card = page.locator(".event-card").filter(has_text="offer on 2025-04-01")
    expect(card.locator(".badge.conflict")).to_contain_text(
        "sources disagree on the date, product")
    values = card.locator(".conflict-values li")
    expect(values).to_have_count(2)
    expect(values.nth(0)).to_contain_text(
        re.compile(r"date: 1 Apr 2025 \(.*\) vs 2 Apr 2025 \(Xinhua\)"))
    expect(values.nth(1)).to_contain_text("ERNIE 3.5 (Reuters) vs ERNIE 4.0 (Caixin)")
    card.click()
    panel = page.locator("#evidence-panel")
    expect(panel.locator(".conflict-box[data-kind=date]")).to_contain_text(
        "Sources disagree on the date")
    expect(panel.locator(".conflict-box[data-kind=date] li")).to_have_count(3)
    product = panel.locator(".conflict-box[data-kind=product]")
    expect(product.locator("li").filter(has_text="ERNIE 4.0")).to_contain_text("Caixin")
    expect(panel.locator("figure.evidence .source-date")).to_have_text(["dates it 2 Apr 2025"])
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "conflicts.png"))


def test_a_card_names_a_disagreement_of_a_source_its_page_does_not_carry(
    page: Page, corpus_loaded: Running,
) -> None:
    (offer,) = timeline(corpus_loaded.api, "quiet-co")
    assert {s["quantity"]["value"] for s in offer["sources"]} == {10_000_000}
    open_dashboard(page, corpus_loaded.api, "#actor=quiet-co")
    card = page.locator(".event-card").filter(has_text="offer on 2025-05-01")
    expect(card.locator(".badge.conflict")).to_contain_text("sources disagree on the amount")
    expect(card.locator(".conflict-values")).to_contain_text(
        "another of its 5 sources says otherwise")
    card.click()  # the panel reads every source: the one that differs is named there
    box = page.locator("#evidence-panel .conflict-box[data-kind=amount]")
    expect(box.locator("li").filter(has_text="12,000,000 tokens")).to_contain_text("Blog")
    expect(box.locator("li")).to_have_count(5)
