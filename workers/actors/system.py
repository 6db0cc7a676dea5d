"""Operational actors: a ping that proves a real worker process consumes the queue."""

import os

import dramatiq
import redis

from core import jobs
from workers.settings import get_worker_settings

PING_NAME, PING_QUEUE = jobs.PING


@dramatiq.actor(actor_name=PING_NAME, queue_name=PING_QUEUE, max_retries=0)
def ping(reply_key: str) -> None:
    """Answer with this worker's pid under `reply_key`, so a caller can tell a real process handled it."""
    client = redis.Redis.from_url(get_worker_settings().redis_url)
    client.set(reply_key, f"pong:{os.getpid()}", ex=300)
