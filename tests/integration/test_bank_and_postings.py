"""The question bank (rubric validation, embeddings on write, semantic search) and job postings."""

import httpx
import pytest

from tests.integration.conftest import RUBRIC, People, create_posting, create_question

pytestmark = pytest.mark.integration


def test_semantic_search_finds_the_nearest_question(api_url: str, people: People) -> None:
    gil = create_question(api_url, people.recruiter, "How does the global interpreter lock limit CPython threads?")
    create_question(api_url, people.recruiter, "How do Kubernetes pods get scheduled onto nodes?")
    create_question(api_url, people.recruiter, "Tell me about a conflict with a coworker.", "behavioral")
    hits = httpx.get(
        f"{api_url}/questions/search",
        params={"q": "Python multithreading and the GIL", "limit": 3},
        headers=people.recruiter.headers,
        timeout=60,
    ).json()
    assert hits[0]["id"] == gil["id"]
    assert hits[0]["similarity"] > hits[-1]["similarity"]


@pytest.mark.parametrize(
    "rubric",
    [
        {"criteria": [{"name": "A", "weight": 0.5}]},  # weights do not add up to 1
        {"criteria": [{"name": "A", "weight": 0.5}, {"name": "a", "weight": 0.5}]},  # duplicate names
        {"criteria": []},
        {"criteria": [{"name": "A", "weight": 1.0}], "surprise": True},
        "not an object",
    ],
)
def test_invalid_rubrics_are_rejected(api_url: str, people: People, rubric: object) -> None:
    response = httpx.post(
        f"{api_url}/questions",
        headers=people.recruiter.headers,
        json={"content": "Explain indexes.", "category": "technical", "rubric_json": rubric},
    )
    assert response.status_code == 422
    assert any("rubric_json" in error["loc"] for error in response.json()["detail"])


def test_only_the_author_or_an_admin_edits_a_question(api_url: str, people: People) -> None:
    question = create_question(api_url, people.recruiter, "What is a database transaction?")
    url = f"{api_url}/questions/{question['id']}"
    assert httpx.patch(url, headers=people.other_recruiter.headers, json={"difficulty": "hard"}).status_code == 403
    assert httpx.patch(url, headers=people.candidate.headers, json={"difficulty": "hard"}).status_code == 403
    edited = httpx.patch(url, headers=people.admin.headers, json={"difficulty": "hard", "rubric_json": RUBRIC})
    assert edited.status_code == 200
    assert edited.json()["difficulty"] == "hard"
    assert httpx.delete(url, headers=people.recruiter.headers).status_code == 204
    assert httpx.get(url, headers=people.recruiter.headers).status_code == 404


def test_posting_crud_and_ownership(api_url: str, people: People) -> None:
    question = create_question(api_url, people.recruiter, "Describe a REST API you designed.")
    posting = create_posting(api_url, people.recruiter, question_ids=[question["id"]])
    url = f"{api_url}/job-postings/{posting['id']}"
    assert httpx.get(url, headers=people.candidate.headers).json()["title"] == "Backend Engineer"
    assert httpx.patch(url, headers=people.other_recruiter.headers, json={"title": "X"}).status_code == 403
    assert (
        httpx.post(f"{api_url}/job-postings", headers=people.candidate.headers, json={"title": "X"}).status_code == 403
    )
    renamed = httpx.patch(url, headers=people.recruiter.headers, json={"title": "Senior Backend Engineer"}, timeout=60)
    assert renamed.json()["title"] == "Senior Backend Engineer"
    mine = httpx.get(f"{api_url}/job-postings", params={"mine": True}, headers=people.recruiter.headers).json()
    assert posting["id"] in [p["id"] for p in mine]
    bad = httpx.patch(url, headers=people.recruiter.headers, json={"question_ids": [2_000_000_000]})
    assert bad.status_code == 422
    assert httpx.delete(url, headers=people.recruiter.headers).status_code == 204
    assert httpx.get(url, headers=people.recruiter.headers).status_code == 404
