"""Job messages: actor names and queues shared by whoever enqueues (api, agent) and the workers.

Senders enqueue by name with IDs only, so they never import the workers package (or its models).
"""

from typing import Any

import dramatiq

# Highest priority first; a worker process given several queues drains them in this order of importance
# because latency-sensitive queues get their own processes (see workers/README in the repo README).
QUEUES = ("realtime", "emotion", "evaluation", "report")

PING = ("system.ping", "realtime")
PREPARE_PLAN = ("interview.prepare_plan", "realtime")
SCORE_ANSWER = ("evaluation.score_answer", "evaluation")
ANALYZE_FRAME = ("emotion.analyze_frame", "emotion")
GENERATE_REPORT = ("report.generate", "report")
# Retention (workers/actors/retention.py): a self-rescheduling tick queues the purge of expired practice interviews.
PURGE_EXPIRED = ("privacy.purge_expired", "report")
RETENTION_TICK = ("privacy.retention_tick", "report")


def build_message(job: tuple[str, str], **kwargs: Any) -> dramatiq.Message[Any]:
    actor_name, queue_name = job
    return dramatiq.Message(queue_name=queue_name, actor_name=actor_name, args=(), kwargs=kwargs, options={})


def enqueue(broker: dramatiq.Broker, job: tuple[str, str], **kwargs: Any) -> str:
    """Send a job by name; returns the message id."""
    message = broker.enqueue(build_message(job, **kwargs))
    return str(message.message_id)
