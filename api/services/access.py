"""Who may see which interview. Someone else's interview answers 404, as if it did not exist."""

from fastapi import HTTPException, status
from sqlalchemy import ColumnElement, false, or_
from sqlmodel import Session, col, select

from core.tables import Interview, InterviewMode, JobPosting, Role, User

NOT_FOUND = "Interview not found."


def interview_visibility(user: User) -> ColumnElement[bool]:
    """A WHERE clause: candidates see their own interviews; recruiters the screening interviews of their
    organisation's postings and the practice interviews of those postings that the candidate shared; admins
    everything. Any recruiter of the organisation, not only the posting's author: colleagues cover for each other."""
    if user.role == Role.admin:
        return Interview.id.is_not(None)  # type: ignore[union-attr]
    if user.role == Role.candidate:
        return col(Interview.candidate_id) == user.id
    if user.role == Role.recruiter and user.organisation_id is not None:
        organisation_postings = select(JobPosting.id).where(JobPosting.organisation_id == user.organisation_id)
        return col(Interview.job_posting_id).in_(organisation_postings) & or_(
            col(Interview.mode) == InterviewMode.screening, col(Interview.shared_with_recruiters)
        )
    return false()


def get_visible_interview(session: Session, user: User, interview_id: int) -> Interview:
    interview = session.exec(select(Interview).where(Interview.id == interview_id, interview_visibility(user))).first()
    if interview is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return interview


def get_own_interview(session: Session, user: User, interview_id: int) -> Interview:
    """Only the interview's candidate (e.g. to join its room); others, admins included, get 404 or 403."""
    interview = get_visible_interview(session, user, interview_id)
    if interview.candidate_id != user.id:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Only the interview's candidate can do this.")
    return interview


def get_observable_interview(session: Session, user: User, interview_id: int) -> Interview:
    interview = get_visible_interview(session, user, interview_id)
    if user.role not in (Role.recruiter, Role.admin):
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Only recruiters and admins can observe.")
    return interview
