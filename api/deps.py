"""Dependencies shared by the routers: settings, database session, Redis, broker, the signed-in user."""

from collections.abc import Callable, Iterator
from typing import Annotated

import redis
from dramatiq.brokers.redis import RedisBroker
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from api.security import subject_from_token
from api.services.livekit_rooms import AgentDispatcher
from api.settings import ApiSettings, get_api_settings
from core.db import get_engine
from core.embeddings import Embedder
from core.tables import Role, User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/token")

SettingsDep = Annotated[ApiSettings, Depends(get_api_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    with Session(get_engine(settings.database_url)) as session:
        yield session


def get_redis(request: Request) -> redis.Redis:
    client: redis.Redis = request.app.state.redis
    return client


def get_broker(request: Request) -> RedisBroker:
    broker: RedisBroker = request.app.state.broker
    return broker


SessionDep = Annotated[Session, Depends(get_session)]
RedisDep = Annotated[redis.Redis, Depends(get_redis)]
BrokerDep = Annotated[RedisBroker, Depends(get_broker)]

_UNAUTHORIZED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="Not signed in, or the session expired. Sign in again.",
    headers={"WWW-Authenticate": "Bearer"},
)


def get_current_user(token: Annotated[str, Depends(oauth2_scheme)], session: SessionDep, settings: SettingsDep) -> User:
    subject = subject_from_token(token, settings.jwt_secret)
    if subject is None or not subject.isdigit():
        raise _UNAUTHORIZED
    user = session.get(User, int(subject))
    if user is None or not user.is_active:
        raise _UNAUTHORIZED
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role, detail: str | None = None) -> Callable[[User], User]:
    """A dependency that refuses other roles with 403: `detail` when given (a sentence that says why), otherwise
    which roles may."""
    allowed = {role.value for role in roles}

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=detail or f"This action needs the role {' or '.join(sorted(allowed))}.",
            )
        return user

    return check


StaffUser = Annotated[User, Depends(require_roles(Role.recruiter, Role.admin))]
CandidateUser = Annotated[User, Depends(require_roles(Role.candidate))]
AdminUser = Annotated[User, Depends(require_roles(Role.admin))]


def get_dispatcher(request: Request) -> AgentDispatcher:
    dispatcher: AgentDispatcher = request.app.state.dispatcher
    return dispatcher


DispatcherDep = Annotated[AgentDispatcher, Depends(get_dispatcher)]


def get_embedder_dep(request: Request) -> Embedder:
    embedder: Embedder = request.app.state.embedder
    return embedder


EmbedderDep = Annotated[Embedder, Depends(get_embedder_dep)]
