"""LiveKit tokens for candidates and hidden observers, and dispatching the interviewer agent into a room."""

import json
from datetime import timedelta

from livekit import api

from api.settings import ApiSettings
from core.tables import Interview, User

AGENT_NAME = "interviewer"


def candidate_identity(user: User) -> str:
    return f"candidate-{user.id}"


def candidate_token(settings: ApiSettings, interview: Interview, user: User) -> str:
    """Own room only; camera and microphone, data (the page's control messages), subscribe; nothing more."""
    grants = api.VideoGrants(
        room_join=True,
        room=interview.room_name,
        can_publish=True,
        can_publish_sources=["camera", "microphone"],
        can_publish_data=True,
        can_subscribe=True,
        can_update_own_metadata=False,
    )
    return (
        api.AccessToken(settings.livekit_api_key, settings.livekit_api_secret)
        .with_identity(candidate_identity(user))
        .with_name(user.full_name or user.username)
        .with_grants(grants)
        .with_ttl(timedelta(minutes=settings.livekit_token_minutes))
        .to_jwt()
    )


def observer_token(settings: ApiSettings, interview: Interview, user: User) -> str:
    """Hidden and subscribe-only: the candidate and the agent never see the observer."""
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
        .with_identity(f"observer-{user.id}")
        .with_name(user.full_name or user.username)
        .with_grants(grants)
        .with_ttl(timedelta(minutes=settings.livekit_token_minutes))
        .to_jwt()
    )


async def dispatch_with(lk: api.LiveKitAPI, room_name: str, interview_id: int) -> None:
    """Create the room and one interviewer dispatch; a rejoin reuses the dispatch that exists."""
    await lk.room.create_room(api.CreateRoomRequest(name=room_name, empty_timeout=300))
    existing = await lk.agent_dispatch.list_dispatch(room_name=room_name)
    if any(dispatch.agent_name == AGENT_NAME for dispatch in existing):
        return
    await lk.agent_dispatch.create_dispatch(
        api.CreateAgentDispatchRequest(
            agent_name=AGENT_NAME,
            room=room_name,
            metadata=json.dumps({"interview_id": interview_id}),
        )
    )


class AgentDispatcher:
    """One LiveKit API client for the whole API process. A client per join opened a new HTTP session and
    connection to livekit-server every time (bench/join_path.py measures the difference)."""

    def __init__(self, settings: ApiSettings) -> None:
        self._settings = settings
        self._client: api.LiveKitAPI | None = None

    async def ensure_dispatched(self, interview: Interview) -> None:
        if self._client is None:  # created on the serving loop, which its HTTP session belongs to
            self._client = api.LiveKitAPI(
                self._settings.livekit_http_url, self._settings.livekit_api_key, self._settings.livekit_api_secret
            )
        assert interview.id is not None
        await dispatch_with(self._client, interview.room_name, interview.id)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
