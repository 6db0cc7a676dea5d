"""Per-candidate quotas, counted atomically in Redis so that concurrent requests cannot slip past a limit."""

from datetime import UTC, datetime, timedelta

import redis
from fastapi import HTTPException, status
from sqlmodel import Session, col, func, select

from core.tables import Interview, InterviewStatus


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


def check_live_limit(session: Session, interview: Interview, limit: int) -> None:
    """409 when the candidate already has `limit` other interviews live (connected to their rooms)."""
    live = session.exec(
        select(func.count())
        .select_from(Interview)
        .where(
            Interview.candidate_id == interview.candidate_id,
            Interview.status == InterviewStatus.live,
            col(Interview.id) != interview.id,
        )
    ).one()
    if live >= limit:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "You already have an interview in progress. Finish it (or leave its room) before joining another.",
        )


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
