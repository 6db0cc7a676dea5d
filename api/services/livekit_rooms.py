"""LiveKit tokens for candidates and hidden observers, and the API's one LiveKit server client: the interviewer's
dispatch, the candidate's controls relayed into the room, and removing people from rooms.

Exactly one interviewer per interview: the candidate's token carries the room's configuration with the agent
dispatch, so LiveKit dispatches it once, when the room is created by the candidate's first connection, and never
for a token that is not used. Ten joins of one interview (double clicks, two tabs, retries) make ten tokens and one
agent. When the room already existed without an agent (an observer opened it first), the webhook of the candidate's
arrival dispatches one, under a Redis lock so that concurrent arrivals cannot make two.
"""

import json
import logging
from datetime import timedelta

import redis
from fastapi.concurrency import run_in_threadpool
from livekit import api

from api.settings import ApiSettings
from core.room_protocol import AGENT_NAME, CONTROL_TOPIC, OBSERVER_PREFIX, candidate_identity, observer_identity
from core.tables import Interview, User

logger = logging.getLogger(__name__)

# A room nobody has joined yet, or that everyone left, closes after this long (the agent's rejoin grace is shorter).
ROOM_EMPTY_TIMEOUT_S = 300
DISPATCH_LOCK_S = 15


def _dispatch_metadata(interview_id: int) -> str:
    return json.dumps({"interview_id": interview_id})


def candidate_token(settings: ApiSettings, interview: Interview, user: User) -> str:
    """Own room only; camera and microphone, subscribe; nothing more. No data: the page steers the interview through
    the API (`POST /interviews/{id}/control`), so the candidate cannot forge the interviewer's lines or controls."""
    assert user.id is not None and interview.id is not None
    grants = api.VideoGrants(
        room_join=True,
        room=interview.room_name,
        can_publish=True,
        can_publish_sources=["camera", "microphone"],
        can_publish_data=False,
        can_subscribe=True,
        can_update_own_metadata=False,
    )
    room_config = api.RoomConfiguration(
        name=interview.room_name,
        empty_timeout=ROOM_EMPTY_TIMEOUT_S,
        agents=[api.RoomAgentDispatch(agent_name=AGENT_NAME, metadata=_dispatch_metadata(interview.id))],
    )
    return (
        api.AccessToken(settings.livekit_api_key, settings.livekit_api_secret)
        .with_identity(candidate_identity(user.id))
        .with_name(user.full_name or user.username)
        .with_grants(grants)
        .with_room_config(room_config)
        .with_ttl(timedelta(minutes=settings.livekit_token_minutes))
        .to_jwt()
    )


def observer_token(settings: ApiSettings, interview: Interview, user: User) -> str:
    """Hidden and subscribe-only: the candidate and the agent never see the observer."""
    assert user.id is not None
    grants = api.VideoGrants(
        room_join=True,
        room=interview.room_name,
        hidden=True,
        can_subscribe=True,
        can_publish=False,
        can_publish_data=False,
        can_update_own_metadata=False,
    )
    return (
        api.AccessToken(settings.livekit_api_key, settings.livekit_api_secret)
        .with_identity(observer_identity(user.id))
        .with_name(user.full_name or user.username)
        .with_grants(grants)
        .with_ttl(timedelta(minutes=settings.livekit_token_minutes))
        .to_jwt()
    )


class AgentDispatcher:
    """One LiveKit API client for the whole API process: a client per call opened a new HTTP session and
    connection to livekit-server every time (1.4x slower at the median, BENCHMARKS.md "API")."""

    def __init__(self, settings: ApiSettings) -> None:
        self._settings = settings
        self._client: api.LiveKitAPI | None = None

    @property
    def client(self) -> api.LiveKitAPI:
        if self._client is None:  # created on the serving loop, which its HTTP session belongs to
            self._client = api.LiveKitAPI(
                self._settings.livekit_http_url, self._settings.livekit_api_key, self._settings.livekit_api_secret
            )
        return self._client

    async def ensure_dispatched(self, redis_client: redis.Redis, room_name: str, interview_id: int) -> bool:
        """Dispatches the interviewer unless the room has one; True when this call created the dispatch."""
        lock = f"dispatch-lock:{room_name}"
        if not await run_in_threadpool(redis_client.set, lock, "1", nx=True, ex=DISPATCH_LOCK_S):
            return False  # another arrival is dispatching right now
        try:
            existing = await self.client.agent_dispatch.list_dispatch(room_name=room_name)
            # Any named dispatch is an interviewer (a deployment may run another agent name); livekit-server also
            # lists an unnamed automatic dispatch for every room.
            if any(dispatch.agent_name for dispatch in existing):
                return False
            await self.client.agent_dispatch.create_dispatch(
                api.CreateAgentDispatchRequest(
                    agent_name=AGENT_NAME, room=room_name, metadata=_dispatch_metadata(interview_id)
                )
            )
            logger.info("interviewer dispatched into %s by the candidate's arrival", room_name)
            return True
        except api.TwirpError as error:  # the room closed meanwhile: nobody to interview
            logger.warning("no dispatch into %s: %s", room_name, error)
            return False
        finally:
            await run_in_threadpool(redis_client.delete, lock)

    async def send_control(self, room_name: str, kind: str) -> bool:
        """Relays the candidate's `done` or `repeat` to the agent as a server-sent packet; False when the room is
        not open."""
        request = api.SendDataRequest(
            room=room_name,
            data=json.dumps({"type": kind}).encode(),
            kind=api.DataPacket.Kind.RELIABLE,
            topic=CONTROL_TOPIC,
        )
        try:
            await self.client.room.send_data(request)
        except api.TwirpError:
            # livekit-server answers a room that does not exist with "not_found" or "unavailable", depending on
            # the version; only a room that exists makes the failure ours to report.
            if not await self.room_exists(room_name):
                return False
            raise
        return True

    async def room_exists(self, room_name: str) -> bool:
        listed = await self.client.room.list_rooms(api.ListRoomsRequest(names=[room_name]))
        return bool(listed.rooms)

    async def remove_participant(self, room_name: str, identity: str) -> bool:
        """Disconnects one participant; False when they were not in the room (or the room is gone)."""
        try:
            await self.client.room.remove_participant(api.RoomParticipantIdentity(room=room_name, identity=identity))
        except api.TwirpError as error:
            if error.code == api.TwirpErrorCode.NOT_FOUND:
                return False
            raise
        return True

    async def remove_everywhere(self, identity: str) -> int:
        """Disconnects this identity from every room it is in (a deactivated user); returns how many rooms."""
        rooms = await self.client.room.list_rooms(api.ListRoomsRequest())
        removed = 0
        for room in rooms.rooms:
            removed += await self.remove_participant(room.name, identity)
        return removed

    async def delete_room(self, room_name: str) -> None:
        """Closes a room, disconnecting everyone in it. A room that does not exist is fine; other failures raise."""
        try:
            await self.client.room.delete_room(api.DeleteRoomRequest(room=room_name))
        except api.TwirpError as error:
            if error.code != api.TwirpErrorCode.NOT_FOUND:
                raise

    async def remove_observers(self, room_name: str) -> int:
        """Disconnects every hidden observer of a room; returns how many."""
        try:
            listed = await self.client.room.list_participants(api.ListParticipantsRequest(room=room_name))
        except api.TwirpError:
            return 0  # no room, nobody watching
        observers = [p.identity for p in listed.participants if p.identity.startswith(OBSERVER_PREFIX)]
        for identity in observers:
            await self.remove_participant(room_name, identity)
        return len(observers)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
