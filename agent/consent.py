"""Hears the candidate withdraw consent to expression analysis while the interview runs.

The API publishes the withdrawal on the interview's agent channel (core/events.py) after it has stored it. The watch
subscribes before the agent loads the interview, so a withdrawal is either already in the loaded row or heard here.
"""

import logging

import redis.asyncio as aioredis

from core import events

logger = logging.getLogger("agent.consent")


class ConsentWatch:
    def __init__(self, redis_url: str, interview_id: int) -> None:
        self._client = aioredis.Redis.from_url(redis_url)
        self._pubsub = self._client.pubsub()
        self._interview_id = interview_id

    async def subscribe(self) -> None:
        await self._pubsub.subscribe(events.agent_channel(self._interview_id))

    async def withdrawn(self) -> None:
        """Returns when the candidate withdraws consent (never, if they do not)."""
        async for message in self._pubsub.listen():
            if message.get("type") != "message":
                continue
            data = message["data"]
            payload = data.decode() if isinstance(data, bytes) else str(data)
            if events.event_type_of(payload) == events.EXPRESSION_CONSENT_WITHDRAWN:
                logger.info("interview %s: the candidate withdrew consent to expression analysis", self._interview_id)
                return

    async def aclose(self) -> None:
        await self._pubsub.aclose()
        await self._client.aclose()
