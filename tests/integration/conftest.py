"""People and helpers for API tests: two candidates, two recruiters and an admin, signed in once per session."""

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


@dataclass
class Person:
    id: int
    username: str
    role: str
    headers: dict[str, str]


def register_and_sign_in(api_url: str, role: str, password: str = "correct-horse-battery") -> Person:
    username = f"{role}_{uuid.uuid4().hex[:10]}"
    created = httpx.post(
        f"{api_url}/register",
        json={
            "email": f"{username}@example.com",
            "username": username,
            "password": password,
            "full_name": f"Test {role.title()}",
            "role": role,
        },
    )
    assert created.status_code == 201, created.text
    return sign_in(api_url, username, password, created.json()["id"], role)


def sign_in(api_url: str, login: str, password: str, user_id: int, role: str) -> Person:
    token = httpx.post(f"{api_url}/token", data={"username": login, "password": password})
    assert token.status_code == 200, token.text
    return Person(user_id, login, role, {"Authorization": f"Bearer {token.json()['access_token']}"})


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


@dataclass
class People:
    candidate: Person
    other_candidate: Person
    recruiter: Person
    other_recruiter: Person
    admin: Person


@pytest.fixture(scope="session")
def api_url(stack: Stack, stack_config: StackConfig) -> str:
    return stack_config.api_url


@pytest.fixture(scope="session")
def people(api_url: str, stack_config: StackConfig) -> People:
    return People(
        candidate=register_and_sign_in(api_url, "candidate"),
        other_candidate=register_and_sign_in(api_url, "candidate"),
        recruiter=register_and_sign_in(api_url, "recruiter"),
        other_recruiter=register_and_sign_in(api_url, "recruiter"),
        admin=create_admin(stack_config),
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
