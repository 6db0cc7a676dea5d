"""The evaluation worker with the offline model, on answers from the labelled set: an injection is cut, flagged
and earns nothing; an off-topic answer is flagged and scores below the weak one; noise is refused; the feedback
speaks to the candidate in its own words; the report counts the flags and says what they mean."""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import People, create_screening_interview, wait_for
from workers.pipelines.feedback import copied_share

pytestmark = pytest.mark.integration

DATA = json.loads((Path(__file__).parents[1] / "data" / "scoring_calibration.json").read_text())
QUESTION = next(q for q in DATA["questions"] if q["id"] == "en-technical-1")
ANSWERS = {a["band"]: a["text"] for a in QUESTION["answers"]}
INJECTION = next(i["text"] for i in DATA["injections"] if i["question_id"] == "en-technical-1")


def _answer_all(api_url: str, people: People, answers: list[str]) -> tuple[int, list[dict[str, Any]]]:
    """One screening interview asking QUESTION once per answer; each answer stored (as the interview would) and
    scored by the real worker. Returns the interview id and the evaluations in plan order."""
    interview = create_screening_interview(api_url, people, [QUESTION["question"]] * len(answers))
    plan = httpx.get(f"{api_url}/interviews/{interview['id']}/questions", headers=people.recruiter.headers).json()
    for order, (question, text) in enumerate(zip(plan, answers, strict=True), start=1):
        segment = {"interview_id": interview["id"], "speaker": "User", "text": text, "order": order,
                   "question_id": question["id"], "is_answer_end": True}  # fmt: skip
        response = httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=segment)
        assert response.status_code == 201, response.text

    def done() -> list[dict[str, Any]] | None:
        rows = httpx.get(f"{api_url}/interviews/{interview['id']}/evaluations", headers=people.recruiter.headers)
        found = [row for row in rows.json() if row["status"] != "pending"]
        return found if len(found) == len(answers) else None

    rows = wait_for(done, timeout_s=600, interval_s=1)
    return interview["id"], sorted(rows, key=lambda row: [q["id"] for q in plan].index(row["interview_question_id"]))


def _overall(row: dict[str, Any]) -> float:
    if row["status"] != "scored":
        return 0.0
    return (row["technical_score"] + row["communication_score"] + row["depth_score"]) / 3


@pytest.fixture(scope="module")
def assessed(api_url: str, people: People) -> tuple[int, dict[str, dict[str, Any]]]:
    cases = {
        "weak": ANSWERS["weak"],
        "weak + injection": f"{ANSWERS['weak']} {INJECTION}",
        "off_topic": ANSWERS["off_topic"],
        "garbage": ANSWERS["garbage"],
    }
    interview_id, rows = _answer_all(api_url, people, list(cases.values()))
    return interview_id, dict(zip(cases, rows, strict=True))


def test_an_injection_is_flagged_quoted_and_earns_nothing(assessed: tuple[int, dict[str, dict[str, Any]]]) -> None:
    _, rows = assessed
    injected, plain = rows["weak + injection"], rows["weak"]
    [flag] = [f for f in injected["flags"] if f["kind"] == "manipulation_suspected"]
    assert any(span in INJECTION or INJECTION[:30] in span for span in flag["spans"]), flag
    assert _overall(injected) - _overall(plain) <= 5, (injected, plain)
    assert plain["flags"] == []


def test_an_off_topic_answer_is_flagged_and_scores_below_the_weak_one(
    assessed: tuple[int, dict[str, dict[str, Any]]],
) -> None:
    _, rows = assessed
    off = rows["off_topic"]
    assert [f["kind"] for f in off["flags"]] == ["off_topic"]
    assert _overall(off) < _overall(rows["weak"]) and off["relevance"] < rows["weak"]["relevance"]


def test_noise_is_refused(assessed: tuple[int, dict[str, dict[str, Any]]]) -> None:
    _, rows = assessed
    assert rows["garbage"]["status"] == "insufficient_evidence"
    assert rows["garbage"]["technical_score"] is None


def test_feedback_speaks_to_the_candidate_in_its_own_words(assessed: tuple[int, dict[str, dict[str, Any]]]) -> None:
    _, rows = assessed
    for name in ("weak", "off_topic"):
        row = rows[name]
        assert "you" in row["feedback"].lower(), row["feedback"]
        assert copied_share(row["feedback"], [ANSWERS[name]]) <= 0.35, row["feedback"]
        assert row["improvement_criterion"] in {"Correctness", "Depth", "Clarity"}


def test_the_report_counts_the_flags_in_plain_words(
    api_url: str, people: People, assessed: tuple[int, dict[str, dict[str, Any]]]
) -> None:
    interview_id, _ = assessed
    url = f"{api_url}/interviews/{interview_id}"
    assert httpx.post(f"{url}/complete", headers=people.candidate.headers).status_code == 202
    report = wait_for(
        lambda: (r := httpx.get(f"{url}/report", headers=people.candidate.headers)).status_code == 200 and r.json(),
        timeout_s=300,
        interval_s=1,
    )
    details = report["details_json"]
    assert details["flags"] == {"off_topic": 1, "manipulation_suspected": 1}
    notices = [notice for question in details["questions"] for notice in question["notices"]]
    assert any("did not address the question" in notice for notice in notices)
    assert any("spoke to the assessor" in notice for notice in notices)
    assert "Strengths:" in report["summary_text"] and "To improve:" in report["summary_text"]
