"""The time axis, conflicts on the card and the phone layout, in real headless Chromium.

The events are published to the running stack's stream (see `corpus.py`), so the real
consumer stores them and the real api serves them; only extraction is skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import get_args

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from newsline_contracts import DateBasis
from tests.e2e import corpus
from tests.e2e.browsing import SCREENSHOTS, open_dashboard, timeline, wait_until
from tests.support.factories import article, event
from tests.support.newsline_up import Running

pytestmark = pytest.mark.e2e

BULK = 5000
UNDATED = "received" if "received" in get_args(DateBasis) else "reported"
D = dt.date


def _count(api: str, slug: str) -> int:
    body = httpx.get(f"{api}/v1/actors", params={"q": slug}, timeout=10).json()
    return next((a["event_count"] for a in body["data"] if a["slug"] == slug), -1)


@pytest.fixture(scope="module")
def corpus_loaded(stack: Running) -> Running:
    """A few actors with exactly the dates, amounts and bases the tests look at."""
    messages = [
        article(event("axis-co", "announcement", D(2024, 1, 10), name="Axis Co")),
        article(event("axis-co", "policy", D(2024, 1, 11), name="Axis Co")),
        article(event("axis-co", "partnership", D(2025, 1, 10), name="Axis Co")),
        article(event("axis-co", "product_launch", D(2024, 6, 1), "month", name="Axis Co")),
        article(event("axis-co", "offer", D(2025, 3, 4), name="Axis Co", basis=UNDATED)),
        # One offer two sources report with different amounts, and one a day later.
        article(
            event("conflict-co", "offer", D(2025, 3, 4), name="Conflict Co",
                  quantity=(10_000_000, "tokens")),
            source="Reuters",
        ),
        article(
            event("conflict-co", "offer", D(2025, 3, 4), name="Conflict Co",
                  quantity=(12_000_000, "tokens")),
            source="Heise", language="de",
        ),
        article(
            event("conflict-co", "offer", D(2025, 3, 5), name="Conflict Co",
                  quantity=(10_000_000, "tokens")),
            source="Caixin",
        ),
        # A block and a rival's answer, for the responses view on a phone.
        article(
            event("block-co", "access_block", D(2025, 2, 1), name="Block Co"),
            event("rival-co", "offer", D(2025, 2, 3), name="Rival Co", others=("block-co",),
                  quantity=(5_000_000, "tokens")),
        ),
        corpus.idle_actor("idle-co"),
        *corpus.bulk("bulk-co", BULK),
    ]
    corpus.publish(stack, messages)
    wait_until(lambda: _count(stack.api, "bulk-co") == BULK, 120, f"{BULK} bulk events")
    wait_until(lambda: len(timeline(stack.api, "conflict-co")) == 2, 30, "the conflict events")
    wait_until(lambda: len(timeline(stack.api, "axis-co")) == 5, 30, "the axis events")
    return stack


def _mark(page: Page, date: str, lane: str = "#time-axis") -> Locator:
    return page.locator(f"{lane} .mk[data-date='{date}']")


def _centre(mark: Locator) -> tuple[float, float]:
    box = mark.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _axis_ready(page: Page, count: int, lane: str = "#time-axis") -> None:
    if lane == "#time-axis":
        expect(page.locator(lane)).to_have_attribute("data-state", "ready", timeout=60_000)
    expect(page.locator(f"{lane} .mk")).to_have_count(count, timeout=60_000)


def test_the_axis_spaces_events_by_date_and_draws_a_month_as_a_bar(
    page: Page, corpus_loaded: Running,
) -> None:
    open_dashboard(page, corpus_loaded.api, "#actor=axis-co")
    _axis_ready(page, 5)
    day0, _ = _centre(_mark(page, "2024-01-10"))
    day1, _ = _centre(_mark(page, "2024-01-11"))
    year1, _ = _centre(_mark(page, "2025-01-10"))
    assert year1 - day0 > 100 * abs(day1 - day0), (day0, day1, year1)
    assert year1 - day0 > 300  # most of the axis width, on a 1360 px window
    month = _mark(page, "2024-06-01").bounding_box()
    tick = _mark(page, "2024-01-10").bounding_box()
    assert month and tick and month["width"] > 5 * tick["width"], (month, tick)
    expect(_mark(page, "2024-06-01")).to_have_class(re.compile(r"\bp-month\b"))
    # An event the article did not date is drawn and labelled as such.
    expect(_mark(page, "2025-03-04")).to_have_class(re.compile(rf"\bb-{UNDATED}\b"))
    card = page.locator(".event-card").filter(has_text="offer on 2025-03-04")
    expect(card).to_have_class(re.compile(rf"\bbasis-{UNDATED}\b"))

    # Zoom with the keyboard: the day-apart marks move apart.
    axis = page.locator("#time-axis .axis-detail")
    axis.focus()
    before = abs(day1 - day0)
    page.keyboard.press("Home")
    for _ in range(5):
        page.keyboard.press("+")
    page.wait_for_timeout(100)
    after = abs(_centre(_mark(page, "2024-01-11"))[0] - _centre(_mark(page, "2024-01-10"))[0])
    assert after > 10 * max(before, 0.5), (before, after)
    # Step to an event and open it with Enter; Escape returns to the axis.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#time-axis [aria-live]")).to_contain_text("10 Jan 2024")
    page.keyboard.press("Enter")
    panel = page.locator("#evidence-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".summary.big")).to_have_text("Axis Co did announcement on 2024-01-10.")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(axis).to_be_focused()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.keyboard.press("0")
    page.wait_for_timeout(400)  # the marks settle at the new scale
    page.screenshot(path=str(SCREENSHOTS / "time-axis.png"))


def test_brushing_the_density_strip_sets_from_and_to(page: Page, corpus_loaded: Running) -> None:
    open_dashboard(page, corpus_loaded.api, "#actor=axis-co")
    _axis_ready(page, 5)
    strip = page.locator("#time-axis .axis-overview").bounding_box()
    assert strip is not None
    y = strip["y"] + 15
    page.mouse.move(strip["x"] + 4, y)
    page.mouse.down()
    page.mouse.move(strip["x"] + strip["width"] * 0.3, y, steps=5)
    page.mouse.move(strip["x"] + strip["width"] * 0.6, y, steps=5)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d"))
    found = re.search(r"from=([\d-]+)&to=([\d-]+)", page.url)
    assert found is not None
    start, end = found.groups()
    expect(page.locator("#f-from")).to_have_value(start)
    expect(page.locator("#f-to")).to_have_value(end)
    assert start <= "2024-01-10" and "2024-06-01" <= end < "2025-01-10", (start, end)
    dates = page.locator(".tl-item .tl-date time")
    expect(dates).to_have_count(3)
    assert all(start <= d <= end for d in dates.evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('datetime'))"))
    # The strip still spans every event, with the range drawn on it; Clear lifts it.
    expect(page.locator("#time-axis .mk")).to_have_count(5)
    expect(page.locator("#time-axis .brush")).to_have_attribute("visibility", "visible")
    page.get_by_role("button", name="Clear the date range").click()
    expect(page).to_have_url(f"{corpus_loaded.api}/#actor=axis-co")
    expect(dates).to_have_count(5)
    # Without a pointer: zoom with the keys, then set the range to what the axis shows.
    page.locator("#time-axis .axis-detail").focus()
    page.keyboard.press("End")
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.get_by_role("button", name="Set From and To to the range in view").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d"))
    expect(dates).not_to_have_count(5)


def test_compare_lanes_share_one_axis(page: Page, corpus_loaded: Running) -> None:
    open_dashboard(page, corpus_loaded.api, "#compare=axis-co,conflict-co")
    lanes = "#compare-axis"
    _axis_ready(page, 7, lanes)
    expect(page.locator(f"{lanes} svg.axis-detail")).to_have_count(1)
    expect(page.locator(f"{lanes} .lane-label")).to_have_text(
        [re.compile("^Axis Co"), re.compile("^Conflict Co")])
    marks = _mark(page, "2025-03-04", lanes)
    expect(marks).to_have_count(2)  # Axis Co's offer and Conflict Co's, same day
    (xa, ya), (xb, yb) = _centre(marks.nth(0)), _centre(marks.nth(1))
    assert abs(xa - xb) < 0.5 and yb > ya, ((xa, ya), (xb, yb))
    page.locator(f"{lanes} .axis-detail").focus()
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.wait_for_timeout(100)
    (xa2, _), (xb2, _) = _centre(marks.nth(0)), _centre(marks.nth(1))
    assert abs(xa2 - xb2) < 0.5 and xa2 != pytest.approx(xa, abs=1), (xa, xa2, xb2)
    page.keyboard.press("0")
    page.wait_for_timeout(400)  # the marks settle at the new scale
    page.screenshot(path=str(SCREENSHOTS / "compare-lanes.png"))


def _width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_nothing_overflows_a_390px_phone(phone: Page, corpus_loaded: Running) -> None:
    api = corpus_loaded.api
    block = next(e for e in timeline(api, "block-co") if e["type"] == "access_block")
    open_dashboard(phone, api, "#actor=axis-co")
    _axis_ready(phone, 5)
    assert _width(phone) <= 390, f"timeline is {_width(phone)}px wide"
    phone.screenshot(path=str(SCREENSHOTS / "phone-timeline.png"))
    phone.goto(f"{api}/#compare=axis-co,conflict-co,block-co,rival-co")
    _axis_ready(phone, 10, "#compare-axis")
    expect(phone.locator("table.compare tbody tr").first).to_be_visible()
    assert _width(phone) <= 390, f"compare is {_width(phone)}px wide"
    phone.screenshot(path=str(SCREENSHOTS / "phone-compare.png"))
    phone.goto(f"{api}/#responses={block['id']}")
    expect(phone.locator("#responses table.responses tbody tr")).to_have_count(1)
    assert _width(phone) <= 390, f"responses is {_width(phone)}px wide"
    phone.screenshot(path=str(SCREENSHOTS / "phone-responses.png"))


def test_load_more_shows_only_with_a_next_cursor(page: Page, corpus_loaded: Running) -> None:
    api = corpus_loaded.api
    first = httpx.get(f"{api}/v1/actors/axis-co/timeline", timeout=10).json()
    assert first["next_cursor"] is None
    open_dashboard(page, api, "#actor=axis-co")
    expect(page.locator(".tl-item")).to_have_count(5)
    expect(page.locator("#more")).to_be_hidden()
    busy = httpx.get(f"{api}/v1/actors/bulk-co/timeline", timeout=10).json()
    assert busy["next_cursor"]
    page.goto(f"{api}/#actor=bulk-co")
    expect(page.locator(".tl-item").nth(49)).to_be_attached()
    expect(page.locator("#more")).to_be_visible()


def test_a_card_whose_sources_disagree_says_so_and_links_its_possible_duplicate(
    page: Page, corpus_loaded: Running,
) -> None:
    open_dashboard(page, corpus_loaded.api, "#actor=conflict-co")
    _axis_ready(page, 2)
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


def test_the_evidence_panel_closes_when_the_view_changes(
    page: Page, corpus_loaded: Running,
) -> None:
    open_dashboard(page, corpus_loaded.api, "#actor=axis-co")
    page.locator(".event-card").first.click()
    panel = page.locator("#evidence-panel")
    expect(panel).to_be_visible()
    page.locator("#tab-compare").click()
    expect(page.locator("#compare-panel")).to_be_visible()
    expect(panel).to_be_hidden()


def test_actors_without_events_wait_behind_a_button(page: Page, corpus_loaded: Running) -> None:
    open_dashboard(page, corpus_loaded.api, "#actor=axis-co")
    actors = page.locator("#actor-list button.actor")
    expect(actors.filter(has_text="Axis Co")).to_have_count(1)
    expect(actors.filter(has_text="Idle Co")).to_have_count(0)
    page.locator(".show-empty").click()
    expect(actors.filter(has_text="Idle Co")).to_have_count(1)
    page.locator("#actor-search").fill("idle")
    expect(actors.filter(has_text="Idle Co")).to_have_count(1)


FRAMES_JS = """async (steps) => {
  const axis = document.querySelector('#time-axis .axis-detail');
  const box = axis.getBoundingClientRect();
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const times = [];
  let last = await frame();
  for (let i = 0; i < steps; i += 1) {
    axis.dispatchEvent(new WheelEvent('wheel', { deltaY: i < steps / 2 ? -120 : 120,
      clientX: box.left + box.width / 2, clientY: box.top + 30, bubbles: true, cancelable: true }));
    const now = await frame();
    times.push(now - last);
    last = now;
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], worst: times[times.length - 1] };
}"""


def test_five_thousand_events_on_one_actor_render_and_scroll(
    page: Page, corpus_loaded: Running,
) -> None:
    started = time.perf_counter()
    open_dashboard(page, corpus_loaded.api, "#actor=bulk-co")
    _axis_ready(page, BULK)
    rendered = time.perf_counter() - started
    for basis in get_args(DateBasis):  # each basis drawn with a look of its own
        look = "stated" if basis in ("stated", "relative") else basis
        assert page.locator(f"#time-axis .mk.b-{look}").count() > 0, basis
    load_ms = page.locator("#time-axis").get_attribute("data-load-ms")
    page.screenshot(path=str(SCREENSHOTS / "time-axis-5000.png"))
    frames = page.evaluate(FRAMES_JS, 40)
    # Scroll the list down: pages of 50 load as the end comes into view.
    started = time.perf_counter()
    for _ in range(200):
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(50)
        if page.locator(".tl-item").count() >= 500:
            break
    cards = page.locator(".tl-item").count()
    scrolled = time.perf_counter() - started
    print(
        f"\n{BULK} events on one actor: axis drawn {rendered:.2f} s after navigation "
        f"(all {BULK} fetched in {load_ms} ms); zoom frames median {frames['median']:.1f} ms, "
        f"worst {frames['worst']:.1f} ms; list scrolled to {cards} cards in {scrolled:.2f} s",
    )
    assert cards >= 500, f"only {cards} cards after scrolling"
    assert rendered < 30, rendered
    assert frames["median"] < 100, frames


RULES_JS = """async () => {
  const t = await import('/static/js/timescale.js');
  const c = await import('/static/js/conflicts.js');
  const ev = (id, date, precision = 'day', extra = {}) => ({ id, date, date_precision: precision,
    type: 'offer', actors: [{ slug: 'a', name: 'A', role: 'subject' }], ...extra });
  const span = (e) => { const [s, f] = t.eventSpan(e); return f - s; };
  const dups = c.duplicateIndex([
    ev('jul9', '2024-07-09'), ev('jul10', '2024-07-10'), ev('jul12', '2024-07-12'),
    ev('july', '2024-07-01', 'month'), ev('aug', '2024-08-01', 'month'),
    ev('other', '2024-07-09', 'day', { actors: [{ slug: 'b', name: 'B', role: 'subject' }] }),
  ]);
  const ids = (id) => (dups.get(id) || []).map((e) => e.id).sort();
  return {
    days: [span(ev('d', '2024-02-29')), span(ev('m', '2024-02-01', 'month')),
      span(ev('y', '2024-01-01', 'year'))],
    ticks: t.timeTicks(t.dayNumber('2021-01-01'), t.dayNumber('2026-01-01'), 400).ticks
      .map((k) => k.label),
    jul9: ids('jul9'), jul12: ids('jul12'), aug: ids('aug'), other: ids('other'),
    amounts: c.disagreements({ sources: [
      { source: 'A', quantity: { value: 1, unit: 'USD' } },
      { source: 'B', quantity: { value: 2, unit: 'USD' } }] }).map((d) => d.kind),
  };
}"""


def test_spans_ticks_and_duplicate_rules(page: Page, stack: Running) -> None:
    open_dashboard(page, stack.api, "#actor=axis-co")
    found = page.evaluate(RULES_JS)
    assert found["days"] == [1, 29, 366]  # a leap day, a leap February, a leap year
    assert found["ticks"] == ["2021", "2022", "2023", "2024", "2025", "2026"]
    assert found["jul9"] == ["jul10", "july"]  # a day apart, and within its month
    assert found["jul12"] == ["july"]          # three days from the 9th: not the same
    assert found["aug"] == []                  # August is not July
    assert found["other"] == []                # another actor's offer is another event
    assert found["amounts"] == ["amount"]
