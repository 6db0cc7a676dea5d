from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, HTTPException, Path, Query, status
from fastapi.concurrency import run_in_threadpool
from sqlmodel import col, select

from api.deps import (
    BrokerDep,
    CandidateUser,
    CurrentUser,
    DispatcherDep,
    EmbedderDep,
    RedisDep,
    SessionDep,
    SettingsDep,
)
from api.schemas import (
    ControlCommand,
    EvaluationPublic,
    InterviewCreate,
    InterviewPublic,
    InterviewUpdate,
    JoinGrant,
    PlanQuestionCandidateView,
    PlanQuestionPublic,
    ReportPublic,
    TranscriptPublic,
)
from api.services import interviews, livekit_rooms, privacy, quotas
from api.services.access import get_observable_interview, get_own_interview, get_visible_interview, interview_visibility
from api.services.evaluations import interview_evaluations
from api.services.revocation import revoke_observers
from core.room_protocol import candidate_identity, observer_identity
from core.tables import (
    EvaluationReport,
    Interview,
    InterviewStatus,
    Role,
    Transcript,
)

router = APIRouter(prefix="/interviews", tags=["interviews"])
InterviewId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _public(interview: Interview) -> InterviewPublic:
    return InterviewPublic.model_validate(interview, from_attributes=True)


@router.post("", response_model=InterviewPublic, status_code=status.HTTP_201_CREATED)
def create_interview(
    interview_in: InterviewCreate,
    session: SessionDep,
    user: CandidateUser,
    broker: BrokerDep,
    embedder: EmbedderDep,
    redis_client: RedisDep,
    settings: SettingsDep,
) -> InterviewPublic:
    """Answers at once. The question plan is generated afterwards (status `preparing`, then `scheduled`), except
    for a screening interview of a posting with fixed questions, which is `scheduled` immediately. A candidate
    creates at most `MAX_INTERVIEWS_PER_DAY` interviews a day (UTC)."""
    assert user.id is not None
    quotas.take_interview_slot(redis_client, user.id, settings.max_interviews_per_day)
    try:
        interview = interviews.create_interview(
            session=session, candidate=user, interview_in=interview_in, broker=broker, embedder=embedder
        )
    except Exception:
        quotas.give_back_interview_slot(redis_client, user.id)
        raise
    return _public(interview)


@router.get("", response_model=list[InterviewPublic])
def list_interviews(
    session: SessionDep,
    user: CurrentUser,
    status_filter: Annotated[InterviewStatus | None, Query(alias="status")] = None,
    job_posting_id: Annotated[int | None, Query(alias="posting", ge=1, le=2_147_483_647)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[InterviewPublic]:
    statement = select(Interview).where(interview_visibility(user))
    if status_filter is not None:
        statement = statement.where(Interview.status == status_filter)
    if job_posting_id is not None:
        statement = statement.where(Interview.job_posting_id == job_posting_id)
    statement = statement.order_by(col(Interview.id).desc()).offset(offset).limit(limit)
    return [_public(interview) for interview in session.exec(statement)]


@router.get("/{interview_id}", response_model=InterviewPublic)
def get_interview(interview_id: InterviewId, session: SessionDep, user: CurrentUser) -> InterviewPublic:
    return _public(get_visible_interview(session, user, interview_id))


@router.patch("/{interview_id}", response_model=InterviewPublic)
def share_interview(
    interview_id: InterviewId,
    update: InterviewUpdate,
    session: SessionDep,
    user: CurrentUser,
    background: BackgroundTasks,
    redis_client: RedisDep,
    dispatcher: DispatcherDep,
) -> InterviewPublic:
    """The candidate shares (or stops sharing) a practice interview with the recruiters of its posting. Unsharing
    ends the recruiters' live views and observer connections within seconds."""
    interview = get_own_interview(session, user, interview_id)
    was_shared = interview.shared_with_recruiters
    interview.shared_with_recruiters = update.shared_with_recruiters or interview.mode == "screening"
    session.add(interview)
    session.commit()
    session.refresh(interview)
    if was_shared and not interview.shared_with_recruiters:
        revoke_observers(background, redis_client, dispatcher, interview)
    return _public(interview)


@router.get("/{interview_id}/questions", response_model=list[PlanQuestionPublic] | list[PlanQuestionCandidateView])
def get_questions(
    interview_id: InterviewId, session: SessionDep, user: CurrentUser
) -> list[PlanQuestionPublic] | list[PlanQuestionCandidateView]:
    """The ordered plan. Empty while the interview is `preparing`. Recruiters and admins see each question's rubric
    and bank id; the candidate does not (the rubric's expected points would be the answers)."""
    interview = get_visible_interview(session, user, interview_id)
    plan = interviews.plan_of(session, interview)
    if user.role == Role.candidate:
        return [PlanQuestionCandidateView.model_validate(q, from_attributes=True) for q in plan]
    return [PlanQuestionPublic.model_validate(q, from_attributes=True) for q in plan]


@router.get("/{interview_id}/transcripts", response_model=list[TranscriptPublic])
def get_transcripts(interview_id: InterviewId, session: SessionDep, user: CurrentUser) -> list[TranscriptPublic]:
    interview = get_visible_interview(session, user, interview_id)
    privacy.record_read(session, interview=interview, actor=user, action="read_transcripts")
    rows = session.exec(
        select(Transcript)
        .where(Transcript.interview_id == interview.id)
        .order_by(col(Transcript.order), col(Transcript.id))
    )
    return [TranscriptPublic.model_validate(row, from_attributes=True) for row in rows]


@router.get("/{interview_id}/evaluations", response_model=list[EvaluationPublic])
def get_evaluations(interview_id: InterviewId, session: SessionDep, user: CurrentUser) -> list[EvaluationPublic]:
    """Per-answer results with the scores that count (a recruiter's override wins over the model's score). Recruiters
    and admins also get the model's own scores and every override; candidates get neither."""
    interview = get_visible_interview(session, user, interview_id)
    privacy.record_read(session, interview=interview, actor=user, action="read_evaluations")
    return interview_evaluations(session, user, interview)


@router.post("/{interview_id}/complete", response_model=InterviewPublic, status_code=status.HTTP_202_ACCEPTED)
def complete(
    interview_id: InterviewId,
    session: SessionDep,
    user: CurrentUser,
    broker: BrokerDep,
    redis_client: RedisDep,
    settings: SettingsDep,
) -> InterviewPublic:
    """Ends the interview and queues its report (`GET /interviews/{id}/report` once ready). Completing again rebuilds
    the report (late evaluations may have arrived): a candidate may do that once per `REPORT_REBUILD_INTERVAL_S`."""
    interview = get_visible_interview(session, user, interview_id)
    if user.role == Role.recruiter:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Only the candidate or an admin can complete an interview.")
    if user.role == Role.candidate and interview.status != InterviewStatus.preparing:
        assert interview.id is not None
        quotas.take_report_rebuild(redis_client, interview.id, settings.report_rebuild_interval_s)
    done = interviews.complete_interview(session=session, interview=interview, broker=broker, redis_client=redis_client)
    return _public(done)


@router.get("/{interview_id}/report", response_model=ReportPublic)
def get_report(interview_id: InterviewId, session: SessionDep, user: CurrentUser) -> ReportPublic:
    interview = get_visible_interview(session, user, interview_id)
    report = session.exec(select(EvaluationReport).where(EvaluationReport.interview_id == interview.id)).first()
    if report is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "The report is not ready yet.")
    privacy.record_read(session, interview=interview, actor=user, action="read_report")
    return privacy.report_view(report, interview, user)  # the expression timeline only for the candidate


@router.post("/{interview_id}/join", response_model=JoinGrant)
def join(interview_id: InterviewId, session: SessionDep, user: CurrentUser, settings: SettingsDep) -> JoinGrant:
    """A LiveKit token for the interview's candidate. The interviewer is dispatched when the candidate connects with
    it (the token carries the room's agent dispatch), so a token that is never used holds no agent."""
    interview = get_own_interview(session, user, interview_id)
    quotas.check_live_limit(session, interview, settings.max_live_interviews)
    if interview.status not in (InterviewStatus.scheduled, InterviewStatus.live):
        detail = {
            InterviewStatus.preparing: "The questions are still being prepared; try again in a few seconds.",
        }.get(InterviewStatus(interview.status), f"The interview is {interview.status}; it cannot be joined.")
        raise HTTPException(status.HTTP_409_CONFLICT, detail)
    assert user.id is not None
    return JoinGrant(
        url=settings.livekit_url,
        token=livekit_rooms.candidate_token(settings, interview, user),
        room=interview.room_name,
        identity=candidate_identity(user.id),
    )


@router.post("/{interview_id}/control", status_code=status.HTTP_204_NO_CONTENT)
async def control(
    interview_id: InterviewId,
    command: ControlCommand,
    session: SessionDep,
    user: CurrentUser,
    dispatcher: DispatcherDep,
) -> None:
    """The candidate's "done" or "repeat", relayed to the interviewer (the candidate's token cannot publish data)."""
    interview = await run_in_threadpool(get_own_interview, session, user, interview_id)
    if interview.status not in (InterviewStatus.scheduled, InterviewStatus.live):
        raise HTTPException(status.HTTP_409_CONFLICT, f"The interview is {interview.status}; nobody is listening.")
    if not await dispatcher.send_control(interview.room_name, command.type):
        raise HTTPException(status.HTTP_409_CONFLICT, "The interview room is not open; join the interview first.")


@router.post("/{interview_id}/observe", response_model=JoinGrant)
def observe(interview_id: InterviewId, session: SessionDep, user: CurrentUser, settings: SettingsDep) -> JoinGrant:
    """A hidden, subscribe-only token for recruiters and admins who may see this interview."""
    interview = get_observable_interview(session, user, interview_id)
    if interview.status not in (InterviewStatus.scheduled, InterviewStatus.live):
        raise HTTPException(status.HTTP_409_CONFLICT, f"The interview is {interview.status}; nothing to observe.")
    privacy.record_access(session, interview=interview, actor=user, action="observe")
    return JoinGrant(
        url=settings.livekit_url,
        token=livekit_rooms.observer_token(settings, interview, user),
        room=interview.room_name,
        identity=observer_identity(user.id),  # type: ignore[arg-type]
    )
