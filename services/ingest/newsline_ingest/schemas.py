"""HTTP shapes of the ingest service (not the stream message: that is ArticleParsed)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsline_contracts import EventActorSeen, Evidence, Quantity

SUPPORTED_LANGUAGES = ("en", "de", "zh")


class ArticleIn(BaseModel):
    """An article as a client posts it: `text` or `html`, the rest optional."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, max_length=1000)
    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=4000)
    source: str | None = Field(default=None, max_length=500)
    language: Literal["en", "de", "zh"] | None = None
    published_at: dt.datetime | None = None

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if bool(self.text) == bool(self.html):
            raise ValueError("give exactly one of 'text' or 'html', and not empty")
        if self.published_at is not None and self.published_at.tzinfo is None:
            # A date without a zone is read as UTC rather than refused.
            self.published_at = self.published_at.replace(tzinfo=dt.UTC)
        return self


class EventOut(BaseModel):
    """An event as extracted from the posted article."""

    id: uuid.UUID
    type: str
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
