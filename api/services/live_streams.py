"""Live event streams that cost nothing while idle: one Redis pub/sub connection per API process feeds every open
stream, no stream holds a database connection, and each user has at most a few streams at a time.

Before this, each `GET /interviews/{id}/events` held a database connection for its whole life (the session
dependency) and opened its own Redis connection: 30 open streams of one candidate exhausted the pool and every
other request answered 500 (docs/security.md has the before/after).

Streams are ended from anywhere through one control channel: the newest stream over a user's limit closes the
oldest, deactivating a user ends theirs, unsharing an interview ends the recruiters'. A per-user sorted set in Redis
counts streams across API processes; entries of a process that died are the oldest, so they are the first dropped.
"""

import asyncio
import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import redis
import redis.asyncio as aioredis

from core import events

logger = logging.getLogger(__name__)

CONTROL_CHANNEL = "live-streams:control"
# A stream whose reader falls this far behind is closed; the page reconnects and reloads what it shows.
QUEUE_LIMIT = 256


def _user_key(user_id: int) -> str:
    return f"live-streams:user:{user_id}"


@dataclass(frozen=True)
class Closed:
    """The hub ended the stream; `reason` is a sentence for the page."""

    reason: str


@dataclass(eq=False)
class Subscriber:
    user_id: int
    interview_id: int
    stream_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    queue: asyncio.Queue[str | Closed] = field(default_factory=lambda: asyncio.Queue(QUEUE_LIMIT))

    def close(self, reason: str) -> None:
        try:
            self.queue.put_nowait(Closed(reason))
        except asyncio.QueueFull:
            # Make room: the reader must learn that the stream is over more than it needs the backlog.
            self.queue.get_nowait()
            self.queue.put_nowait(Closed(reason))


class StreamHub:
    def __init__(self, redis_url: str, max_streams_per_user: int) -> None:
        self._redis_url = redis_url
        self._max_per_user = max_streams_per_user
        self._client: aioredis.Redis | None = None
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._start_lock = asyncio.Lock()
        self._by_channel: dict[str, set[Subscriber]] = {}
        self._by_stream: dict[str, Subscriber] = {}

    @property
    def open_streams(self) -> int:
        return len(self._by_stream)

    async def open(self, user_id: int, interview_id: int) -> Subscriber:
        await self._ensure_started()
        assert self._client is not None
        subscriber = Subscriber(user_id, interview_id)
        channel = events.channel(interview_id)
        self._by_stream[subscriber.stream_id] = subscriber
        listeners = self._by_channel.setdefault(channel, set())
        listeners.add(subscriber)
        if len(listeners) == 1:
            await self._pubsub.subscribe(channel)
        await self._enforce_limit(subscriber)
        return subscriber

    async def close(self, subscriber: Subscriber) -> None:
        if self._by_stream.pop(subscriber.stream_id, None) is None:
            return
        channel = events.channel(subscriber.interview_id)
        listeners = self._by_channel.get(channel, set())
        listeners.discard(subscriber)
        try:
            if not listeners:
                self._by_channel.pop(channel, None)
                if self._pubsub is not None:
                    await self._pubsub.unsubscribe(channel)
            if self._client is not None:
                await self._client.zrem(_user_key(subscriber.user_id), subscriber.stream_id)
        except (redis.RedisError, OSError) as error:  # the stream is over either way
            logger.warning("closing live stream %s: %s", subscriber.stream_id, error)

    async def aclose(self) -> None:
        for subscriber in list(self._by_stream.values()):
            subscriber.close("The server is restarting.")
        if self._reader is not None:
            self._reader.cancel()
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._client is not None:
            await self._client.aclose()

    async def _ensure_started(self) -> None:
        async with self._start_lock:
            if self._reader is not None and not self._reader.done():
                return
            # Created on the serving loop, which the connections belong to.
            self._client = aioredis.Redis.from_url(self._redis_url)
            self._pubsub = self._client.pubsub()
            await self._pubsub.subscribe(CONTROL_CHANNEL, *self._by_channel)
            self._reader = asyncio.create_task(self._read(), name="live-stream-hub")

    async def _enforce_limit(self, subscriber: Subscriber) -> None:
        assert self._client is not None
        key = _user_key(subscriber.user_id)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {subscriber.stream_id: time.time()})
            pipe.zrange(key, 0, -(self._max_per_user + 1))
            pipe.expire(key, 86_400)
            _, oldest, _ = await pipe.execute()
        if oldest:
            stale = [member.decode() for member in oldest]
            await self._client.zrem(key, *stale)
            await self._client.publish(
                CONTROL_CHANNEL,
                json.dumps(
                    {
                        "streams": stale,
                        "reason": f"More than {self._max_per_user} live views are open; the oldest was closed.",
                    }
                ),
            )

    async def _read(self) -> None:
        try:
            while True:
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                if message is None:
                    continue
                channel = message["channel"].decode()
                data = message["data"]
                payload = data.decode() if isinstance(data, bytes) else str(data)
                if channel == CONTROL_CHANNEL:
                    self._apply_control(payload)
                    continue
                for subscriber in list(self._by_channel.get(channel, ())):
                    try:
                        subscriber.queue.put_nowait(payload)
                    except asyncio.QueueFull:
                        subscriber.close("This live view fell behind; reload to catch up.")
        except (redis.RedisError, OSError) as error:
            # Every stream ends; browsers reconnect with a fresh ticket and the next open starts a new reader.
            logger.warning("live stream hub lost Redis: %s", error)
            for subscriber in list(self._by_stream.values()):
                subscriber.close("The live connection was interrupted.")

    def _apply_control(self, payload: str) -> None:
        try:
            command = json.loads(payload)
        except json.JSONDecodeError:
            return
        reason = str(command.get("reason", "This live view was closed."))
        targets: list[Subscriber] = []
        streams = set(command.get("streams", ()))
        if streams:
            targets += [s for sid, s in self._by_stream.items() if sid in streams]
        if "user" in command:
            targets += [s for s in self._by_stream.values() if s.user_id == command["user"]]
        if "interview" in command:
            keep = command.get("keep_user")
            targets += [
                s for s in self._by_stream.values() if s.interview_id == command["interview"] and s.user_id != keep
            ]
        for subscriber in targets:
            subscriber.close(reason)


def end_user_streams(client: redis.Redis, user_id: int, reason: str) -> None:
    """Ends every live stream of a user, in every API process (synchronous: called from request handlers)."""
    client.publish(CONTROL_CHANNEL, json.dumps({"user": user_id, "reason": reason}))


def end_interview_streams(client: redis.Redis, interview_id: int, keep_user: int | None, reason: str) -> None:
    """Ends every live stream of an interview except its candidate's (`keep_user`)."""
    client.publish(CONTROL_CHANNEL, json.dumps({"interview": interview_id, "keep_user": keep_user, "reason": reason}))
