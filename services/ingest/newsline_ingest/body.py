"""The posted article: small bodies validated on the event loop, large ones in a worker.

FastAPI parses a declared body on the event loop: a megabyte of JSON costs ~8 ms of
parsing and validation there, and forty of them at once kept /readyz waiting 300 ms
(in a thread it is worse: the event loop then waits for the GIL at every system call).
So a body over 64 KB is only measured here: if its `text` is over the limit it gets its
413 at once (orjson reads a megabyte in ~1 ms), else it goes to the extraction worker
as bytes, and the worker validates it (same 422) before extracting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from newsline_http import ApiError
from newsline_ingest.parsing import TextTooLong
from newsline_ingest.schemas import ArticleIn
from newsline_ingest.settings import IngestSettings

INLINE_BYTES = 64 * 1024

# The route reads the body itself; the OpenAPI still shows what it expects.
ARTICLE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ArticleIn.model_json_schema()}},
    }
}


@dataclass(frozen=True)
class RawArticle:
    """A large body, not yet validated: the extraction worker validates it."""

    raw: bytes


def validation_error(exc: ValidationError) -> RequestValidationError:
    """The same 422 as a declared body: locations start with "body"."""
    return request_validation_error(exc.errors(include_url=False, include_input=False))


def request_validation_error(errors: list[Any]) -> RequestValidationError:
    """RequestValidationError from pydantic's error dicts (as a worker returns them)."""
    return RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors])


def text_too_long(length: int, limit: int) -> ApiError:
    """The 413 for a text over the limit, naming the limit."""
    return ApiError(413, "text_too_long", str(TextTooLong(length, limit)))


def _text_over(raw: bytes, limit: int) -> int | None:
    """The length of the posted `text` when it is over `limit` (cheap: no validation)."""
    if len(raw) <= limit or b'"text"' not in raw:
        # No text longer than the body it came in; and without the key spelled plainly
        # (an html page) no decode here: the worker checks the length after validating.
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None  # the worker's validation says what is wrong with it
    text = data.get("text") if isinstance(data, dict) else None
    if isinstance(text, str) and len(stripped := text.strip()) > limit:
        return len(stripped)
    return None


async def _article(request: Request) -> ArticleIn | RawArticle:
    raw = await request.body()
    if len(raw) > INLINE_BYTES:
        settings: IngestSettings = request.app.state.settings
        length = _text_over(raw, settings.max_text_chars)
        if length is not None:
            raise text_too_long(length, settings.max_text_chars)
        return RawArticle(raw)
    try:
        return ArticleIn.model_validate_json(raw)
    except ValidationError as exc:
        raise validation_error(exc) from None


ArticleBody = Annotated[ArticleIn | RawArticle, Depends(_article)]
