from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from api.deps import CurrentUser, EmbedderDep, SessionDep, StaffUser
from api.schemas import JobPostingCreate, JobPostingPublic, JobPostingUpdate
from api.services import postings
from core.tables import JobPosting

router = APIRouter(prefix="/job-postings", tags=["job postings"])
PostingId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _public(posting: JobPosting) -> JobPostingPublic:
    return JobPostingPublic.model_validate(posting, from_attributes=True)


@router.get("", response_model=list[JobPostingPublic])
def list_postings(
    session: SessionDep,
    user: CurrentUser,
    mine: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[JobPostingPublic]:
    """Candidates browse every posting (to pick one); recruiters see their organisation's; `mine=true` lists the
    caller's own."""
    statement = (
        select(JobPosting)
        .where(postings.readable_by(user))
        .order_by(col(JobPosting.id).desc())
        .offset(offset)
        .limit(limit)
    )
    if mine:
        statement = statement.where(JobPosting.owner_id == user.id)
    return [_public(posting) for posting in session.exec(statement)]


@router.post("", response_model=JobPostingPublic, status_code=status.HTTP_201_CREATED)
def create_posting(
    posting_in: JobPostingCreate, session: SessionDep, user: StaffUser, embedder: EmbedderDep
) -> JobPostingPublic:
    return _public(postings.create_posting(session=session, owner=user, posting_in=posting_in, embedder=embedder))


@router.get("/{posting_id}", response_model=JobPostingPublic)
def get_posting(posting_id: PostingId, session: SessionDep, user: CurrentUser) -> JobPostingPublic:
    return _public(postings.get_posting(session=session, user=user, posting_id=posting_id))


@router.patch("/{posting_id}", response_model=JobPostingPublic)
def update_posting(
    posting_id: PostingId, posting_in: JobPostingUpdate, session: SessionDep, user: StaffUser, embedder: EmbedderDep
) -> JobPostingPublic:
    posting = postings.get_editable_posting(session=session, user=user, posting_id=posting_id)
    return _public(postings.update_posting(session=session, posting=posting, posting_in=posting_in, embedder=embedder))


@router.delete("/{posting_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_posting(posting_id: PostingId, session: SessionDep, user: StaffUser) -> None:
    posting = postings.get_editable_posting(session=session, user=user, posting_id=posting_id)
    session.delete(posting)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail="This posting has interviews; it cannot be deleted.",
        ) from error
