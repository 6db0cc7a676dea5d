"""Room integrity on the real livekit-server and agent: one interviewer per interview however many joins, no agent
for a token that is never used, and a candidate who cannot publish anything but camera and microphone."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import jwt
import pytest
from livekit import api, rtc

from core.room_protocol import TRANSCRIPTION_TOPIC
from infra.config import StackConfig
from tests.integration.conftest import People, create_posting, create_question

pytestmark = pytest.mark.integration


@pytest.fixture
def interview(api_url: str, people: People) -> dict[str, Any]:
    question = create_question(api_url, people.recruiter, "How do you roll back a bad deploy?")
    posting = create_posting(api_url, people.recruiter, question_ids=[question["id"]])
    body = {"position": "Engineer", "job_posting_id": posting["id"], "mode": "screening"}
    created = httpx.post(f"{api_url}/interviews", headers=people.candidate.headers, json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


def _lk(config: StackConfig) -> api.LiveKitAPI:
    return api.LiveKitAPI(f"http://127.0.0.1:{config.livekit_port}", config.livekit_api_key, config.livekit_api_secret)


async def _named_dispatches(config: StackConfig, room: str) -> list[Any]:
    async with _lk(config) as lk:
        if not (await lk.room.list_rooms(api.ListRoomsRequest(names=[room]))).rooms:
            return []  # livekit-server answers "unavailable" for the dispatches of a room that does not exist
        listed = await lk.agent_dispatch.list_dispatch(room_name=room)
    # livekit-server also lists an unnamed automatic dispatch for every room; only named ones are ours.
    return [dispatch for dispatch in listed if dispatch.agent_name]


async def _agents_in(config: StackConfig, room: str) -> int:
    async with _lk(config) as lk:
        try:
            listed = await lk.room.list_participants(api.ListParticipantsRequest(room=room))
        except api.TwirpError:
            return 0
    return sum(1 for p in listed.participants if p.kind == api.ParticipantInfo.Kind.AGENT)


async def _wait_for_agents(config: StackConfig, room: str, timeout_s: float = 60) -> int:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        if count := await _agents_in(config, room):
            return count
        await asyncio.sleep(0.5)
    return 0


def _join(api_url: str, people: People, interview_id: int) -> dict[str, Any]:
    response = httpx.post(f"{api_url}/interviews/{interview_id}/join", headers=people.candidate.headers, timeout=30)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_ten_concurrent_joins_make_one_interviewer(
    api_url: str, people: People, stack_config: StackConfig, interview: dict[str, Any]
) -> None:
    with ThreadPoolExecutor(10) as pool:
        grants = list(pool.map(lambda _: _join(api_url, people, interview["id"]), range(10)))
    claims = jwt.decode(grants[0]["token"], stack_config.livekit_api_secret, algorithms=["HS256"])
    assert claims["video"]["canPublishData"] is False
    assert [a["agentName"] for a in claims["roomConfig"]["agents"]] == ["interviewer"]
    room = interview["room_name"]

    async def scenario() -> None:
        # Tokens that nobody used hold no agent.
        assert await _named_dispatches(stack_config, room) == []
        # Three tabs connect at once with three of the tokens.
        tabs = [rtc.Room() for _ in range(3)]
        await asyncio.gather(
            *(tab.connect(grant["url"], grant["token"]) for tab, grant in zip(tabs, grants, strict=False))
        )
        try:
            assert await _wait_for_agents(stack_config, room) == 1
            await asyncio.sleep(3)  # a second dispatch would have joined by now
            assert await _agents_in(stack_config, room) == 1
            dispatches = await _named_dispatches(stack_config, room)
            assert [json.loads(d.metadata) for d in dispatches] == [{"interview_id": interview["id"]}]
        finally:
            await asyncio.gather(*(tab.disconnect() for tab in tabs))

    asyncio.run(scenario())


def test_a_room_an_observer_opened_first_still_gets_one_interviewer(
    api_url: str, people: People, stack_config: StackConfig, interview: dict[str, Any]
) -> None:
    observe = httpx.post(f"{api_url}/interviews/{interview['id']}/observe", headers=people.recruiter.headers)
    assert observe.status_code == 200, observe.text
    grant = _join(api_url, people, interview["id"])

    async def scenario() -> None:
        observer, candidate = rtc.Room(), rtc.Room()
        await observer.connect(observe.json()["url"], observe.json()["token"])  # the room exists, without agent
        await candidate.connect(grant["url"], grant["token"])
        try:
            # The candidate's arrival (webhook) dispatches the interviewer into the existing room.
            assert await _wait_for_agents(stack_config, interview["room_name"]) == 1
            await asyncio.sleep(3)
            assert await _agents_in(stack_config, interview["room_name"]) == 1
            assert len(await _named_dispatches(stack_config, interview["room_name"])) == 1
        finally:
            await asyncio.gather(observer.disconnect(), candidate.disconnect())

    asyncio.run(scenario())


def test_the_candidate_cannot_forge_the_interviewers_lines(
    api_url: str, people: People, stack_config: StackConfig, interview: dict[str, Any]
) -> None:
    """A candidate's own client sends a forged closing caption and a forged control: the server drops both, so a
    watching observer never receives them (the pages also only take the interviewer's lines from the agent)."""
    grant = _join(api_url, people, interview["id"])
    observe = httpx.post(f"{api_url}/interviews/{interview['id']}/observe", headers=people.recruiter.headers).json()

    async def scenario() -> list[str]:
        candidate, observer = rtc.Room(), rtc.Room()
        received: list[str] = []

        def on_stream(reader: rtc.TextStreamReader, sender: str) -> None:
            received.append(sender)

        observer.register_text_stream_handler(TRANSCRIPTION_TOPIC, on_stream)
        observer.on("data_received", lambda packet: received.append(f"data:{packet.topic}"))
        await candidate.connect(grant["url"], grant["token"])
        await observer.connect(observe["url"], observe["token"])
        try:
            await _wait_for_agents(stack_config, interview["room_name"])
            received.clear()  # the interviewer's own lines are not under test
            attributes = {"interview.kind": "closing", "lk.transcription_final": "true"}
            await candidate.local_participant.send_text(
                "Thank you, we are done here.", topic=TRANSCRIPTION_TOPIC, attributes=attributes
            )
            await candidate.local_participant.publish_data(json.dumps({"type": "done"}), topic="interview.control")
            await asyncio.sleep(3)
            return [sender for sender in received if sender == grant["identity"] or sender.startswith("data:")]
        finally:
            await asyncio.gather(candidate.disconnect(), observer.disconnect())

    assert asyncio.run(scenario()) == []


def test_controls_go_through_the_api_only_for_an_open_room(
    api_url: str, people: People, interview: dict[str, Any]
) -> None:
    url = f"{api_url}/interviews/{interview['id']}/control"
    # Nobody has opened the room yet: there is no interviewer to tell.
    closed = httpx.post(url, headers=people.candidate.headers, json={"type": "done"})
    assert closed.status_code == 409 and "join" in closed.json()["detail"]
    assert httpx.post(url, headers=people.candidate.headers, json={"type": "shutdown"}).status_code == 422
    assert httpx.post(url, headers=people.other_candidate.headers, json={"type": "done"}).status_code == 404
    assert httpx.post(url, headers=people.recruiter.headers, json={"type": "done"}).status_code == 403
