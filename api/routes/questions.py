from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from api.deps import EmbedderDep, SessionDep, StaffUser
from api.schemas import QuestionCreate, QuestionPublic, QuestionSearchHit, QuestionUpdate
from api.services import questions
from core.tables import Category, Question
from core.text import StorableStr

router = APIRouter(prefix="/questions", tags=["question bank"])
QuestionId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _public(question: Question) -> QuestionPublic:
    return QuestionPublic.model_validate(question, from_attributes=True)


@router.get("", response_model=list[QuestionPublic])
def list_questions(
    session: SessionDep,
    user: StaffUser,
    category: Category | None = None,
    position: Annotated[StorableStr | None, Query(max_length=255)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[QuestionPublic]:
    """The caller's organisation's questions and the public bank's (admins: every question)."""
    statement = (
        select(Question).where(questions.readable_by(user)).order_by(col(Question.id)).offset(offset).limit(limit)
    )
    if category:
        statement = statement.where(Question.category == category)
    if position:
        statement = statement.where(Question.position == position)
    return [_public(question) for question in session.exec(statement)]


@router.get("/search", response_model=list[QuestionSearchHit])
def search(
    session: SessionDep,
    user: StaffUser,
    embedder: EmbedderDep,
    q: Annotated[StorableStr, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    language: Literal["en", "ko"] | None = None,
) -> list[QuestionSearchHit]:
    """Bank questions nearest in meaning to `q` (cosine similarity of MiniLM embeddings, pgvector HNSW)."""
    hits = questions.search_questions(
        session=session, user=user, embedder=embedder, text=q, limit=limit, language=language
    )
    return [
        QuestionSearchHit(**_public(question).model_dump(), similarity=round(similarity, 4))
        for question, similarity in hits
    ]


@router.post("", response_model=QuestionPublic, status_code=status.HTTP_201_CREATED)
def create_question(
    question_in: QuestionCreate, session: SessionDep, user: StaffUser, embedder: EmbedderDep
) -> QuestionPublic:
    return _public(questions.create_question(session=session, owner=user, question_in=question_in, embedder=embedder))


@router.get("/{question_id}", response_model=QuestionPublic)
def get_question(question_id: QuestionId, session: SessionDep, user: StaffUser) -> QuestionPublic:
    return _public(questions.get_question(session=session, user=user, question_id=question_id))


@router.patch("/{question_id}", response_model=QuestionPublic)
def update_question(
    question_id: QuestionId, question_in: QuestionUpdate, session: SessionDep, user: StaffUser, embedder: EmbedderDep
) -> QuestionPublic:
    question = questions.get_editable_question(session=session, user=user, question_id=question_id)
    updated = questions.update_question(session=session, question=question, question_in=question_in, embedder=embedder)
    return _public(updated)


@router.delete("/{question_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_question(question_id: QuestionId, session: SessionDep, user: StaffUser) -> None:
    question = questions.get_editable_question(session=session, user=user, question_id=question_id)
    session.delete(question)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail="This question is part of interview plans; deactivate it instead (PATCH is_active=false).",
        ) from error
