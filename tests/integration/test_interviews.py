"""Creating interviews (generated and structured plans), joining, observing, transcripts, completion."""

import json
from typing import Any

import httpx
import jwt
import pytest

from infra.config import StackConfig
from tests.integration.conftest import People, Person, create_posting, create_question, wait_for

pytestmark = pytest.mark.integration


def _create(api_url: str, person: Person, **body: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api_url}/interviews", headers=person.headers, json={"position": "Backend Engineer", **body}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _scheduled(api_url: str, person: Person, interview_id: int) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        interview = httpx.get(f"{api_url}/interviews/{interview_id}", headers=person.headers).json()
        assert interview["status"] in ("preparing", "scheduled"), interview
        return interview if interview["status"] == "scheduled" else None

    return dict(wait_for(check, timeout_s=240, interval_s=0.5))


def test_practice_interview_gets_a_mixed_plan_with_rubrics(api_url: str, people: People) -> None:
    # A position no other test uses, so that other tests' bank questions do not outrank this one. A practice
    # interview without a posting draws on the public bank, which admins curate.
    bank_question = create_question(
        api_url, people.admin, "How would you plan a coral reef survey as a Marine Biologist?"
    )
    interview = _create(api_url, people.candidate, question_count=4, difficulty="medium", position="Marine Biologist")
    assert interview["status"] == "preparing"
    assert interview["room_name"].startswith("interview-")
    _scheduled(api_url, people.candidate, interview["id"])

    # Rubrics and bank ids are for staff: an admin reads them (the candidate's view has neither).
    plan = httpx.get(f"{api_url}/interviews/{interview['id']}/questions", headers=people.admin.headers).json()
    assert [q["order"] for q in plan] == [1, 2, 3, 4]
    sources = [q["source"] for q in plan]
    assert sources.count("bank") <= 2
    assert bank_question["id"] in [q["bank_question_id"] for q in plan]
    assert all(q["content"].strip() and q["rubric_json"]["criteria"] for q in plan)
    assert len({q["content"] for q in plan}) == 4


def test_screening_interview_asks_exactly_the_postings_questions(api_url: str, people: People) -> None:
    first = create_question(api_url, people.recruiter, "Explain eventual consistency.")
    second = create_question(
        api_url, people.recruiter, "Tell me about a production incident you handled.", "behavioral"
    )
    posting = create_posting(api_url, people.recruiter, question_ids=[second["id"], first["id"]])
    for person in (people.candidate, people.other_candidate):
        interview = _create(api_url, person, job_posting_id=posting["id"], mode="screening")
        assert interview["status"] == "scheduled"
        plan = httpx.get(f"{api_url}/interviews/{interview['id']}/questions", headers=person.headers).json()
        assert [q["content"] for q in plan] == [second["content"], first["content"]]
        assert all(q["source"] == "posting" for q in plan)
        # The posting's recruiter sees which bank questions they are; the candidate does not.
        url = f"{api_url}/interviews/{interview['id']}/questions"
        staff_plan = httpx.get(url, headers=people.recruiter.headers).json()
        assert [q["bank_question_id"] for q in staff_plan] == [second["id"], first["id"]]
    listed = httpx.get(
        f"{api_url}/interviews", params={"posting": posting["id"]}, headers=people.recruiter.headers
    ).json()
    assert {i["candidate_id"] for i in listed} == {people.candidate.id, people.other_candidate.id}


def test_screening_needs_a_posting(api_url: str, people: People) -> None:
    response = httpx.post(
        f"{api_url}/interviews", headers=people.candidate.headers, json={"position": "X", "mode": "screening"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "job_posting_id"]


def _screening(api_url: str, people: People) -> dict[str, Any]:
    question = create_question(api_url, people.recruiter, "What makes a good code review?")
    posting = create_posting(api_url, people.recruiter, question_ids=[question["id"]])
    return _create(api_url, people.candidate, job_posting_id=posting["id"], mode="screening", emotion_consent=True)


def test_join_grants_a_short_candidate_token_that_carries_the_interviewer(
    api_url: str, people: People, stack_config: StackConfig
) -> None:
    interview = _screening(api_url, people)
    grant = httpx.post(f"{api_url}/interviews/{interview['id']}/join", headers=people.candidate.headers, timeout=30)
    assert grant.status_code == 200, grant.text
    body = grant.json()
    assert body["url"] == stack_config.livekit_url
    claims = jwt.decode(body["token"], stack_config.livekit_api_secret, algorithms=["HS256"])
    video = claims["video"]
    assert video["room"] == interview["room_name"] and video["roomJoin"] is True
    assert sorted(video["canPublishSources"]) == ["camera", "microphone"]
    assert video["canPublishData"] is False and video["canSubscribe"] is True
    assert not video.get("roomAdmin") and not video.get("hidden")
    assert claims["exp"] - claims["nbf"] <= 15 * 60
    assert claims["sub"] == body["identity"] == f"candidate-{people.candidate.id}"
    # The interviewer is dispatched by the room's first connection with this token (tests/integration/
    # test_room_integrity.py connects and counts agents).
    (agent,) = claims["roomConfig"]["agents"]
    assert agent["agentName"] == "interviewer"
    assert json.loads(agent["metadata"]) == {"interview_id": interview["id"]}


def test_observer_token_is_hidden_and_subscribe_only(api_url: str, people: People, stack_config: StackConfig) -> None:
    interview = _screening(api_url, people)
    grant = httpx.post(f"{api_url}/interviews/{interview['id']}/observe", headers=people.recruiter.headers)
    assert grant.status_code == 200, grant.text
    video = jwt.decode(grant.json()["token"], stack_config.livekit_api_secret, algorithms=["HS256"])["video"]
    assert video["hidden"] is True and video["canSubscribe"] is True
    assert video["canPublish"] is False and video["canPublishData"] is False
    assert (
        httpx.post(f"{api_url}/interviews/{interview['id']}/observe", headers=people.candidate.headers).status_code
        == 403
    )
    assert (
        httpx.post(
            f"{api_url}/interviews/{interview['id']}/observe", headers=people.other_recruiter.headers
        ).status_code
        == 404
    )


def test_transcripts_are_stored_once_and_a_closed_answer_is_queued_for_scoring(
    api_url: str, people: People, stack_config: StackConfig
) -> None:
    interview = _screening(api_url, people)
    iid = interview["id"]
    question_id = httpx.get(f"{api_url}/interviews/{iid}/questions", headers=people.candidate.headers).json()[0]["id"]
    segments = [
        {
            "interview_id": iid,
            "speaker": "AI",
            "text": "What makes a good code review?",
            "order": 0,
            "question_id": question_id,
        },
        {
            "interview_id": iid,
            "speaker": "User",
            "text": "Small changes and kind, specific comments.",
            "order": 1,
            "question_id": question_id,
            "start_ms": 1000,
            "end_ms": 4200,
            "confidence": 0.93,
            "is_answer_end": True,
            "words": [{"word": "Small", "start_ms": 1000, "end_ms": 1300, "confidence": 0.9}],
        },
    ]
    for segment in segments:
        assert httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=segment).status_code == 201
    repeat = httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=segments[1])
    assert repeat.status_code == 200  # the same segment again is not a second row

    stored = httpx.get(f"{api_url}/interviews/{iid}/transcripts", headers=people.candidate.headers).json()
    assert [(t["speaker"], t["order"]) for t in stored] == [("AI", 0), ("User", 1)]
    assert stored[1]["words"][0]["word"] == "Small"

    evaluations = httpx.get(f"{api_url}/interviews/{iid}/evaluations", headers=people.candidate.headers).json()
    assert len(evaluations) == 1 and evaluations[0]["interview_question_id"] == question_id
    # A worker picks the queued job up: the one evaluation row leaves `pending`.
    wait_for(
        lambda: (
            httpx.get(f"{api_url}/interviews/{iid}/evaluations", headers=people.candidate.headers).json()[0]["status"]
            != "pending"
        ),
        timeout_s=180,
    )


def test_bad_transcripts_get_field_errors(api_url: str, people: People) -> None:
    interview = _screening(api_url, people)
    other = _screening(api_url, people)
    foreign_question = httpx.get(
        f"{api_url}/interviews/{other['id']}/questions", headers=people.candidate.headers
    ).json()[0]["id"]
    base = {"interview_id": interview["id"], "speaker": "User", "text": "hello", "order": 5}
    cases = [
        ({**base, "question_id": foreign_question}, "question_id"),
        ({**base, "is_answer_end": True}, "is_answer_end"),
        ({**base, "speaker": "Robot"}, "speaker"),
        ({**base, "text": "   "}, "text"),
        ({**base, "start_ms": 500, "end_ms": 100}, "end_ms"),
    ]
    for body, field in cases:
        response = httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=body)
        assert response.status_code == 422, (field, response.text)
        assert field in response.json()["detail"][0]["loc"]


def test_complete_queues_the_report_and_is_idempotent(api_url: str, people: People, stack_config: StackConfig) -> None:
    interview = _screening(api_url, people)
    url = f"{api_url}/interviews/{interview['id']}"
    assert httpx.get(f"{url}/report", headers=people.candidate.headers).status_code == 404
    done = httpx.post(f"{url}/complete", headers=people.candidate.headers)
    assert done.status_code == 202
    assert done.json()["status"] == "completed" and done.json()["end_time"]
    # Completing again rebuilds the report: a candidate may not do that more than once a minute.
    again = httpx.post(f"{url}/complete", headers=people.candidate.headers)
    assert again.status_code == 429 and 0 < int(again.headers["Retry-After"]) <= 60, again.text
    assert "rebuilt" in again.json()["detail"]
    rebuilt = httpx.post(f"{url}/complete", headers=people.admin.headers)
    assert rebuilt.status_code == 202 and rebuilt.json()["status"] == "completed"
    report = wait_for(lambda: httpx.get(f"{url}/report", headers=people.candidate.headers).json().get("id"), 180)
    assert report
    late = {"interview_id": interview["id"], "speaker": "User", "text": "one more thing", "order": 99}
    assert httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=late).status_code == 409
    assert httpx.post(f"{url}/join", headers=people.candidate.headers).status_code == 409
    completed = httpx.get(f"{api_url}/interviews", params={"status": "completed"}, headers=people.candidate.headers)
    assert interview["id"] in [i["id"] for i in completed.json()]
