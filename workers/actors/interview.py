"""Interview preparation: the question plan, generated after POST /interviews has answered 201."""

import logging
from typing import Any

import dramatiq
import redis
from sqlmodel import Session

from core import events, jobs
from core.db import get_engine
from core.llm import ChatClient
from core.plan_builder import build_plan, store_plan
from core.tables import Interview, InterviewStatus
from workers.models import get_embedder
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)
NAME, QUEUE = jobs.PREPARE_PLAN


@dramatiq.actor(actor_name="interview.plan_failed", queue_name=QUEUE, max_retries=3)
def plan_failed(message_data: dict[str, Any], exception_data: dict[str, Any]) -> None:
    """Called by Dramatiq once prepare_plan has used up its retries: the interview says so instead of waiting."""
    interview_id = message_data["kwargs"]["interview_id"]
    settings = get_worker_settings()
    with Session(get_engine(settings.database_url)) as session:
        interview = session.get(Interview, interview_id)
        if interview is None or interview.status != InterviewStatus.preparing:
            return
        interview.status = InterviewStatus.failed
        interview.plan_error = f"{exception_data.get('type')}: {exception_data.get('message')}"[:500]
        session.add(interview)
        session.commit()
    events.publish(
        redis.Redis.from_url(settings.redis_url),
        interview_id,
        events.STATUS_CHANGED,
        {"status": InterviewStatus.failed},
    )


@dramatiq.actor(
    actor_name=NAME,
    queue_name=QUEUE,
    max_retries=3,
    min_backoff=1000,
    time_limit=600_000,
    # Dramatiq wants the callback's name here, not the actor object.
    on_failure="interview.plan_failed",
)
def prepare_plan(interview_id: int, query_vector: list[float]) -> None:
    settings = get_worker_settings()
    with Session(get_engine(settings.database_url)) as session:
        interview = session.get(Interview, interview_id)
        if interview is None or interview.status != InterviewStatus.preparing:
            return  # deleted, or a redelivered message for a plan that is already stored
        chat = ChatClient(base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key)
        planned = build_plan(session, interview, query_vector, chat, get_embedder().embed)
        store_plan(session, interview, planned)
        count = len(planned)
    client = redis.Redis.from_url(settings.redis_url)
    events.publish(client, interview_id, events.PLAN_READY, {"interview_id": interview_id, "question_count": count})
    events.publish(client, interview_id, events.STATUS_CHANGED, {"status": InterviewStatus.scheduled})
    logger.info("interview %s: plan of %s questions stored", interview_id, count)
