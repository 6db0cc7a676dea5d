"""Ending live access within seconds: a deactivated user's event streams and room connections, and the recruiters'
streams and observer connections of an interview its candidate stopped sharing."""

import redis
from fastapi import BackgroundTasks

from api.services.live_streams import end_interview_streams, end_user_streams
from api.services.livekit_rooms import AgentDispatcher
from core.room_protocol import candidate_identity, observer_identity
from core.tables import Interview


async def _disconnect_user(dispatcher: AgentDispatcher, user_id: int) -> None:
    for identity in (candidate_identity(user_id), observer_identity(user_id)):
        await dispatcher.remove_everywhere(identity)


def revoke_user(background: BackgroundTasks, client: redis.Redis, dispatcher: AgentDispatcher, user_id: int) -> None:
    """Streams end now (through every API process); room connections right after the response."""
    end_user_streams(client, user_id, "This account was deactivated.")
    background.add_task(_disconnect_user, dispatcher, user_id)


def revoke_observers(
    background: BackgroundTasks, client: redis.Redis, dispatcher: AgentDispatcher, interview: Interview
) -> None:
    """Everyone but the candidate stops watching this interview."""
    assert interview.id is not None
    end_interview_streams(client, interview.id, interview.candidate_id, "The candidate stopped sharing this interview.")
    background.add_task(dispatcher.remove_observers, interview.room_name)
