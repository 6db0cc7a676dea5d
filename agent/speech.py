"""The candidate's microphone → speech events for the interview: speech started/ended and final utterances.

One silero VAD stream drives turn-taking for every STT (so both paths end turns the same way); LiveKit's audio turn
detector (v1-mini, local) hears the same audio and says, at each end of speech, how likely the candidate has
finished. Recognition is either Deepgram's live stream (audio pushed as it arrives) or the offline Whisper plugin
fed one VAD utterance at a time. Times are on the candidate's audio clock: seconds of audio received since the
stream began.
"""

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from livekit import rtc
from livekit.agents import stt, utils, vad
from livekit.agents.inference import TurnDetector
from livekit.agents.language import LanguageCode

logger = logging.getLogger("agent.speech")

SAMPLE_RATE = 16_000
PADDING_S = 0.3  # audio kept before the VAD's start of speech, as the VAD itself keeps
MIN_UTTERANCE_S = 0.25


@dataclass
class SpeechStarted:
    at_s: float


@dataclass
class SpeechEnded:
    at_s: float
    # The turn detector's probability that the candidate has finished (None without a detector or on its failure).
    end_of_turn: "asyncio.Future[float] | None" = None


@dataclass
class Utterance:
    """A final transcript segment of the candidate's speech."""

    text: str
    start_s: float
    end_s: float
    confidence: float | None
    language: str
    words: list[dict[str, Any]] = field(default_factory=list)
    final: bool = True
    # The last words of a sentence that "done" cut (they were still arriving when it was pressed): they belong to
    # the answer that was closed, not to the next question.
    rest_of_cut: bool = False


SpeechEvent = SpeechStarted | SpeechEnded | Utterance


def utterance_from(data: stt.SpeechData, offset_s: float, *, final: bool = True) -> Utterance:
    """STT times are relative to the audio it was given; `offset_s` places them on the stream's clock."""

    def ms(value: object) -> int:
        return max(round((offset_s + float(value)) * 1000), 0) if isinstance(value, int | float) else 0

    words = [
        {
            "word": str(w),
            "start_ms": ms(w.start_time),
            "end_ms": ms(w.end_time),
            **({"confidence": round(float(w.confidence), 4)} if isinstance(w.confidence, int | float) else {}),
        }
        for w in (data.words or [])
        if str(w).strip()
    ]
    return Utterance(
        text=data.text.strip(),
        start_s=offset_s + data.start_time,
        end_s=offset_s + data.end_time,
        confidence=data.confidence if data.confidence else None,
        language=str(data.language),
        words=words,
        final=final,
    )


class CandidateSpeech:
    """Reads one audio track; `events` yields SpeechStarted / SpeechEnded / Utterance in the order they happen."""

    def __init__(
        self,
        track: rtc.RemoteAudioTrack,
        *,
        vad_model: vad.VAD,
        recognizer: stt.STT,
        language: str,
        frame_ms: int,
        turn_detector: TurnDetector | None = None,
    ) -> None:
        self._track = track
        self._turn_detector = turn_detector
        self._eot: Any = None
        self._frame_ms = frame_ms
        self._vad = vad_model
        self._recognizer = recognizer
        self._language = language
        # Also carries the conductor's barriers (see agent.conductor.Barrier).
        self.events: asyncio.Queue[Any] = asyncio.Queue()
        self._samples = 0
        self._pending = 0  # utterances heard but not yet recognized
        self._settled = asyncio.Event()
        self._settled.set()
        self._stream: stt.RecognizeStream | None = None
        self._tasks: list[asyncio.Task[None]] = []
        # (start on the clock, frames, whether it is the rest of an utterance that "done" cut)
        self._recognitions: asyncio.Queue[tuple[float, list[rtc.AudioFrame], bool]] = asyncio.Queue()
        # The last minute of audio with each frame's start on the clock, so that "done" can cut an utterance short.
        self._recent: deque[tuple[float, rtc.AudioFrame]] = deque(maxlen=60_000 // frame_ms)
        self._speech_since: float | None = None
        self._cut_at = 0.0

    @property
    def clock_s(self) -> float:
        return self._samples / SAMPLE_RATE

    @property
    def streaming(self) -> bool:
        return self._recognizer.capabilities.streaming

    def start(self) -> None:
        vad_stream = self._vad.stream()
        if self._turn_detector is not None:
            self._eot = self._turn_detector.stream()
        if self.streaming:
            self._stream = self._recognizer.stream(language=self._language)
            self._tasks.append(asyncio.create_task(self._read_stream(self._stream), name="speech-stt"))
        else:
            self._tasks.append(asyncio.create_task(self._recognize_utterances(), name="speech-recognize"))
        self._tasks.append(asyncio.create_task(self._read_vad(vad_stream), name="speech-vad"))
        self._tasks.append(asyncio.create_task(self._pump(vad_stream), name="speech-audio"))
        for task in self._tasks:
            task.add_done_callback(_report_crash)

    async def _pump(self, vad_stream: vad.VADStream) -> None:
        audio = rtc.AudioStream.from_track(
            track=self._track, sample_rate=SAMPLE_RATE, num_channels=1, frame_size_ms=self._frame_ms
        )
        try:
            async for event in audio:
                self._recent.append((self.clock_s, event.frame))
                self._samples += event.frame.samples_per_channel
                vad_stream.push_frame(event.frame)
                if self._eot is not None:
                    self._eot.push_audio(event.frame)
                if self._stream is not None:
                    self._stream.push_frame(event.frame)
        finally:
            await audio.aclose()

    def _mark_pending(self, delta: int) -> None:
        self._pending = max(self._pending + delta, 0)
        if self._pending:
            self._settled.clear()
        else:
            self._settled.set()

    async def _read_vad(self, vad_stream: vad.VADStream) -> None:
        async for event in vad_stream:
            if event.type == vad.VADEventType.START_OF_SPEECH:
                self._speech_since = self.clock_s - event.speech_duration - PADDING_S
                self.events.put_nowait(SpeechStarted(self.clock_s - event.speech_duration))
                if self.streaming:
                    self._mark_pending(+1 if self._pending == 0 else 0)
            elif event.type == vad.VADEventType.END_OF_SPEECH:
                self._speech_since = None
                ended_at = self.clock_s - event.silence_duration
                self.events.put_nowait(SpeechEnded(ended_at, self._predict_end_of_turn()))
                if not self.streaming and event.frames:
                    start = self.clock_s - sum(f.duration for f in event.frames)
                    self._queue_recognition(start, list(event.frames), trailing_silence_s=event.silence_duration)

    def _predict_end_of_turn(self) -> "asyncio.Future[float] | None":
        if self._eot is None:
            return None
        probability: asyncio.Future[float] = asyncio.get_running_loop().create_future()

        def resolved(prediction: asyncio.Future[Any]) -> None:
            if probability.done():
                return
            if prediction.cancelled() or prediction.exception() is not None:
                probability.cancel()
            else:
                probability.set_result(float(prediction.result().end_of_turn_probability))

        self._eot.predict().add_done_callback(resolved)
        return probability

    async def likely_end_threshold(self) -> float | None:
        """The detector's probability above which a pause ends the turn, for this language (None: not supported)."""
        language = LanguageCode(self._language)
        if self._eot is None or not await self._eot.supports_language(language):
            return None
        threshold = await self._eot.unlikely_threshold(language)
        return float(threshold) if threshold is not None else None

    def new_turn(self) -> None:
        """A new question: the detector judges the answer from here on, not the one before."""
        if self._eot is not None:
            self._eot.flush()

    def _queue_recognition(
        self, start_s: float, frames: list[rtc.AudioFrame], *, trailing_silence_s: float = 0.0
    ) -> None:
        """Frames from `start_s` on; what came before the last cut was recognized already and is left out."""
        if not frames:
            return
        rest_of_cut = start_s < self._cut_at
        if rest_of_cut:
            merged = utils.merge_frames(frames)
            skip = min(round((self._cut_at - start_s) * merged.sample_rate), merged.samples_per_channel)
            samples = np.frombuffer(merged.data, dtype=np.int16).reshape(-1, merged.num_channels)[skip:]
            frames = [rtc.AudioFrame(samples.tobytes(), merged.sample_rate, merged.num_channels, len(samples))]
            start_s = self._cut_at
        if sum(f.duration for f in frames) - trailing_silence_s < MIN_UTTERANCE_S:
            return  # e.g. only the pause after a cut: nothing left to recognize
        self._mark_pending(+1)
        self._recognitions.put_nowait((start_s, frames, rest_of_cut))

    def cut(self) -> None:
        """End the utterance in progress now (the candidate pressed "done" while still audible, or in a noisy room
        where the VAD hears no silence): what was said so far is recognized as one utterance at once."""
        if self._stream is not None:
            self._stream.flush()  # Deepgram: Finalize returns the final transcript of everything sent so far
            return
        if self._speech_since is None:
            return
        start = max(self._speech_since, self._cut_at)
        recent = [(at, frame) for at, frame in self._recent if at >= start]
        if recent:
            self._queue_recognition(recent[0][0], [frame for _, frame in recent])
        self._cut_at = self.clock_s

    async def _recognize_utterances(self) -> None:
        """One utterance at a time, in order, so segments are stored in the order they were spoken."""
        while True:
            offset_s, frames, rest_of_cut = await self._recognitions.get()
            try:
                started = time.monotonic()
                result = await self._recognizer.recognize(frames, language=self._language)
                text = result.alternatives[0].text.strip() if result.alternatives else ""
                logger.info(
                    "recognized %.1f s of speech in %.0f ms: %d words",
                    sum(f.duration for f in frames),
                    (time.monotonic() - started) * 1000,
                    len(text.split()),
                )
                if text:
                    utterance = utterance_from(result.alternatives[0], offset_s)
                    utterance.rest_of_cut = rest_of_cut
                    self.events.put_nowait(utterance)
            except Exception:
                logger.exception(
                    "speech recognition failed for an utterance of %.1f s", sum(f.duration for f in frames)
                )
            finally:
                self._mark_pending(-1)

    async def _read_stream(self, stream: stt.RecognizeStream) -> None:
        async for event in stream:
            if not event.alternatives:
                continue
            data = event.alternatives[0]
            if event.type == stt.SpeechEventType.FINAL_TRANSCRIPT:
                if data.text.strip():
                    self.events.put_nowait(utterance_from(data, 0.0))
                self._mark_pending(-self._pending)
            elif event.type == stt.SpeechEventType.INTERIM_TRANSCRIPT and data.text.strip():
                self.events.put_nowait(utterance_from(data, 0.0, final=False))

    async def settle(self, timeout_s: float) -> bool:
        """Wait until what was said so far is recognized (or `timeout_s`); False when something is still missing."""
        if self._stream is not None and self._pending:
            self._stream.flush()  # Deepgram: Finalize, so the last words come back now
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), timeout_s)
        return self._settled.is_set()

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
        await utils.aio.cancel_and_wait(*self._tasks)
        if self._stream is not None:
            await self._stream.aclose()
        if self._eot is not None:
            await self._eot.aclose()


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("speech task %s failed", task.get_name(), exc_info=task.exception())
