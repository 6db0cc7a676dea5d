from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import CurrentUser, RedisDep, SessionDep, SettingsDep
from api.schemas import RegistrationAccepted, Token, UserCreate, UserPublic
from api.security import create_access_token, verify_password
from api.services.login_limiter import LoginLimiter
from api.services.users import (
    REGISTRATION_ACCEPTED,
    RegistrationLimiter,
    check_password_rules,
    find_by_login,
    register_candidate,
)

router = APIRouter(tags=["auth"])


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/register",
    response_model=RegistrationAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    responses={429: {"description": "Too many sign-ups from this address; see Retry-After."}},
)
def register(
    user_in: UserCreate, request: Request, session: SessionDep, redis_client: RedisDep, settings: SettingsDep
) -> RegistrationAccepted:
    """Creates a candidate account. The answer is the same whether or not the username or email was taken, so that
    this endpoint cannot be used to find out who has an account; the client signs in next."""
    limiter = RegistrationLimiter(redis_client, settings.register_window_s, settings.register_max_per_client)
    wait_s = limiter.hit(_client_address(request))
    if wait_s is not None:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"Too many sign-ups from this address. Try again in {wait_s} seconds.",
            headers={"Retry-After": str(wait_s)},
        )
    check_password_rules(user_in.password, settings.min_password_length)
    register_candidate(session=session, user_in=user_in)
    return RegistrationAccepted(detail=REGISTRATION_ACCEPTED)


@router.post("/token", response_model=Token)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    redis_client: RedisDep,
    settings: SettingsDep,
) -> Token:
    limiter = LoginLimiter(
        redis_client,
        settings.login_window_s,
        settings.login_max_failures_per_account,
        settings.login_max_failures_per_client,
    )
    client_address = _client_address(request)
    wait_s = limiter.retry_after_s(form.username, client_address)
    if wait_s is not None:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"Too many failed sign-ins. Try again in {wait_s} seconds.",
            headers={"Retry-After": str(wait_s)},
        )
    user = find_by_login(session=session, login=form.username) if "\x00" not in form.username else None
    if not verify_password(form.password, user.password_hash if user else None) or user is None or not user.is_active:
        limiter.record_failure(form.username, client_address)
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    limiter.record_success(form.username, client_address)
    token = create_access_token(subject=str(user.id), secret=settings.jwt_secret, minutes=settings.access_token_minutes)
    return Token(access_token=token)


@router.get("/users/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)
