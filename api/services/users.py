"""Accounts: look-up by login, creation, candidate self-registration and its per-address limit."""

import logging
from dataclasses import dataclass

import redis
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.errors import field_error
from api.schemas import UserCreate
from api.security import MAX_PASSWORD_BYTES, hash_password
from core.tables import Role, User

logger = logging.getLogger(__name__)
# The one answer /register gives, whether it created an account or the username or email was taken.
REGISTRATION_ACCEPTED = (
    "Registration received. If this username and email were not in use, the account is ready: sign in with them."
)


class DuplicateUser(ValueError):
    pass


def check_password_rules(password: str, min_length: int) -> None:
    problems = []
    if len(password) < min_length:
        problems.append(f"at least {min_length} characters")
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        problems.append(f"at most {MAX_PASSWORD_BYTES} bytes")
    if problems:
        raise field_error("password", f"Password must have {' and '.join(problems)}.")


def find_by_login(*, session: Session, login: str) -> User | None:
    """A user by username or email, case-insensitively."""
    lowered = login.strip().lower()
    return session.exec(
        select(User).where(or_(func.lower(User.username) == lowered, func.lower(User.email) == lowered))
    ).first()


def add_user(
    *,
    session: Session,
    email: str,
    username: str,
    password_hash: str,
    full_name: str | None,
    role: Role,
    organisation_id: int | None = None,
) -> User:
    """Adds an account to the session's transaction (the caller commits); DuplicateUser when the username or email
    is taken, also when a concurrent request took it between the check and the insert."""
    if find_by_login(session=session, login=username) or find_by_login(session=session, login=email):
        raise DuplicateUser("A user with this username or email already exists.")
    user = User(
        email=email.lower(),
        username=username,
        role=role.value,
        password_hash=password_hash,
        full_name=full_name,
        organisation_id=organisation_id,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise DuplicateUser("A user with this username or email already exists.") from error
    return user


def create_user(*, session: Session, user_in: UserCreate, role: Role | None = None) -> User:
    user = add_user(
        session=session,
        email=user_in.email,
        username=user_in.username,
        password_hash=hash_password(user_in.password),
        full_name=user_in.full_name,
        role=role or Role(user_in.role),
    )
    session.commit()
    session.refresh(user)
    return user


def register_candidate(*, session: Session, user_in: UserCreate) -> None:
    """Creates a candidate account unless the username or email is taken, and says neither: the caller answers the
    same either way. The password is hashed in both cases so that the response time does not tell them apart."""
    password_hash = hash_password(user_in.password)
    try:
        add_user(
            session=session,
            email=user_in.email,
            username=user_in.username,
            password_hash=password_hash,
            full_name=user_in.full_name,
            role=Role.candidate,
        )
    except DuplicateUser:
        logger.info("registration with a username or email already in use")
        return
    session.commit()


@dataclass(frozen=True)
class RegistrationLimiter:
    """Counts sign-ups per client address in a fixed window; past the limit the address waits for the window."""

    client: redis.Redis
    window_s: int
    max_per_client: int

    def hit(self, client_address: str) -> int | None:
        """Counts this attempt; seconds to wait when it is over the limit, else None."""
        key = f"register:client:{client_address}"
        # One MULTI/EXEC: the counter and its expiry are set together, so a crash between them cannot leave a
        # counter that never expires, and concurrent sign-ups each see their own count.
        pipeline = self.client.pipeline(transaction=True)
        pipeline.incr(key)
        pipeline.expire(key, self.window_s, nx=True)
        pipeline.ttl(key)
        count, _, ttl = pipeline.execute()
        if int(count) > self.max_per_client:
            return max(int(ttl), 1)
        return None
