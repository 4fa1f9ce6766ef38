"""The consumer's stop signals: the first shuts down gracefully, a second one forces it."""

from __future__ import annotations

import asyncio
import logging

import pytest

from newsline_timeline.__main__ import StopSignals


def test_the_first_signal_asks_for_a_graceful_shutdown_only() -> None:
    asked, forced = [], []
    stop = StopSignals(lambda: asked.append(True), forced.append)
    stop()
    assert asked == [True] and forced == [] and stop.asked


def test_a_second_signal_during_a_hung_shutdown_exits_and_says_where_it_hung(
        caplog: pytest.LogCaptureFixture) -> None:
    forced: list[int] = []
    stop = StopSignals(lambda: None, forced.append)

    async def hung_shutdown() -> None:
        await asyncio.sleep(3600)

    async def scenario() -> None:
        hung = asyncio.create_task(hung_shutdown(), name="hung-shutdown")
        await asyncio.sleep(0)
        stop()
        stop()
        hung.cancel()

    with caplog.at_level(logging.ERROR, logger="newsline.timeline"):
        asyncio.run(scenario())
    assert forced == [1]
    assert "second stop signal" in caplog.text
    assert "hung_shutdown" in caplog.text  # the stuck task's stack is in the log
