"""The interviewer's lines as the candidate hears them: one at a time, and quiet when the candidate talks.

Lines are spoken through livekit-agents' `AgentSession.say()` (prepared audio when there is some). Barge-in follows
livekit-agents' own pattern for false interruptions: the first speech the VAD hears over a line *pauses* the audio
output at once; words recognized from that speech stop the line for good (they belong to the answer); a pause that
brings no words within `false_interruption_s` (a cough, "mm", a chair) resumes the line where it stopped.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterable, Awaitable, Callable

from livekit.agents import AgentSession
from livekit.agents.types import NOT_GIVEN
from livekit.agents.voice import SpeechHandle

from agent.voices import PreparedLines

logger = logging.getLogger("agent.speaking")


class InterviewerVoice:
    def __init__(
        self, session: AgentSession, lines: PreparedLines, *, false_interruption_s: float = 1.5, barge_in: bool = True
    ) -> None:
        self._session = session
        self._lines = lines
        self._false_interruption_s = false_interruption_s
        # Off in load-test rooms, where the "candidate" is lk's echo of the interviewer's own voice.
        self._barge_in = barge_in
        self.line: SpeechHandle | None = None
        self._paused: SpeechHandle | None = None  # the line paused by speech that has not yet proven to be words
        self._resume_task: asyncio.Task[None] | None = None

    @property
    def playing(self) -> bool:
        return self.line is not None and not self.line.done()

    def prepare(self, key: str, text: str) -> None:
        self._lines.prepare(key, text)

    async def say(self, text: str, *, key: str | None = None, allow_interruptions: bool = True) -> SpeechHandle:
        """Starts a line once the one before has finished (its card goes out with it: the caller sends it now)."""
        await self.finished()
        audio = await self._lines.take(key, text) if key is not None else None
        return self._start(
            self._session.say(
                text,
                audio=audio if audio is not None else NOT_GIVEN,
                allow_interruptions=allow_interruptions,
                add_to_chat_ctx=False,
            )
        )

    async def say_stream(self, text: AsyncIterable[str]) -> SpeechHandle:
        """A line spoken as it is written (the follow-up); non-streaming voices are adapted sentence by sentence."""
        await self.finished()
        return self._start(self._session.say(text, add_to_chat_ctx=False))

    def _start(self, handle: SpeechHandle) -> SpeechHandle:
        self.line = handle
        return handle

    async def finished(self) -> None:
        if self.line is not None and not self.line.done():
            await self.line.wait_for_playout()

    # Barge-in.

    def candidate_started(self) -> None:
        line = self.line
        self._cancel_resume()
        if not self._barge_in or line is None or line.done() or not line.allow_interruptions or self._paused is line:
            return
        self._paused = line
        self._output_paused(True)
        logger.info("the candidate spoke over the interviewer: line paused")

    def candidate_said_words(self) -> None:
        if self._paused is not None:
            self.stop("barge-in")

    def candidate_stopped(self, settle: Callable[[], Awaitable[object]]) -> None:
        """Speech over a paused line ended: resume the line unless it turns out to have been words."""
        if self._paused is None:
            return
        self._cancel_resume()
        self._resume_task = asyncio.create_task(self._resume_if_no_words(self._paused, settle))

    async def _resume_if_no_words(self, line: SpeechHandle, settle: Callable[[], Awaitable[object]]) -> None:
        await asyncio.sleep(self._false_interruption_s)
        await settle()  # the last words may still be in recognition
        if self._paused is line and not line.done():
            logger.info("false interruption (no words): the line resumes")
            self._paused = None
            self._output_paused(False)

    def stop(self, reason: str) -> None:
        """Stops the line being spoken for good: the candidate is answering, or pressed "done"."""
        line = self.line
        self._cancel_resume()
        if line is not None and not line.done() and line.allow_interruptions:
            logger.info("%s: the interviewer's line stops", reason)
            line.interrupt()
        if self._paused is not None:
            self._paused = None
            self._output_paused(False)  # ready for the next line

    def _cancel_resume(self) -> None:
        if self._resume_task is not None and not self._resume_task.done():
            self._resume_task.cancel()
        self._resume_task = None

    def _output_paused(self, paused: bool) -> None:
        audio = self._session.output.audio
        if audio is None:
            return
        with contextlib.suppress(Exception):  # a hint to the output; the interview goes on without it
            audio.pause() if paused else audio.resume()

    async def aclose(self) -> None:
        self._cancel_resume()
        await self._lines.aclose()
