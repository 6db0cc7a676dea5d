from sqlalchemy import func, or_
from sqlmodel import Session, select

from api.schemas import UserCreate
from api.security import hash_password
from core.tables import Role, User


class DuplicateUser(ValueError):
    pass


def find_by_login(*, session: Session, login: str) -> User | None:
    """A user by username or email, case-insensitively."""
    lowered = login.strip().lower()
    return session.exec(
        select(User).where(or_(func.lower(User.username) == lowered, func.lower(User.email) == lowered))
    ).first()


def create_user(*, session: Session, user_in: UserCreate, role: Role | None = None) -> User:
    if find_by_login(session=session, login=user_in.username) or find_by_login(session=session, login=user_in.email):
        raise DuplicateUser("A user with this username or email already exists.")
    user = User(
        email=user_in.email.lower(),
        username=user_in.username,
        role=(role or Role(user_in.role)).value,
        password_hash=hash_password(user_in.password),
        full_name=user_in.full_name,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user
