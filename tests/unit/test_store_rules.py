"""Pure rules of the timeline store: what a new report changes about what is known."""

from __future__ import annotations

from typing import Any

from newsline_timeline.rules import actor_rows_to_write, merge_event_rows


def _actor(slug: str, reviewed: bool = True, aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"slug": slug, "reviewed": reviewed, "aliases": list(aliases)}


def _event(**fields: Any) -> dict[str, Any]:
    base = {
        "quantity_value": None,
        "quantity_unit": None,
        "product": None,
        "summary": "X offers tokens",
        "confidence": 0.5,
    }
    return base | fields


def test_only_new_curated_or_newly_aliased_actors_are_written() -> None:
    known = {"baidu": (True, ["百度"]), "acme": (False, [])}
    rows = [
        _actor("baidu", aliases=("百度",)),
        _actor("acme"),
        _actor("zhipu-ai"),
        _actor("baidu", aliases=("百度", "Baidu AI Cloud")),
    ]
    written = actor_rows_to_write(rows, known)
    assert [r["slug"] for r in written] == ["acme", "zhipu-ai", "baidu"]


def test_a_replayed_actor_is_not_written() -> None:
    assert (
        actor_rows_to_write(
            [_actor("baidu", aliases=("百度",))], {"baidu": (True, ["百度", "Baidu"])}
        )
        == []
    )


def test_merge_fills_missing_amount_and_product_but_keeps_a_stated_one() -> None:
    vague = _event()
    precise = _event(
        quantity_value=5e7,
        quantity_unit="tokens",
        product="ERNIE 3.5",
        summary="X offers 50M tokens",
        confidence=0.8,
    )
    other = _event(quantity_value=1.5e8, quantity_unit="tokens", confidence=0.9)
    filled = merge_event_rows(vague, precise)
    assert (filled["quantity_value"], filled["product"], filled["summary"]) == (
        5e7,
        "ERNIE 3.5",
        "X offers 50M tokens",
    )
    kept = merge_event_rows(filled, other)
    assert (kept["quantity_value"], kept["confidence"]) == (5e7, 0.9)
