"""Interview state changes shared by the API and the agent: status moves, transcript segments, answer scoring.

Both sides must behave the same (the same live events, the same idempotency), so the logic lives here once.
"""

from datetime import UTC, datetime

import dramatiq
import redis
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core import events, jobs
from core.tables import AnswerEvaluation, EvaluationStatus, Interview, InterviewQuestion, InterviewStatus, Transcript


def set_status(session: Session, redis_client: redis.Redis, interview: Interview, new_status: InterviewStatus) -> None:
    now = datetime.now(UTC)
    interview.status = new_status
    if new_status == InterviewStatus.live and interview.start_time is None:
        interview.start_time = now
    if new_status == InterviewStatus.completed and interview.end_time is None:
        interview.end_time = now
    session.add(interview)
    session.commit()
    events.publish(redis_client, interview.id, events.STATUS_CHANGED, {"status": new_status})  # type: ignore[arg-type]


def conversation_order(questions: list[InterviewQuestion]) -> list[InterviewQuestion]:
    """Planned questions by their order, each follow-up right after the question it follows up on.

    Follow-ups are appended to the plan while the interview runs (their `order` is the next free one), so sorting
    by `order` alone would put them at the end."""
    by_id = {q.id: q for q in questions}

    def key(question: InterviewQuestion) -> tuple[int, int]:
        parent = by_id.get(question.parent_id) if question.parent_id is not None else None
        return (parent.order, question.order) if parent is not None else (question.order, -1)

    return sorted(questions, key=key)


def queue_scoring(session: Session, broker: dramatiq.Broker, interview_question_id: int, interview_id: int) -> int:
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


def _existing(session: Session, segment: Transcript) -> Transcript | None:
    return session.exec(
        select(Transcript).where(
            Transcript.interview_id == segment.interview_id,
            Transcript.order == segment.order,
            Transcript.speaker == segment.speaker,
        )
    ).first()


def store_transcript(
    *, session: Session, segment: Transcript, broker: dramatiq.Broker, redis_client: redis.Redis
) -> tuple[Transcript, bool]:
    """Returns the stored row and whether it is new. A repeated (interview, order, speaker) is not stored twice.

    A candidate segment marked `is_answer_end` queues the scoring of its question."""
    existing = _existing(session, segment)
    if existing is not None:
        return existing, False
    session.add(segment)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same segment arrived twice at once; the other writer stored it
        stored = _existing(session, segment)
        if stored is None:
            raise
        return stored, False
    session.refresh(segment)
    events.publish(
        redis_client,
        segment.interview_id,
        events.TRANSCRIPT_STORED,
        {
            "id": segment.id,
            "speaker": segment.speaker,
            "text": segment.text,
            "order": segment.order,
            "question_id": segment.question_id,
        },
    )
    if segment.is_answer_end and segment.question_id is not None:
        queue_scoring(session, broker, segment.question_id, segment.interview_id)
    return segment, True


def next_transcript_order(session: Session, interview_id: int) -> int:
    last = session.exec(
        select(Transcript.order).where(Transcript.interview_id == interview_id).order_by(col(Transcript.order).desc())
    ).first()
    return 0 if last is None else last + 1
