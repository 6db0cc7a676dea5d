from fastapi import HTTPException, status
from sqlmodel import Session, col, select

from api.errors import field_error
from api.schemas import JobPostingCreate, JobPostingUpdate
from core.embeddings import Embedder
from core.plan_builder import posting_text
from core.tables import JobPosting, Question, Role, User


def _check_bank_questions(session: Session, question_ids: list[int]) -> None:
    if not question_ids:
        return
    found = set(session.exec(select(Question.id).where(col(Question.id).in_(question_ids), col(Question.is_active))))
    missing = [qid for qid in question_ids if qid not in found]
    if missing:
        raise field_error("question_ids", f"No active bank questions with ids {missing}.")


def get_posting(*, session: Session, posting_id: int) -> JobPosting:
    posting = session.get(JobPosting, posting_id)
    if posting is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Job posting not found.")
    return posting


def get_editable_posting(*, session: Session, user: User, posting_id: int) -> JobPosting:
    posting = get_posting(session=session, posting_id=posting_id)
    if user.role != Role.admin and posting.owner_id != user.id:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Only the posting's owner can change it.")
    return posting


def create_posting(*, session: Session, owner: User, posting_in: JobPostingCreate, embedder: Embedder) -> JobPosting:
    _check_bank_questions(session, posting_in.question_ids)
    posting = JobPosting(owner_id=owner.id, **posting_in.model_dump())  # type: ignore[arg-type]
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
        _check_bank_questions(session, changes["question_ids"])
    for field, value in changes.items():
        setattr(posting, field, value)
    if changes.keys() & {"title", "company", "description", "requirements"}:
        posting.embedding = embedder.embed_one(posting_text(posting))
    session.add(posting)
    session.commit()
    session.refresh(posting)
    return posting
