"""The signed-in user's own data: download all of it, or delete the account with everything in it."""

from fastapi import APIRouter, HTTPException, Response, status
from fastapi.concurrency import run_in_threadpool

from api.deps import CurrentUser, DispatcherDep, SessionDep
from api.schemas import AccountDelete, DataExport
from api.security import verify_password
from api.services import privacy
from core.tables import Role

router = APIRouter(prefix="/users/me", tags=["account"])


@router.get("/export", response_model=DataExport)
def export_my_data(session: SessionDep, user: CurrentUser) -> DataExport:
    """Profile, interviews, plans (without rubrics, as the candidate sees them), transcripts, evaluations, reports,
    expression samples and each interview's access log, as one JSON document."""
    return privacy.export_data(session=session, user=user)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def delete_my_account(
    confirmation: AccountDelete, session: SessionDep, user: CurrentUser, dispatcher: DispatcherDep
) -> Response:
    """Candidates: every interview (rooms closed, all rows deleted), then the account. Recruiters' and admins'
    accounts hold other people's work (postings, questions, reviews) and are deactivated by an admin instead."""
    if user.role != Role.candidate:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "Only candidates delete their own account; recruiters and admins ask an admin to deactivate theirs.",
        )
    if not verify_password(confirmation.password, user.password_hash):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "The password is not correct; the account was not deleted.")
    interviews = await run_in_threadpool(privacy.candidate_interviews, session, user)
    await privacy.close_rooms(dispatcher, interviews)
    await run_in_threadpool(privacy.delete_account, session, user, interviews)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
