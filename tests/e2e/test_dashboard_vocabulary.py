"""The dashboard's vocabulary is the api's (`GET /v1/vocabulary`), never a copy in its JS."""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.browsing import open_dashboard, timeline
from tests.support.newsline_up import Running

pytestmark = pytest.mark.e2e


def _type_options(page: Page) -> list[str]:
    options = page.locator("#f-type option")
    expect(options.first).to_be_attached()
    values: list[str] = options.evaluate_all("(all) => all.map((o) => o.value)")
    return values[1:]  # after "all types"


def test_the_type_filter_lists_the_apis_event_types_in_its_order(
    page: Page, newsline: Running,
) -> None:
    served = httpx.get(f"{newsline.api}/v1/vocabulary", timeout=10).json()
    open_dashboard(page, newsline.api, "#actor=openai")
    assert _type_options(page) == served["event_types"]


def test_a_vocabulary_the_api_changes_is_what_the_dashboard_shows(
    page: Page, newsline: Running,
) -> None:
    # Served a different vocabulary, the dashboard follows it: nothing in its JS decides.
    served = httpx.get(f"{newsline.api}/v1/vocabulary", timeout=10).json()
    changed = {**served, "event_types": ["policy", "offer", "recall_notice"],
               "response_triggers": []}

    def answer(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(changed))

    block = next(e for e in timeline(newsline.api, "openai") if e["type"] == "access_block")
    page.route("**/v1/vocabulary", answer)
    open_dashboard(page, newsline.api, f"#actor=openai&event={block['id']}")
    assert _type_options(page) == ["policy", "offer", "recall_notice"]
    # No type answers to the responses view now, so a block offers no "Who responded".
    panel = page.locator("#evidence-panel")
    expect(panel.locator(".summary.big")).to_have_text(block["summary"])
    expect(panel.get_by_role("button", name="Who responded")).to_have_count(0)


def test_without_a_vocabulary_the_dashboard_still_shows_the_timeline(
    page: Page, newsline: Running,
) -> None:
    page.route("**/v1/vocabulary", lambda route: route.fulfill(status=503, body="{}"))
    open_dashboard(page, newsline.api, "#actor=openai")
    expect(page.locator("#timeline-title")).to_have_text("OpenAI")
    assert _type_options(page) == []
    expect(page.locator("#status")).to_contain_text("vocabulary could not be read")
