"""LiveKit webhooks (signature on the raw body, idempotent status moves) and the SSE stream of live events."""

import base64
import hashlib
import json
import threading
import time
from typing import Any

import httpx
import pytest
from livekit import api

from infra.config import StackConfig
from tests.integration.conftest import People, create_screening_interview

pytestmark = pytest.mark.integration


def _event_body(event: str, room: str, identity: str | None = None) -> str:
    body: dict[str, Any] = {"event": event, "room": {"name": room}, "id": f"EV_{time.time_ns()}"}
    if identity:
        body["participant"] = {"identity": identity}
    return json.dumps(body)


def _signed(config: StackConfig, body: str, secret: str | None = None) -> dict[str, str]:
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    token = api.AccessToken(config.livekit_api_key, secret or config.livekit_api_secret).with_sha256(digest).to_jwt()
    return {"Authorization": token, "Content-Type": "application/webhook+json"}


def _scheduled_interview(api_url: str, people: People) -> dict[str, Any]:
    return create_screening_interview(api_url, people, ["What is idempotency?"])


def test_signed_events_move_the_status_once(api_url: str, people: People, stack_config: StackConfig) -> None:
    interview = _scheduled_interview(api_url, people)
    room, url = interview["room_name"], f"{api_url}/livekit/webhook"
    joined = _event_body("participant_joined", room, f"candidate-{people.candidate.id}")
    first = httpx.post(url, content=joined, headers=_signed(stack_config, joined))
    assert first.status_code == 200 and first.json()["result"] == "interview live"
    again = httpx.post(url, content=joined, headers=_signed(stack_config, joined))
    assert again.json()["result"] == "unchanged: live"
    live = httpx.get(f"{api_url}/interviews/{interview['id']}", headers=people.candidate.headers).json()
    assert live["status"] == "live" and live["start_time"]

    finished = _event_body("room_finished", room)
    assert httpx.post(url, content=finished, headers=_signed(stack_config, finished)).status_code == 200
    done = httpx.get(f"{api_url}/interviews/{interview['id']}", headers=people.candidate.headers).json()
    assert done["status"] == "completed" and done["end_time"]
    assert done["start_time"] == live["start_time"]


def test_unsigned_forged_and_tampered_webhooks_are_refused(
    api_url: str, people: People, stack_config: StackConfig
) -> None:
    interview = _scheduled_interview(api_url, people)
    body = _event_body("participant_joined", interview["room_name"], f"candidate-{people.candidate.id}")
    url = f"{api_url}/livekit/webhook"
    tampered = body.replace("participant_joined", "room_finished")
    for content, headers in (
        (body, {}),
        (body, _signed(stack_config, body, secret="not-the-secret-at-all")),
        (tampered, _signed(stack_config, body)),
    ):
        assert httpx.post(url, content=content, headers=headers).status_code == 401
    unchanged = httpx.get(f"{api_url}/interviews/{interview['id']}", headers=people.candidate.headers).json()
    assert unchanged["status"] == "scheduled"


def test_events_stream_delivers_stored_transcripts(api_url: str, people: People) -> None:
    interview = _scheduled_interview(api_url, people)
    ticket_url = f"{api_url}/interviews/{interview['id']}/events/ticket"
    ticket = httpx.post(ticket_url, headers=people.candidate.headers).json()["ticket"]
    received: list[str] = []
    connected = threading.Event()

    def listen() -> None:
        url = f"{api_url}/interviews/{interview['id']}/events"
        with httpx.stream("GET", url, params={"ticket": ticket}, timeout=20) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            for line in response.iter_lines():
                if line.startswith(": connected"):
                    connected.set()
                if line.startswith("data:"):
                    received.append(line)
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert connected.wait(10)
    segment = {"interview_id": interview["id"], "speaker": "User", "text": "streamed words", "order": 1}
    assert httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=segment).status_code == 201
    listener.join(10)
    assert received, "no event arrived"
    event = json.loads(received[0].removeprefix("data:"))
    assert event["type"] == "transcript.stored"
    assert event["data"]["text"] == "streamed words"
