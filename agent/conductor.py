"""The interview, driven from code: greeting → each planned question → at most one follow-up each → closing.

Every interviewer line is spoken through livekit-agents' `AgentSession.say()` (voice track, captions in step with
it); the next planned question is synthesised while the candidate answers the one before. It listens to the
candidate's speech events and the page's control messages (`done`, `repeat`), stops speaking when the candidate
talks over it (barge-in: those words count toward the answer), stores every final segment as it arrives with the
question it answers, closes answers (which queues their scoring), and resumes at the next unanswered question when
the candidate comes back after dropping.
"""

import asyncio
import contextlib
import functools
import itertools
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import utils
from livekit.agents.voice import SpeechHandle

from agent.follow_up import FollowUpWriter, worth_a_follow_up
from agent.room_output import Prompt, RoomOutput
from agent.speaking import InterviewerVoice
from agent.speech import CandidateSpeech, SpeechEnded, SpeechStarted, Utterance
from agent.store import InterviewSnapshot, InterviewWrites, PlanItem
from agent.turns import required_silence_s
from core.tables import Speaker

logger = logging.getLogger("agent.conductor")


class CandidateLeft(Exception):
    pass


@dataclass
class Control:
    type: str  # done | repeat
    received_at: float = field(default_factory=time.monotonic)


@dataclass
class Left:
    pass


@dataclass
class EndOfTurnPredicted:
    """The turn detector's verdict on the pause that began at `at_s` (a SpeechEnded's)."""

    at_s: float
    probability: float


@dataclass
class Barrier:
    """Put behind speech events: resolved once every event before it has been handled (and stored)."""

    done: asyncio.Future[None]


@dataclass
class TurnSettings:
    end_of_turn_silence_s: float = 1.5
    thinking_silence_s: float = 4.0
    settle_timeout_s: float = 3.0
    follow_up_min_words: int = 6
    follow_up_max_words: int = 150
    silence_nudge_s: float = 20.0
    likely_end_silence_s: float = 0.6
    closing_playout_s: float = 30.0


MESSAGES = {
    "en": {
        "greeting": (
            "Hello, and welcome. I am your interviewer for the {position} position. I will ask you {total} questions. "
            "Take your time with each answer; when you have finished, pause or press Done."
        ),
        "welcome_back": "Welcome back. Let's continue where we left off.",
        "nudge": "Take your time. Would you like to hear the question again? Press Repeat question, or just begin.",
        "closing": "That was the last question. Thank you for your time! Your report is being prepared.",
    },
    "ko": {
        "greeting": (
            "안녕하세요, {position} 포지션 면접을 진행하겠습니다. 질문은 {total}개입니다. 천천히 답변해 주시고, "
            "답변을 마치면 잠시 멈추거나 완료 버튼을 눌러 주세요."
        ),
        "welcome_back": "다시 오신 것을 환영합니다. 이어서 진행하겠습니다.",
        "nudge": (
            "천천히 생각하셔도 됩니다. 질문을 다시 들으시려면 질문 다시 듣기를 누르시고, "
            "준비되시면 답변을 시작해 주세요."
        ),
        "closing": "마지막 질문이었습니다. 수고하셨습니다! 결과 리포트를 준비하고 있습니다.",
    },
}


class InterviewConductor:
    def __init__(
        self,
        snapshot: InterviewSnapshot,
        *,
        store: InterviewWrites,
        output: RoomOutput,
        voice: InterviewerVoice,
        follow_ups: FollowUpWriter | None,
        turns: TurnSettings,
    ) -> None:
        self.snapshot = snapshot
        self.plan: list[PlanItem] = [item for item in snapshot.plan if item.content.strip()]
        self.total = sum(1 for item in self.plan if not item.is_follow_up)
        self._store = store
        self._output = output
        self._voice = voice
        self._end_of_turn_threshold: float | None = None
        self._follow_ups = follow_ups
        self._turns = turns
        self._messages = MESSAGES.get(snapshot.language, MESSAGES["en"])
        self.signals: asyncio.Queue[Any] = asyncio.Queue()
        self._speech: CandidateSpeech | None = None
        self._speech_offset_ms = 0  # interview-clock ms at the speech stream's clock zero
        self._asked: list[tuple[float, PlanItem]] = []  # (speech clock when asked, item), to attribute utterances
        self._speaking = False
        self._greeted = False
        self._background: set[asyncio.Task[Any]] = set()
        self.latencies: dict[str, list[float]] = {"done_to_next": [], "silence_to_next": [], "join_to_first": []}
        self.finished = False
        self._done_at = 0.0
        self._boundary_s = 0.0
        self._current: PlanItem | None = None
        self._answers: list[tuple[PlanItem, Utterance]] = []
        self._segments = itertools.count()

    # Inputs.

    def control(self, kind: str) -> None:
        if kind in ("done", "repeat"):
            self.signals.put_nowait(Control(kind))

    def candidate_left(self) -> None:
        self.signals.put_nowait(Left())

    def pending_items(self) -> list[PlanItem]:
        return [item for item in self.plan if not item.answered]

    # Speech events → stored segments, captions and turn signals.

    def _item_for(self, start_s: float, *, slack_s: float = 0.3) -> PlanItem | None:
        """The question being answered when this speech began (a little slack for words cut by the question)."""
        chosen = None
        for asked_at, item in self._asked:
            if asked_at <= start_s + slack_s:
                chosen = item
        return chosen or (self._asked[0][1] if self._asked else None)

    async def _consume(self, speech: CandidateSpeech, identity: str, track_sid: str) -> None:
        # One caption segment per utterance: its interim versions share the id (the page replaces them in place) and
        # every utterance gets a new one, never reused within the room.
        segment_ids: dict[float, str] = {}
        while True:
            event = await speech.events.get()
            if isinstance(event, Barrier):
                if not event.done.done():
                    event.done.set_result(None)
                continue
            if isinstance(event, SpeechStarted):
                self._speaking = True
                self._voice.candidate_started()
                self.signals.put_nowait(event)
                continue
            if isinstance(event, SpeechEnded):
                self._speaking = False
                self._voice.candidate_stopped(functools.partial(speech.settle, self._turns.settle_timeout_s))
                self.signals.put_nowait(event)
                if event.end_of_turn is not None:
                    event.end_of_turn.add_done_callback(functools.partial(self._predicted, event.at_s))
                continue
            if isinstance(event, Utterance):
                # The rest of a sentence cut by "done" starts exactly at the cut: it belongs to the answer before it.
                item = self._item_for(event.start_s, slack_s=-0.01 if event.rest_of_cut else 0.3)
                self._voice.candidate_said_words()
                segment_id = segment_ids.setdefault(round(event.start_s, 1), f"SG_{track_sid}_{next(self._segments)}")
                # Captions are shown, not relied on: they go out in the background, so a slow send never holds up
                # storing the words or ending the turn.
                self._spawn(
                    self._output.caption(
                        event.text,
                        speaker_identity=identity,
                        track_sid=track_sid,
                        segment_id=segment_id,
                        final=event.final,
                        question_id=item.id if item else None,
                    )
                )
                if not event.final:
                    continue
                segment_ids.pop(round(event.start_s, 1), None)
                logger.info(
                    "utterance %.1f-%.1f s (%d words) -> question %s",
                    event.start_s,
                    event.end_s,
                    len(event.text.split()),
                    item.id if item else None,
                )
                await self._store_utterance(event, item)
                if item is not None:
                    self._answers.append((item, event))
                self.signals.put_nowait((item, event))

    def _predicted(self, at_s: float, probability: "asyncio.Future[float]") -> None:
        if not probability.cancelled() and probability.exception() is None:
            self.signals.put_nowait(EndOfTurnPredicted(at_s, probability.result()))

    async def _store_utterance(self, utterance: Utterance, item: PlanItem | None) -> None:
        offset = self._speech_offset_ms
        await self._store.save_segment(
            Speaker.user,
            utterance.text,
            question_id=item.id if item else None,
            start_ms=offset + int(utterance.start_s * 1000),
            end_ms=offset + int(utterance.end_s * 1000),
            confidence=utterance.confidence,
            words=[{**w, "start_ms": w["start_ms"] + offset, "end_ms": w["end_ms"] + offset} for w in utterance.words],
        )
        if item is not None and item.answered:
            # Late words of an answer that was already closed ("done" pressed mid-sentence): score it again.
            await self._store.end_answer(item.id)

    # The agent's side.

    def _prompt(self, item: PlanItem, kind: str) -> Prompt:
        planned = [p for p in self.plan if not p.is_follow_up]
        anchor = next((p for p in planned if p.id == item.parent_id), item) if item.is_follow_up else item
        index = planned.index(anchor) + 1 if anchor in planned else None
        return Prompt(kind=kind, index=index, total=self.total, question_id=item.id, parent_id=item.parent_id)

    async def _say(
        self,
        text: str,
        prompt: Prompt,
        *,
        key: str | None = None,
        store: bool = True,
        allow_interruptions: bool = True,
    ) -> float:
        """Speaks a line (audio prepared under `key` when there is some) and shows its card; returns when the card
        left. The voice goes on playing: the conductor listens meanwhile, so the candidate can talk over it."""
        # One line at a time, and its card with it: the question card changes when the question starts.
        handle = await self._voice.say(text, key=key, allow_interruptions=allow_interruptions)
        sent_at = await self._output.say(text, prompt)
        if prompt.question_id is not None:
            self._remember_asked(prompt.question_id)
        if store:
            self._spawn(self._store_line(text, prompt.question_id, handle))
        return sent_at

    def _clock_ms(self) -> int:
        """Now on the interview's clock, the one the candidate's segments are timed on."""
        return self._speech_offset_ms + int((self._speech.clock_s if self._speech else 0.0) * 1000)

    async def _store_line(
        self, text: str, question_id: int | None, handle: SpeechHandle, *, start_ms: int | None = None
    ) -> None:
        """An interviewer line is stored when it starts and timed when its audio ends (the report's speaking share
        and thinking time read these times)."""
        segment_id = await self._store.save_segment(
            Speaker.ai, text, question_id=question_id, start_ms=self._clock_ms() if start_ms is None else start_ms
        )
        await handle.wait_for_playout()
        await self._store.set_segment_end(segment_id, self._clock_ms())

    def _prepare(self, item: PlanItem | None) -> None:
        if item is not None:
            self._voice.prepare(str(item.id), item.content)

    def _remember_asked(self, question_id: int) -> None:
        item = next((p for p in self.plan if p.id == question_id), None)
        if item is not None and self._speech is not None:
            self._asked.append((self._speech.clock_s, item))
            self._spawn(self._store.mark_asked(item.id))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_log_failure)

    # Turn-taking.

    async def _listen(self, item: PlanItem) -> str:
        """Until the answer ends: "done" (the page's button) or "silence" (a patient end of turn)."""
        assert self._speech is not None
        heard = False
        nudged = False
        quiet_since: float | None = None  # when the interviewer's line stopped playing, for the nudge
        silence_since: float | None = None
        pause_at_s: float | None = None  # the candidate clock time the current pause began
        likely_done = False
        last_text = ""
        self._speech.new_turn()
        while True:
            timeout = None
            waiting_to_nudge = not heard and not nudged
            if heard and not self._speaking and silence_since is not None:
                need = required_silence_s(
                    last_text,
                    end_of_turn_s=self._turns.end_of_turn_silence_s,
                    thinking_s=self._turns.thinking_silence_s,
                    likely_done=likely_done,
                    likely_end_s=self._turns.likely_end_silence_s,
                )
                timeout = max(silence_since + need - time.monotonic(), 0.0)
            elif waiting_to_nudge:
                if self._voice.playing:
                    quiet_since, timeout = None, 0.5
                else:
                    quiet_since = quiet_since or time.monotonic()
                    timeout = max(quiet_since + self._turns.silence_nudge_s - time.monotonic(), 0.0)
            try:
                # Queued signals first: with a deadline already past (timeout 0), Python 3.11's wait_for cancels the
                # get() before it runs, and the loop would spin on a queue it never reads.
                signal = (
                    self.signals.get_nowait()
                    if not self.signals.empty()
                    else await asyncio.wait_for(self.signals.get(), timeout)
                )
            except TimeoutError:
                if waiting_to_nudge:
                    if quiet_since is not None and not self._voice.playing:
                        # Silent since the question: ask once whether to hear it again (the page's Repeat does it).
                        nudged = True
                        await self._say(self._messages["nudge"], Prompt(kind="nudge", total=self.total))
                    continue
                # Long enough; but the last words may still be in recognition, and they may say "let me think".
                await self._speech.settle(self._turns.settle_timeout_s)
                await self._drain()
                if not self.signals.empty():
                    continue
                if last_text:
                    logger.info("question %s: answer ended by silence", item.id)
                    return "silence"
                heard, silence_since = False, None  # a cough or a noise, no words: keep listening
                continue
            if isinstance(signal, Left):
                raise CandidateLeft
            if isinstance(signal, Control):
                logger.info("question %s: %s from the candidate", item.id, signal.type)
                if signal.type == "done":
                    self._done_at = signal.received_at
                    self._voice.stop("done")  # a line still playing (a question, a nudge): they have answered
                    self._speech.cut()  # words still being spoken belong to this answer
                    self._boundary_s = self._speech.clock_s  # and words after this belong to the next question
                    return "done"
                await self._say(item.content, self._prompt(item, "repeat"), store=False)
                continue
            if isinstance(signal, SpeechStarted):
                heard = True
                silence_since, pause_at_s, likely_done = None, None, False
            elif isinstance(signal, SpeechEnded):
                silence_since = time.monotonic() - max(self._speech.clock_s - signal.at_s, 0.0)
                pause_at_s, likely_done = signal.at_s, False
            elif isinstance(signal, EndOfTurnPredicted):
                if signal.at_s == pause_at_s and self._end_of_turn_threshold is not None:
                    likely_done = signal.probability >= self._end_of_turn_threshold
                    logger.info(
                        "question %s: end of turn %.2f (threshold %.2f)",
                        item.id,
                        signal.probability,
                        self._end_of_turn_threshold,
                    )
            elif isinstance(signal, tuple):
                answered_item, utterance = signal
                if answered_item is item:
                    heard = True
                    last_text = utterance.text
                    if silence_since is None and not self._speaking:
                        silence_since = time.monotonic()

    async def _close_answer(self, item: PlanItem) -> None:
        """After its last words are recognized and stored: mark the answer's end, which queues the scoring."""
        assert self._speech is not None
        speech = self._speech
        await speech.settle(self._turns.settle_timeout_s)
        if not await self._drain():
            logger.warning("question %s: closing the answer before every segment was stored", item.id)
        item.answered = True
        await self._store.end_answer(item.id)

    async def _drain(self) -> bool:
        """Wait until every speech event received so far is handled (stored, captioned, signalled)."""
        assert self._speech is not None
        barrier = Barrier(asyncio.get_running_loop().create_future())
        self._speech.events.put_nowait(barrier)
        try:
            await asyncio.wait_for(barrier.done, self._turns.settle_timeout_s)
        except TimeoutError:
            return False
        return True

    def _answer_text(self, item: PlanItem) -> str:
        return " ".join(u.text for i, u in self._answers if i is item)

    # The interview.

    async def run(
        self, speech: CandidateSpeech, *, identity: str, track_sid: str, joined_at: float, offset_ms: int
    ) -> None:
        """One stretch with the candidate present. Returns when the interview is over; raises CandidateLeft."""
        self._speech = speech
        self._speech_offset_ms = offset_ms
        self._end_of_turn_threshold = await speech.likely_end_threshold()
        self._asked = []
        self._speaking = False
        while not self.signals.empty():  # a stale "left" or "done" from the stretch before
            self.signals.get_nowait()
        consumer = asyncio.create_task(self._consume(speech, identity, track_sid), name="conductor-consume")
        try:
            await self._run(joined_at)
        except CandidateLeft:
            item = self._current
            if item is not None and not item.answered and self._answer_text(item):
                # What was said before the drop is kept and scored; the interview resumes at the next question.
                item.answered = True
                await self._store.end_answer(item.id)
            raise
        finally:
            # Let in-flight segments land before the speech stream goes away.
            if self._background:
                await asyncio.wait(self._background, timeout=self._turns.settle_timeout_s)
            consumer.cancel()
            await asyncio.gather(consumer, return_exceptions=True)

    def prepare_opening(self) -> None:
        """Synthesise the first lines before the candidate arrives: join → first audio waits on nothing."""
        self._voice.prepare("opening", self._opening_text())
        self._prepare(self._next_unanswered(0))

    def _opening_text(self) -> str:
        if self._greeted or any(item.answered for item in self.plan):
            return self._messages["welcome_back"]
        return self._messages["greeting"].format(position=self.snapshot.position, total=self.total)

    async def _ask(self, item: PlanItem, *, start: int) -> float:
        """Speaks a question (prepared while the last answer ran) and prepares the next planned one."""
        sent_at = await self._say(
            item.content, self._prompt(item, "follow_up" if item.is_follow_up else "question"), key=str(item.id)
        )
        self._prepare(next((p for p in self.plan[start:] if not p.answered and p is not item), None))
        return sent_at

    async def _run(self, joined_at: float) -> None:
        language = self.snapshot.language
        upcoming_question = self._next_unanswered(0)
        if self._follow_ups is not None and upcoming_question is not None:
            self._spawn(self._follow_ups.prime(upcoming_question.content, language))
        greeted_at = await self._say(self._opening_text(), Prompt(kind="greeting", total=self.total), key="opening")
        self._record("join_to_greeting", greeted_at - joined_at)
        self._greeted = True
        first = True
        streamed: PlanItem | None = None
        position = 0
        while position < len(self.plan):
            item = self.plan[position]
            if item.answered:
                position += 1
                continue
            if item is not streamed:
                sent_at = await self._ask(item, start=position)
                if first:
                    self._record("join_to_first", sent_at - joined_at)
            first = False
            self._current = item
            outcome = await self._listen(item)
            if outcome == "done":
                self._spawn(self._close_answer(item))
                position += 1
                upcoming = self._next_unanswered(position)
                if upcoming is not None:
                    # The next question starts at the "done", not when its text goes out (later under load).
                    self._asked.append((self._boundary_s, upcoming))
                    sent_at = await self._ask(upcoming, start=position)
                    self._record("done_to_next", sent_at - self._done_at)
                    streamed = upcoming
                continue
            ended_at = time.monotonic()
            await self._close_answer(item)
            follow_up = None
            if not item.is_follow_up and self._follow_ups is not None:
                follow_up = await self._ask_follow_up(item, language, ended_at)
            if follow_up is not None:
                self.plan.insert(position + 1, follow_up)
                streamed = follow_up
            else:
                upcoming = self._next_unanswered(position + 1)
                if upcoming is not None:
                    sent_at = await self._ask(upcoming, start=position + 1)
                    self._record("silence_to_next", sent_at - ended_at)
                    streamed = upcoming
            position += 1
        await self._say(self._messages["closing"], Prompt(kind="closing", total=self.total), allow_interruptions=False)
        if self._background:
            await asyncio.wait(self._background, timeout=self._turns.settle_timeout_s * 2)
        await self._store.complete()
        self.finished = True
        # The closing words are heard to the end before the agent leaves the room.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._voice.finished(), self._turns.closing_playout_s)

    def _next_unanswered(self, start: int) -> PlanItem | None:
        return next((item for item in self.plan[start:] if not item.answered), None)

    async def _ask_follow_up(self, item: PlanItem, language: str, ended_at: float) -> PlanItem | None:
        assert self._follow_ups is not None
        answer = self._answer_text(item)
        if not worth_a_follow_up(
            answer, min_words=self._turns.follow_up_min_words, max_words=self._turns.follow_up_max_words
        ):
            return None
        chunks = await self._follow_ups.start(item.content, answer, language)
        if chunks is None:
            return None
        follow_up_id = await self._store.add_follow_up(item.id, "")
        follow_up = PlanItem(
            id=follow_up_id, content="", order=0, source="follow_up", parent_id=item.id, answered=False
        )
        self.plan_lookup_add(follow_up)
        # The follow-up is spoken as it is written: the voice reads the LLM's words sentence by sentence while the
        # card streams the same words.
        spoken = utils.aio.Chan[str]()
        handle = await self._voice.say_stream(spoken)
        started_ms = self._clock_ms()
        writer = await self._output.open_stream(self._prompt(follow_up, "follow_up"))
        text = ""
        try:
            async for chunk in chunks:
                if not text:
                    self._record("answer_end_to_follow_up", time.monotonic() - ended_at)
                text += chunk
                spoken.send_nowait(chunk)
                await writer.write(chunk)
        finally:
            spoken.close()
            await writer.aclose()
        follow_up.content = text.strip()
        await self._store.set_content(follow_up_id, follow_up.content)
        self._spawn(self._store_line(follow_up.content, follow_up.id, handle, start_ms=started_ms))
        return follow_up

    def plan_lookup_add(self, item: PlanItem) -> None:
        """A follow-up is attributable from the moment it starts streaming, before it joins the plan list."""
        if self._speech is not None:
            self._asked.append((self._speech.clock_s, item))

    def _record(self, name: str, seconds: float) -> None:
        self.latencies.setdefault(name, []).append(seconds)
        logger.info("latency %s: %.1f ms", name, seconds * 1000, extra={"interview_id": self.snapshot.id})


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("background step failed", exc_info=task.exception())
