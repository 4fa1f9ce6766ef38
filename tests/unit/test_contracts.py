"""The stream contract and the engine agree on what they exchange."""

from __future__ import annotations

from typing import get_args

import newsline_vocabulary as vocabulary
from newsline_contracts import ArticleParsed, DateBasis, DatePrecision, EventType, article_id
from newsline_engine.model import EVENT_TYPES


def test_the_contract_names_the_vocabulary_itself_not_a_copy() -> None:
    assert (EventType, DatePrecision, DateBasis) == (
        vocabulary.EventType, vocabulary.DatePrecision, vocabulary.DateBasis)


def test_engine_and_vocabulary_name_the_same_event_types() -> None:
    # Until the engine imports newsline_vocabulary.EVENT_TYPES instead of its own tuple.
    assert set(EVENT_TYPES) == set(vocabulary.EVENT_TYPES)


def test_date_vocabularies_are_the_designs() -> None:
    assert vocabulary.DATE_PRECISIONS == get_args(DatePrecision) == ("day", "month", "year")
    assert set(get_args(DateBasis)) == {"stated", "relative", "reported", "inferred",
                                        "received"}


def test_the_timeline_ranks_precisions_as_stored() -> None:
    from newsline_db import PRECISION_RANK

    assert PRECISION_RANK is vocabulary.PRECISION_RANK
    assert dict(PRECISION_RANK) == {"day": 0, "month": 1, "year": 2}
    assert vocabulary.TIMELINE_ORDER == ("date", "precision_rank", "first_seen_seq", "event_id")


def test_engine_bases_of_undated_events_are_in_the_contract() -> None:
    from newsline_engine.model import UNDATED_BASES

    assert UNDATED_BASES | {"stated", "relative"} == set(get_args(DateBasis))


def test_article_ids_depend_on_content_only() -> None:
    assert article_id("Same text.") == article_id("Same text.")
    assert article_id("Same text.") != article_id("Other text.")


def test_messages_are_frozen_and_versioned() -> None:
    fields = ArticleParsed.model_fields
    assert fields["schema_version"].default == 1
    assert ArticleParsed.model_config.get("frozen") is True
