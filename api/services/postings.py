"""Job postings belong to an organisation: its recruiters read and edit them, candidates browse every posting to
practise for or apply to, admins manage all. A posting's fixed questions come from its organisation's bank or the
public bank."""

from fastapi import HTTPException, status
from sqlalchemy import ColumnElement, false, true
from sqlmodel import Session, col, select

from api.errors import field_error
from api.schemas import JobPostingCreate, JobPostingUpdate
from api.services.organisations import organisation_for_new_content
from core.embeddings import Embedder
from core.plan_builder import in_banks, posting_text
from core.tables import JobPosting, Question, Role, User

NOT_FOUND = "Job posting not found."


def readable_by(user: User) -> ColumnElement[bool]:
    """Recruiters read their organisation's postings only; candidates and admins read every posting."""
    if user.role != Role.recruiter:
        return true()
    if user.organisation_id is None:
        return false()
    return col(JobPosting.organisation_id) == user.organisation_id


def _check_bank_questions(session: Session, question_ids: list[int], organisation_id: int | None) -> None:
    """Fixed questions must be active questions that the posting's organisation may use: its own bank or the public
    one. Another organisation's question reads as missing, so that its id tells nothing."""
    if not question_ids:
        return
    found = set(
        session.exec(
            select(Question.id).where(
                col(Question.id).in_(question_ids), col(Question.is_active), in_banks(organisation_id)
            )
        )
    )
    missing = [qid for qid in question_ids if qid not in found]
    if missing:
        raise field_error("question_ids", f"No active bank questions with ids {missing}.")


def get_posting(*, session: Session, user: User, posting_id: int) -> JobPosting:
    posting = session.exec(select(JobPosting).where(JobPosting.id == posting_id, readable_by(user))).first()
    if posting is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return posting


def get_editable_posting(*, session: Session, user: User, posting_id: int) -> JobPosting:
    """Admins and every recruiter of the posting's organisation, not only its author (the route admits staff only).
    Colleagues cover for each other, and a posting outlives its author's account."""
    return get_posting(session=session, user=user, posting_id=posting_id)


def create_posting(*, session: Session, owner: User, posting_in: JobPostingCreate, embedder: Embedder) -> JobPosting:
    organisation_id = organisation_for_new_content(owner)
    _check_bank_questions(session, posting_in.question_ids, organisation_id)
    posting = JobPosting(owner_id=owner.id, organisation_id=organisation_id, **posting_in.model_dump())  # type: ignore[arg-type]
    posting.embedding = embedder.embed_one(posting_text(posting))
    session.add(posting)
    session.commit()
    session.refresh(posting)
    return posting


def update_posting(
    *, session: Session, posting: JobPosting, posting_in: JobPostingUpdate, embedder: Embedder
) -> JobPosting:
    changes = posting_in.model_dump(exclude_unset=True, exclude_none=True)
    if "question_ids" in changes:
        _check_bank_questions(session, changes["question_ids"], posting.organisation_id)
    for field, value in changes.items():
        setattr(posting, field, value)
    if changes.keys() & {"title", "company", "description", "requirements"}:
        posting.embedding = embedder.embed_one(posting_text(posting))
    session.add(posting)
    session.commit()
    session.refresh(posting)
    return posting
