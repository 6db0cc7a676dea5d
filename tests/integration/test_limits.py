"""Quotas and limits against the real stack. The quotas get an API process of their own with small limits (the
session's API runs with generous ones, because the suite creates hundreds of interviews for a few candidates)."""

import base64
import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from livekit import api

from infra import services
from infra.config import StackConfig
from infra.process import free_port
from infra.stack import Stack
from tests.integration.conftest import People, Person, create_posting, create_question, register_and_sign_in

pytestmark = pytest.mark.integration

PER_DAY = 3


@pytest.fixture(scope="module")
def strict_api(stack: Stack, stack_config: StackConfig) -> Iterator[str]:
    port = free_port()
    process = services.api_process(
        stack_config, {"MAX_INTERVIEWS_PER_DAY": str(PER_DAY), "MAX_LIVE_INTERVIEWS": "1"}, port=port, name="api-strict"
    )
    process.start()
    try:
        process.wait_ready()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stop()


@pytest.fixture(scope="module")
def posting_id(api_url: str, people: People) -> int:
    question = create_question(api_url, people.recruiter, "How do you keep a cache consistent?")
    return int(create_posting(api_url, people.recruiter, question_ids=[question["id"]])["id"])


def _create(url: str, person: Person, posting_id: int) -> httpx.Response:
    body = {"position": "Engineer", "job_posting_id": posting_id, "mode": "screening"}
    return httpx.post(f"{url}/interviews", headers=person.headers, json=body, timeout=60)


def test_a_candidate_creates_at_most_the_daily_quota_even_all_at_once(
    api_url: str, strict_api: str, posting_id: int
) -> None:
    candidate = register_and_sign_in(api_url, "candidate")
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _create(strict_api, candidate, posting_id), range(8)))
    assert sorted(a.status_code for a in answers) == [201] * PER_DAY + [429] * (8 - PER_DAY)
    refused = next(a for a in answers if a.status_code == 429)
    assert "daily limit" in refused.json()["detail"] and int(refused.headers["Retry-After"]) > 0
    # Only what was created counts: a refused request (a posting that does not exist) gives its slot back.
    other = register_and_sign_in(api_url, "candidate")
    assert _create(strict_api, other, 2_000_000_000).status_code == 422
    assert [_create(strict_api, other, posting_id).status_code for _ in range(PER_DAY)] == [201] * PER_DAY


def _go_live(api_url: str, config: StackConfig, interview: dict[str, Any], candidate: Person) -> str:
    """The webhook livekit-server sends when the candidate connects (signed as the server signs it)."""
    body = json.dumps(
        {
            "event": "participant_joined",
            "room": {"name": interview["room_name"]},
            "participant": {"identity": f"candidate-{candidate.id}"},
            "id": f"EV_{time.time_ns()}",
        }
    )
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    token = api.AccessToken(config.livekit_api_key, config.livekit_api_secret).with_sha256(digest).to_jwt()
    headers = {"Authorization": token, "Content-Type": "application/webhook+json"}
    answer = httpx.post(f"{api_url}/livekit/webhook", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["result"])


def test_one_live_interview_at_a_time(
    api_url: str, strict_api: str, posting_id: int, stack_config: StackConfig
) -> None:
    candidate = register_and_sign_in(api_url, "candidate")
    first, second = (_create(strict_api, candidate, posting_id).json() for _ in range(2))
    assert httpx.post(f"{strict_api}/interviews/{second['id']}/join", headers=candidate.headers).status_code == 200
    _go_live(api_url, stack_config, first, candidate)
    refused = httpx.post(f"{strict_api}/interviews/{second['id']}/join", headers=candidate.headers)
    assert refused.status_code == 409 and "in progress" in refused.json()["detail"]
    # The live one can still be rejoined.
    assert httpx.post(f"{strict_api}/interviews/{first['id']}/join", headers=candidate.headers).status_code == 200
    # Both tokens were fetched before either room was joined (the token of the second is the one from above): the
    # arrival in the second room is refused under the candidate's lock, and that interview does not go live.
    assert _go_live(strict_api, stack_config, second, candidate).startswith("refused")
    still = httpx.get(f"{strict_api}/interviews/{second['id']}", headers=candidate.headers).json()
    assert still["status"] == "scheduled"


def test_bodies_over_a_megabyte_answer_413_before_parsing(api_url: str, people: People) -> None:
    big = json.dumps({"interview_id": 1, "speaker": "User", "text": "x" * 3_000_000, "order": 1})
    declared = httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, content=big)
    assert declared.status_code == 413 and "larger than" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(40):
            yield b"x" * 65_536

    streamed = httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, content=chunks())
    assert streamed.status_code == 413
    assert httpx.get(f"{api_url}/users/me", headers=people.admin.headers).status_code == 200


def test_sign_in_failures_are_counted_per_real_client_behind_the_proxy(api_url: str) -> None:
    """Behind a trusted proxy (here: loopback, as the compose proxy is for the API) failures count against the
    address in X-Forwarded-For, so one client's failures do not lock out everyone else."""
    account = register_and_sign_in(api_url, "candidate")
    noisy = {"X-Forwarded-For": f"203.0.113.{uuid.uuid4().int % 250 + 1}"}
    for attempt in range(40):
        answer = httpx.post(
            f"{api_url}/token",
            data={"username": f"nobody-{attempt}-{uuid.uuid4().hex}", "password": "x" * 9},
            headers=noisy,
        )
        if answer.status_code == 429:
            break
    assert answer.status_code == 429, "the noisy client was never limited"
    calm = {"X-Forwarded-For": "198.51.100.7"}
    signed_in = httpx.post(
        f"{api_url}/token", data={"username": account.username, "password": "correct-horse-battery"}, headers=calm
    )
    assert signed_in.status_code == 200, signed_in.text
