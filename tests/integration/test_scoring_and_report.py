"""Real worker processes score answers with the offline evaluation model and build the report."""

import re
from typing import Any

import httpx
import pytest

from tests.integration.conftest import People, Person, create_screening_interview, wait_for

pytestmark = pytest.mark.integration

STRONG_WEAK = [
    (
        "What is a database index, and when would you add one?",
        "An index is a separate data structure, usually a B-tree, that lets the database find rows without scanning "
        "the whole table. I add one on columns used in WHERE clauses and joins, after checking the query plan with "
        "EXPLAIN, because every index also slows down inserts and updates and uses disk space.",
        "An index is like a list of things in the database. I am not really sure when you would add one, maybe always.",
    ),
    (
        "How do you make an HTTP API endpoint safe to retry?",
        "I make it idempotent: the client sends an idempotency key, the server stores the key with the result in the "
        "same transaction, and a retry with the same key returns the stored result instead of charging twice. PUT and "
        "DELETE are idempotent by design, so I prefer them where they fit.",
        "You just try again if it fails. Retrying is usually fine, the server can handle it I think.",
    ),
    (
        "Tell me about a time you disagreed with a teammate and how you resolved it.",
        "On a payments project a teammate wanted to ship without load tests. I proposed a one-day test on staging, "
        "we agreed on the numbers that would block the release, the test found a connection pool limit, and we fixed "
        "it before launch. Since then we write the release criteria down before we argue about them.",
        "I do not really disagree with people. If it happens I just do what they say so there is no problem.",
    ),
]


def _interview_with(api_url: str, people: People, questions: list[str], consent: bool) -> tuple[int, list[dict]]:
    created = create_screening_interview(api_url, people, questions, consent=consent)
    plan = httpx.get(f"{api_url}/interviews/{created['id']}/questions", headers=people.candidate.headers).json()
    return created["id"], plan


def _answer(api_url: str, person: Person, interview_id: int, question_id: int, order: int, text: str) -> None:
    words, t = [], 1000 * order * 30
    for word in text.split():
        words.append({"word": word, "start_ms": t, "end_ms": t + 280})
        t += 380
    segment = {
        "interview_id": interview_id,
        "speaker": "User",
        "text": text,
        "order": order,
        "question_id": question_id,
        "is_answer_end": True,
        "start_ms": words[0]["start_ms"] if words else None,
        "end_ms": words[-1]["end_ms"] if words else None,
        "words": words or None,
    }
    response = httpx.post(f"{api_url}/transcripts", headers=person.headers, json=segment)
    assert response.status_code == 201, response.text


def _evaluations(api_url: str, person: Person, interview_id: int, count: int) -> list[dict[str, Any]]:
    def done() -> list[dict[str, Any]] | None:
        rows = httpx.get(f"{api_url}/interviews/{interview_id}/evaluations", headers=person.headers).json()
        return rows if len(rows) == count and all(r["status"] != "pending" for r in rows) else None

    return list(wait_for(done, timeout_s=300, interval_s=1))


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_answers_are_scored_with_verified_evidence_and_a_strong_answer_usually_wins(
    api_url: str, people: People
) -> None:
    questions = [q for q, _, _ in STRONG_WEAK]
    strong_id, strong_plan = _interview_with(api_url, people, questions, consent=False)
    weak_id, weak_plan = _interview_with(api_url, people, questions, consent=False)
    for order, (_, strong, weak) in enumerate(STRONG_WEAK, start=1):
        _answer(api_url, people.admin, strong_id, strong_plan[order - 1]["id"], order, strong)
        _answer(api_url, people.admin, weak_id, weak_plan[order - 1]["id"], order, weak)
    strong_rows = _evaluations(api_url, people.candidate, strong_id, len(STRONG_WEAK))
    weak_rows = _evaluations(api_url, people.candidate, weak_id, len(STRONG_WEAK))

    wins = 0
    for (_, strong, weak), s_row, w_row in zip(STRONG_WEAK, strong_rows, weak_rows, strict=True):
        for row, answer in ((s_row, strong), (w_row, weak)):
            assert row["status"] == "scored", row
            for key in ("technical_score", "communication_score", "depth_score"):
                assert 0 <= row[key] <= 100
            assert row["feedback"]
            assert all(_norm(quote) in _norm(answer) for quote in row["evidence"])
            assert row["model"].endswith(".gguf") and row["prompt_version"] == "score-v2" and row["latency_ms"] > 0
        strong_total = s_row["technical_score"] + s_row["communication_score"] + s_row["depth_score"]
        weak_total = w_row["technical_score"] + w_row["communication_score"] + w_row["depth_score"]
        wins += strong_total > weak_total
    print(f"\nstrong answer scored higher in {wins}/{len(STRONG_WEAK)} pairs (offline Qwen2.5-Coder-0.5B + evidence)")
    # The model alone was not a reliable judge (2/3 to 3/3); with the evidence counts the calibration set measures
    # 12/12 (BENCHMARKS.md), so one miss in three is already a regression worth looking at.
    assert wins >= 2


def test_empty_and_unintelligible_answers_get_no_numbers(api_url: str, people: People) -> None:
    interview_id, plan = _interview_with(api_url, people, ["Explain CAP.", "Explain REST."], consent=False)
    _answer(api_url, people.admin, interview_id, plan[0]["id"], 1, "Um, pass.")
    _answer(api_url, people.admin, interview_id, plan[1]["id"], 2, "### 123 456 789 000 111 222 ???")
    for row in _evaluations(api_url, people.candidate, interview_id, 2):
        assert row["status"] == "insufficient_evidence"
        assert row["technical_score"] is None and row["communication_score"] is None and row["depth_score"] is None
        assert row["evidence"] == []


@pytest.mark.parametrize("consent", [False, True])
def test_report_from_evaluations_and_word_timings(api_url: str, people: People, consent: bool) -> None:
    question, strong, _ = STRONG_WEAK[0]
    interview_id, plan = _interview_with(api_url, people, [question, "Explain eventual consistency."], consent)
    _answer(api_url, people.admin, interview_id, plan[0]["id"], 1, f"Um, so, {strong}")
    _evaluations(api_url, people.candidate, interview_id, 1)
    url = f"{api_url}/interviews/{interview_id}"
    assert httpx.post(f"{url}/complete", headers=people.candidate.headers).status_code == 202
    report = wait_for(
        lambda: (
            httpx.get(f"{url}/report", headers=people.candidate.headers).json().get("id")
            and httpx.get(f"{url}/report", headers=people.candidate.headers).json()
        ),
        timeout_s=180,
    )
    details = report["details_json"]
    assert report["technical_score"] is not None and report["overall_score"] is not None
    assert report["evaluator_model"].endswith(".gguf") and report["summary_text"]
    assert details["answered"] == 1 and details["planned"] == 2 and details["partial"] is True
    assert details["questions"][0]["question"] == question and details["questions"][0]["evidence"] is not None
    speech = details["speech"]
    assert speech["candidate_words"] == len(re.findall(r"[\w']+", f"Um, so, {strong}"))
    assert speech["fillers"] == {"um": 1} and speech["words_per_minute"] > 100
    assert ("expression" in details) is consent
    recruiter_view = httpx.get(f"{url}/report", headers=people.recruiter.headers)
    assert recruiter_view.status_code == 200
