"""LiveKit room and participant events move an interview's status and times; replays change nothing."""

import logging

import redis
from dramatiq.brokers.redis import RedisBroker
from livekit import api
from sqlmodel import Session, select

from api.services.quotas import live_elsewhere, lock_candidate
from core import jobs
from core.interview_store import set_status
from core.tables import Interview, InterviewStatus

logger = logging.getLogger(__name__)


def candidate_arrival(session: Session, event: api.WebhookEvent) -> Interview | None:
    """The interview whose candidate just connected to its room, if this event is that."""
    if event.event != "participant_joined" or not event.participant.identity.startswith("candidate-"):
        return None
    return session.exec(select(Interview).where(Interview.room_name == event.room.name)).first()


REFUSED_OVER_LIVE_LIMIT = "refused: the candidate has too many interviews live"


def apply_event(
    *, session: Session, event: api.WebhookEvent, broker: RedisBroker, redis_client: redis.Redis, max_live: int
) -> str:
    """Returns what happened, for the log and the response."""
    room_name = event.room.name if event.HasField("room") else ""
    interview = session.exec(select(Interview).where(Interview.room_name == room_name)).first() if room_name else None
    if interview is None:
        return "ignored: no interview for this room"
    identity = event.participant.identity if event.HasField("participant") else ""
    if event.event == "participant_joined" and identity.startswith("candidate-"):
        if interview.status == InterviewStatus.scheduled:
            lock_candidate(session, interview.candidate_id)  # held until set_status commits
            session.refresh(interview)
            if interview.status == InterviewStatus.scheduled:
                if live_elsewhere(session, interview) >= max_live:
                    session.rollback()
                    return REFUSED_OVER_LIVE_LIMIT
                set_status(session, redis_client, interview, InterviewStatus.live)
                return "interview live"
        return f"unchanged: {interview.status}"
    if event.event == "room_finished" and interview.status == InterviewStatus.live:
        # The room closed without the agent completing the interview (the candidate left for good): keep what was
        # said and produce a partial report.
        set_status(session, redis_client, interview, InterviewStatus.completed)
        jobs.enqueue(broker, jobs.GENERATE_REPORT, interview_id=interview.id)
        return "interview completed (room finished)"
    return f"unchanged: {interview.status}"
