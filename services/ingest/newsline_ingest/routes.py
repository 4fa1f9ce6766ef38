"""Ingest routes: translate request → engine → stream, nothing more."""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from typing import Any

from fastapi import APIRouter, Response
from fastapi.exceptions import RequestValidationError

from newsline_contracts import ArticleParsed
from newsline_http import ApiError, ErrorBody, ReadKey, WriteKey, error_response
from newsline_ingest.body import (
    ARTICLE_BODY,
    ArticleBody,
    RawArticle,
    request_validation_error,
    text_too_long,
)
from newsline_ingest.deps import MetricsDep, PoolDep, PublisherDep, SettingsDep
from newsline_ingest.metrics import IngestMetrics
from newsline_ingest.parsing import TextTooLong, actors_out, check_text_length, events_out
from newsline_ingest.pool import OverBudget, PoolBusy, WorkerLost
from newsline_ingest.publishing import StreamUnavailable
from newsline_ingest.schemas import ArticleAccepted, ArticleIn, Extracted
from newsline_ingest.settings import IngestSettings

log = logging.getLogger("newsline.ingest")

router = APIRouter()

# Up to these many characters of `text` or of `html`, an article takes the pool's lane
# for short ones (newsline_ingest.pool): a long news article or a plain page, about
# 0.1 s of CPU at worst (date-dense text; measured on this machine, busy).
SHORT_TEXT_CHARS, SHORT_HTML_CHARS = 8_000, 64_000


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "model": ErrorBody}


ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("the body is not valid JSON"),
    401: _error("missing or wrong API key"),
    408: _error("the body did not arrive within NEWSLINE_BODY_TIMEOUT_S"),
    413: _error("body larger than NEWSLINE_MAX_BODY_BYTES, or text longer than "
                "NEWSLINE_MAX_TEXT_CHARS"),
    415: _error("not application/json"),
    422: _error("invalid article (which field, why), unreadable HTML, or an article whose "
                "extraction ran past NEWSLINE_EXTRACT_BUDGET_S"),
    429: _error("too many requests from this key or address, or too many failed "
                "authentications; retry after Retry-After seconds"),
    503: _error("the stream cannot take it now, or every extraction worker is busy; "
                "retry after Retry-After seconds"),
}


def _short(body: ArticleIn | RawArticle) -> bool:
    if not isinstance(body, ArticleIn):  # over 64 KB: validated in a worker
        return False
    if body.text:
        return len(body.text) <= SHORT_TEXT_CHARS
    return len(body.html or "") <= SHORT_HTML_CHARS


async def _parse(
    body: ArticleIn | RawArticle, pool: PoolDep, settings: IngestSettings,
    metrics: IngestMetrics,
) -> ArticleParsed:
    """`_extract`, its time observed by outcome (ok, or the error it answers)."""
    started = time.perf_counter()
    outcome = "ok"
    try:
        return await _extract(body, pool, settings)
    except ApiError as exc:
        outcome = exc.error
        raise
    except RequestValidationError:
        outcome = "invalid"
        raise
    except Exception:
        outcome = "failed"
        raise
    finally:
        metrics.extraction_seconds.labels(outcome).observe(time.perf_counter() - started)


async def _extract(
    body: ArticleIn | RawArticle, pool: PoolDep, settings: IngestSettings
) -> ArticleParsed:
    if isinstance(body, ArticleIn):
        try:
            check_text_length(body, settings.max_text_chars)
        except TextTooLong as exc:
            raise text_too_long(exc.length, exc.limit) from None
    job = body.raw if isinstance(body, RawArticle) else body
    # A worker is free again at the latest after one budget.
    busy = {"Retry-After": str(max(1, math.ceil(pool.budget_s)))}
    try:
        # Extraction is CPU work: it runs in a worker process, within its budget.
        reply = await pool.run((job, dt.datetime.now(dt.UTC), settings.max_text_chars),
                               small=_short(body))
    except PoolBusy as exc:
        raise ApiError(503, "busy", f"ingest is at capacity ({exc}); nothing was stored, "
                       "retry after Retry-After seconds", headers=busy) from None
    except WorkerLost as exc:
        raise ApiError(503, "busy", str(exc), headers=busy) from None
    except OverBudget as exc:
        raise ApiError(
            422, "extraction_budget_exceeded",
            f"{exc} (NEWSLINE_EXTRACT_BUDGET_S); post a shorter or simpler article") from None
    kind = reply[0]
    if kind == "invalid":
        raise request_validation_error(reply[1])
    if kind == "too_long":
        raise text_too_long(reply[1], reply[2])
    if kind == "unreadable":
        raise ApiError(422, "unreadable_article", reply[1])
    if kind != "ok":
        raise RuntimeError(f"extraction failed: {reply[1]}")
    message: ArticleParsed = reply[1]
    return message


@router.post(
    "/v1/articles",
    status_code=202,
    response_model=ArticleAccepted,
    responses={200: {"description": "already in the stream (`duplicate: true`)",
                     "model": ArticleAccepted}, **ERRORS},
    dependencies=[WriteKey],
    openapi_extra=ARTICLE_BODY,
)
async def post_article(
    body: ArticleBody,
    pool: PoolDep,
    publisher: PublisherDep,
    settings: SettingsDep,
    metrics: MetricsDep,
    response: Response,
) -> ArticleAccepted:
    """Accept an article: 202 once it is in the stream, 200 if it already was."""
    message = await _parse(body, pool, settings, metrics)
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
        metrics.duplicates.inc()
    else:
        metrics.accepted.inc()
    # The article id follows the article through the stream and the consumer's log.
    log.info("%s article %s: %d event(s)", "duplicate" if duplicate else "accepted",
             message.article_id, len(message.events),
             extra={"article_id": str(message.article_id), "duplicate": duplicate})
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
    dependencies=[WriteKey],
    openapi_extra=ARTICLE_BODY,
)
async def extract(
    body: ArticleBody, pool: PoolDep, settings: SettingsDep, metrics: MetricsDep
) -> Extracted:
    """Show what would be extracted from an article; publishes nothing."""
    message = await _parse(body, pool, settings, metrics)
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


@router.get("/readyz", responses={503: _error("Redis does not answer, or no extraction "
                                             "worker is up")})
async def readyz(publisher: PublisherDep, pool: PoolDep) -> object:
    """Ready only when the stream's Redis answers and an extraction worker is warm."""
    try:
        await publisher.ping()
    except StreamUnavailable as exc:
        return error_response(503, "not_ready", f"redis: {exc}")
    if not pool.alive:
        return error_response(503, "not_ready", "no extraction worker is up yet")
    return {"status": "ready", "redis": "ok", "extract_workers": pool.alive}


@router.get("/metrics", response_class=Response, dependencies=[ReadKey], summary="Metrics",
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                             "description": "Prometheus text format"},
                       401: ERRORS[401]})
async def prometheus(metrics: MetricsDep) -> Response:
    """Articles accepted, duplicates, refusals by reason, extraction time and load."""
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)
