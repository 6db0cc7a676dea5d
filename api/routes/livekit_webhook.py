import logging
from typing import Annotated

import aiohttp
from fastapi import APIRouter, Header, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from livekit import api
from sqlmodel import Session

from api.deps import BrokerDep, DispatcherDep, RedisDep, SettingsDep
from api.services.webhooks import REFUSED_OVER_LIVE_LIMIT, apply_event, candidate_arrival
from core.db import get_engine
from core.tables import Interview, InterviewStatus

logger = logging.getLogger(__name__)
router = APIRouter(tags=["livekit"])


@router.post("/livekit/webhook")
async def livekit_webhook(
    request: Request,
    settings: SettingsDep,
    broker: BrokerDep,
    redis_client: RedisDep,
    dispatcher: DispatcherDep,
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, str]:
    """Verified on the raw body: the Authorization header is a JWT signed with our API secret whose sha256 claim
    covers the body. Unsigned, forged or tampered requests answer 401."""
    body = (await request.body()).decode(errors="replace")
    receiver = api.WebhookReceiver(api.TokenVerifier(settings.livekit_api_key, settings.livekit_api_secret))
    try:
        event = receiver.receive(body, authorization or "")
    except Exception as error:  # the receiver raises several types for bad signatures, hashes and JSON
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid webhook signature.") from error

    def apply() -> tuple[str, Interview | None]:
        with Session(get_engine(settings.database_url)) as session:
            result = apply_event(
                session=session,
                event=event,
                broker=broker,
                redis_client=redis_client,
                max_live=settings.max_live_interviews,
            )
            return result, candidate_arrival(session, event)

    result, arrived = await run_in_threadpool(apply)
    if result == REFUSED_OVER_LIVE_LIMIT and arrived is not None:
        # Two tokens fetched at once both passed /join's check: the later room is closed, agent and all.
        try:
            await dispatcher.delete_room(arrived.room_name)
        except (api.TwirpError, aiohttp.ClientError, TimeoutError) as error:
            logger.warning("room %s of a refused arrival not closed: %s", arrived.room_name, error)
        return {"result": result}
    if arrived is not None and arrived.status == InterviewStatus.live:
        # The candidate's token dispatches the interviewer when it creates the room; a room that already existed
        # (an observer opened it first, or the agent is gone) gets one here.
        assert arrived.id is not None
        if await dispatcher.ensure_dispatched(redis_client, arrived.room_name, arrived.id):
            result += "; interviewer dispatched"
    return {"result": result}
