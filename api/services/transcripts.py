"""Stores transcript segments; a candidate segment that closes an answer queues its scoring (seed flow 4)."""

import redis
from dramatiq.brokers.redis import RedisBroker
from fastapi import HTTPException, status
from sqlmodel import Session

from api.errors import field_error
from api.schemas import TranscriptCreate
from core import interview_store
from core.tables import Interview, InterviewQuestion, InterviewStatus, Transcript

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
    data = segment.model_dump(exclude={"words"})
    transcript = Transcript(**data, words=[w.model_dump() for w in segment.words] if segment.words else None)
    return interview_store.store_transcript(
        session=session, segment=transcript, broker=broker, redis_client=redis_client
    )
