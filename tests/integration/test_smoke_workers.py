"""A Dramatiq message sent by name is processed by a real worker process, not by the test process."""

import os
import time
import uuid

import psutil
import pytest
import redis
from dramatiq.brokers.redis import RedisBroker

from core import jobs
from infra.config import StackConfig
from infra.stack import Stack

pytestmark = pytest.mark.integration


def test_ping_is_answered_by_a_worker_process(stack: Stack, stack_config: StackConfig) -> None:
    reply_key = f"test:ping:{uuid.uuid4().hex}"
    broker = RedisBroker(url=stack_config.redis_url)
    jobs.enqueue(broker, jobs.PING, reply_key=reply_key)
    broker.close()

    client = redis.Redis.from_url(stack_config.redis_url)
    deadline = time.monotonic() + 30
    reply = None
    while reply is None and time.monotonic() < deadline:
        reply = client.get(reply_key)
        time.sleep(0.05)
    assert reply is not None, "no worker answered the ping within 30 s"

    worker_pid = int(reply.decode().removeprefix("pong:"))
    assert worker_pid != os.getpid()
    workers = next(process for process in stack.running if process.name == "workers")
    assert workers.process is not None
    descendants = {child.pid for child in psutil.Process(workers.process.pid).children(recursive=True)}
    assert worker_pid in descendants
