"""Ingest's pure rules: what the store can hold, the date window, the token buckets."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from newsline_engine import Extractor, load_knowledge
from newsline_ingest.parsing import TextTooLong, extract_article
from newsline_ingest.ratelimit import TokenBuckets
from newsline_ingest.schemas import ArticleIn
from newsline_ingest.window import event_date_ok, published_at_problem, unstorable

RECEIVED = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_knowledge(None))


def test_only_tab_newline_and_carriage_return_pass_among_c0_controls() -> None:
    assert unstorable("a\tb\nc\r\nd") is None
    assert unstorable("ok\x00") == "U+0000 at offset 2"
    assert unstorable("\x1b[31m") == "U+001B at offset 0"
    assert unstorable("lone \ud800 surrogate") == "U+D800 at offset 5"
    assert unstorable("DEL \x7f and U+FFFF \uffff are storable") is None


@pytest.mark.parametrize("field", ["title", "text", "html", "url", "source"])
def test_a_nul_in_any_string_field_is_refused_naming_that_field(field: str) -> None:
    body = {"text": "Baidu cut prices.", field: "https://a.example/x\x00y"}
    if field == "html":
        body.pop("text")
    with pytest.raises(ValidationError) as refused:
        ArticleIn.model_validate(body)
    assert refused.value.errors()[0]["loc"] == (field,)
    assert "U+0000" in str(refused.value)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://a.example/",
                                 "//a.example/x", "https://a.example/a b", "=HYPERLINK(1)"])
def test_a_url_must_be_http_or_https(url: str) -> None:
    with pytest.raises(ValidationError, match="http"):
        ArticleIn(text="x", url=url)
    assert ArticleIn(text="x", url="HTTPS://a.example/p?q=1").url == "HTTPS://a.example/p?q=1"


@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-23:59", "0001-01-01T00:00:00+23:59",
                                   "2024-07-01T00:00:00+15:00", "2024-07-01T00:00:00-13:00",
                                   "9999-01-01", "1700-01-01", "2999-01-01T00:00:00Z"])
def test_an_implausible_published_at_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ArticleIn.model_validate({"text": "x", "published_at": value})
    assert refused.value.errors()[0]["loc"] == ("published_at",)


def test_real_offsets_and_dates_pass_and_keep_their_zone() -> None:
    body = ArticleIn.model_validate({"text": "x", "published_at": "2024-07-03T08:00:00+14:00"})
    assert body.published_at is not None and body.published_at.utcoffset() == dt.timedelta(hours=14)
    assert published_at_problem(dt.datetime(1800, 1, 1, tzinfo=dt.UTC), RECEIVED) is None
    assert published_at_problem(RECEIVED + dt.timedelta(days=3), RECEIVED) is not None


def test_events_outside_the_window_are_dropped_never_clamped(extractor: Extractor) -> None:
    text = ("Baidu cut its API prices by 30% on 31 December 9999, the company said. "
            "Tencent cut its API prices by 20% on 1 May 1650. "
            "Alibaba Cloud cut its API prices by 10% on 1 May 2030.")
    message = extract_article(ArticleIn(text=text), extractor, RECEIVED)
    assert [e.date for e in message.events] == [dt.date(2030, 5, 1)]
    assert event_date_ok(dt.date(2076, 12, 31), RECEIVED)
    assert not event_date_ok(dt.date(2077, 1, 1), RECEIVED)
    assert not event_date_ok(dt.date(1799, 12, 31), RECEIVED)


def test_the_text_limit_counts_html_after_reduction(extractor: Extractor) -> None:
    page = "<html><body><article>" + "<p>Baidu cut prices by 30% today.</p>" * 200
    with pytest.raises(TextTooLong) as too_long:
        extract_article(ArticleIn(html=page + "</article></body></html>"), extractor, RECEIVED,
                      max_text_chars=1000)
    assert too_long.value.limit == 1000 and too_long.value.length > 1000
    assert "NEWSLINE_MAX_TEXT_CHARS" in str(too_long.value)


def test_token_buckets_refill_at_their_rate_and_forget_the_oldest_clients() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=3, max_keys=2, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.wait("a") == pytest.approx(0.5)
    now[0] = 0.5
    assert buckets.take("a") == 0.0
    buckets.take("b")
    buckets.take("c")  # "a" is forgotten: at most two clients remembered
    assert buckets.wait("a") == 0.0
    assert TokenBuckets(rate=0, burst=1).take("x") == 0.0  # 0 turns the limit off
