"""Which streams a control message ends (the hub's routing, without Redis: the integration tests run it for real)."""

import asyncio
import json

import pytest

from api.services.live_streams import Closed, StreamHub, Subscriber

pytestmark = pytest.mark.unit


def _hub_with(*subscribers: Subscriber) -> StreamHub:
    hub = StreamHub("redis://unused", max_streams_per_user=5)
    for subscriber in subscribers:
        hub._by_stream[subscriber.stream_id] = subscriber
    return hub


def _closed(subscriber: Subscriber) -> str | None:
    if subscriber.queue.empty():
        return None
    item = subscriber.queue.get_nowait()
    return item.reason if isinstance(item, Closed) else None


def test_unsharing_ends_every_stream_of_the_interview_but_the_candidates() -> None:
    async def scenario() -> list[str | None]:
        candidate, recruiter, elsewhere = Subscriber(1, 10), Subscriber(2, 10), Subscriber(2, 11)
        hub = _hub_with(candidate, recruiter, elsewhere)
        hub._apply_control(json.dumps({"interview": 10, "keep_user": 1, "reason": "unshared"}))
        return [_closed(candidate), _closed(recruiter), _closed(elsewhere)]

    assert asyncio.run(scenario()) == [None, "unshared", None]


def test_a_deactivated_user_loses_all_their_streams_and_only_theirs() -> None:
    async def scenario() -> list[str | None]:
        first, second, other = Subscriber(7, 1), Subscriber(7, 2), Subscriber(8, 1)
        hub = _hub_with(first, second, other)
        hub._apply_control(json.dumps({"user": 7, "reason": "deactivated"}))
        hub._apply_control("not json")  # ignored
        return [_closed(first), _closed(second), _closed(other)]

    assert asyncio.run(scenario()) == ["deactivated", "deactivated", None]


def test_a_reader_that_falls_behind_still_learns_its_stream_closed() -> None:
    async def scenario() -> str | None:
        slow = Subscriber(1, 1)
        while not slow.queue.full():
            slow.queue.put_nowait("{}")
        slow.close("too slow")
        items = [slow.queue.get_nowait() for _ in range(slow.queue.qsize())]
        return items[-1].reason if isinstance(items[-1], Closed) else None

    assert asyncio.run(scenario()) == "too slow"
