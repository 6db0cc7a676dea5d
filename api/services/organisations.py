"""Organisations (tenants) and the invitations that bring recruiters into them.

An invitation's token is shown once, to whoever creates it; the database keeps only its SHA-256, so that a copy of
the database cannot be turned into recruiter accounts. SHA-256 without a salt is enough here: the token carries
256 random bits, so there is nothing to guess that a slow hash would protect."""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from fastapi import HTTPException, status
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.errors import field_error
from api.schemas import InvitationAccept
from api.security import hash_password
from api.services.users import DuplicateUser, add_user
from core.tables import Invitation, Organisation, Role, User

ORGANISATION_NOT_FOUND = "Organisation not found."
INVITATION_NOT_VALID = "This invitation link is not valid. Ask the person who invited you for a new one."


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_organisation(*, session: Session, name: str) -> Organisation:
    taken = session.exec(select(Organisation.id).where(func.lower(Organisation.name) == name.lower())).first()
    if taken is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "An organisation with this name already exists.")
    organisation = Organisation(name=name)
    session.add(organisation)
    try:
        session.commit()
    except IntegrityError as error:  # the same name created by a concurrent request
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "An organisation with this name already exists.") from error
    session.refresh(organisation)
    return organisation


def visible_organisations(*, session: Session, user: User, limit: int, offset: int) -> Sequence[Organisation]:
    """Admins see every organisation, a recruiter their own."""
    statement = select(Organisation).order_by(col(Organisation.id)).offset(offset).limit(limit)
    if user.role != Role.admin:
        statement = statement.where(Organisation.id == user.organisation_id)
    return session.exec(statement).all()


def get_managed_organisation(*, session: Session, user: User, organisation_id: int) -> Organisation:
    """Admins manage every organisation and recruiters their own; another organisation answers 404, as if it did
    not exist, so that recruiters cannot map out the other tenants."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or (user.role != Role.admin and user.organisation_id != organisation.id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, ORGANISATION_NOT_FOUND)
    return organisation


def require_organisation(*, session: Session, organisation_id: int) -> Organisation:
    """For an admin naming an organisation in a request body: a missing one is bad input, not a missing page."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise field_error("organisation_id", "No organisation with this id.")
    return organisation


def organisation_for_new_content(user: User) -> int | None:
    """The organisation that a new question or posting belongs to: the recruiter's own. Admins belong to none, so
    what they create is public (a question of the public bank, a posting that only admins manage)."""
    if user.role == Role.admin:
        return None
    if user.organisation_id is None:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="Your account belongs to no organisation yet. Ask an admin to add it to one.",
        )
    return user.organisation_id


def invite_recruiter(
    *, session: Session, organisation: Organisation, inviter: User, email: str, hours: int
) -> tuple[Invitation, str]:
    """A new invitation and its token (the only time the token exists outside the invitee's hands)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation_id=organisation.id,  # type: ignore[arg-type]
        email=email.lower(),
        role=Role.recruiter.value,
        token_hash=hash_token(token),
        invited_by_id=inviter.id,  # type: ignore[arg-type]
        expires_at=datetime.now(UTC) + timedelta(hours=hours),
    )
    session.add(invitation)
    session.commit()
    session.refresh(invitation)
    return invitation, token


def invitations_of(*, session: Session, organisation: Organisation) -> Sequence[Invitation]:
    statement = (
        select(Invitation)
        .where(Invitation.organisation_id == organisation.id)
        .order_by(col(Invitation.id).desc())
        .limit(200)
    )
    return session.exec(statement).all()


def usable_invitation(*, session: Session, token: str, lock: bool = False) -> Invitation:
    """The invitation for `token` if it can still be accepted: 404 unknown, 409 used, 410 expired. `lock` holds
    its row until the transaction ends, so that two accepts of one link cannot both create an account."""
    statement = select(Invitation).where(Invitation.token_hash == hash_token(token))
    if lock:
        statement = statement.with_for_update()
    invitation = session.exec(statement).first()
    if invitation is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, INVITATION_NOT_VALID)
    if invitation.accepted_at is not None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "This invitation has already been used. Sign in with the account it created, or ask for a new one.",
        )
    if invitation.expires_at <= datetime.now(UTC):
        raise HTTPException(status.HTTP_410_GONE, "This invitation has expired. Ask the person who invited you again.")
    return invitation


def look_up_invitation(*, session: Session, token: str) -> tuple[Invitation, Organisation]:
    invitation = usable_invitation(session=session, token=token)
    organisation = session.get(Organisation, invitation.organisation_id)
    if organisation is None:  # deleted by hand in the database; the foreign key keeps this from happening otherwise
        raise HTTPException(status.HTTP_404_NOT_FOUND, INVITATION_NOT_VALID)
    return invitation, organisation


def accept_invitation(*, session: Session, token: str, accept_in: InvitationAccept) -> User:
    """Creates the recruiter account in the invitation's organisation and uses the invitation up, in one
    transaction."""
    password_hash = hash_password(accept_in.password)  # before the row lock: bcrypt takes a while
    invitation = usable_invitation(session=session, token=token, lock=True)
    try:
        user = add_user(
            session=session,
            email=invitation.email,
            username=accept_in.username,
            password_hash=password_hash,
            full_name=accept_in.full_name,
            role=Role.recruiter,
            organisation_id=invitation.organisation_id,
        )
    except DuplicateUser as duplicate:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "An account with this username, or with the invited email, already exists. Choose another username; "
            "if the email is already yours, ask an admin to make that account a recruiter.",
        ) from duplicate
    invitation.accepted_at = datetime.now(UTC)
    invitation.accepted_user_id = user.id
    session.add(invitation)
    session.commit()
    session.refresh(user)
    return user
