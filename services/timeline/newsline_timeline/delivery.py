"""How a batch reaches the database: outages waited out, bad messages isolated.

Two kinds of failure, treated differently:
- an **outage** (the database unreachable, restarting, refusing connections) is not
  the messages' fault: the consumer waits with bounded backoff, acknowledges nothing,
  says why it is not ready, and goes on by itself when the database is back. No entry
  is dead-lettered because of an outage, however long it lasts.
- a **schema mismatch** (an undefined table, column or function, a statement whose
  arguments do not fit: the code and the database disagree, e.g. a consumer started
  before `newsline migrate`, or a broken build) is no message's fault either: every
  message would fail the same way, so it is waited out like an outage, with a reason
  that says what to run, instead of dead-lettering the whole backlog.
- a **message error** (a value the database refuses, a constraint that message breaks,
  a value the rules cannot handle): the batch is retried one message at a time at once,
  so the good ones commit and only the bad one is retried, then dead-lettered with its
  error after `max_attempts`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
import sqlalchemy.exc as sa_exc

from newsline_contracts import ArticleParsed

log = logging.getLogger("newsline.timeline")

_OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, unreachable
    TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.OperatorInterventionError,  # admin shutdown, crash shutdown
    asyncpg.exceptions.InsufficientResourcesError,  # too many connections, disk full
    sa_exc.TimeoutError,  # pool checkout
)


# SQLSTATE classes that say the statement and the database disagree, whatever the
# values: 42 syntax or access rule (undefined table/column/function, datatype
# mismatch, privilege), 0A feature not supported, 3D/3F no such database/schema.
_SCHEMA_SQLSTATE_CLASSES = ("42", "0A", "3D", "3F")
_CLIENT_DATA_ERROR = asyncpg.exceptions._base.DataError  # "invalid input for query argument"
_SCHEMA_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.InterfaceError,  # a statement the driver cannot send as written
    asyncpg.exceptions.OutdatedSchemaCacheError,  # the schema changed under a prepared plan
    sa_exc.CompileError,
    sa_exc.NoSuchColumnError,
)


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and its causes (SQLAlchemy wraps the adapter's error, which wraps asyncpg's)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def is_outage(exc: BaseException) -> bool:
    """Whether `exc` says the database is unreachable rather than the batch is bad."""
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    return any(isinstance(cause, _OUTAGE_ERRORS) for cause in _chain(exc))


def is_schema_mismatch(exc: BaseException) -> bool:
    """Whether `exc` says this consumer's statements do not fit the database's schema.

    Values travel as bound parameters, so an error of this family cannot come from a
    message's content. asyncpg's client-side DataError (a value its codec refuses) is
    an InterfaceError too, but it is the message's: it stays a message error.
    """
    for cause in _chain(exc):
        if isinstance(cause, asyncpg.PostgresError):
            return str(cause.sqlstate or "")[:2] in _SCHEMA_SQLSTATE_CLASSES
        if isinstance(cause, _CLIENT_DATA_ERROR):
            return False
        if isinstance(cause, _SCHEMA_ERRORS):
            return True  # e.g. "the server expects 3 arguments for this query, 2 were passed"
    return False


def failure_kind(exc: BaseException) -> str:
    """"outage", "schema" (both waited out, nothing acknowledged) or "message"."""
    if is_outage(exc):
        return "outage"
    return "schema" if is_schema_mismatch(exc) else "message"


@dataclass
class Health:
    """Whether the consumer can write right now, and if not, why (for /readyz and logs)."""

    ready: bool = True
    reason: str = ""
    since: float = field(default_factory=time.monotonic)

    def up(self) -> None:
        """The last write succeeded."""
        if not self.ready:
            log.info("writes succeed again after %.0f s (%s): resuming",
                     time.monotonic() - self.since, self.reason)
        self.ready, self.reason = True, ""

    def down(self, reason: str) -> None:
        """Writes fail for a reason that is not the messages'."""
        if self.ready:
            self.since = time.monotonic()
        self.ready, self.reason = False, reason


Store = Callable[[Sequence[ArticleParsed]], Awaitable[None]]
DeadLetter = Callable[[ArticleParsed, str, BaseException, int], Awaitable[None]]


@dataclass
class Delivery:
    """Stores batches with the outage and message-error rules above."""

    store: Store
    dead_letter: DeadLetter
    where: str  # "HOST:PORT" of the database, for messages people read
    max_attempts: int = 5
    backoff_start_s: float = 0.5
    backoff_cap_s: float = 30.0
    health: Health = field(default_factory=Health)

    async def deliver(self, batch: Sequence[ArticleParsed], entry_ids: Sequence[str]) -> None:
        """Store `batch` (returns only once every message is stored or dead-lettered)."""
        try:
            await self._until_reachable(lambda: self.store(batch))
            return
        except _MessageError as failed:
            log.warning("batch of %d failed (%s); storing its messages one by one",
                        len(batch), _brief(failed.cause))
        for message, entry_id in zip(batch, entry_ids, strict=True):
            await self._one(message, entry_id)

    async def _one(self, message: ArticleParsed, entry_id: str) -> None:
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self._until_reachable(lambda: self.store([message]))
                return
            except _MessageError as failed:
                if attempt == self.max_attempts:
                    await self.dead_letter(message, entry_id, failed.cause, attempt)
                    log.error("dead-lettered article %s (entry %s) after %d attempts: %s",
                              message.article_id, entry_id, attempt, _brief(failed.cause),
                              extra={"article_id": str(message.article_id),
                                     "entry_id": entry_id})
                    return
                await asyncio.sleep(min(0.05 * 2**attempt, 1.0))

    async def _until_reachable(self, write: Callable[[], Awaitable[None]]) -> None:
        """Run `write`, waiting out outages and schema mismatches; else _MessageError."""
        delay = self.backoff_start_s
        while True:
            try:
                await write()
            except Exception as exc:
                kind = failure_kind(exc)
                if kind == "message":
                    raise _MessageError(exc) from exc
                reason = (f"database unreachable at {self.where}: {_brief(exc)}"
                          if kind == "outage" else
                          f"database schema does not match this consumer: {_brief(exc)}; "
                          "run newsline migrate")
                self.health.down(reason)
                log.warning("%s; retrying in %.1f s (nothing acknowledged)", reason, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_cap_s)
                continue
            self.health.up()
            return


class _MessageError(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _brief(exc: BaseException) -> str:
    """One line: the error's class and the first line of its message."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}"[:300]


def dead_letter_fields(message: ArticleParsed, entry_id: str, exc: BaseException,
                       attempts: int) -> dict[str | bytes, str]:
    """The dead-letter entry `newsline replay` reads back."""
    return {"body": message.model_dump_json(), "error": _brief(exc)[:2000],
            "entry_id": entry_id, "deliveries": str(attempts),
            "article_id": str(message.article_id)}
