"""`python -m newsline_timeline`: run the consumer; exit non-zero if it stopped by itself.

FastStream returns from `run()` when a subscriber stops on a terminal error
(the stream or group vanished). A supervisor must then restart the process,
so only a stop we were asked for (SIGINT/SIGTERM) exits 0.
"""

from __future__ import annotations

import asyncio
import gc
import io
import logging
import os
import signal
import sys
from collections.abc import Callable

from newsline_contracts.logs import configure
from newsline_timeline.app import create_app

log = logging.getLogger("newsline.timeline")


def _exit_now(code: int) -> None:
    logging.shutdown()  # flush the log line above before the process goes
    os._exit(code)


class StopSignals:
    """SIGINT/SIGTERM: the first asks the app to shut down gracefully (the batch in hand
    is committed and acknowledged, or left pending for redelivery); a second one while
    that shutdown is still running logs every task's stack (where it hung) and exits at
    once. Nothing is lost either way: unacknowledged entries are delivered again."""

    def __init__(self, exit_app: Callable[[], None],
                 force_exit: Callable[[int], None] = _exit_now) -> None:
        self.exit_app, self.force_exit = exit_app, force_exit
        self.asked = False

    def __call__(self) -> None:
        if not self.asked:
            self.asked = True
            self.exit_app()
            return
        stacks = io.StringIO()
        for task in asyncio.all_tasks():
            task.print_stack(file=stacks)
        log.error("a second stop signal while shutting down: exiting now; tasks:\n%s",
                  stacks.getvalue())
        self.force_exit(1)


async def _main() -> int:
    app = create_app()
    stop = StopSignals(app.exit)

    @app.after_startup
    async def take_over_signals() -> None:
        # Registered after FastStream's own handlers so ours win; both just exit.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop)

    @app.after_startup
    async def spare_startup_objects_from_gc() -> None:
        # What startup imported and built lives as long as the process; frozen out of
        # the collector's reach, each collection scans only what batches allocate
        # (about a tenth of the consumer's CPU in `make bench-pipeline`).
        gc.freeze()

    await app.run(sleep_time=0.2)
    if stop.asked:
        return 0
    log.error(
        "the consumer stopped by itself (stream or group gone?); exiting 1 to be restarted"
    )
    return 1


def main() -> None:
    """Entry point of the consumer process."""
    configure("timeline")
    sys.exit(asyncio.run(_main()))


if __name__ == "__main__":
    main()
