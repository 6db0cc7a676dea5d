"""The candidate's ownership of their data: the access log, expression data for the candidate only, withdrawing
consent, deleting interviews and the account, and the export."""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import redis
from fastapi import HTTPException, status
from livekit import api as livekit_api
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from api.schemas import (
    AccessAction,
    AccessEventPublic,
    DataExport,
    ExpressionSamplePublic,
    InterviewExport,
    InterviewPublic,
    PlanQuestionCandidateView,
    ReportPublic,
    TranscriptPublic,
    UserPublic,
)
from api.services.evaluations import interview_evaluations
from api.services.interviews import plan_of
from api.services.livekit_rooms import AgentDispatcher
from core import events
from core.retention import delete_interviews
from core.tables import (
    AccessEvent,
    EmotionSample,
    EvaluationReport,
    Interview,
    InterviewStatus,
    Transcript,
    User,
)

logger = logging.getLogger(__name__)

# A recruiter's report page reloads on every live event; one "read the report" per reader and hour says as much.
READ_LOG_WINDOW = timedelta(hours=1)
EXPRESSION_KEY = "expression"


# --- the access log ---


def record_access(
    session: Session,
    *,
    interview: Interview,
    actor: User,
    action: AccessAction,
    detail: dict[str, Any] | None = None,
) -> None:
    """Logs what someone other than the candidate did with the interview (the candidate's own reading is not
    access). Committed here."""
    if actor.id == interview.candidate_id and action != "export":
        return
    session.add(AccessEvent(interview_id=interview.id, actor_id=actor.id, action=action, detail=detail or {}))  # type: ignore[arg-type]
    session.commit()


def record_read(session: Session, *, interview: Interview, actor: User, action: AccessAction) -> None:
    """Like record_access, at most once per reader, interview and action within READ_LOG_WINDOW."""
    if actor.id == interview.candidate_id:
        return
    recent = session.exec(
        select(AccessEvent.id).where(
            AccessEvent.interview_id == interview.id,
            AccessEvent.actor_id == actor.id,
            AccessEvent.action == action,
            col(AccessEvent.created_at) > datetime.now(UTC) - READ_LOG_WINDOW,
        )
    ).first()
    if recent is None:
        record_access(session, interview=interview, actor=actor, action=action)


def access_events(
    session: Session, *, interview_ids: Sequence[int] | None = None, limit: int = 200, offset: int = 0
) -> list[AccessEventPublic]:
    """Newest first, with the actor's username and role (none once their account is gone)."""
    statement = select(AccessEvent, User).join(User, col(User.id) == AccessEvent.actor_id, isouter=True)
    if interview_ids is not None:
        statement = statement.where(col(AccessEvent.interview_id).in_(list(interview_ids)))
    statement = statement.order_by(col(AccessEvent.created_at).desc(), col(AccessEvent.id).desc())
    return [
        AccessEventPublic(
            **event.model_dump(exclude={"actor_id"}),
            actor=actor.username if actor else None,
            actor_role=actor.role if actor else None,
        )
        for event, actor in session.exec(statement.offset(offset).limit(limit))
    ]


# --- expression data: the candidate's coaching, nobody else's ---


def report_view(report: EvaluationReport, interview: Interview, viewer: User) -> ReportPublic:
    """The report; its expression timeline only for the interview's candidate (recruiters and admins never see it,
    as the consent text promises)."""
    details = dict(report.details_json or {}) if report.details_json is not None else None
    if details is not None and viewer.id != interview.candidate_id:
        details.pop(EXPRESSION_KEY, None)
    return ReportPublic(
        **report.model_dump(exclude={"details_json"}), details_json=details, overall_score=interview.overall_score
    )


def withdraw_expression_consent(*, session: Session, redis_client: redis.Redis, interview: Interview) -> Interview:
    """Consent off, every sample and the report's timeline gone, in one transaction; then the agent is told to stop
    sampling. The update holds the interview's row lock until the commit, which the expression worker waits for
    before it stores a sample, so no sample outlives the withdrawal."""
    interview_id: int = interview.id  # type: ignore[assignment]
    session.execute(
        update(Interview).where(col(Interview.id) == interview_id).values(emotion_consent=False, emotion_summary=None)
    )
    session.execute(delete(EmotionSample).where(col(EmotionSample.interview_id) == interview_id))
    report = session.exec(
        select(EvaluationReport).where(EvaluationReport.interview_id == interview_id).with_for_update()
    ).first()
    if report is not None and report.details_json and EXPRESSION_KEY in report.details_json:
        report.details_json = {k: v for k, v in report.details_json.items() if k != EXPRESSION_KEY}
        session.add(report)
    session.commit()
    session.refresh(interview)
    events.tell_agent(redis_client, interview_id, events.EXPRESSION_CONSENT_WITHDRAWN)
    return interview


# --- deleting ---


async def close_rooms(dispatcher: AgentDispatcher, interviews: Sequence[Interview]) -> None:
    """Ends the interviews' LiveKit rooms (the agent and the candidate are disconnected). A room that does not exist
    is fine; a live room that cannot be closed stops the deletion, since the interview would go on recording."""
    for interview in interviews:
        try:
            await dispatcher.delete_room(interview.room_name)
        except (livekit_api.TwirpError, aiohttp.ClientError, TimeoutError) as error:
            _room_not_closed(interview, error)


def _room_not_closed(interview: Interview, error: Exception) -> None:
    logger.warning("interview %s: room %s not closed: %s", interview.id, interview.room_name, error)
    if interview.status == InterviewStatus.live:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "The interview is live and its room could not be closed; nothing was deleted. Try again shortly.",
        )


def delete_own_interviews(session: Session, interview_ids: Sequence[int]) -> None:
    delete_interviews(session, interview_ids)
    session.commit()


def candidate_interviews(session: Session, user: User) -> list[Interview]:
    return list(session.exec(select(Interview).where(Interview.candidate_id == user.id).order_by(col(Interview.id))))


def delete_account(session: Session, user: User, interviews: Sequence[Interview]) -> None:
    """The interviews and the account in one transaction: either all of it goes or none."""
    delete_interviews(session, [interview.id for interview in interviews if interview.id is not None])
    session.execute(delete(User).where(col(User.id) == user.id))
    session.commit()


# --- the export ---


def _expression_samples(session: Session, interview_id: int) -> list[ExpressionSamplePublic]:
    rows = session.exec(
        select(EmotionSample).where(EmotionSample.interview_id == interview_id).order_by(col(EmotionSample.t_ms))
    )
    return [ExpressionSamplePublic.model_validate(row, from_attributes=True) for row in rows]


def _interview_export(session: Session, user: User, interview: Interview) -> InterviewExport:
    interview_id: int = interview.id  # type: ignore[assignment]
    transcripts = session.exec(
        select(Transcript).where(Transcript.interview_id == interview_id).order_by(col(Transcript.order))
    )
    report = session.exec(select(EvaluationReport).where(EvaluationReport.interview_id == interview_id)).first()
    return InterviewExport(
        interview=InterviewPublic.model_validate(interview, from_attributes=True),
        plan=[PlanQuestionCandidateView.model_validate(q, from_attributes=True) for q in plan_of(session, interview)],
        transcripts=[TranscriptPublic.model_validate(row, from_attributes=True) for row in transcripts],
        evaluations=interview_evaluations(session, user, interview),
        report=report_view(report, interview, user) if report is not None else None,
        expression_samples=_expression_samples(session, interview_id),
        access_log=access_events(session, interview_ids=[interview_id], limit=10_000),
    )


def export_data(*, session: Session, user: User) -> DataExport:
    """Everything the service holds about the caller as a candidate, as the candidate sees it: plans without
    rubrics (the candidate view) and evaluations without the recruiters' review. Each exported interview logs the
    export."""
    interviews = candidate_interviews(session, user)
    exported = [_interview_export(session, user, interview) for interview in interviews]
    for interview in interviews:
        record_access(session, interview=interview, actor=user, action="export")
    return DataExport(
        exported_at=datetime.now(UTC),
        profile=UserPublic.model_validate(user, from_attributes=True),
        interviews=exported,
    )
