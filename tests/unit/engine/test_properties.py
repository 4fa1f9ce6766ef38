"""Properties of the engine over any text (hypothesis): it answers with events or none,
never raises (other than its own ExtractionError for text that is empty once
normalised), and every event it returns is well formed."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsline_engine import (
    ArticleInput,
    ExtractionError,
    Extractor,
    load_knowledge,
    normalise_text,
)
from newsline_vocabulary import DATE_BASES, DATE_PRECISIONS, EVENT_TYPES

EXTRACTOR = Extractor(load_knowledge())
RECEIVED = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

# News-like pieces the engine reacts to, mixed with arbitrary Unicode, so examples reach
# its trigger, date, amount and actor paths and not only the "nothing found" one.
PIECES = st.sampled_from([
    "OpenAI", "Baidu", "百度", "阿里云", "Bundeskartellamt", " said on Monday ", " will block ",
    " cut prices by 30 % ", " 宣布降价 ", " ab dem 1. Juli ", " from 9 July 2024 ", "昨（12）日",
    " 5000万tokens ", " €200m ", " 12,000 jobs ", " could ", " könnte ", "\n\n", ". ", "，",
    "BEIJING, July 3 (Reuters) - ", "新华社北京7月3日电 ", " 2024-07-09 ", " Inc. ", "GmbH ",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, language=st.sampled_from([None, "en", "de", "zh"]),
       published=st.one_of(st.none(), st.datetimes(
           min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 1, 1),
           timezones=st.just(dt.UTC))))
def test_any_text_gives_well_formed_events_or_none(
        text: str, language: str | None, published: dt.datetime | None) -> None:
    try:
        result = EXTRACTOR.extract(ArticleInput(
            text=text, received_at=RECEIVED, language=language, published_at=published))
    except ExtractionError:
        # Its own, documented refusal, and only for text that is empty once normalised.
        assert normalise_text(text) == ""
        return
    for event in result.events:
        assert event.type in EVENT_TYPES
        assert event.date_precision in DATE_PRECISIONS and event.date_basis in DATE_BASES
        assert 0.0 <= event.confidence <= 1.0
        assert event.actors and event.actors[0].role == "subject"
        assert 0 <= event.evidence.start <= event.evidence.end
        assert event.evidence.text
