"""What the agent shows in the room besides its voice: each interviewer line's card on `interview.prompt`, and the
candidate's captions on `lk.transcription`.

The voice and its captions (in step with the audio, on `lk.transcription` from the agent) and the agent's state go
through livekit-agents' `AgentSession`. The prompt tells the page which question this is (k of n) and what kind of
line it is; it goes out when the line starts, so the question card changes as the question is spoken. The candidate's
captions follow livekit-agents' transcription format (segment id, transcribed track, final flag), sent on the
candidate's behalf, so any LiveKit client component that renders transcriptions renders them.
"""

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass

from livekit import rtc
from livekit.agents.types import (
    ATTRIBUTE_TRANSCRIPTION_FINAL,
    ATTRIBUTE_TRANSCRIPTION_SEGMENT_ID,
    ATTRIBUTE_TRANSCRIPTION_TRACK_ID,
    TOPIC_TRANSCRIPTION,
)

logger = logging.getLogger("agent.output")
SEND_TIMEOUT_S = 5.0
PROMPT_TOPIC = "interview.prompt"
KIND = "interview.kind"  # greeting | question | follow_up | repeat | nudge | closing | caption
QUESTION_ID = "interview.question_id"
PARENT_ID = "interview.parent_id"
INDEX = "interview.index"  # 1-based number of the planned question
TOTAL = "interview.total"


@dataclass
class Prompt:
    kind: str
    index: int | None = None
    total: int | None = None
    question_id: int | None = None
    parent_id: int | None = None

    def attributes(self, segment_id: str) -> dict[str, str]:
        values = {
            ATTRIBUTE_TRANSCRIPTION_SEGMENT_ID: segment_id,
            ATTRIBUTE_TRANSCRIPTION_FINAL: "true",
            KIND: self.kind,
            INDEX: str(self.index or ""),
            TOTAL: str(self.total or ""),
            QUESTION_ID: str(self.question_id or ""),
            PARENT_ID: str(self.parent_id or ""),
        }
        return {key: value for key, value in values.items() if value}


class RoomOutput:
    def __init__(self, room: rtc.Room) -> None:
        self._room = room

    async def say(self, text: str, prompt: Prompt) -> float:
        """Publishes a whole line's card; returns the monotonic time it left. Bounded: a send the SDK never completes
        is logged and the interview goes on (the words are spoken and stored either way)."""
        started = time.monotonic()
        try:
            await asyncio.wait_for(
                self._room.local_participant.send_text(
                    text, topic=PROMPT_TOPIC, attributes=prompt.attributes(f"AG_{uuid.uuid4().hex[:12]}")
                ),
                SEND_TIMEOUT_S,
            )
        except TimeoutError:
            logger.error("%s not confirmed sent within %.0f s", prompt.kind, SEND_TIMEOUT_S)
        sent_at = time.monotonic()
        logger.info("sent %s (question %s) in %.0f ms", prompt.kind, prompt.question_id, (sent_at - started) * 1000)
        return sent_at

    async def open_stream(self, prompt: Prompt) -> rtc.TextStreamWriter:
        """A line's card written as it is produced (the follow-up)."""
        return await self._room.local_participant.stream_text(
            topic=PROMPT_TOPIC, attributes=prompt.attributes(f"AG_{uuid.uuid4().hex[:12]}")
        )

    async def caption(
        self, text: str, *, speaker_identity: str, track_sid: str, segment_id: str, final: bool, question_id: int | None
    ) -> None:
        """The candidate's words, published for the candidate's page (and hidden observers) as they are recognized."""
        attributes = {
            ATTRIBUTE_TRANSCRIPTION_SEGMENT_ID: segment_id,
            ATTRIBUTE_TRANSCRIPTION_TRACK_ID: track_sid,
            ATTRIBUTE_TRANSCRIPTION_FINAL: "true" if final else "false",
            KIND: "caption",
        }
        if question_id is not None:
            attributes[QUESTION_ID] = str(question_id)
        try:
            async with asyncio.timeout(SEND_TIMEOUT_S):
                writer = await self._room.local_participant.stream_text(
                    topic=TOPIC_TRANSCRIPTION, attributes=attributes, sender_identity=speaker_identity
                )
                await writer.write(text)
                await writer.aclose()
        except TimeoutError:
            logger.warning("caption not confirmed sent within %.0f s", SEND_TIMEOUT_S)
