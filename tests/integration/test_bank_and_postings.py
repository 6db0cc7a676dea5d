"""The question bank (rubric validation, embeddings on write, semantic search) and job postings, each scoped to an
organisation, with the public bank that admins curate."""

import httpx
import pytest

from tests.integration.conftest import RUBRIC, People, create_posting, create_question, wait_for

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


def test_an_organisations_questions_are_its_own(api_url: str, people: People) -> None:
    """Any recruiter of the organisation reads and edits its questions; another organisation's recruiter cannot
    even tell they exist."""
    question = create_question(api_url, people.recruiter, "What is a database transaction?")
    assert question["organisation_id"] == people.recruiter.organisation_id
    url = f"{api_url}/questions/{question['id']}"
    for method in ("GET", "PATCH", "DELETE"):
        body = {"difficulty": "hard"} if method == "PATCH" else None
        assert httpx.request(method, url, headers=people.other_recruiter.headers, json=body).status_code == 404
    assert httpx.patch(url, headers=people.candidate.headers, json={"difficulty": "hard"}).status_code == 403
    listed = httpx.get(f"{api_url}/questions", params={"limit": 200}, headers=people.other_recruiter.headers).json()
    assert question["id"] not in [q["id"] for q in listed]
    found = httpx.get(
        f"{api_url}/questions/search",
        params={"q": "database transaction", "limit": 50},
        headers=people.other_recruiter.headers,
        timeout=60,
    ).json()
    assert question["id"] not in [q["id"] for q in found]
    colleague = httpx.patch(url, headers=people.same_org_recruiter.headers, json={"difficulty": "easy"}, timeout=60)
    assert colleague.status_code == 200 and colleague.json()["difficulty"] == "easy"
    edited = httpx.patch(url, headers=people.admin.headers, json={"difficulty": "hard", "rubric_json": RUBRIC})
    assert edited.status_code == 200
    assert edited.json()["difficulty"] == "hard"
    assert httpx.delete(url, headers=people.same_org_recruiter.headers).status_code == 204
    assert httpx.get(url, headers=people.recruiter.headers).status_code == 404


def test_the_public_bank_is_read_by_all_recruiters_and_edited_by_admins(api_url: str, people: People) -> None:
    public = create_question(api_url, people.admin, "How do you keep a public API backwards compatible?")
    assert public["organisation_id"] is None
    url = f"{api_url}/questions/{public['id']}"
    for recruiter in (people.recruiter, people.other_recruiter):
        assert httpx.get(url, headers=recruiter.headers).status_code == 200
        refused = httpx.patch(url, headers=recruiter.headers, json={"difficulty": "hard"})
        assert refused.status_code == 403 and "admins" in refused.json()["detail"]
        assert httpx.delete(url, headers=recruiter.headers).status_code == 403
        listed = httpx.get(f"{api_url}/questions", params={"limit": 200}, headers=recruiter.headers).json()
        assert public["id"] in [q["id"] for q in listed]
        assert {q["organisation_id"] for q in listed} <= {None, recruiter.organisation_id}
    assert httpx.patch(url, headers=people.admin.headers, json={"difficulty": "easy"}, timeout=60).status_code == 200


def test_posting_crud_and_ownership(api_url: str, people: People) -> None:
    question = create_question(api_url, people.recruiter, "Describe a REST API you designed.")
    posting = create_posting(api_url, people.recruiter, question_ids=[question["id"]])
    assert posting["organisation_id"] == people.recruiter.organisation_id
    url = f"{api_url}/job-postings/{posting['id']}"
    # Candidates browse every organisation's postings: they practise for them and apply to them.
    assert httpx.get(url, headers=people.candidate.headers).json()["title"] == "Backend Engineer"
    browsed = httpx.get(f"{api_url}/job-postings", params={"limit": 200}, headers=people.candidate.headers).json()
    assert posting["id"] in [p["id"] for p in browsed]
    assert httpx.get(url, headers=people.other_recruiter.headers).status_code == 404
    assert httpx.patch(url, headers=people.other_recruiter.headers, json={"title": "X"}).status_code == 404
    others = httpx.get(f"{api_url}/job-postings", params={"limit": 200}, headers=people.other_recruiter.headers)
    assert posting["id"] not in [p["id"] for p in others.json()]
    assert (
        httpx.post(f"{api_url}/job-postings", headers=people.candidate.headers, json={"title": "X"}).status_code == 403
    )
    renamed = httpx.patch(url, headers=people.recruiter.headers, json={"title": "Senior Backend Engineer"}, timeout=60)
    assert renamed.json()["title"] == "Senior Backend Engineer"
    colleague = httpx.patch(url, headers=people.same_org_recruiter.headers, json={"company": "Acme Ltd"}, timeout=60)
    assert colleague.status_code == 200 and colleague.json()["owner_id"] == people.recruiter.id
    mine = httpx.get(f"{api_url}/job-postings", params={"mine": True}, headers=people.recruiter.headers).json()
    assert posting["id"] in [p["id"] for p in mine]
    bad = httpx.patch(url, headers=people.recruiter.headers, json={"question_ids": [2_000_000_000]})
    assert bad.status_code == 422
    assert httpx.delete(url, headers=people.same_org_recruiter.headers).status_code == 204
    assert httpx.get(url, headers=people.recruiter.headers).status_code == 404


def test_a_posting_fixes_questions_of_its_own_organisation_or_the_public_bank(api_url: str, people: People) -> None:
    foreign = create_question(api_url, people.other_recruiter, "How do you shard a time-series table?")
    public = create_question(api_url, people.admin, "Walk me through a design review you led.", "behavioral")
    refused = httpx.post(
        f"{api_url}/job-postings",
        headers=people.recruiter.headers,
        json={"title": "Data Engineer", "question_ids": [foreign["id"]]},
        timeout=60,
    )
    assert refused.status_code == 422 and str(foreign["id"]) in refused.json()["detail"][0]["msg"]
    posting = create_posting(api_url, people.recruiter, question_ids=[public["id"]])
    assert posting["question_ids"] == [public["id"]]


def _plan_bank_ids(api_url: str, people: People, interview_id: int) -> list[int]:
    def scheduled() -> bool:
        interview = httpx.get(f"{api_url}/interviews/{interview_id}", headers=people.candidate.headers).json()
        assert interview["status"] in ("preparing", "scheduled"), interview
        return bool(interview["status"] == "scheduled")

    wait_for(scheduled, timeout_s=240, interval_s=0.5)
    plan = httpx.get(f"{api_url}/interviews/{interview_id}/questions", headers=people.admin.headers).json()
    return [q["bank_question_id"] for q in plan if q["bank_question_id"] is not None]


def test_plans_draw_on_the_postings_organisation_and_the_public_bank_only(api_url: str, people: People) -> None:
    # A trade no other test uses, so that these are the nearest bank questions to the position. The other
    # organisation's question is the closest match of all: only the organisation rule keeps it out.
    foreign = create_question(
        api_url, people.other_recruiter, "How do you inspect an apiarist's beehive for varroa mites?"
    )
    own = create_question(api_url, people.recruiter, "How would you stop a honeybee colony from swarming?")
    public = create_question(api_url, people.admin, "What protective gear does a beekeeper wear to open a hive?")
    posting = create_posting(
        api_url, people.recruiter, title="Apiarist", company="Hive & Co", description="Beekeeping, beehive inspections"
    )
    bodies = [
        {"position": "Apiarist beekeeper", "job_posting_id": posting["id"], "question_count": 4},
        {"position": "Apiarist beekeeper", "question_count": 4},  # practice without a posting: the public bank only
    ]
    created = [
        httpx.post(f"{api_url}/interviews", headers=people.candidate.headers, json=body, timeout=60).json()
        for body in bodies
    ]
    with_posting, without_posting = (_plan_bank_ids(api_url, people, interview["id"]) for interview in created)
    assert own["id"] in with_posting and foreign["id"] not in with_posting
    assert public["id"] in without_posting
    assert own["id"] not in without_posting and foreign["id"] not in without_posting
