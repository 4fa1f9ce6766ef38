"""API keys, the same way in every service: write keys, an optional read key, one header.

`NEWSLINE_API_KEY` holds one key or several, comma-separated (to rotate: add the new
key, move the clients, drop the old one); when it is empty, writes are open.
`NEWSLINE_READ_KEY` (same form) closes reads too: a read then needs a read key or a
write key. Unset, reads are public. Keys travel in `X-API-Key`; compared in constant
time, as bytes, so a key that is not ASCII is simply a wrong key.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from newsline_contracts.settings import NewslineSettings
from newsline_http.errors import ApiError

API_KEY_HEADER = "X-API-Key"

# Declared through fastapi.security so the OpenAPI names the scheme on every route
# that needs it (and /docs offers an "Authorize" button).
_header = APIKeyHeader(
    name=API_KEY_HEADER, auto_error=False, scheme_name="ApiKey",
    description="A key from NEWSLINE_API_KEY (writes; reads too) or NEWSLINE_READ_KEY.",
)


class ApiKeySettings(NewslineSettings):
    """The keys a service accepts; a base of each service's settings class."""

    # NEWSLINE_API_KEY="k1,k2": any of them may write (and read).
    api_key: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    # NEWSLINE_READ_KEY="r1,r2": when set, reads need one of these or a write key.
    read_key: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)

    @field_validator("api_key", "read_key", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, str | SecretStr):
            raw = value.get_secret_value() if isinstance(value, SecretStr) else value
            return [key.strip() for key in raw.split(",") if key.strip()]
        return value


def _matches(given: str, keys: Sequence[SecretStr]) -> bool:
    # Every key compared, so the time taken says nothing about which one came close.
    raw = given.encode("utf-8", "surrogateescape")
    found = False
    for key in keys:
        found |= hmac.compare_digest(raw, key.get_secret_value().encode())
    return found


def _check(keys: Sequence[SecretStr], given: str | None, what: str) -> None:
    if given is None:
        raise ApiError(
            401, "missing_api_key",
            f"This {what} needs an API key in the '{API_KEY_HEADER}' header.",
        )
    if not _matches(given, keys):
        raise ApiError(
            401, "wrong_api_key", f"The '{API_KEY_HEADER}' header holds no key allowed to {what}."
        )


def _settings(request: Request) -> ApiKeySettings:
    settings: ApiKeySettings = request.app.state.settings
    return settings


async def require_write_key(
    request: Request, given: Annotated[str | None, Depends(_header)]
) -> None:
    """401 unless a write key came, when any is configured."""
    settings = _settings(request)
    if settings.api_key:
        _check(settings.api_key, given, "write")


async def require_read_key(
    request: Request, given: Annotated[str | None, Depends(_header)]
) -> None:
    """401 unless a read or write key came, when a read key is configured."""
    settings = _settings(request)
    if settings.read_key:
        _check([*settings.read_key, *settings.api_key], given, "read")


WriteKey = Depends(require_write_key)
ReadKey = Depends(require_read_key)
