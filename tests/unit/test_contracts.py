"""The stream contract and the engine agree on what they exchange."""

from __future__ import annotations

from typing import get_args

from newsline_contracts import ArticleParsed, DateBasis, DatePrecision, EventType, article_id
from newsline_engine.model import EVENT_TYPES


def test_engine_and_contract_name_the_same_event_types() -> None:
    # The engine may not import the contracts (it stays free of wire concerns), so the
    # two lists are kept apart on purpose; this test keeps them equal.
    assert set(EVENT_TYPES) == set(get_args(EventType))


def test_date_vocabularies_are_the_designs() -> None:
    assert set(get_args(DatePrecision)) == {"day", "month", "year"}
    assert set(get_args(DateBasis)) == {"stated", "relative", "reported", "inferred",
                                        "received"}


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
