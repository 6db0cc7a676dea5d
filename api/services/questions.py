from typing import Any

from fastapi import HTTPException, status
from sqlmodel import Session, col, select

from api.schemas import QuestionCreate, QuestionUpdate
from core.embeddings import Embedder
from core.tables import Question, Role, User, cosine_distance


def _embedding_text(question: Question) -> str:
    return f"{question.position or ''}\n{question.content}".strip()


def get_question(*, session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Question not found.")
    return question


def get_editable_question(*, session: Session, user: User, question_id: int) -> Question:
    question = get_question(session=session, question_id=question_id)
    if user.role != Role.admin and question.owner_id != user.id:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Only the question's author can change it.")
    return question


def create_question(*, session: Session, owner: User, question_in: QuestionCreate, embedder: Embedder) -> Question:
    data = question_in.model_dump()
    question = Question(owner_id=owner.id, **data)
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
    *, session: Session, embedder: Embedder, text: str, limit: int, language: str | None
) -> list[tuple[Question, float]]:
    vector = embedder.embed_one(text)
    distance = cosine_distance(Question.embedding, vector)
    statement = (
        select(Question, distance)
        .where(col(Question.is_active), col(Question.embedding).is_not(None))
        .order_by(distance)
        .limit(limit)
    )
    if language:
        statement = statement.where(Question.language == language)
    return [(question, 1.0 - float(d)) for question, d in session.exec(statement)]
