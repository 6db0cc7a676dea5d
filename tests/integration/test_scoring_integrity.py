"""Scoring integrity against the real stack: only the interview (or an admin) writes answers, a candidate's plan
carries no rubric, recruiters override scores with a reason (the model's score kept, the report rebuilt) and keep
private notes that no candidate can read."""

from typing import Any

import httpx
import pytest

from core.tables import AnswerEvaluation, EvaluationStatus
from infra.config import StackConfig
from tests.integration.conftest import People, Person, create_screening_interview, store_evaluation, wait_for

pytestmark = pytest.mark.integration

QUESTION = "What is a database index, and when would you add one?"
STRONG = (
    "An index is a separate data structure, usually a B-tree, that lets the database find rows without scanning the "
    "whole table. I add one on columns used in WHERE clauses and joins, after checking the query plan with EXPLAIN, "
    "because every index also slows down inserts and updates and uses disk space."
)


def _segment(interview_id: int, question_id: int, text: str, order: int = 1) -> dict[str, Any]:
    return {
        "interview_id": interview_id,
        "speaker": "User",
        "text": text,
        "order": order,
        "question_id": question_id,
        "is_answer_end": True,
    }


def _plan(api_url: str, person: Person, interview_id: int) -> list[dict[str, Any]]:
    response = httpx.get(f"{api_url}/interviews/{interview_id}/questions", headers=person.headers)
    assert response.status_code == 200, response.text
    return list(response.json())


def _evaluations(api_url: str, person: Person, interview_id: int) -> list[dict[str, Any]]:
    response = httpx.get(f"{api_url}/interviews/{interview_id}/evaluations", headers=person.headers)
    assert response.status_code == 200, response.text
    return list(response.json())


def _report(api_url: str, person: Person, interview_id: int) -> dict[str, Any] | None:
    response = httpx.get(f"{api_url}/interviews/{interview_id}/report", headers=person.headers)
    return dict(response.json()) if response.status_code == 200 else None


def _far_from(score: float) -> float:
    """An override clearly different from the model's score, so that the two cannot be confused."""
    return 12.0 if score >= 50 else 88.0


@pytest.fixture(scope="module")
def scored(api_url: str, people: People) -> dict[str, Any]:
    """A screening interview of `people.recruiter`'s posting with one strong answer, scored by the real worker."""
    interview = create_screening_interview(api_url, people, [QUESTION, "Explain eventual consistency."])
    plan = _plan(api_url, people.candidate, interview["id"])
    segment = _segment(interview["id"], plan[0]["id"], STRONG)
    stored = httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=segment)
    assert stored.status_code == 201, stored.text
    rows = wait_for(
        lambda: [r for r in _evaluations(api_url, people.recruiter, interview["id"]) if r["status"] != "pending"],
        timeout_s=300,
        interval_s=1,
    )
    assert rows[0]["status"] == "scored", rows  # the strong answer of test_scoring_and_report, scored there too
    return {"interview": interview, "evaluation": rows[0]}


def _override(api_url: str, person: Person, evaluation_id: int, **body: Any) -> httpx.Response:
    return httpx.post(f"{api_url}/evaluations/{evaluation_id}/overrides", headers=person.headers, json=body)


def test_only_an_admin_writes_transcripts(api_url: str, people: People) -> None:
    interview = create_screening_interview(api_url, people, ["How do you review a pull request?"])
    question_id = _plan(api_url, people.candidate, interview["id"])[0]["id"]
    segment = _segment(interview["id"], question_id, "I read the description first, then the tests.")
    for person in (people.candidate, people.recruiter):
        refused = httpx.post(f"{api_url}/transcripts", headers=person.headers, json=segment)
        assert refused.status_code == 403, refused.text
        assert "Only the interview itself (or an admin) writes transcripts" in refused.json()["detail"]
    transcripts = httpx.get(f"{api_url}/interviews/{interview['id']}/transcripts", headers=people.candidate.headers)
    assert transcripts.json() == []  # nothing stored
    assert _evaluations(api_url, people.candidate, interview["id"]) == []  # and nothing queued for scoring

    stored = httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=segment)
    assert stored.status_code == 201, stored.text
    assert len(_evaluations(api_url, people.candidate, interview["id"])) == 1


def test_the_candidate_plan_carries_no_rubric_or_bank_ids(api_url: str, people: People) -> None:
    interview = create_screening_interview(api_url, people, ["What makes a good code review?"])
    candidate_view = _plan(api_url, people.candidate, interview["id"])
    assert candidate_view and candidate_view[0]["content"] == "What makes a good code review?"
    for item in candidate_view:
        assert "rubric_json" not in item and "bank_question_id" not in item, item
    for person in (people.recruiter, people.admin):
        staff_view = _plan(api_url, person, interview["id"])
        assert staff_view[0]["rubric_json"]["expected_points"] == ["mentions trade-offs"]  # conftest.RUBRIC
        assert staff_view[0]["bank_question_id"] is not None


def test_an_override_changes_the_effective_score_and_keeps_the_model_score(
    api_url: str, people: People, scored: dict[str, Any]
) -> None:
    interview_id, evaluation = scored["interview"]["id"], scored["evaluation"]
    model_technical = evaluation["model_scores"]["technical"]
    target = _far_from(model_technical)
    response = _override(
        api_url, people.recruiter, evaluation["id"], dimension="technical", score=target, reason="Missed the B-tree."
    )
    assert response.status_code == 201, response.text
    view = response.json()
    assert view["technical_score"] == target
    assert view["model_scores"]["technical"] == model_technical  # the model's score is kept
    assert view["communication_score"] == view["model_scores"]["communication"]  # other dimensions untouched
    latest = view["overrides"][0]
    assert latest["dimension"] == "technical" and latest["score"] == target and latest["model_score"] == model_technical
    assert latest["author"] == people.recruiter.username and latest["reason"] == "Missed the B-tree."

    # An admin's later override of the same dimension wins; the history lists both, newest first.
    second = _override(api_url, people.admin, evaluation["id"], dimension="technical", score=70, reason="Second look.")
    assert second.status_code == 201, second.text
    staff_row = next(r for r in _evaluations(api_url, people.recruiter, interview_id) if r["id"] == evaluation["id"])
    assert staff_row["technical_score"] == 70
    assert [o["author"] for o in staff_row["overrides"]][:2] == [people.admin.username, people.recruiter.username]
    assert staff_row["model_scores"]["technical"] == model_technical

    # The candidate sees the score that counts, not who changed it or what the model said.
    candidate_rows = _evaluations(api_url, people.candidate, interview_id)
    candidate_row = next(r for r in candidate_rows if r["id"] == evaluation["id"])
    assert candidate_row["technical_score"] == 70
    assert candidate_row["overrides"] == [] and candidate_row["model_scores"] is None
    assert "Second look." not in str(candidate_row)


def test_who_may_override(api_url: str, people: People, scored: dict[str, Any], stack_config: StackConfig) -> None:
    evaluation_id = scored["evaluation"]["id"]
    body = {"dimension": "depth", "score": 40, "reason": "Too shallow."}
    other = _override(api_url, people.other_recruiter, evaluation_id, **body)
    assert other.status_code == 404 and other.json()["detail"] == "Evaluation not found."
    for candidate in (people.candidate, people.other_candidate):
        refused = _override(api_url, candidate, evaluation_id, **body)
        assert refused.status_code == 403 and "Only recruiters and admins" in refused.json()["detail"]
    assert _override(api_url, people.recruiter, 2_000_000_000, **body).status_code == 404

    # An answer without model scores has nothing to override.
    interview = create_screening_interview(api_url, people, ["Tell me about a hard bug."])
    question_id = _plan(api_url, people.recruiter, interview["id"])[0]["id"]
    unscored = store_evaluation(
        stack_config,
        AnswerEvaluation(
            interview_id=interview["id"],
            interview_question_id=question_id,
            status=EvaluationStatus.insufficient_evidence,
        ),
    )
    conflict = _override(api_url, people.recruiter, unscored, **body)
    assert conflict.status_code == 409 and "Only a scored answer can be overridden" in conflict.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"dimension": "technical", "score": 101, "reason": "Too high."}, "score", "less than or equal to 100"),
        ({"dimension": "technical", "score": -1, "reason": "Too low."}, "score", "greater than or equal to 0"),
        ({"dimension": "technical", "score": 50, "reason": ""}, "reason", "at least 3 characters"),
        ({"dimension": "technical", "score": 50, "reason": "  ok  "}, "reason", "at least 3 characters"),
        ({"dimension": "charisma", "score": 50, "reason": "Unknown."}, "dimension", "'technical', 'communication'"),
        ({"dimension": "depth", "score": 50}, "reason", "Field required"),
        ({"dimension": "depth", "score": 50, "reason": "Fine.", "author_id": 1}, "author_id", "Extra inputs"),
    ],
)
def test_bad_override_bodies_get_a_sentence(
    api_url: str, people: People, scored: dict[str, Any], body: dict[str, Any], field: str, message: str
) -> None:
    response = _override(api_url, people.recruiter, scored["evaluation"]["id"], **body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"][0]
    assert field in detail["loc"] and message in detail["msg"], detail


def test_private_notes_are_for_recruiters_and_admins_only(api_url: str, people: People, scored: dict[str, Any]) -> None:
    interview_id, evaluation_id = scored["interview"]["id"], scored["evaluation"]["id"]
    url = f"{api_url}/evaluations/{evaluation_id}/notes"
    first = httpx.post(url, headers=people.recruiter.headers, json={"text": "  Ask about write amplification.  "})
    assert first.status_code == 201, first.text
    assert first.json()["author"] == people.recruiter.username
    assert first.json()["text"] == "Ask about write amplification."  # stripped
    assert httpx.post(url, headers=people.admin.headers, json={"text": "Agreed."}).status_code == 201

    listed = httpx.get(url, headers=people.recruiter.headers).json()
    assert [(n["author"], n["text"]) for n in listed][-2:] == [
        (people.recruiter.username, "Ask about write amplification."),
        (people.admin.username, "Agreed."),
    ]  # oldest first
    assert all(n["created_at"] for n in listed)

    for candidate in (people.candidate, people.other_candidate):
        assert httpx.get(url, headers=candidate.headers).status_code == 403
        assert httpx.post(url, headers=candidate.headers, json={"text": "Mine."}).status_code == 403
    assert httpx.get(url, headers=people.other_recruiter.headers).status_code == 404
    for body in ({"text": ""}, {"text": "   "}, {"text": "x" * 4001}, {}):
        bad = httpx.post(url, headers=people.recruiter.headers, json=body)
        assert bad.status_code == 422 and bad.json()["detail"][0]["msg"], bad.text
    # Nothing the candidate can read carries the notes.
    candidate_view = httpx.get(f"{api_url}/interviews/{interview_id}/evaluations", headers=people.candidate.headers)
    assert "write amplification" not in candidate_view.text


def test_the_report_counts_the_override_once_rebuilt(api_url: str, people: People, scored: dict[str, Any]) -> None:
    """Needs the report worker to read overrides (core.score_overrides in workers/actors/report.py)."""
    interview_id, evaluation_id = scored["interview"]["id"], scored["evaluation"]["id"]
    url = f"{api_url}/interviews/{interview_id}"
    assert httpx.post(f"{url}/complete", headers=people.candidate.headers).status_code == 202
    before = wait_for(lambda: _report(api_url, people.candidate, interview_id), timeout_s=180)
    row = next(r for r in _evaluations(api_url, people.recruiter, interview_id) if r["id"] == evaluation_id)
    target = _far_from(row["technical_score"])

    response = _override(
        api_url, people.recruiter, evaluation_id, dimension="technical", score=target, reason="Rechecked the answer."
    )
    assert response.status_code == 201, response.text

    # The only scored answer: the report's technical score is that answer's effective technical score.
    def rebuilt() -> dict[str, Any] | None:
        report = _report(api_url, people.candidate, interview_id)
        return report if report and report["technical_score"] == target else None

    after = wait_for(rebuilt, timeout_s=180)
    assert after["updated_at"] != before["updated_at"]
    kept = next(r for r in _evaluations(api_url, people.recruiter, interview_id) if r["id"] == evaluation_id)
    assert kept["model_scores"]["technical"] == scored["evaluation"]["model_scores"]["technical"]
