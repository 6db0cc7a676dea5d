"""privacy.purge_expired and privacy.retention_tick: practice interviews are deleted after the retention period.

Dramatiq has no scheduler. Every worker process sends one tick when it boots (workers/middleware.py); a tick that
finds the hour's Redis lease free takes it, queues a purge and sends itself again an interval later; a tick that finds
the lease taken (a second process, a restart) stops there. However many processes boot, one chain survives, and a
lost chain (Redis flushed) is started again by the next boot.
"""

import logging
from datetime import UTC, datetime

import dramatiq
from sqlmodel import Session

from core import jobs
from core.db import get_engine
from core.retention import delete_interviews, expired_practice_interviews
from workers.models import get_redis
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)
LEASE_KEY = "privacy:retention:lease"


@dramatiq.actor(actor_name=jobs.PURGE_EXPIRED[0], queue_name=jobs.PURGE_EXPIRED[1], max_retries=3, time_limit=600_000)
def purge_expired() -> None:
    """Idempotent: deletes in batches until nothing has expired."""
    settings = get_worker_settings()
    total = 0
    with Session(get_engine(settings.database_url)) as session:
        while ids := expired_practice_interviews(session, now=datetime.now(UTC), days=settings.practice_retention_days):
            total += delete_interviews(session, ids)
            session.commit()
    if total:
        days = settings.practice_retention_days
        logger.info("retention: %d practice interviews older than %d days deleted", total, days)


def lease_seconds(interval_s: int) -> int:
    """The lease ends a little before the next tick of its chain is due, so that tick finds it free, while any other
    chain's tick inside the interval finds it taken."""
    return max(interval_s - max(interval_s // 10, 1), 1)


@dramatiq.actor(actor_name=jobs.RETENTION_TICK[0], queue_name=jobs.RETENTION_TICK[1], max_retries=0)
def retention_tick() -> None:
    interval_s = get_worker_settings().retention_interval_s
    if not get_redis().set(LEASE_KEY, "1", nx=True, ex=lease_seconds(interval_s)):
        return  # another chain ticked within the interval: this one ends here
    broker = dramatiq.get_broker()
    jobs.enqueue(broker, jobs.PURGE_EXPIRED)
    broker.enqueue(jobs.build_message(jobs.RETENTION_TICK), delay=interval_s * 1000)
