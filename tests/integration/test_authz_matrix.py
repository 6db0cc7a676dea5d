"""Every interview endpoint by role, owner and non-owner, organisation and not, against real PostgreSQL. Others'
interviews are 404."""

import uuid
from typing import Any

import httpx
import pytest

from core.tables import AnswerEvaluation, EvaluationStatus
from infra.config import StackConfig
from tests.integration.conftest import People, Person, create_posting, create_screening_interview, store_evaluation

pytestmark = pytest.mark.integration

# The posting's organisation has two recruiters: its author and a colleague, who may do the same.
ROLES = ("owner", "other_candidate", "posting_recruiter", "same_org_recruiter", "other_recruiter", "admin")

# (method, path template, expected status per role in ROLES order)
INTERVIEW_MATRIX: list[tuple[str, str, tuple[int, ...]]] = [
    ("GET", "/interviews/{id}", (200, 404, 200, 200, 404, 200)),
    ("GET", "/interviews/{id}/questions", (200, 404, 200, 200, 404, 200)),
    ("GET", "/interviews/{id}/transcripts", (200, 404, 200, 200, 404, 200)),
    ("GET", "/interviews/{id}/evaluations", (200, 404, 200, 200, 404, 200)),
    ("PATCH", "/interviews/{id}", (200, 404, 403, 403, 404, 403)),
    ("POST", "/interviews/{id}/join", (200, 404, 403, 403, 404, 403)),
    ("POST", "/interviews/{id}/observe", (403, 404, 200, 200, 404, 200)),
    # Only admins write transcripts (the live interview's agent writes straight to the database).
    ("POST", "/transcripts", (403, 403, 403, 403, 403, 201)),
    # Reviewing an answer: recruiters who may see the interview and admins; every candidate is refused first.
    ("POST", "/evaluations/{evaluation_id}/overrides", (403, 403, 201, 201, 404, 201)),
    ("POST", "/evaluations/{evaluation_id}/notes", (403, 403, 201, 201, 404, 201)),
    ("GET", "/evaluations/{evaluation_id}/notes", (403, 403, 200, 200, 404, 200)),
    ("GET", "/interviews/{id}/events", (200, 404, 200, 200, 404, 200)),
    ("POST", "/interviews/{id}/complete", (202, 404, 403, 403, 404, 202)),
]


def _actors(people: People) -> dict[str, Person]:
    return dict(
        zip(
            ROLES,
            (
                people.candidate,
                people.other_candidate,
                people.recruiter,
                people.same_org_recruiter,
                people.other_recruiter,
                people.admin,
            ),
            strict=True,
        )
    )


def _request(api_url: str, method: str, path: str, person: Person | None, ids: tuple[int, int], order: int) -> int:
    interview_id, evaluation_id = ids
    headers = person.headers if person else {}
    url = api_url + path.format(id=interview_id, evaluation_id=evaluation_id)
    body: dict[str, Any] | None = None
    if path == "/transcripts":
        body = {"interview_id": interview_id, "speaker": "User", "text": "an answer", "order": order}
    elif method == "PATCH":
        body = {"shared_with_recruiters": True}
    elif method == "POST" and path.endswith("/overrides"):
        body = {"dimension": "technical", "score": 70, "reason": "Checked by hand."}
    elif method == "POST" and path.endswith("/notes"):
        body = {"text": "Strong on indexes."}
    if path.endswith("/events"):
        with httpx.stream("GET", url, headers=headers, timeout=10) as response:
            return response.status_code
    return httpx.request(method, url, headers=headers, json=body, timeout=30).status_code


@pytest.fixture(scope="module")
def screening_interview(api_url: str, people: People) -> dict[str, Any]:
    return create_screening_interview(api_url, people, ["How do you test a distributed system?"])


@pytest.fixture(scope="module")
def evaluation_id(api_url: str, people: People, stack_config: StackConfig, screening_interview: dict[str, Any]) -> int:
    """A scored evaluation of the interview's question, stored as the scoring worker would (the access rules are
    under test here, not the model)."""
    url = f"{api_url}/interviews/{screening_interview['id']}/questions"
    question_id = httpx.get(url, headers=people.admin.headers).json()[0]["id"]
    evaluation = AnswerEvaluation(
        interview_id=screening_interview["id"],
        interview_question_id=question_id,
        status=EvaluationStatus.scored,
        technical_score=55,
        communication_score=60,
        depth_score=50,
        feedback="Names unit and integration tests.",
    )
    return store_evaluation(stack_config, evaluation)


@pytest.mark.parametrize(
    ("method", "path", "expected"), INTERVIEW_MATRIX, ids=[f"{m} {p}" for m, p, _ in INTERVIEW_MATRIX]
)
def test_interview_endpoint_matrix(
    api_url: str,
    people: People,
    screening_interview: dict[str, Any],
    evaluation_id: int,
    method: str,
    path: str,
    expected: tuple[int, ...],
) -> None:
    actors = _actors(people)
    ids = (screening_interview["id"], evaluation_id)
    actual = tuple(
        _request(api_url, method, path, actors[role], ids, order=100 + index) for index, role in enumerate(ROLES)
    )
    assert actual == expected
    assert _request(api_url, method, path, None, ids, order=999) == 401


def test_practice_interviews_reach_recruiters_only_when_shared(api_url: str, people: People) -> None:
    posting = create_posting(api_url, people.recruiter)
    created = httpx.post(
        f"{api_url}/interviews",
        headers=people.candidate.headers,
        json={"position": "Engineer", "job_posting_id": posting["id"], "question_count": 1},
    ).json()
    url = f"{api_url}/interviews/{created['id']}"
    assert httpx.get(url, headers=people.recruiter.headers).status_code == 404
    assert httpx.patch(url, headers=people.candidate.headers, json={"shared_with_recruiters": True}).status_code == 200
    assert httpx.get(url, headers=people.recruiter.headers).status_code == 200
    assert httpx.get(url, headers=people.same_org_recruiter.headers).status_code == 200
    assert httpx.get(url, headers=people.other_recruiter.headers).status_code == 404
    listed = httpx.get(f"{api_url}/interviews", headers=people.other_candidate.headers).json()
    assert created["id"] not in [i["id"] for i in listed]


ROLE_MATRIX: list[tuple[str, str, dict[str, Any] | None, dict[str, int]]] = [
    (
        "POST",
        "/interviews",
        {"position": "Engineer", "question_count": 1},
        {"candidate": 201, "recruiter": 403, "admin": 403},
    ),
    ("GET", "/questions", None, {"candidate": 403, "recruiter": 200, "admin": 200}),
    ("GET", "/questions/search?q=python", None, {"candidate": 403, "recruiter": 200, "admin": 200}),
    ("POST", "/job-postings", {"title": "Data Engineer"}, {"candidate": 403, "recruiter": 201, "admin": 201}),
    ("GET", "/job-postings", None, {"candidate": 200, "recruiter": 200, "admin": 200}),
    ("GET", "/users/me", None, {"candidate": 200, "recruiter": 200, "admin": 200}),
    ("GET", "/organisations", None, {"candidate": 403, "recruiter": 200, "admin": 200}),
    (
        "POST",
        "/organisations",
        {"name": f"Matrix {uuid.uuid4().hex[:8]}"},
        {"candidate": 403, "recruiter": 403, "admin": 201},
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), ROLE_MATRIX, ids=[f"{m} {p}" for m, p, _, _ in ROLE_MATRIX]
)
def test_role_gated_endpoints(
    api_url: str, people: People, method: str, path: str, body: dict[str, Any] | None, expected: dict[str, int]
) -> None:
    by_role = {"candidate": people.other_candidate, "recruiter": people.other_recruiter, "admin": people.admin}
    for role, status in expected.items():
        response = httpx.request(method, api_url + path, headers=by_role[role].headers, json=body, timeout=60)
        assert response.status_code == status, (role, response.text)
    assert httpx.request(method, api_url + path, json=body).status_code == 401
