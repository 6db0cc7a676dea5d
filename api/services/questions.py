"""The question bank: each organisation's private bank plus the public bank (organisation_id NULL) that admins
curate. Recruiters read both and edit their organisation's; another organisation's questions answer 404."""

from typing import Any

from fastapi import HTTPException, status
from sqlalchemy import ColumnElement, true
from sqlmodel import Session, col, select

from api.schemas import QuestionCreate, QuestionUpdate
from api.services.organisations import organisation_for_new_content
from core.embeddings import Embedder
from core.plan_builder import in_banks
from core.tables import Question, Role, User, cosine_distance

NOT_FOUND = "Question not found."


def _embedding_text(question: Question) -> str:
    return f"{question.position or ''}\n{question.content}".strip()


def readable_by(user: User) -> ColumnElement[bool]:
    """Admins read every bank; a recruiter their organisation's and the public one."""
    return true() if user.role == Role.admin else in_banks(user.organisation_id)


def get_question(*, session: Session, user: User, question_id: int) -> Question:
    question = session.exec(select(Question).where(Question.id == question_id, readable_by(user))).first()
    if question is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return question


def get_editable_question(*, session: Session, user: User, question_id: int) -> Question:
    """Admins edit every question; recruiters those of their organisation's bank, whoever wrote them."""
    question = get_question(session=session, user=user, question_id=question_id)
    if user.role != Role.admin and question.organisation_id is None:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail=(
                "Questions of the public bank are curated by admins; "
                "add your own version to your organisation's bank instead."
            ),
        )
    return question


def create_question(*, session: Session, owner: User, question_in: QuestionCreate, embedder: Embedder) -> Question:
    data = question_in.model_dump()
    question = Question(owner_id=owner.id, organisation_id=organisation_for_new_content(owner), **data)
    question.embedding = embedder.embed_one(_embedding_text(question))
    session.add(question)
    session.commit()
    session.refresh(question)
    return question


def update_question(
    *, session: Session, question: Question, question_in: QuestionUpdate, embedder: Embedder
) -> Question:
    changes: dict[str, Any] = question_in.model_dump(exclude_unset=True, exclude_none=True)
    for field, value in changes.items():
        setattr(question, field, value)
    if changes.keys() & {"content", "position"}:
        question.embedding = embedder.embed_one(_embedding_text(question))
    session.add(question)
    session.commit()
    session.refresh(question)
    return question


def search_questions(
    *, session: Session, user: User, embedder: Embedder, text: str, limit: int, language: str | None
) -> list[tuple[Question, float]]:
    vector = embedder.embed_one(text)
    distance = cosine_distance(Question.embedding, vector)
    statement = (
        select(Question, distance)
        .where(col(Question.is_active), col(Question.embedding).is_not(None), readable_by(user))
        .order_by(distance)
        .limit(limit)
    )
    if language:
        statement = statement.where(Question.language == language)
    return [(question, 1.0 - float(d)) for question, d in session.exec(statement)]
