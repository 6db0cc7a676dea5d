"""What the agent shows in the room: its questions and both sides' captions on `lk.transcription`, and its state.

The attributes follow livekit-agents' own transcription format (segment id, transcribed track, final flag), so any
LiveKit client component that renders agent transcriptions renders these; the `interview.*` attributes tell the
interview page which question this is (k of n) and what kind of message it is.
"""

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from livekit import rtc
from livekit.agents.types import (
    ATTRIBUTE_AGENT_STATE,
    ATTRIBUTE_TRANSCRIPTION_FINAL,
    ATTRIBUTE_TRANSCRIPTION_SEGMENT_ID,
    ATTRIBUTE_TRANSCRIPTION_TRACK_ID,
    TOPIC_TRANSCRIPTION,
)

logger = logging.getLogger("agent.output")
STATE_TIMEOUT_S = 5.0
SEND_TIMEOUT_S = 5.0
KIND = "interview.kind"  # greeting | question | follow_up | repeat | closing | caption
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
        self._state = ""
        self._published_state = ""
        self._state_changed = asyncio.Event()
        self._state_task: asyncio.Task[None] | None = None

    async def say(self, text: str, prompt: Prompt) -> float:
        """Publishes a whole message; returns the monotonic time it left. Bounded: a send the SDK never completes is
        logged and the interview goes on (the words are stored either way)."""
        started = time.monotonic()
        try:
            await asyncio.wait_for(
                self._room.local_participant.send_text(
                    text, topic=TOPIC_TRANSCRIPTION, attributes=prompt.attributes(f"AG_{uuid.uuid4().hex[:12]}")
                ),
                SEND_TIMEOUT_S,
            )
        except TimeoutError:
            logger.error("%s not confirmed sent within %.0f s", prompt.kind, SEND_TIMEOUT_S)
        sent_at = time.monotonic()
        logger.info("sent %s (question %s) in %.0f ms", prompt.kind, prompt.question_id, (sent_at - started) * 1000)
        return sent_at

    async def stream(self, chunks: AsyncIterator[str], prompt: Prompt, *, on_first: float | None = None) -> str:
        """Streams a message as it is produced (the follow-up); returns the whole text."""
        writer = await self._room.local_participant.stream_text(
            topic=TOPIC_TRANSCRIPTION, attributes=prompt.attributes(f"AG_{uuid.uuid4().hex[:12]}")
        )
        text = ""
        try:
            async for chunk in chunks:
                text += chunk
                await writer.write(chunk)
        finally:
            await writer.aclose()
        return text.strip()

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

    async def set_state(self, state: str) -> None:
        """listening | thinking | speaking, as livekit-agents reports it. Never waits on the server: an attribute
        update waits for the server's acknowledgement, which must not hold up the next question (a CI run saw one
        never acknowledged); a background task publishes the latest state, skipping states already superseded."""
        self._state = state
        self._state_changed.set()
        if self._state_task is None:
            self._state_task = asyncio.create_task(self._publish_states(), name="agent-state")

    async def _publish_states(self) -> None:
        while True:
            await self._state_changed.wait()
            self._state_changed.clear()
            state = self._state
            if state == self._published_state:
                continue
            try:
                await asyncio.wait_for(
                    self._room.local_participant.set_attributes({ATTRIBUTE_AGENT_STATE: state}), STATE_TIMEOUT_S
                )
                self._published_state = state
            except Exception as error:  # the state is a hint for the page; the interview goes on without it
                logger.warning("agent state %s not published: %r", state, error)

    async def aclose(self) -> None:
        if self._state_task is not None:
            self._state_task.cancel()
            await asyncio.gather(self._state_task, return_exceptions=True)
