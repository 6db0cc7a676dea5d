"""Camera frames travel from the agent to the expression worker under a short-lived Redis key, never in a job.

A Dramatiq message lives on after a failure (retries, then the dead-letter queue for days) and is printed whole in
the worker's failure log; a face must not. The job carries only the key; the worker takes the frame out with GETDEL
before it looks at it, so the frame is gone from Redis whether the analysis then succeeds or fails, and a frame that
no worker picks up expires on its own.
"""

import secrets

import redis

# Long enough for a busy emotion queue to reach the frame (samples are 2 s apart), short enough that nothing lingers.
FRAME_TTL_S = 60
_PREFIX = "frame:"


def stash_frame(client: redis.Redis, interview_id: int, image_b64: str, ttl_s: int = FRAME_TTL_S) -> str:
    """Stores the frame under a fresh unguessable key and returns the key (what the job carries)."""
    key = f"{_PREFIX}{interview_id}:{secrets.token_hex(16)}"
    client.set(key, image_b64, ex=ttl_s)
    return key


def take_frame(client: redis.Redis, key: str) -> str | None:
    """The frame, removed from Redis in the same command; None when it expired or was taken already."""
    if not key.startswith(_PREFIX):
        return None  # a job cannot make the worker read (and delete) arbitrary keys
    value = client.getdel(key)
    if value is None:
        return None
    return value.decode("ascii") if isinstance(value, bytes) else str(value)
