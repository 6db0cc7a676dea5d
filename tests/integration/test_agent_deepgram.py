"""The Deepgram path: the same agent code with livekit-plugins-deepgram (live STT and the Aura voice), against a
local server that speaks Deepgram's protocols (infra/fake_deepgram.py), in a real room with a scripted candidate."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import pytest
from livekit import api
from sqlmodel import col

from core.tables import InterviewQuestion, Transcript
from infra import services
from infra.candidate_sim import ScriptedCandidate
from infra.config import StackConfig
from infra.fake_deepgram import FakeDeepgram, Script, serve
from infra.process import free_port
from infra.stack import Stack
from tests.integration.conftest import People, create_screening_interview, wait_for
from tests.integration.hearing import share_of_words_heard
from tests.integration.test_agent_interview import (
    interview_row,
    listen_to_the_end,
    next_of,
    plan_ids,
    rows,
    scored,
)

pytestmark = pytest.mark.integration

AGENT_NAME = "interviewer-deepgram"
API_KEY = "test-deepgram-key"
QUESTIONS = ["How do you make a slow report run faster?", "Why do you want this job?"]
HEARD = [
    "I read the query plan and add an index on the filtered columns and then I measure again.",
    "I would also check the cache hit rate.",
    "I like building reliable systems with a small team.",
]


@pytest.fixture(scope="module")
async def fake_deepgram() -> AsyncIterator[tuple[FakeDeepgram, int]]:
    port = free_port()
    fake = FakeDeepgram(API_KEY, Script())
    runner = await serve(fake, "127.0.0.1", port)
    yield fake, port
    await runner.cleanup()


@pytest.fixture(scope="module")
def deepgram_agent(stack: Stack, stack_config: StackConfig, fake_deepgram: tuple[FakeDeepgram, int]) -> Iterator[None]:
    _, port = fake_deepgram
    process = services.agent_process(
        stack_config,
        {
            "AGENT_NAME": AGENT_NAME,
            "DEEPGRAM_API_KEY": API_KEY,
            "DEEPGRAM_BASE_URL": f"http://127.0.0.1:{port}/v1/listen",
            "DEEPGRAM_TTS_BASE_URL": f"http://127.0.0.1:{port}/v1/speak",
            # Generous, so the follow-up is not skipped for a busy CPU: this test is about the path, not speed.
            "AGENT_FOLLOW_UP_FIRST_WORDS_S": "60",
            "AGENT_FOLLOW_UP_TOTAL_S": "60",
        },
        name="agent-deepgram",
        health_port=free_port(),
    )
    process.start()
    try:
        process.wait_ready()
        yield
    finally:
        process.stop()


async def dispatch(config: StackConfig, room: str, interview_id: int) -> None:
    async with api.LiveKitAPI(
        f"http://127.0.0.1:{config.livekit_port}", config.livekit_api_key, config.livekit_api_secret
    ) as lk:
        await lk.room.create_room(api.CreateRoomRequest(name=room))
        await lk.agent_dispatch.create_dispatch(
            api.CreateAgentDispatchRequest(
                agent_name=AGENT_NAME, room=room, metadata=json.dumps({"interview_id": interview_id})
            )
        )


def candidate_token(config: StackConfig, room: str, candidate_id: int) -> str:
    grants = api.VideoGrants(room_join=True, room=room, can_publish=True, can_subscribe=True, can_publish_data=False)
    return (
        api.AccessToken(config.livekit_api_key, config.livekit_api_secret)
        .with_identity(f"candidate-{candidate_id}")
        .with_grants(grants)
        .to_jwt()
    )


async def test_deepgram_transcripts_drive_the_interview(
    api_url: str,
    people: People,
    stack_config: StackConfig,
    deepgram_agent: None,
    fake_deepgram: tuple[FakeDeepgram, int],
) -> None:
    fake, _ = fake_deepgram
    fake.script.transcripts.extend(HEARD)
    interview = create_screening_interview(api_url, people, QUESTIONS)
    interview_id = int(interview["id"])
    ids = plan_ids(stack_config, interview_id)
    await dispatch(stack_config, interview["room_name"], interview_id)
    candidate = ScriptedCandidate(
        stack_config.livekit_url,
        candidate_token(stack_config, interview["room_name"], people.candidate.id),
        camera=False,
        control_url=f"{api_url}/interviews/{interview_id}/control",
        api_headers=people.candidate.headers,
    )
    await candidate.connect()
    try:
        first = await next_of(candidate, "question")
        assert first.question_id == ids[0]
        # The question is spoken in Deepgram's voice (the fake server's synthesis) and heard by the candidate.
        heard = await listen_to_the_end(candidate, first, stack_config)
        assert share_of_words_heard(QUESTIONS[0], heard) >= 0.8, heard
        # Silence ends the answer; with this (scripted) answer the question model asks a follow-up.
        await candidate.say("I read the query plan and add an index and then I measure again.")
        follow_up = await next_of(candidate, "follow_up", "question", timeout_s=120)
        assert follow_up.kind == "follow_up" and follow_up.attributes["interview.parent_id"] == str(ids[0])
        # The follow-up is spoken as it is written (streamed to Deepgram's voice).
        heard = await listen_to_the_end(candidate, follow_up, stack_config)
        assert share_of_words_heard(follow_up.text, heard) >= 0.6, (follow_up.text, heard)
        await candidate.say("I would also check the cache hit rate.")
        await candidate.control("done")
        second = await next_of(candidate, "question")
        assert second.question_id == ids[1]
        await listen_to_the_end(candidate, second, stack_config)
        await candidate.say("I like building reliable systems with a small team.")
        await candidate.control("done")
        await next_of(candidate, "closing")
        interim = [
            m for m in candidate.messages if m.kind == "caption" and m.attributes["lk.transcription_final"] == "false"
        ]
        assert interim, "Deepgram's interim results reach the page as non-final captions"
    finally:
        await candidate.disconnect()

    assert fake.connections >= 1 and fake.audio_bytes > 16_000 * 2 * 3  # seconds of linear16 audio really sent
    said = " ".join(fake.spoken)
    assert all(question in said for question in QUESTIONS), fake.spoken  # every question spoken by "Deepgram"
    wait_for(lambda: interview_row(stack_config, interview_id).status == "completed", timeout_s=60)
    user = [t for t in rows(stack_config, Transcript, interview_id, col(Transcript.order)) if t.speaker == "User"]
    assert [(t.text, t.question_id) for t in user] == [
        (HEARD[0], ids[0]),
        (HEARD[1], follow_up.question_id),
        (HEARD[2], ids[1]),
    ]
    assert all(t.confidence == pytest.approx(0.98) and t.words and len(t.words) == len(t.text.split()) for t in user)
    follow_up_row = next(
        q for q in rows(stack_config, InterviewQuestion, interview_id) if q.id == follow_up.question_id
    )
    assert follow_up_row.content == follow_up.text.strip() and follow_up_row.source == "follow_up"
    scored(stack_config, interview_id, 3)
    await asyncio.sleep(0)
