from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import CurrentUser, RedisDep, SessionDep, SettingsDep
from api.errors import field_error
from api.schemas import Token, UserCreate, UserPublic
from api.security import MAX_PASSWORD_BYTES, create_access_token, verify_password
from api.services.login_limiter import LoginLimiter
from api.services.users import DuplicateUser, create_user, find_by_login

router = APIRouter(tags=["auth"])


def _check_password_rules(password: str, min_length: int) -> None:
    problems = []
    if len(password) < min_length:
        problems.append(f"at least {min_length} characters")
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        problems.append(f"at most {MAX_PASSWORD_BYTES} bytes")
    if problems:
        raise field_error("password", f"Password must have {' and '.join(problems)}.")


@router.post("/register", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def register(user_in: UserCreate, session: SessionDep, settings: SettingsDep) -> UserPublic:
    _check_password_rules(user_in.password, settings.min_password_length)
    try:
        user = create_user(session=session, user_in=user_in)
    except DuplicateUser as duplicate:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(duplicate)) from duplicate
    return UserPublic.model_validate(user, from_attributes=True)


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
    client_address = request.client.host if request.client else "unknown"
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
