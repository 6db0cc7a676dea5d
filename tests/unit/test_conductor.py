"""The interview conductor in process: scripted speech events in, ordered effects out (spoken lines, cards, stored
segments), with stand-ins for the room's speech, the voice, the card output and the database. The whole-stack
tests (tests/integration/test_agent_*.py) cover the wiring; these cover the rules, fast."""

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from agent.conductor import InterviewConductor, TurnSettings
from agent.room_output import Prompt
from agent.speaking import InterviewerVoice
from agent.speech import SpeechEnded, SpeechStarted, Utterance
from agent.store import InterviewSnapshot, PlanItem
from agent.voices import PreparedLines

pytestmark = pytest.mark.unit

QUESTIONS = ["How do you make a slow query faster?", "How do you review code?"]


class FakeLine:
    """A spoken line: plays for `seconds` unless interrupted; a paused output holds it (a SpeechHandle's surface
    that the interview uses)."""

    def __init__(self, text: str, seconds: float, allow_interruptions: bool) -> None:
        self.text = text
        self.allow_interruptions = allow_interruptions
        self.interrupted = False
        self.paused_times = 0
        self._left = seconds
        self._started = time.monotonic()
        self._done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._timer: asyncio.TimerHandle | None = asyncio.get_running_loop().call_later(seconds, self._finish)

    def _finish(self) -> None:
        if not self._done.done():
            self._done.set_result(None)

    def pause(self) -> None:
        if self._timer is not None and not self.done():
            self._timer.cancel()
            self._timer = None
            self._left -= time.monotonic() - self._started
            self.paused_times += 1

    def resume(self) -> None:
        if self._timer is None and not self.done():
            self._started = time.monotonic()
            self._timer = asyncio.get_running_loop().call_later(max(self._left, 0), self._finish)

    def done(self) -> bool:
        return self._done.done()

    def interrupt(self) -> None:
        self.interrupted = True
        if self._timer is not None:
            self._timer.cancel()
        self._finish()

    async def wait_for_playout(self) -> None:
        await asyncio.shield(self._done)


@dataclass
class FakeAudioOutput:
    session: "FakeVoice"
    paused: bool = False

    def pause(self) -> None:
        self.paused = True
        if self.session.lines:
            self.session.lines[-1].pause()

    def resume(self) -> None:
        self.paused = False
        if self.session.lines:
            self.session.lines[-1].resume()


@dataclass
class FakeOutputs:
    audio: FakeAudioOutput


class FakeVoice:
    """AgentSession's speaking surface: say() and the audio output."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.lines: list[FakeLine] = []
        self.output = FakeOutputs(FakeAudioOutput(self))

    def say(self, text: Any, *, audio: Any = None, allow_interruptions: Any = True, **_: Any) -> FakeLine:
        line = FakeLine(text if isinstance(text, str) else "<stream>", self.seconds, allow_interruptions is not False)
        self.lines.append(line)
        return line


@dataclass
class FakeOutput:
    cards: list[tuple[str, str, float]] = field(default_factory=list)  # (kind, text, sent at)

    async def say(self, text: str, prompt: Prompt) -> float:
        self.cards.append((prompt.kind, text, time.monotonic()))
        return time.monotonic()

    async def caption(self, *_: Any, **__: Any) -> None:
        return None


@dataclass
class FakeStore:
    segments: list[tuple[str, str, int | None]] = field(default_factory=list)
    ended: list[int] = field(default_factory=list)
    line_ends: dict[int, int] = field(default_factory=dict)
    completed: bool = False
    ids: Any = field(default_factory=lambda: itertools.count(1))

    async def save_segment(self, speaker: str, text: str, *, question_id: int | None, **_: Any) -> int:
        self.segments.append((str(speaker), text, question_id))
        return int(next(self.ids))

    async def set_segment_end(self, segment_id: int, end_ms: int) -> None:
        self.line_ends[segment_id] = end_ms

    async def end_answer(self, question_id: int) -> int:
        self.ended.append(question_id)
        return 1

    async def mark_asked(self, question_id: int) -> None:
        return None

    async def complete(self) -> None:
        self.completed = True


class FakeSpeech:
    """The candidate's speech events, on a clock that starts with the stretch."""

    def __init__(self, threshold: float | None = 0.5) -> None:
        self.events: asyncio.Queue[Any] = asyncio.Queue()
        self._started = time.monotonic()
        self._threshold = threshold
        self.cut_at = 0.0
        self.recognizing: list[Utterance] = []

    @property
    def clock_s(self) -> float:
        return time.monotonic() - self._started

    async def settle(self, timeout_s: float) -> bool:
        """Recognition finishes: what was still being recognized arrives now."""
        while self.recognizing:
            self.events.put_nowait(self.recognizing.pop(0))
        return True

    def cut(self) -> None:
        self.cut_at = self.clock_s

    def new_turn(self) -> None:
        return None

    async def likely_end_threshold(self) -> float | None:
        return self._threshold

    def answer(self, text: str, end_of_turn: float | None) -> None:
        """The candidate says `text` (0.5 s of speech ending now) and falls silent."""
        now = self.clock_s
        self.events.put_nowait(SpeechStarted(now - 0.5))
        self.events.put_nowait(Utterance(text=text, start_s=now - 0.5, end_s=now, confidence=0.9, language="en"))
        future: asyncio.Future[float] | None = None
        if end_of_turn is not None:
            future = asyncio.get_running_loop().create_future()
            future.set_result(end_of_turn)
        self.events.put_nowait(SpeechEnded(now, future))


def conductor(voice: FakeVoice, output: FakeOutput, store: FakeStore, turns: TurnSettings) -> InterviewConductor:
    plan = [PlanItem(i + 1, q, i + 1, "bank", None, False) for i, q in enumerate(QUESTIONS)]
    snapshot = InterviewSnapshot(1, "live", 7, "room", "Engineer", "en", False, None, plan)
    return InterviewConductor(
        snapshot,
        store=cast(Any, store),
        output=cast(Any, output),
        voice=InterviewerVoice(
            cast(Any, voice), PreparedLines(cast(Any, None), enabled=False), false_interruption_s=0.3
        ),
        follow_ups=None,
        turns=turns,
    )


async def until(check: Any, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def card_at(output: FakeOutput, text: str) -> float:
    return next(at for kind, said, at in output.cards if said == text)


async def run_interview(
    turns: TurnSettings, *, voice_seconds: float = 0.2, threshold: float | None = 0.5
) -> tuple[InterviewConductor, FakeVoice, FakeOutput, FakeStore, FakeSpeech, asyncio.Task[None]]:
    voice, output, store, speech = FakeVoice(voice_seconds), FakeOutput(), FakeStore(), FakeSpeech(threshold)
    interview = conductor(voice, output, store, turns)
    task = asyncio.create_task(
        interview.run(cast(Any, speech), identity="candidate-7", track_sid="TR_1", joined_at=0.0, offset_ms=0)
    )
    await until(lambda: any(text == QUESTIONS[0] for _, text, _ in output.cards), timeout_s=voice_seconds + 5)
    return interview, voice, output, store, speech, task


async def test_every_line_is_spoken_and_its_card_follows_the_line_before() -> None:
    _, voice, output, store, _, task = await run_interview(TurnSettings(), voice_seconds=0.3)
    assert [line.text for line in voice.lines][:2] == [output.cards[0][1], QUESTIONS[0]]
    # The question's card went out once the greeting had played (0.3 s), not with it.
    assert card_at(output, QUESTIONS[0]) - output.cards[0][2] >= 0.25
    interview_lines = [text for speaker, text, _ in store.segments if speaker == "AI"]
    assert interview_lines[1] == QUESTIONS[0]
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_the_candidate_talking_over_a_question_stops_it_and_answers_it() -> None:
    interview, voice, _, store, speech, task = await run_interview(TurnSettings(), voice_seconds=5.0)
    await until(lambda: voice.lines and voice.lines[-1].text == QUESTIONS[0])
    question = voice.lines[-1]
    speech.answer("I add an index on the filtered column.", end_of_turn=None)
    await until(question.done, timeout_s=1.0)
    assert question.interrupted and question.paused_times == 1  # paused at the first sound, stopped on the words
    assert not voice.output.audio.paused  # ready for the next line
    interview.control("done")
    await until(lambda: store.ended == [1])
    assert ("User", "I add an index on the filtered column.", 1) in store.segments
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_noise_over_a_question_pauses_it_and_the_question_resumes() -> None:
    _, voice, _, _, speech, task = await run_interview(TurnSettings(), voice_seconds=1.0)
    await until(lambda: voice.lines and voice.lines[-1].text == QUESTIONS[0])
    question = voice.lines[-1]
    await asyncio.sleep(0.2)
    speech.events.put_nowait(SpeechStarted(speech.clock_s))  # a cough: speech, but never any words
    await until(lambda: question.paused_times == 1, timeout_s=1.0)
    assert voice.output.audio.paused and not question.done()
    speech.events.put_nowait(SpeechEnded(speech.clock_s))
    await until(lambda: not voice.output.audio.paused, timeout_s=2.0)  # resumed after the false-interruption wait
    await until(question.done, timeout_s=3.0)
    assert not question.interrupted
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_finished_sentence_ends_the_turn_sooner_than_the_silence_rule() -> None:
    turns = TurnSettings(end_of_turn_silence_s=3.0, likely_end_silence_s=0.2)
    _, _, output, _, speech, task = await run_interview(turns)
    await asyncio.sleep(0.3)  # the question has played
    speech.answer("I add an index on the filtered column.", end_of_turn=0.9)
    ended = time.monotonic()
    await until(lambda: any(text == QUESTIONS[1] for _, text, _ in output.cards), timeout_s=5.0)
    assert card_at(output, QUESTIONS[1]) - ended < 1.5  # well before the 3 s silence rule
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


@pytest.mark.parametrize(
    ("text", "end_of_turn"),
    [("I add an index on the filtered column.", 0.1), ("I would start with the", 0.9)],
)
async def test_a_pause_that_does_not_sound_finished_waits_for_the_silence_rule(text: str, end_of_turn: float) -> None:
    turns = TurnSettings(end_of_turn_silence_s=1.0, thinking_silence_s=1.0, likely_end_silence_s=0.1)
    _, _, output, _, speech, task = await run_interview(turns)
    await asyncio.sleep(0.3)
    speech.answer(text, end_of_turn=end_of_turn)
    ended = time.monotonic()
    await until(lambda: any(said == QUESTIONS[1] for _, said, _ in output.cards), timeout_s=5.0)
    assert card_at(output, QUESTIONS[1]) - ended >= 0.9
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_silent_candidate_is_asked_once_whether_to_hear_the_question_again() -> None:
    _, _, output, _, _, task = await run_interview(TurnSettings(silence_nudge_s=0.3))
    await asyncio.sleep(1.5)
    assert [kind for kind, _, _ in output.cards].count("nudge") == 1
    # Counted from the end of the question's audio (0.2 s), not from when it began.
    nudged_at = next(at for kind, _, at in output.cards if kind == "nudge")
    assert nudged_at - card_at(output, QUESTIONS[0]) >= 0.45
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_spoken_lines_are_timed_by_their_audio_and_the_closing_is_heard() -> None:
    interview, voice, _, store, speech, task = await run_interview(TurnSettings())
    for _ in QUESTIONS:
        await asyncio.sleep(0.3)
        speech.answer("An answer with a few words in it.", end_of_turn=None)
        interview.control("done")
    await asyncio.wait_for(task, 10)
    assert store.completed and store.ended == [1, 2]
    closing = voice.lines[-1]
    assert closing.done() and not closing.interrupted and not closing.allow_interruptions
    await until(lambda: len(store.line_ends) == sum(1 for s in store.segments if s[0] == "AI"))


async def test_the_rest_of_a_sentence_cut_by_done_belongs_to_the_answer_before() -> None:
    interview, _, output, store, speech, task = await run_interview(TurnSettings())
    await asyncio.sleep(0.3)
    speech.answer("I read the query plan and measure", end_of_turn=None)
    interview.control("done")
    await until(lambda: any(text == QUESTIONS[1] for _, text, _ in output.cards))
    # What the microphone still carried at the cut is recognized afterwards, starting exactly at the cut.
    tail = Utterance(text="again.", start_s=speech.cut_at, end_s=speech.cut_at + 0.4, confidence=0.9, language="en")
    tail.rest_of_cut = True
    speech.events.put_nowait(tail)
    await until(lambda: ("User", "again.", 1) in store.segments)
    assert store.ended.count(1) == 2  # the closed answer grew: scored again with its last word
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_words_recognized_after_the_pause_was_judged_still_end_the_turn() -> None:
    # Whisper recognizes an utterance after its end of speech: the detector's verdict and the silence deadline can
    # both pass before the words arrive (the deadline is then already behind when they are read).
    turns = TurnSettings(end_of_turn_silence_s=3.0, likely_end_silence_s=0.1)
    _, _, output, store, speech, task = await run_interview(turns)
    await asyncio.sleep(0.3)
    now = speech.clock_s
    speech.recognizing.append(
        Utterance(text="I add an index.", start_s=now - 0.5, end_s=now, confidence=0.9, language="en")
    )
    verdict: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    verdict.set_result(0.9)
    speech.events.put_nowait(SpeechStarted(now - 0.5))
    speech.events.put_nowait(SpeechEnded(now, verdict))
    await until(lambda: any(text == QUESTIONS[1] for _, text, _ in output.cards), timeout_s=3.0)
    assert store.ended == [1] and ("User", "I add an index.", 1) in store.segments
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
