"""Stores transcript segments; a candidate segment that closes an answer queues its scoring (seed flow 4)."""

from datetime import UTC, datetime

import redis
from dramatiq.brokers.redis import RedisBroker
from fastapi import HTTPException, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.errors import field_error
from api.schemas import TranscriptCreate
from core import events, jobs
from core.tables import AnswerEvaluation, EvaluationStatus, Interview, InterviewQuestion, InterviewStatus, Transcript

OPEN_STATUSES = (InterviewStatus.scheduled, InterviewStatus.live)


def _validate(session: Session, interview: Interview, segment: TranscriptCreate) -> None:
    if interview.status not in OPEN_STATUSES:
        raise HTTPException(status.HTTP_409_CONFLICT, f"The interview is {interview.status}; it takes no transcripts.")
    if segment.question_id is not None:
        question = session.get(InterviewQuestion, segment.question_id)
        if question is None or question.interview_id != interview.id:
            raise field_error("question_id", "This question is not part of the interview's plan.")
    if segment.is_answer_end and (segment.speaker != "User" or segment.question_id is None):
        raise field_error("is_answer_end", "Only a candidate (User) segment with a question_id can close an answer.")
    if segment.start_ms is not None and segment.end_ms is not None and segment.end_ms < segment.start_ms:
        raise field_error("end_ms", "end_ms must not be before start_ms.")


def _existing(session: Session, segment: TranscriptCreate) -> Transcript | None:
    return session.exec(
        select(Transcript).where(
            Transcript.interview_id == segment.interview_id,
            Transcript.order == segment.order,
            Transcript.speaker == segment.speaker,
        )
    ).first()


def queue_scoring(session: Session, broker: RedisBroker, interview_question_id: int, interview_id: int) -> int:
    """One evaluation row per answered question; closing it again (a longer answer) re-queues the scoring."""
    evaluation = session.exec(
        select(AnswerEvaluation).where(AnswerEvaluation.interview_question_id == interview_question_id)
    ).first()
    if evaluation is None:
        evaluation = AnswerEvaluation(interview_id=interview_id, interview_question_id=interview_question_id)
    else:
        evaluation.status = EvaluationStatus.pending
        evaluation.updated_at = datetime.now(UTC)
    session.add(evaluation)
    session.commit()
    session.refresh(evaluation)
    jobs.enqueue(broker, jobs.SCORE_ANSWER, answer_id=evaluation.id)
    return evaluation.id  # type: ignore[return-value]


def store_segment(
    *,
    session: Session,
    interview: Interview,
    segment: TranscriptCreate,
    broker: RedisBroker,
    redis_client: redis.Redis,
) -> tuple[Transcript, bool]:
    """Returns the stored row and whether it is new. A repeated (interview, order, speaker) is not stored twice."""
    _validate(session, interview, segment)
    existing = _existing(session, segment)
    if existing is not None:
        return existing, False
    data = segment.model_dump(exclude={"words"})
    transcript = Transcript(**data, words=[w.model_dump() for w in segment.words] if segment.words else None)
    session.add(transcript)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same segment arrived twice at once; the other request stored it
        stored = _existing(session, segment)
        if stored is None:
            raise
        return stored, False
    session.refresh(transcript)
    events.publish(
        redis_client,
        transcript.interview_id,
        events.TRANSCRIPT_STORED,
        {
            "id": transcript.id,
            "speaker": transcript.speaker,
            "text": transcript.text,
            "order": transcript.order,
            "question_id": transcript.question_id,
        },
    )
    if segment.is_answer_end and segment.question_id is not None:
        queue_scoring(session, broker, segment.question_id, interview.id)  # type: ignore[arg-type]
    return transcript, True
