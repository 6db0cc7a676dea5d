"""The LLM server, the API (health, readiness, the web build) and the agent worker, as processes."""

import asyncio
import json
import uuid

import httpx
import pytest
from livekit import api

from core.llm import ChatClient
from infra.config import REPO_ROOT, StackConfig
from infra.stack import Stack

pytestmark = pytest.mark.integration


async def test_llm_server_completes_a_chat(stack: Stack, stack_config: StackConfig) -> None:
    client = ChatClient(base_url=stack_config.llm_base_url, model="interview-questions")
    messages = [{"role": "user", "content": "Ask one short interview question for a Python developer."}]
    try:
        answer = await client.complete(messages, max_tokens=40, temperature=0.0)
        streamed = [delta async for delta in client.stream(messages, max_tokens=20, temperature=0.0)]
    finally:
        await client.aclose()
    assert len(answer.split()) >= 3
    assert len(streamed) > 1, "the answer should arrive as several streamed deltas"


def test_api_health_and_readiness(stack: Stack, stack_config: StackConfig) -> None:
    assert httpx.get(f"{stack_config.api_url}/health").json() == {"status": "ok"}
    ready = httpx.get(f"{stack_config.api_url}/ready", timeout=10)
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ok", "database": "ok", "redis": "ok", "livekit": "ok"}


def test_api_serves_the_web_build(stack: Stack, stack_config: StackConfig) -> None:
    built_index = (REPO_ROOT / "web" / "dist" / "index.html").read_text()
    for path in ("/", "/app/interviews/42"):  # client-side routes (under /app/) fall back to the app
        page = httpx.get(f"{stack_config.api_url}{path}")
        assert page.status_code == 200
        assert page.text == built_index
    script = built_index.split('src="')[1].split('"')[0]
    asset = httpx.get(f"{stack_config.api_url}{script}")
    assert asset.status_code == 200
    assert "javascript" in asset.headers["content-type"]


async def test_agent_joins_a_room_it_is_dispatched_to(stack: Stack, stack_config: StackConfig) -> None:
    """Dispatch and join only: the job names no interview of this room, so the agent joins, says so and leaves after
    2 s (tests/integration/test_agent_interview.py runs real interviews)."""
    room_name = f"dispatch-{uuid.uuid4().hex[:8]}"
    async with api.LiveKitAPI(
        f"http://127.0.0.1:{stack_config.livekit_port}", stack_config.livekit_api_key, stack_config.livekit_api_secret
    ) as lkapi:
        await lkapi.room.create_room(api.CreateRoomRequest(name=room_name))
        await lkapi.agent_dispatch.create_dispatch(
            api.CreateAgentDispatchRequest(
                agent_name="interviewer", room=room_name, metadata=json.dumps({"interview_id": 999_999})
            )
        )
        agents: list[str] = []
        for _ in range(300):
            listed = await lkapi.room.list_participants(api.ListParticipantsRequest(room=room_name))
            agents = [p.identity for p in listed.participants if p.kind == api.ParticipantInfo.Kind.AGENT]
            if agents:
                break
            await asyncio.sleep(0.1)
        await lkapi.room.delete_room(api.DeleteRoomRequest(room=room_name))
    assert agents, "the interviewer agent never joined the room"
