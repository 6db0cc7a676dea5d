"""Live events about one interview, published through Redis pub/sub and streamed to browsers as SSE."""

import json
from typing import Any

import redis

TRANSCRIPT_STORED = "transcript.stored"
EVALUATION_STORED = "evaluation.stored"
STATUS_CHANGED = "status.changed"
PLAN_READY = "plan.ready"
REPORT_READY = "report.ready"


def channel(interview_id: int) -> str:
    return f"interview:{interview_id}:events"


def encode(event_type: str, data: dict[str, Any]) -> str:
    return json.dumps({"type": event_type, "data": data}, default=str)


def publish(client: redis.Redis, interview_id: int, event_type: str, data: dict[str, Any]) -> None:
    client.publish(channel(interview_id), encode(event_type, data))


def event_type_of(payload: str) -> str:
    try:
        value = json.loads(payload).get("type", "message")
    except (json.JSONDecodeError, AttributeError):
        return "message"
    return str(value)


# The agent's own channel, apart from the one streamed to browsers: recruiters watching an interview's events must
# not learn that its candidate withdrew consent.
EXPRESSION_CONSENT_WITHDRAWN = "expression.consent_withdrawn"


def agent_channel(interview_id: int) -> str:
    return f"interview:{interview_id}:agent"


def tell_agent(client: redis.Redis, interview_id: int, event_type: str) -> None:
    client.publish(agent_channel(interview_id), encode(event_type, {"interview_id": interview_id}))
