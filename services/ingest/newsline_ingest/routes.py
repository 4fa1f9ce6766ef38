"""Ingest routes: translate request → engine → stream, nothing more."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.concurrency import run_in_threadpool

from newsline_contracts import ArticleParsed
from newsline_engine import ExtractionError
from newsline_http import ApiError, error_response
from newsline_ingest.deps import ExtractorDep, PublisherDep, SettingsDep, require_api_key
from newsline_ingest.parsing import actors_out, events_out, parse_article
from newsline_ingest.publishing import StreamUnavailable
from newsline_ingest.schemas import ArticleAccepted, ArticleIn, Extracted

router = APIRouter()
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or wrong API key"},
    413: {"description": "body too large"},
    415: {"description": "not application/json"},
    422: {"description": "invalid article (which field, why)"},
    503: {"description": "the stream cannot take it now; retry after Retry-After seconds"},
}


async def _parse(body: ArticleIn, extractor: ExtractorDep) -> ArticleParsed:
    received_at = dt.datetime.now(dt.UTC)
    try:
        # Extraction is CPU work: keep it off the event loop.
        return await run_in_threadpool(parse_article, body, extractor, received_at)
    except ExtractionError as exc:
        raise ApiError(422, "unreadable_article", str(exc)) from exc


@router.post(
    "/v1/articles",
    status_code=202,
    response_model=ArticleAccepted,
    responses=ERRORS,
    dependencies=[Depends(require_api_key)],
)
async def post_article(
    body: ArticleIn,
    extractor: ExtractorDep,
    publisher: PublisherDep,
    settings: SettingsDep,
    response: Response,
) -> ArticleAccepted:
    """Accept an article: 202 once it is in the stream, 200 if it already was."""
    message = await _parse(body, extractor)
    unavailable = {"Retry-After": str(settings.retry_after_s)}
    try:
        duplicate = await publisher.already_published(message.content_hash)
        if not duplicate:
            await publisher.publish(message)
    except StreamUnavailable as exc:
        raise ApiError(
            503,
            "stream_unavailable",
            f"the article stream is unreachable ({exc}); nothing was stored, retry later",
            headers=unavailable,
        ) from exc
    if duplicate:
        response.status_code = 200
    return ArticleAccepted(
        article_id=message.article_id,
        duplicate=duplicate,
        language=message.language,
        events=events_out(message),
    )


@router.post(
    "/v1/extract",
    response_model=Extracted,
    responses=ERRORS,
    dependencies=[Depends(require_api_key)],
)
async def extract(body: ArticleIn, extractor: ExtractorDep) -> Extracted:
    """Show what would be extracted from an article; publishes nothing."""
    message = await _parse(body, extractor)
    return Extracted(
        article_id=message.article_id,
        language=message.language,
        actors=actors_out(message),
        events=events_out(message),
    )


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Redis does not answer"}})
async def readyz(publisher: PublisherDep) -> object:
    """Ready only when the stream's Redis answers."""
    try:
        await publisher.ping()
    except StreamUnavailable as exc:
        return error_response(503, "not_ready", f"redis: {exc}")
    return {"status": "ready", "redis": "ok"}
