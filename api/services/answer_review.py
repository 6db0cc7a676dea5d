"""What recruiters add to a scored answer: score overrides (which the report then counts) and private notes (which
no candidate ever reads)."""

import redis
from dramatiq.brokers.redis import RedisBroker
from fastapi import HTTPException, status
from sqlmodel import Session, col, select

from api.schemas import NoteCreate, NotePublic, ScoreOverrideCreate
from core import events, jobs
from core.score_overrides import model_scores
from core.tables import AnswerEvaluation, AnswerNote, EvaluationStatus, Interview, InterviewStatus, ScoreOverride, User


def add_override(
    *,
    session: Session,
    evaluation: AnswerEvaluation,
    interview: Interview,
    author: User,
    override_in: ScoreOverrideCreate,
    broker: RedisBroker,
    redis_client: redis.Redis,
) -> ScoreOverride:
    """Stores the override next to the model's score (which stays on the evaluation) and, when the report exists or
    is being built, queues it again so that it counts the override."""
    if evaluation.status != EvaluationStatus.scored:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"Only a scored answer can be overridden; this one is {evaluation.status.replace('_', ' ')}.",
        )
    override = ScoreOverride(
        evaluation_id=evaluation.id,  # type: ignore[arg-type]
        dimension=override_in.dimension,
        score=override_in.score,
        model_score=model_scores(evaluation)[override_in.dimension],
        reason=override_in.reason,
        author_id=author.id,  # type: ignore[arg-type]
    )
    session.add(override)
    session.commit()
    session.refresh(override)
    interview_id: int = interview.id  # type: ignore[assignment]
    if interview.status == InterviewStatus.completed:
        jobs.enqueue(broker, jobs.GENERATE_REPORT, interview_id=interview_id)
    # Open pages (the report, the observer's) refetch the evaluations; the payload says nothing private.
    changed = {"id": evaluation.id, "interview_id": interview_id}
    events.publish(redis_client, interview_id, events.EVALUATION_STORED, changed)
    return override


def add_note(*, session: Session, evaluation: AnswerEvaluation, author: User, note_in: NoteCreate) -> NotePublic:
    note = AnswerNote(evaluation_id=evaluation.id, author_id=author.id, text=note_in.text)  # type: ignore[arg-type]
    session.add(note)
    session.commit()
    session.refresh(note)
    return NotePublic(**note.model_dump(exclude={"author_id"}), author=author.username)


def list_notes(*, session: Session, evaluation: AnswerEvaluation) -> list[NotePublic]:
    """Oldest first, so that a thread of notes reads top to bottom."""
    rows = session.exec(
        select(AnswerNote, User.username)
        .join(User, col(User.id) == AnswerNote.author_id)
        .where(AnswerNote.evaluation_id == evaluation.id)
        .order_by(col(AnswerNote.created_at), col(AnswerNote.id))
    )
    return [NotePublic(**note.model_dump(exclude={"author_id"}), author=username) for note, username in rows]
