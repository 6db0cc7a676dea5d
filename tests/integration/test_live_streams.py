"""Live event streams against the real stack: open streams hold no database connection and share one Redis
subscription, each user has at most `MAX_STREAMS_PER_USER`, streams open with a one-interview ticket, and a
stream ends within seconds when its viewer loses access."""

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis

from infra.config import StackConfig
from tests.integration.conftest import People, Person, create_posting, create_question, register_and_sign_in, wait_for

pytestmark = pytest.mark.integration

MAX_STREAMS_PER_USER = 5  # the API's default (ApiSettings.max_streams_per_user)


class Stream:
    """One open `GET /interviews/{id}/events` in a thread, recording what arrives."""

    def __init__(self, api_url: str, person: Person, interview_id: int) -> None:
        ticket = httpx.post(f"{api_url}/interviews/{interview_id}/events/ticket", headers=person.headers)
        assert ticket.status_code == 200, ticket.text
        self.url = f"{api_url}/interviews/{interview_id}/events"
        self.ticket = ticket.json()["ticket"]
        self.connected = threading.Event()
        self.ended = threading.Event()
        self.closed_reason: str | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            with httpx.stream("GET", self.url, params={"ticket": self.ticket}, timeout=60) as response:
                assert response.status_code == 200
                closing = False
                for line in response.iter_lines():
                    if line.startswith(": connected"):
                        self.connected.set()
                    if line == "event: stream.closed":
                        closing = True
                    elif closing and line.startswith("data:"):
                        self.closed_reason = json.loads(line.removeprefix("data:"))["reason"]
                    if self._stop:
                        return
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()

    def stop(self) -> None:
        self._stop = True


@pytest.fixture
def streams() -> Iterator[list[Stream]]:
    opened: list[Stream] = []
    yield opened
    for stream in opened:
        stream.stop()


@pytest.fixture(scope="module")
def posting_id(api_url: str, people: People) -> int:
    question = create_question(api_url, people.recruiter, "What is back-pressure?")
    return int(create_posting(api_url, people.recruiter, question_ids=[question["id"]])["id"])


def _interview_of(api_url: str, candidate: Person, posting_id: int) -> dict[str, Any]:
    body = {"position": "Engineer", "job_posting_id": posting_id, "mode": "screening"}
    created = httpx.post(f"{api_url}/interviews", headers=candidate.headers, json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_thirty_open_streams_leave_the_api_answering(
    api_url: str, people: People, stack_config: StackConfig, streams: list[Stream], posting_id: int
) -> None:
    """The replay of the finding: 30 open streams (more than the database pool of 20) used to hold a connection
    each, and `GET /users/me` then answered 500 after 30 s. Six candidates keep five streams each, all open."""
    client = redis.Redis.from_url(stack_config.redis_url)
    clients_before = len(client.client_list())
    for _ in range(6):
        candidate = register_and_sign_in(api_url, "candidate")
        interview = _interview_of(api_url, candidate, posting_id)
        streams += [Stream(api_url, candidate, interview["id"]) for _ in range(MAX_STREAMS_PER_USER)]
    for stream in streams:
        assert stream.connected.wait(20), "a stream did not connect"
    started = time.monotonic()
    me = httpx.get(f"{api_url}/users/me", headers=people.candidate.headers, timeout=30)
    assert me.status_code == 200, me.text
    assert time.monotonic() - started < 5
    assert not any(stream.ended.is_set() for stream in streams), "a stream within its user's limit was closed"
    # One pub/sub connection for the whole API process, not one per stream.
    assert len(client.client_list()) - clients_before <= 2


def test_a_user_over_the_stream_limit_loses_the_oldest(api_url: str, streams: list[Stream], posting_id: int) -> None:
    candidate = register_and_sign_in(api_url, "candidate")
    interview = _interview_of(api_url, candidate, posting_id)
    for _ in range(MAX_STREAMS_PER_USER):
        streams.append(Stream(api_url, candidate, interview["id"]))
        assert streams[-1].connected.wait(20)
    newest = Stream(api_url, candidate, interview["id"])
    streams.append(newest)
    assert newest.connected.wait(20)
    assert streams[0].ended.wait(10), "the oldest stream stayed open"
    assert streams[0].closed_reason and "oldest" in streams[0].closed_reason
    assert not any(stream.ended.is_set() for stream in streams[1:])


def test_streams_open_only_with_a_ticket_for_that_interview(api_url: str, people: People, posting_id: int) -> None:
    mine = _interview_of(api_url, people.candidate, posting_id)
    theirs = _interview_of(api_url, people.other_candidate, posting_id)
    ticket_url = f"{api_url}/interviews/{{}}/events/ticket"
    ticket = httpx.post(ticket_url.format(mine["id"]), headers=people.candidate.headers).json()["ticket"]
    bearer = people.candidate.headers["Authorization"].removeprefix("Bearer ")

    def status_of(interview_id: int, params: dict[str, str]) -> int:
        with httpx.stream("GET", f"{api_url}/interviews/{interview_id}/events", params=params, timeout=10) as answer:
            return answer.status_code

    assert status_of(theirs["id"], {"ticket": ticket}) == 401  # a ticket opens only its own interview
    assert status_of(mine["id"], {"access_token": bearer}) == 401  # the bearer token no longer rides in URLs
    assert status_of(mine["id"], {"ticket": bearer}) == 401  # an access token is not a ticket
    # ...and a ticket is not an access token.
    assert httpx.get(f"{api_url}/users/me", headers={"Authorization": f"Bearer {ticket}"}).status_code == 401
    # Nobody gets a ticket for an interview they cannot see.
    refused = httpx.post(ticket_url.format(theirs["id"]), headers=people.candidate.headers)
    assert refused.status_code == 404


def test_a_deactivated_users_streams_end_within_seconds(
    api_url: str, people: People, streams: list[Stream], posting_id: int
) -> None:
    candidate = register_and_sign_in(api_url, "candidate")
    interview = _interview_of(api_url, candidate, posting_id)
    streams.append(Stream(api_url, candidate, interview["id"]))
    assert streams[0].connected.wait(20)
    deactivated = httpx.patch(
        f"{api_url}/users/{candidate.id}", headers=people.admin.headers, json={"is_active": False}
    )
    assert deactivated.status_code == 200, deactivated.text
    assert streams[0].ended.wait(5), "the deactivated user's stream stayed open"
    wait_for(lambda: streams[0].closed_reason, timeout_s=2)
