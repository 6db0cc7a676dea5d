"""Organisations and invitations: admins create organisations; an admin or a recruiter of the organisation invites
recruiters; the invitee accepts with the link's token and gets a recruiter account in that organisation."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api.deps import AdminUser, SessionDep, SettingsDep, StaffUser
from api.schemas import (
    InvitationAccept,
    InvitationCreate,
    InvitationIssued,
    InvitationLookup,
    InvitationPublic,
    OrganisationCreate,
    OrganisationPublic,
    UserPublic,
)
from api.services import organisations
from api.services.users import check_password_rules
from core.tables import Invitation, Organisation

router = APIRouter(tags=["organisations"])
OrganisationId = Annotated[int, Path(ge=1, le=2_147_483_647)]
# token_urlsafe(32) is 43 characters; the bound keeps junk from being hashed at length.
InvitationToken = Annotated[str, Path(min_length=1, max_length=100)]
# The web app's page for accepting an invitation (see web/src/App.tsx).
ACCEPT_PATH = "/app/invitations/{token}"


def _organisation(organisation: Organisation) -> OrganisationPublic:
    return OrganisationPublic.model_validate(organisation, from_attributes=True)


def _invitation(invitation: Invitation) -> InvitationPublic:
    return InvitationPublic.model_validate(invitation, from_attributes=True)


@router.post("/organisations", response_model=OrganisationPublic, status_code=status.HTTP_201_CREATED)
def create_organisation(organisation_in: OrganisationCreate, session: SessionDep, _: AdminUser) -> OrganisationPublic:
    return _organisation(organisations.create_organisation(session=session, name=organisation_in.name))


@router.get("/organisations", response_model=list[OrganisationPublic])
def list_organisations(
    session: SessionDep,
    user: StaffUser,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[OrganisationPublic]:
    """Admins: every organisation. Recruiters: their own."""
    found = organisations.visible_organisations(session=session, user=user, limit=limit, offset=offset)
    return [_organisation(organisation) for organisation in found]


@router.get("/organisations/{organisation_id}", response_model=OrganisationPublic)
def get_organisation(organisation_id: OrganisationId, session: SessionDep, user: StaffUser) -> OrganisationPublic:
    return _organisation(
        organisations.get_managed_organisation(session=session, user=user, organisation_id=organisation_id)
    )


@router.post(
    "/organisations/{organisation_id}/invitations",
    response_model=InvitationIssued,
    status_code=status.HTTP_201_CREATED,
)
def invite(
    organisation_id: OrganisationId,
    invitation_in: InvitationCreate,
    session: SessionDep,
    user: StaffUser,
    settings: SettingsDep,
) -> InvitationIssued:
    """A one-time link for `email` to create a recruiter account in this organisation. The token is in this answer
    only: pass the link on to the invitee."""
    organisation = organisations.get_managed_organisation(session=session, user=user, organisation_id=organisation_id)
    invitation, token = organisations.invite_recruiter(
        session=session,
        organisation=organisation,
        inviter=user,
        email=invitation_in.email,
        hours=settings.invitation_hours,
    )
    return InvitationIssued(
        **_invitation(invitation).model_dump(), token=token, accept_path=ACCEPT_PATH.format(token=token)
    )


@router.get("/organisations/{organisation_id}/invitations", response_model=list[InvitationPublic])
def list_invitations(organisation_id: OrganisationId, session: SessionDep, user: StaffUser) -> list[InvitationPublic]:
    organisation = organisations.get_managed_organisation(session=session, user=user, organisation_id=organisation_id)
    return [
        _invitation(invitation)
        for invitation in organisations.invitations_of(session=session, organisation=organisation)
    ]


@router.get("/invitations/{token}", response_model=InvitationLookup)
def look_up_invitation(token: InvitationToken, session: SessionDep) -> InvitationLookup:
    """For the invitation page, before the invitee signs up: which organisation, for which email."""
    invitation, organisation = organisations.look_up_invitation(session=session, token=token)
    return InvitationLookup(
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        email=invitation.email,
        role=invitation.role,
        expires_at=invitation.expires_at,
    )


@router.post("/invitations/{token}/accept", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def accept_invitation(
    token: InvitationToken, accept_in: InvitationAccept, session: SessionDep, settings: SettingsDep
) -> UserPublic:
    check_password_rules(accept_in.password, settings.min_password_length)
    user = organisations.accept_invitation(session=session, token=token, accept_in=accept_in)
    return UserPublic.model_validate(user, from_attributes=True)
