"""Password hashing (bcrypt) and access tokens (PyJWT, HS256 with exp/iat/sub)."""

from datetime import UTC, datetime, timedelta

import bcrypt
import jwt

ALGORITHM = "HS256"
# bcrypt only reads the first 72 bytes; longer passwords are refused at the edge rather than silently truncated.
MAX_PASSWORD_BYTES = 72
# Verifying against this hash when the user does not exist keeps response time from revealing which names exist.
_DUMMY_HASH = bcrypt.hashpw(b"timing-equalizer", bcrypt.gensalt())


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    candidate = password.encode()[:MAX_PASSWORD_BYTES]
    if password_hash is None:
        bcrypt.checkpw(candidate, _DUMMY_HASH)
        return False
    return bcrypt.checkpw(candidate, password_hash.encode())


def create_access_token(*, subject: str, secret: str, minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {"sub": subject, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def subject_from_token(token: str, secret: str) -> str | None:
    """The token's subject, or None when it is malformed, forged or expired."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "iat", "sub"]})
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    return subject if isinstance(subject, str) else None


# A ticket opens one interview's live stream for a minute. Its audience keeps it from working as an access token
# (PyJWT refuses a token with an audience where none is expected) and an access token from working as a ticket.
TICKET_AUDIENCE = "interview-events"


def create_stream_ticket(*, user_id: int, interview_id: int, secret: str, seconds: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "aud": TICKET_AUDIENCE,
        "interview": interview_id,
        "iat": now,
        "exp": now + timedelta(seconds=seconds),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_stream_ticket(ticket: str, secret: str) -> tuple[int, int] | None:
    """(user id, interview id), or None when the ticket is malformed, forged, expired or not a ticket."""
    try:
        claims = jwt.decode(
            ticket,
            secret,
            algorithms=[ALGORITHM],
            audience=TICKET_AUDIENCE,
            options={"require": ["exp", "iat", "sub", "aud"]},
        )
    except jwt.PyJWTError:
        return None
    subject, interview = claims.get("sub"), claims.get("interview")
    if not isinstance(subject, str) or not subject.isdigit() or not isinstance(interview, int):
        return None
    return int(subject), interview
