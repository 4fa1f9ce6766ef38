"""Which store failures count against a message, and which are waited out.

Only an error of the message itself may count toward NEWSLINE_MAX_DELIVERIES; an
outage or a schema the code does not fit would fail every message alike. The errors
are wrapped the way SQLAlchemy's asyncpg adapter wraps them (the driver's as a cause).
"""

from __future__ import annotations

import asyncpg
import pytest
import sqlalchemy.exc as sa_exc

from newsline_timeline.delivery import failure_kind


def _wrapped(driver_error: BaseException) -> sa_exc.DBAPIError:
    try:
        try:
            raise driver_error
        except BaseException as exc:
            raise sa_exc.ProgrammingError("INSERT …", {}, exc) from exc
    except sa_exc.DBAPIError as wrapped:
        return wrapped


@pytest.mark.parametrize("error", [
    asyncpg.exceptions.UndefinedTableError('relation "events" does not exist'),
    asyncpg.exceptions.UndefinedColumnError('column "summary" does not exist'),
    asyncpg.exceptions.UndefinedFunctionError("function fold(text) does not exist"),
    asyncpg.exceptions.InsufficientPrivilegeError("permission denied for table events"),
    asyncpg.exceptions.InterfaceError("the server expects 3 arguments for this query, 2 "
                                      "were passed"),
])
def test_a_statement_that_does_not_fit_the_schema_is_waited_out(error: BaseException) -> None:
    assert failure_kind(_wrapped(error)) == "schema"


@pytest.mark.parametrize("error", [
    asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte sequence for encoding"),
    asyncpg.exceptions.NumericValueOutOfRangeError("value out of range for type smallint"),
    asyncpg.exceptions.InvalidTextRepresentationError("invalid input syntax for type uuid"),
    asyncpg.exceptions.CheckViolationError("new row violates check constraint"),
    asyncpg.exceptions.ForeignKeyViolationError("violates foreign key constraint"),
    asyncpg.exceptions._base.DataError("invalid input for query argument $1: 'x' (expected int)"),
    ValueError("a value the rules cannot handle"),
])
def test_an_error_of_the_message_counts_against_it(error: BaseException) -> None:
    assert failure_kind(_wrapped(error)) == "message"


def test_an_unreachable_database_is_an_outage() -> None:
    assert failure_kind(_wrapped(ConnectionRefusedError(111, "refused"))) == "outage"
    assert failure_kind(_wrapped(asyncpg.exceptions.CannotConnectNowError("starting up"))) \
        == "outage"
