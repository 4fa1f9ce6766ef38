"""The time axis, the phone layout and the list's paging, in real headless Chromium.

The events are published to the running stack's stream (see `corpus.py`), so the real
consumer stores them and the real api serves them; only extraction is skipped.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import get_args

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from newsline_contracts import DateBasis
from tests.e2e import corpus
from tests.e2e.browsing import SCREENSHOTS, open_dashboard, overflowing, timeline
from tests.support.newsline_up import Running

pytestmark = pytest.mark.e2e

BULK = corpus.BULK
UNDATED = corpus.UNDATED


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


def test_nothing_overflows_a_390px_phone(phone: Page, corpus_loaded: Running) -> None:
    api = corpus_loaded.api
    block = next(e for e in timeline(api, "block-co") if e["type"] == "access_block")
    open_dashboard(phone, api, "#actor=axis-co")
    _axis_ready(phone, 5)
    assert overflowing(phone) == [], "timeline"
    phone.screenshot(path=str(SCREENSHOTS / "phone-timeline.png"))
    # Cards with the longest lines: what their sources disagree on, and a duplicate link.
    for slug in ("dispute-co", "conflict-co"):
        phone.goto(f"{api}/#actor={slug}")
        expect(phone.locator(".event-card .badge.conflict").first).to_be_visible()
        assert overflowing(phone) == [], f"{slug}'s timeline"
    phone.locator(".event-card").filter(has=phone.locator(".badge.conflict")).click()
    panel = phone.locator("#evidence-panel")
    expect(panel.locator(".conflict-box").first).to_be_visible()
    expect(panel.locator("figure.evidence")).to_have_count(2)  # every source, read in full
    assert overflowing(phone) == [], "the evidence panel"
    phone.keyboard.press("Escape")
    phone.goto(f"{api}/#compare=axis-co,conflict-co,block-co,rival-co")
    _axis_ready(phone, 10, "#compare-axis")
    expect(phone.locator("table.compare tbody tr").first).to_be_visible()
    assert overflowing(phone) == [], "compare"
    phone.screenshot(path=str(SCREENSHOTS / "phone-compare.png"))
    phone.goto(f"{api}/#responses={block['id']}")
    expect(phone.locator("#responses table.responses tbody tr")).to_have_count(1)
    assert overflowing(phone) == [], "responses"
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
    page: Page, corpus_loaded: Running, figure: Callable[[str], None],
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
    figure(
        f"{BULK} events on one actor: axis drawn {rendered:.2f} s after navigation "
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
    amounts: c.disagreements({ disagreements: ['amount'], sources: [
      { source: 'A', quantity: { value: 1, unit: 'USD' } },
      { source: 'B', quantity: { value: 2, unit: 'USD' } }] }).map((d) => d.detail),
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
    assert found["amounts"] == ["$1 (A) vs $2 (B)"]
