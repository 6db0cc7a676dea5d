"""The candidate's privacy controls in real Chromium: share a practice interview, see how long it is kept, delete
it, read who looked at an interview, and stop expression analysis; a recruiter's report shows neither."""

import re
import uuid

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, expect
from sqlmodel import Session

from core.db import get_engine
from core.tables import EvaluationReport, Interview
from infra.config import StackConfig
from tests.integration.conftest import People, create_posting, create_screening_interview, wait_for
from tests.integration.test_web_journeys import PAGE_ERRORS, browser, browser_session, signed_in_page  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

EXPRESSION = {
    "frames": 2,
    "frames_with_face": 2,
    "share": {"happy": 1.0},
    "timeline": [{"t_ms": 0, "dominant": "happy"}],
}


def _accept(dialog: Dialog) -> None:
    dialog.accept()


def _store(config: StackConfig, *rows: object) -> list[int]:
    with Session(get_engine(config.database_url)) as session:
        session.add_all(rows)
        session.commit()
        return [row.id for row in rows]  # type: ignore[attr-defined]


def test_the_candidate_shares_and_deletes_a_practice_interview(
    browser: Browser,  # noqa: F811
    api_url: str,
    people: People,
    stack_config: StackConfig,
) -> None:
    posting = create_posting(api_url, people.recruiter)
    [practice] = _store(
        stack_config,
        Interview(
            candidate_id=people.candidate.id,
            job_posting_id=posting["id"],
            position="Platform engineer",
            status="scheduled",
            room_name=f"interview-{uuid.uuid4().hex[:16]}",
        ),
    )
    page = signed_in_page(browser, api_url, people.candidate.username)
    expect(page.get_by_test_id("retention-note")).to_have_text(re.compile("deleted 30 days after they end"))
    row = page.get_by_test_id(f"interview-{practice}")
    share = row.get_by_label("Share with the posting's recruiters")
    expect(share).not_to_be_checked()
    assert httpx.get(f"{api_url}/interviews/{practice}", headers=people.recruiter.headers).status_code == 404
    share.check()
    wait_for(lambda: httpx.get(f"{api_url}/interviews/{practice}", headers=people.recruiter.headers).status_code == 200)
    page.reload()
    expect(share).to_be_checked()  # stored, not only ticked
    share.uncheck()
    wait_for(lambda: httpx.get(f"{api_url}/interviews/{practice}", headers=people.recruiter.headers).status_code == 404)

    page.on("dialog", _accept)
    row.get_by_role("button", name="Delete", exact=True).click()
    expect(row).to_have_count(0)
    assert httpx.get(f"{api_url}/interviews/{practice}", headers=people.candidate.headers).status_code == 404
    assert PAGE_ERRORS == []


def test_the_report_shows_the_candidate_who_looked_and_keeps_the_timeline_theirs(
    browser: Browser,  # noqa: F811
    api_url: str,
    people: People,
    stack_config: StackConfig,
) -> None:
    interview_id = int(create_screening_interview(api_url, people, ["Why this team?"], consent=True)["id"])
    _store(
        stack_config,
        EvaluationReport(interview_id=interview_id, summary_text="Clear.", details_json={"expression": EXPRESSION}),
    )
    assert (
        httpx.post(f"{api_url}/interviews/{interview_id}/observe", headers=people.recruiter.headers).status_code == 200
    )

    recruiter = signed_in_page(browser, api_url, people.recruiter.username)
    recruiter.goto(f"{api_url}/app/interviews/{interview_id}/report")
    expect(recruiter.get_by_role("heading", name=re.compile("Interview report"))).to_be_visible()
    expect(recruiter.get_by_text("Clear.")).to_be_visible()
    expect(recruiter.locator("figure.expression")).to_have_count(0)
    expect(recruiter.get_by_test_id("access-log")).to_have_count(0)

    candidate = signed_in_page(browser, api_url, people.candidate.username)
    candidate.goto(f"{api_url}/app/interviews/{interview_id}/report")
    log = candidate.get_by_test_id("access-log")
    expect(log).to_contain_text(f"{people.recruiter.username} · recruiter watched the interview live")
    expect(log).to_contain_text("read the report")
    expect(candidate.locator("figure.expression rect")).to_have_count(1)
    candidate.on("dialog", _accept)
    candidate.get_by_role("button", name="Stop expression analysis").click()
    expect(candidate.locator("figure.expression")).to_have_count(0)
    assert (
        httpx.get(f"{api_url}/interviews/{interview_id}", headers=people.candidate.headers).json()["emotion_consent"]
        is False
    )
    assert PAGE_ERRORS == []
