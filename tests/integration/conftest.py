"""People and helpers for API tests: two candidates, three recruiters in two organisations and an admin, signed in
once per session."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from core.db import get_engine
from core.tables import AnswerEvaluation
from infra.config import REPO_ROOT, StackConfig
from infra.stack import Stack

# Every test signs up from 127.0.0.1, far more often than the per-address limit on /register allows a person. The
# services inherit this environment when the session's stack starts; test_organisations checks the limit itself by
# bringing the counter up to it.
REGISTER_LIMIT_FOR_TESTS = 100_000
os.environ.setdefault("REGISTER_MAX_PER_CLIENT", str(REGISTER_LIMIT_FOR_TESTS))


@dataclass
class Person:
    id: int
    username: str
    role: str
    headers: dict[str, str]
    organisation_id: int | None = None


def register_and_sign_in(api_url: str, role: str = "candidate", password: str = "correct-horse-battery") -> Person:
    """A new candidate. Recruiters cannot sign up: they join an organisation through an invitation (recruiter_in)."""
    if role != "candidate":
        raise ValueError("only candidates register; use recruiter_in(...) for a recruiter")
    username = f"{role}_{uuid.uuid4().hex[:10]}"
    created = httpx.post(
        f"{api_url}/register",
        json={
            "email": f"{username}@example.com",
            "username": username,
            "password": password,
            "full_name": f"Test {role.title()}",
        },
    )
    assert created.status_code == 202, created.text
    return sign_in(api_url, username, password, None, role)


def sign_in(api_url: str, login: str, password: str, user_id: int | None, role: str) -> Person:
    token = httpx.post(f"{api_url}/token", data={"username": login, "password": password})
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    me = httpx.get(f"{api_url}/users/me", headers=headers).json()
    assert me["role"] == role and user_id in (None, me["id"]), me
    return Person(me["id"], login, role, headers, me.get("organisation_id"))


def create_admin(config: StackConfig) -> Person:
    username = f"admin_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, **config.service_env(), "ADMIN_PASSWORD": "admin-password-123"}
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "create-admin", "--email", f"{username}@example.com", "--username", username],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    me = httpx.post(f"{config.api_url}/token", data={"username": username, "password": "admin-password-123"})
    headers = {"Authorization": f"Bearer {me.json()['access_token']}"}
    user = httpx.get(f"{config.api_url}/users/me", headers=headers).json()
    assert user["role"] == "admin"
    return Person(user["id"], username, "admin", headers)


def create_organisation(api_url: str, admin: Person, name: str | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{api_url}/organisations", headers=admin.headers, json={"name": name or f"Org {uuid.uuid4().hex[:10]}"}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def invite(api_url: str, inviter: Person, organisation_id: int, email: str) -> dict[str, Any]:
    """An invitation to `organisation_id`, with its one-time token."""
    response = httpx.post(
        f"{api_url}/organisations/{organisation_id}/invitations", headers=inviter.headers, json={"email": email}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def recruiter_in(
    api_url: str, inviter: Person, organisation_id: int, password: str = "correct-horse-battery"
) -> Person:
    """A recruiter of `organisation_id`, the way a real one joins: invited by an admin or a colleague, then
    accepting the link."""
    username = f"recruiter_{uuid.uuid4().hex[:10]}"
    token = invite(api_url, inviter, organisation_id, f"{username}@example.com")["token"]
    accepted = httpx.post(
        f"{api_url}/invitations/{token}/accept",
        json={"username": username, "password": password, "full_name": "Test Recruiter"},
    )
    assert accepted.status_code == 201, accepted.text
    person = sign_in(api_url, username, password, accepted.json()["id"], "recruiter")
    assert person.organisation_id == organisation_id
    return person


@dataclass
class People:
    """`recruiter` and `same_org_recruiter` share an organisation; `other_recruiter` is in another one."""

    candidate: Person
    other_candidate: Person
    recruiter: Person
    other_recruiter: Person
    admin: Person
    same_org_recruiter: Person


@pytest.fixture(scope="session")
def api_url(stack: Stack, stack_config: StackConfig) -> str:
    return stack_config.api_url


@pytest.fixture(scope="session")
def people(api_url: str, stack_config: StackConfig) -> People:
    admin = create_admin(stack_config)
    organisation = create_organisation(api_url, admin)
    recruiter = recruiter_in(api_url, admin, organisation["id"])
    return People(
        candidate=register_and_sign_in(api_url, "candidate"),
        other_candidate=register_and_sign_in(api_url, "candidate"),
        recruiter=recruiter,
        other_recruiter=recruiter_in(api_url, admin, create_organisation(api_url, admin)["id"]),
        admin=admin,
        # Invited by a colleague rather than an admin: how an organisation grows.
        same_org_recruiter=recruiter_in(api_url, recruiter, organisation["id"]),
    )


def store_evaluation(config: StackConfig, evaluation: AnswerEvaluation) -> int:
    """An evaluation row written as the scoring worker would, for tests of who may see and act on it."""
    with Session(get_engine(config.database_url)) as session:
        session.add(evaluation)
        session.commit()
        session.refresh(evaluation)
        assert evaluation.id is not None
        return evaluation.id


def wait_for(check: Callable[[], Any], timeout_s: float = 120, interval_s: float = 0.25) -> Any:
    """Polls until `check` returns something truthy; fails the test with the last value otherwise."""
    deadline = time.monotonic() + timeout_s
    value = None
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval_s)
    raise AssertionError(f"condition not met within {timeout_s} s (last value: {value!r})")


RUBRIC = {
    "criteria": [
        {"name": "Correctness", "description": "accurate", "weight": 0.6},
        {"name": "Clarity", "description": "clear", "weight": 0.4},
    ],
    "expected_points": ["mentions trade-offs"],
}


def create_question(api_url: str, person: Person, content: str, category: str = "technical", **extra: Any) -> dict:
    response = httpx.post(
        f"{api_url}/questions",
        headers=person.headers,
        json={"content": content, "category": category, "difficulty": "medium", "rubric_json": RUBRIC, **extra},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def create_posting(api_url: str, person: Person, **fields: Any) -> dict:
    body = {"title": "Backend Engineer", "company": "Acme", "description": "Python services", **fields}
    response = httpx.post(f"{api_url}/job-postings", headers=person.headers, json=body, timeout=60)
    assert response.status_code == 201, response.text
    return dict(response.json())


def create_screening_interview(
    api_url: str, people: People, questions: list[str], *, consent: bool = False, language: str = "en"
) -> dict[str, Any]:
    """A screening interview of the candidate for a posting of `people.recruiter` with these fixed questions."""
    ids = [create_question(api_url, people.recruiter, text, language=language)["id"] for text in questions]
    posting = create_posting(api_url, people.recruiter, question_ids=ids)
    response = httpx.post(
        f"{api_url}/interviews",
        headers=people.candidate.headers,
        json={
            "position": "Engineer",
            "job_posting_id": posting["id"],
            "mode": "screening",
            "emotion_consent": consent,
            "language": language,
        },
    )
    assert response.status_code == 201, response.text
    return dict(response.json())
