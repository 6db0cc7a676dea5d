"""Admins manage accounts: list users, change a role, deactivate or reactivate an account."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, HTTPException, Path, Query, status
from sqlmodel import Session, col, select

from api.deps import AdminUser, DispatcherDep, RedisDep, SessionDep
from api.errors import field_error
from api.schemas import UserAdminView, UserUpdate
from api.services.organisations import require_organisation
from api.services.revocation import revoke_user
from core.tables import Role, User

router = APIRouter(prefix="/users", tags=["users"])
UserId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _view(user: User) -> UserAdminView:
    return UserAdminView.model_validate(user, from_attributes=True)


@router.get("", response_model=list[UserAdminView])
def list_users(
    session: SessionDep,
    _: AdminUser,
    role: Role | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[UserAdminView]:
    statement = select(User).order_by(col(User.id)).offset(offset).limit(limit)
    if role is not None:
        statement = statement.where(User.role == role)
    return [_view(user) for user in session.exec(statement)]


def _apply_role_and_organisation(session: Session, user: User, change: UserUpdate) -> None:
    """Recruiters belong to exactly one organisation and nobody else to any: making someone a recruiter needs one,
    and leaving the recruiter role leaves the organisation."""
    role = change.role or user.role
    if role != Role.recruiter:
        if change.organisation_id is not None:
            raise field_error("organisation_id", "Only recruiters belong to an organisation.")
        user.organisation_id = None
    elif change.organisation_id is not None:
        user.organisation_id = require_organisation(session=session, organisation_id=change.organisation_id).id
    elif change.role == Role.recruiter and user.organisation_id is None:
        raise field_error("organisation_id", "A recruiter belongs to an organisation: give its organisation_id.")
    user.role = role


@router.patch("/{user_id}", response_model=UserAdminView)
def update_user(
    user_id: UserId,
    change: UserUpdate,
    session: SessionDep,
    admin: AdminUser,
    background: BackgroundTasks,
    redis_client: RedisDep,
    dispatcher: DispatcherDep,
) -> UserAdminView:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such user.")
    if user.id == admin.id and (change.role not in (None, Role.admin) or change.is_active is False):
        # The last admin could lock everyone out; another admin must make this change.
        raise HTTPException(
            status.HTTP_409_CONFLICT, "Admins cannot remove their own admin role or deactivate themselves."
        )
    _apply_role_and_organisation(session, user, change)
    if change.is_active is not None:
        user.is_active = change.is_active
    session.add(user)
    session.commit()
    session.refresh(user)
    if change.is_active is False:
        revoke_user(background, redis_client, dispatcher, user_id)
    return _view(user)
