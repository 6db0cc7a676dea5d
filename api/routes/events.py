"""Server-sent events: live changes of one interview (transcripts, evaluations, status), fed by Redis pub/sub.

EventSource cannot send headers, and a bearer token in the URL ends up in access logs, so the page first asks for a
one-minute ticket for one interview (`POST /interviews/{id}/events/ticket`) and opens the stream with it. The access
check runs in its own short database session: an open stream holds no database connection and shares the process's
one Redis subscription (api/services/live_streams.py).
"""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from api.deps import CurrentUser, SessionDep, SettingsDep, get_current_user
from api.schemas import StreamTicket
from api.security import create_stream_ticket, read_stream_ticket
from api.services.access import get_visible_interview
from api.services.live_streams import Closed, StreamHub
from core import events
from core.db import get_engine
from core.tables import User

router = APIRouter(tags=["interviews"])
optional_bearer = OAuth2PasswordBearer(tokenUrl="/token", auto_error=False)
InterviewId = Annotated[int, Path(ge=1, le=2_147_483_647)]

_BAD_TICKET = HTTPException(
    status.HTTP_401_UNAUTHORIZED,
    "The live view ticket is missing, expired or for another interview; ask for a new one.",
    headers={"WWW-Authenticate": "Bearer"},
)


def get_hub(request: Request) -> StreamHub:
    hub: StreamHub = request.app.state.stream_hub
    return hub


@router.post("/interviews/{interview_id}/events/ticket", response_model=StreamTicket)
def events_ticket(
    interview_id: InterviewId, session: SessionDep, user: CurrentUser, settings: SettingsDep
) -> StreamTicket:
    """A ticket that opens this interview's live stream within `expires_in_s` seconds."""
    interview = get_visible_interview(session, user, interview_id)
    assert user.id is not None and interview.id is not None
    ticket = create_stream_ticket(
        user_id=user.id, interview_id=interview.id, secret=settings.jwt_secret, seconds=settings.events_ticket_s
    )
    return StreamTicket(ticket=ticket, expires_in_s=settings.events_ticket_s)


def stream_viewer(
    interview_id: InterviewId,
    settings: SettingsDep,
    header_token: Annotated[str | None, Depends(optional_bearer)] = None,
    ticket: Annotated[str | None, Query(max_length=2000)] = None,
) -> int:
    """The id of the user who may watch this interview. A plain (sync) dependency with its own session, so that the
    connection goes back to the pool before the stream starts."""
    with Session(get_engine(settings.database_url)) as session:
        if ticket is not None:
            claims = read_stream_ticket(ticket, settings.jwt_secret)
            if claims is None or claims[1] != interview_id:
                raise _BAD_TICKET
            user = session.get(User, claims[0])
            if user is None or not user.is_active:
                raise _BAD_TICKET
        elif header_token is not None:
            user = get_current_user(header_token, session, settings)
        else:
            raise _BAD_TICKET
        get_visible_interview(session, user, interview_id)
        assert user.id is not None
        return user.id


async def _stream(
    request: Request, hub: StreamHub, viewer_id: int, interview_id: int, heartbeat_s: float
) -> AsyncIterator[str]:
    # Opened inside the body, so that a response that is never sent leaves no subscriber behind.
    subscriber = await hub.open(viewer_id, interview_id)
    try:
        yield ": connected\n\n"
        while True:
            try:
                item = await asyncio.wait_for(subscriber.queue.get(), heartbeat_s)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                yield ": heartbeat\n\n"
                continue
            if isinstance(item, Closed):
                # The page stops here instead of reconnecting (EventSource reconnects after a plain close).
                yield f"event: stream.closed\ndata: {json.dumps({'reason': item.reason})}\n\n"
                return
            yield f"event: {events.event_type_of(item)}\ndata: {item}\n\n"
    finally:
        await hub.close(subscriber)


@router.get("/interviews/{interview_id}/events")
async def interview_events(
    request: Request,
    interview_id: InterviewId,
    viewer_id: Annotated[int, Depends(stream_viewer)],
    settings: SettingsDep,
    hub: Annotated[StreamHub, Depends(get_hub)],
) -> StreamingResponse:
    return StreamingResponse(
        _stream(request, hub, viewer_id, interview_id, settings.sse_heartbeat_s),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
