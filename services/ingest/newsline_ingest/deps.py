"""Dependencies of the ingest routes, as `Annotated` aliases."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, Request

from newsline_engine import Extractor
from newsline_http import ApiError
from newsline_ingest.publishing import ArticlePublisher
from newsline_ingest.settings import IngestSettings


def _settings(request: Request) -> IngestSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _extractor(request: Request) -> Extractor:
    return request.app.state.extractor  # type: ignore[no-any-return]


def _publisher(request: Request) -> ArticlePublisher:
    return request.app.state.publisher  # type: ignore[no-any-return]


SettingsDep = Annotated[IngestSettings, Depends(_settings)]
ExtractorDep = Annotated[Extractor, Depends(_extractor)]
PublisherDep = Annotated[ArticlePublisher, Depends(_publisher)]


def require_api_key(
    settings: SettingsDep, x_api_key: Annotated[str | None, Header()] = None
) -> None:
    """401 unless the configured API key (if any) came in `X-API-Key`."""
    if settings.api_key is None:
        return
    if x_api_key is None:
        raise ApiError(401, "missing_api_key", "send your API key in the X-API-Key header")
    if not secrets.compare_digest(x_api_key, settings.api_key):
        raise ApiError(401, "wrong_api_key", "the X-API-Key header does not match")
