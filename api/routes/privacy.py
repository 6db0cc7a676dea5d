"""What a candidate controls about an interview: withdrawing expression consent, deleting it, reading who looked at
it. Admins read the whole access log. `GET /privacy` says how long practice interviews are kept."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.concurrency import run_in_threadpool

from api.deps import AdminUser, CurrentUser, DispatcherDep, RedisDep, SessionDep, SettingsDep
from api.schemas import AccessEventPublic, InterviewPublic, PrivacyPolicy
from api.services import privacy
from api.services.access import get_own_interview

router = APIRouter(tags=["privacy"])
DbIdPath = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("/privacy", response_model=PrivacyPolicy)
def privacy_policy(settings: SettingsDep) -> PrivacyPolicy:
    """The rules a candidate is told on the interviews page."""
    return PrivacyPolicy(practice_retention_days=settings.practice_retention_days)


@router.post("/interviews/{interview_id}/expression-consent/withdraw", response_model=InterviewPublic)
def withdraw_expression_consent(
    interview_id: DbIdPath, session: SessionDep, user: CurrentUser, redis_client: RedisDep
) -> InterviewPublic:
    """The candidate only. Sampling stops within seconds (the agent is told), and every expression sample and the
    report's timeline are deleted. Withdrawing twice changes nothing."""
    interview = get_own_interview(session, user, interview_id)
    withdrawn = privacy.withdraw_expression_consent(session=session, redis_client=redis_client, interview=interview)
    return InterviewPublic.model_validate(withdrawn, from_attributes=True)


@router.delete("/interviews/{interview_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_interview(
    interview_id: DbIdPath, session: SessionDep, user: CurrentUser, dispatcher: DispatcherDep
) -> Response:
    """The candidate only: its room is closed (a live interview ends), then every row about it is deleted."""
    interview = await run_in_threadpool(get_own_interview, session, user, interview_id)
    await privacy.close_rooms(dispatcher, [interview])
    await run_in_threadpool(privacy.delete_own_interviews, session, [interview_id])
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/interviews/{interview_id}/access-log", response_model=list[AccessEventPublic])
def interview_access_log(interview_id: DbIdPath, session: SessionDep, user: CurrentUser) -> list[AccessEventPublic]:
    """The candidate's "who looked at this interview": observations, overrides, notes, report reads, exports."""
    get_own_interview(session, user, interview_id)
    return privacy.access_events(session, interview_ids=[interview_id])


@router.get("/access-events", response_model=list[AccessEventPublic])
def list_access_events(
    session: SessionDep,
    _: AdminUser,
    interview_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[AccessEventPublic]:
    """Admins: the access log, newest first, of one interview or of all."""
    ids = [interview_id] if interview_id is not None else None
    return privacy.access_events(session, interview_ids=ids, limit=limit, offset=offset)
