"""What the API, the agent and the pages agree on inside a LiveKit room: who is who, and which topics carry what.

The candidate's token cannot publish data (api/services/livekit_rooms.py), so every data packet in a room comes
from the agent or from the API's server SDK: the candidate steers the interview through the API, which relays
`done`/`repeat` on `CONTROL_TOPIC` as a server-sent packet (no participant), the only kind the agent accepts.
"""

AGENT_NAME = "interviewer"  # the agent's registration name, used by dispatches
CONTROL_TOPIC = "interview.control"
PROMPT_TOPIC = "interview.prompt"
TRANSCRIPTION_TOPIC = "lk.transcription"
CONTROL_KINDS = ("done", "repeat")


def candidate_identity(candidate_id: int) -> str:
    return f"candidate-{candidate_id}"


OBSERVER_PREFIX = "observer-"


def observer_identity(user_id: int) -> str:
    return f"{OBSERVER_PREFIX}{user_id}"
