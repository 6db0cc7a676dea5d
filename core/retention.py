"""Deleting interviews for good: on the candidate's request (the API) and when a practice interview has been kept
long enough (the retention worker). One place decides what "everything about an interview" is.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func
from sqlmodel import Session, col, select

from core.tables import (
    AccessEvent,
    AnswerEvaluation,
    AnswerNote,
    EmotionSample,
    EvaluationReport,
    Interview,
    InterviewMode,
    InterviewQuestion,
    ScoreOverride,
    Transcript,
)

# Expired interviews deleted per transaction by the retention worker (core.jobs.PURGE_EXPIRED).
PURGE_BATCH = 100


def delete_interviews(session: Session, interview_ids: Sequence[int]) -> int:
    """Every row about these interviews, children before parents, in the caller's transaction (not committed here).
    Returns how many interviews were deleted."""
    ids = list(interview_ids)
    if not ids:
        return 0
    evaluations = select(AnswerEvaluation.id).where(col(AnswerEvaluation.interview_id).in_(ids))
    session.execute(delete(ScoreOverride).where(col(ScoreOverride.evaluation_id).in_(evaluations)))
    session.execute(delete(AnswerNote).where(col(AnswerNote.evaluation_id).in_(evaluations)))
    for table in (AnswerEvaluation, Transcript, EmotionSample, EvaluationReport, AccessEvent):
        session.execute(delete(table).where(col(table.interview_id).in_(ids)))
    # One statement for the whole plan: follow-ups refer to their parent question, and PostgreSQL checks that
    # reference at the end of the statement, when both are gone.
    session.execute(delete(InterviewQuestion).where(col(InterviewQuestion.interview_id).in_(ids)))
    deleted = cast(CursorResult[Any], session.execute(delete(Interview).where(col(Interview.id).in_(ids))))
    return int(deleted.rowcount or 0)


def expired_practice_interviews(session: Session, *, now: datetime, days: int, limit: int = PURGE_BATCH) -> list[int]:
    """Practice interviews that ended (or, never ended, were created) more than `days` ago. Screening interviews
    belong to a hiring process and are not expired here."""
    cutoff = now - timedelta(days=days)
    age_from = func.coalesce(col(Interview.end_time), col(Interview.created_at))
    statement = (
        select(Interview.id)
        .where(Interview.mode == InterviewMode.practice, age_from < cutoff)
        .order_by(col(Interview.id))
        .limit(limit)
    )
    return [interview_id for interview_id in session.exec(statement) if interview_id is not None]
