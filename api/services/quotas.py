"""Per-candidate quotas, counted atomically in Redis so that concurrent requests cannot slip past a limit."""

from datetime import UTC, datetime, timedelta

import redis
from fastapi import HTTPException, status
from sqlalchemy import text
from sqlmodel import Session, col, func, select

from core.tables import Interview, InterviewStatus

LIVE_LIMIT_REACHED = "You already have an interview in progress. Finish it (or leave its room) before joining another."


def _seconds_to_midnight(now: datetime) -> int:
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(int((midnight - now).total_seconds()), 1)


def take_interview_slot(client: redis.Redis, candidate_id: int, per_day: int) -> None:
    """Counts one more interview created today (UTC); 429 past the limit, and the count is given back."""
    now = datetime.now(UTC)
    key = f"quota:interviews:{candidate_id}:{now:%Y%m%d}"
    with client.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, 2 * 86_400)
        count, _ = pipe.execute()
    if int(count) > per_day:
        client.decr(key)
        wait_s = _seconds_to_midnight(now)
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"You have created {per_day} interviews today, the daily limit. You can create more after midnight UTC "
            f"(in {wait_s // 3600} h {wait_s % 3600 // 60} min).",
            headers={"Retry-After": str(wait_s)},
        )


def give_back_interview_slot(client: redis.Redis, candidate_id: int) -> None:
    """For a creation that failed after its slot was taken."""
    client.decr(f"quota:interviews:{candidate_id}:{datetime.now(UTC):%Y%m%d}")


def live_elsewhere(session: Session, interview: Interview) -> int:
    """How many other interviews of this candidate are live (connected to their rooms)."""
    return session.exec(
        select(func.count())
        .select_from(Interview)
        .where(
            Interview.candidate_id == interview.candidate_id,
            Interview.status == InterviewStatus.live,
            col(Interview.id) != interview.id,
        )
    ).one()


def lock_candidate(session: Session, candidate_id: int) -> None:
    """Serialises the live-limit check and the move to live of one candidate's interviews until the transaction
    ends (a PostgreSQL advisory lock: two rooms joined at once cannot both pass the check)."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(:namespace, :candidate)"), {"namespace": 15, "candidate": candidate_id}
    )


def check_live_limit(session: Session, interview: Interview, limit: int) -> None:
    """409 when the candidate already has `limit` other interviews live. The webhook of the candidate's arrival
    checks again under `lock_candidate`, so that two tokens fetched at once cannot both go live."""
    if live_elsewhere(session, interview) >= limit:
        raise HTTPException(status.HTTP_409_CONFLICT, LIVE_LIMIT_REACHED)


def take_report_rebuild(client: redis.Redis, interview_id: int, interval_s: int) -> None:
    """At most one report build per interval; 429 with Retry-After otherwise."""
    key = f"report-rebuild:{interview_id}"
    if client.set(key, "1", nx=True, ex=interval_s):
        return
    wait_s = max(int(client.ttl(key)), 1)
    raise HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        f"The report was rebuilt moments ago; it can be rebuilt again in {wait_s} seconds.",
        headers={"Retry-After": str(wait_s)},
    )
