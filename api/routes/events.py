"""Server-sent events: live changes of one interview (transcripts, evaluations, status), fed by Redis pub/sub."""

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import redis.asyncio as aioredis
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from fastapi.security import OAuth2PasswordBearer

from api.deps import SessionDep, SettingsDep, get_current_user
from api.services.access import get_visible_interview
from core import events
from core.tables import Interview

router = APIRouter(tags=["interviews"])
optional_bearer = OAuth2PasswordBearer(tokenUrl="/token", auto_error=False)


def visible_interview_for_stream(
    interview_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    session: SessionDep,
    settings: SettingsDep,
    header_token: Annotated[str | None, Depends(optional_bearer)] = None,
    access_token: Annotated[str | None, Query(max_length=2000)] = None,
) -> Interview:
    """EventSource cannot send headers, so the token may also come as `?access_token=`."""
    token = header_token or access_token
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Not signed in.", headers={"WWW-Authenticate": "Bearer"})
    user = get_current_user(token, session, settings)
    return get_visible_interview(session, user, interview_id)


async def _stream(request: Request, interview_id: int, redis_url: str, heartbeat_s: float) -> AsyncIterator[str]:
    client = aioredis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    await pubsub.subscribe(events.channel(interview_id))
    try:
        yield ": connected\n\n"
        while not await request.is_disconnected():
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=heartbeat_s)
            if message is None:
                yield ": heartbeat\n\n"
                continue
            payload = message["data"].decode() if isinstance(message["data"], bytes) else str(message["data"])
            event_type = events.event_type_of(payload)
            yield f"event: {event_type}\ndata: {payload}\n\n"
    except asyncio.CancelledError:
        pass
    finally:
        await pubsub.unsubscribe()
        await pubsub.aclose()
        await client.aclose()


@router.get("/interviews/{interview_id}/events")
async def interview_events(
    request: Request,
    interview: Annotated[Interview, Depends(visible_interview_for_stream)],
    settings: SettingsDep,
) -> StreamingResponse:
    return StreamingResponse(
        _stream(request, interview.id, settings.redis_url, settings.sse_heartbeat_s),  # type: ignore[arg-type]
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
