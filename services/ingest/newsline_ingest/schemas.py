"""HTTP shapes of the ingest service (not the stream message: that is ArticleParsed)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from newsline_contracts import EventActorSeen, Evidence, Quantity
from newsline_ingest.window import published_at_problem, unstorable

SUPPORTED_LANGUAGES = ("en", "de", "zh")


def _given(field: str) -> dict[str, JsonValue]:
    # "Exactly one of text or html": the OpenAPI says so too, so a client generator (or
    # schemathesis) knows that an article with neither, or both, is no article.
    return {"required": [field], "properties": {field: {"type": "string", "pattern": r"\S"}}}


class ArticleIn(BaseModel):
    """An article as a client posts it: `text` or `html`, the rest optional.

    Every string must be storable as PostgreSQL text: a C0 control character other than
    tab, newline and carriage return (NUL above all), or a lone surrogate, is refused
    with 422 naming the field, never stripped (the article's id is the hash of what
    was sent). `url` is http(s) only; `published_at` has a real UTC offset and lies
    between 1800 and now.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              json_schema_extra={"oneOf": [_given("text"), _given("html")]})

    title: str | None = Field(default=None, max_length=1000)
    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=4000, examples=["https://example.com/a"])
    source: str | None = Field(default=None, max_length=500)
    language: Literal["en", "de", "zh"] | None = None
    published_at: dt.datetime | None = None

    @field_validator("title", "text", "html", "url", "source")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        problem = unstorable(value) if value else None
        if problem:
            raise ValueError(
                f"holds a control character PostgreSQL cannot store ({problem}); "
                "remove NUL and other C0 controls (tab and newline are fine)")
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if not value:
            return value or None
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc
                or any(c.isspace() for c in value)):
            raise ValueError("must be an absolute http:// or https:// URL without spaces")
        return value

    @field_validator("published_at", mode="before")
    @classmethod
    def _iso_text(cls, value: object) -> object:
        # The schema promises an ISO 8601 string: a number (pydantic would read it as Unix
        # seconds) is refused rather than guessed at.
        if value is not None and not isinstance(value, str | dt.datetime):
            raise ValueError("must be an ISO 8601 date-time string, e.g. 2025-03-04T08:00:00Z")
        return value

    @field_validator("published_at")
    @classmethod
    def _plausible(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # A date without a zone is read as UTC rather than refused.
            value = value.replace(tzinfo=dt.UTC)
        problem = published_at_problem(value, dt.datetime.now(dt.UTC))
        if problem:
            raise ValueError(problem)
        return value  # its own offset kept: "yesterday" is read in the article's zone

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if bool(self.text) == bool(self.html):
            raise ValueError("give exactly one of 'text' or 'html', and not empty")
        return self


class EventOut(BaseModel):
    """An event as extracted from the posted article."""

    id: uuid.UUID
    type: str
    subtype: str | None = None
    actors: list[EventActorSeen]
    date: dt.date
    date_precision: str
    date_basis: str
    quantity: Quantity | None
    product: str | None
    summary: str
    confidence: float
    evidence: Evidence


class ArticleAccepted(BaseModel):
    """The answer to a post: the article's id and what was extracted."""

    article_id: uuid.UUID
    duplicate: bool
    language: str
    events: list[EventOut]


class Extracted(BaseModel):
    """The answer of /v1/extract: what would be published, nothing stored."""

    article_id: uuid.UUID
    language: str
    actors: list[dict[str, object]]
    events: list[EventOut]
