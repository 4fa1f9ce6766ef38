"""Talking to ingest's ASGI app in-process, the way the integration tests all do."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from faststream.redis.parser.binary import BinaryMessageFormatV1
from redis.asyncio import Redis

from newsline_contracts import ArticleParsed, StreamNames


@contextlib.asynccontextmanager
async def ingest_client(app: FastAPI, client: tuple[str, int] = ("10.0.0.1", 5000)
                        ) -> AsyncIterator[httpx.AsyncClient]:
    """A client on `app` with its lifespan run; `client` is the peer address it sees."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as c:
            yield c


async def published_messages(redis_url: str, prefix: str) -> list[ArticleParsed]:
    """Every message on the articles stream under `prefix`, decoded as the consumer would."""
    redis = Redis.from_url(redis_url)
    try:
        entries = await redis.xrange(StreamNames(prefix).articles)
    finally:
        await redis.aclose()
    return [ArticleParsed.model_validate_json(BinaryMessageFormatV1.parse(fields[b"__data__"])[0])
            for _, fields in entries]
