"""Readiness probes for the services the API depends on. Each returns "ok" or a short failure reason."""

import asyncio
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
from livekit import api as lkapi
from sqlalchemy import text

from api.settings import ApiSettings
from core.db import get_engine


def _probe_database_sync(database_url: str) -> None:
    with get_engine(database_url).connect() as connection:
        connection.execute(text("SELECT 1"))


async def probe_database(settings: ApiSettings) -> str:
    # SQLAlchemy's engine here is synchronous; keep it off the event loop.
    await asyncio.to_thread(_probe_database_sync, settings.database_url)
    return "ok"


async def probe_redis(settings: ApiSettings) -> str:
    client = aioredis.Redis.from_url(settings.redis_url)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return "ok"


async def probe_livekit(settings: ApiSettings) -> str:
    async with lkapi.LiveKitAPI(
        settings.livekit_http_url, settings.livekit_api_key, settings.livekit_api_secret
    ) as client:
        await client.room.list_rooms(lkapi.ListRoomsRequest())
    return "ok"


async def check_all(settings: ApiSettings) -> dict[str, str]:
    probes = {"database": probe_database, "redis": probe_redis, "livekit": probe_livekit}

    async def run(probe: Callable[[ApiSettings], Awaitable[str]]) -> str:
        try:
            return await asyncio.wait_for(probe(settings), timeout=settings.ready_timeout_s)
        except Exception as error:  # a probe reports any failure as text instead of failing the request
            return f"failed: {type(error).__name__}: {error}"[:200]

    results = await asyncio.gather(*(run(probe) for probe in probes.values()))
    return dict(zip(probes, results, strict=True))
