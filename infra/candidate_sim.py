"""A scripted candidate for tests and benchmarks: a real LiveKit participant that speaks and shows a face.

Answers are speech generated on the spot with espeak-ng; the camera shows a real photograph of a face (scikit-image's
astronaut). The microphone sends audio in real time like a browser's, silence between answers included, because
turn-taking depends on hearing the silence. Everything the agent publishes on `interview.prompt` (its lines' cards)
and `lk.transcription` (captions) is recorded with the time it arrived, and so is the agent's voice: every audio
frame of its track, timed on arrival, so tests measure what a candidate hears and when.
"""

import asyncio
import contextlib
import functools
import io
import logging
import subprocess
import time
import wave
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
from livekit import rtc

from core.room_protocol import PROMPT_TOPIC, TRANSCRIPTION_TOPIC

SAMPLE_RATE = 48_000
FRAME_MS = 20
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
logger = logging.getLogger("candidate_sim")
HEARD_SAMPLE_RATE = 16_000
HEARD_FRAME_MS = 10
VOICE_RMS = 300.0  # int16 RMS of a 10 ms frame that counts as the interviewer's voice, not silence


@functools.lru_cache(maxsize=64)
def espeak_speech(text: str, *, voice: str = "en-us", words_per_minute: int = 140) -> np.ndarray:
    """int16 mono samples at 48 kHz (cached: benchmarks repeat the same answers; callers never write to it)."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "--stdout", text], check=True, capture_output=True
    ).stdout
    with wave.open(io.BytesIO(wav)) as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
    return _to_48k(samples, rate)


def face_image(width: int = 640, height: int = 480) -> np.ndarray:
    """The astronaut photograph centred on a grey canvas, as RGB rows (height x width x 3, uint8)."""
    import skimage.data

    photo = skimage.data.astronaut()  # 512 x 512 RGB
    scale = min(width / photo.shape[1], height / photo.shape[0])
    rows = (np.arange(int(photo.shape[0] * scale)) / scale).astype(int)
    cols = (np.arange(int(photo.shape[1] * scale)) / scale).astype(int)
    resized = photo[rows][:, cols]
    canvas = np.full((height, width, 3), 128, dtype=np.uint8)
    top, left = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    canvas[top : top + resized.shape[0], left : left + resized.shape[1]] = resized
    return canvas


def face_frame(width: int = 640, height: int = 480) -> rtc.VideoFrame:
    """The face image as an RGBA video frame."""
    rgba = np.concatenate([face_image(width, height), np.full((height, width, 1), 255, dtype=np.uint8)], axis=2)
    return rtc.VideoFrame(width, height, rtc.VideoBufferType.RGBA, rgba.tobytes())


def _to_48k(samples: np.ndarray, rate: int) -> np.ndarray:
    positions = np.arange(0, len(samples) * SAMPLE_RATE / rate) * rate / SAMPLE_RATE
    return np.interp(positions, np.arange(len(samples)), samples.astype(np.float32)).astype(np.int16)


@functools.lru_cache(maxsize=1)
def _piper_voice(model_path: str) -> Any:
    from piper import PiperVoice

    return PiperVoice.load(model_path)


@functools.lru_cache(maxsize=64)
def natural_speech(text: str) -> np.ndarray:
    """The same as espeak_speech with the Piper voice: a human-like sentence melody, which LiveKit's audio turn
    detector needs to hear a finished sentence (espeak-ng's robotic one leaves it unsure either way)."""
    from core.model_files import ModelFiles
    from infra.config import StackConfig

    voice = _piper_voice(str(ModelFiles(StackConfig().models_dir).piper_voice))
    pcm = b"".join(chunk.audio_int16_bytes for chunk in voice.synthesize(text))
    return _to_48k(np.frombuffer(pcm, dtype=np.int16), int(voice.config.sample_rate))


@dataclass
class AgentMessage:
    text: str
    attributes: dict[str, str]
    sender: str
    first_chunk_at: float
    received_at: float

    @property
    def kind(self) -> str:
        return self.attributes.get("interview.kind", "")

    @property
    def question_id(self) -> int | None:
        value = self.attributes.get("interview.question_id")
        return int(value) if value else None


@dataclass
class HeardFrame:
    received_at: float
    samples: np.ndarray  # int16 mono at HEARD_SAMPLE_RATE

    @property
    def voiced(self) -> bool:
        return float(np.sqrt(np.mean(self.samples.astype(np.float64) ** 2))) > VOICE_RMS


@dataclass
class ScriptedCandidate:
    url: str
    token: str
    camera: bool = True
    # `POST /interviews/{id}/control` and the candidate's bearer header: the page steers the interview through the
    # API (the candidate's LiveKit token cannot publish data), and so does this candidate.
    control_url: str | None = None
    api_headers: dict[str, str] = field(default_factory=dict)
    room: rtc.Room = field(default_factory=rtc.Room)
    messages: list[AgentMessage] = field(default_factory=list)
    prompts: asyncio.Queue[AgentMessage] = field(default_factory=asyncio.Queue)
    _clips: asyncio.Queue[tuple[np.ndarray, asyncio.Future[float]]] = field(default_factory=asyncio.Queue)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _readers: set[asyncio.Task[None]] = field(default_factory=set)
    heard: list[HeardFrame] = field(default_factory=list)  # the agent's voice as it arrived
    last_clip_started_at: float = 0.0

    async def connect(self) -> None:
        self.room.register_text_stream_handler(TRANSCRIPTION_TOPIC, self._on_text)
        self.room.register_text_stream_handler(PROMPT_TOPIC, self._on_text)
        self.room.on("track_subscribed", self._on_track)
        await self.room.connect(self.url, self.token)
        microphone = rtc.AudioSource(SAMPLE_RATE, 1)
        await self.room.local_participant.publish_track(
            rtc.LocalAudioTrack.create_audio_track("microphone", microphone),
            rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE),
        )
        self._tasks.append(asyncio.create_task(self._microphone(microphone)))
        if self.camera:
            camera = rtc.VideoSource(640, 480)
            await self.room.local_participant.publish_track(
                rtc.LocalVideoTrack.create_video_track("camera", camera),
                rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA),
            )
            self._tasks.append(asyncio.create_task(self._camera(camera)))

    def _on_track(self, track: rtc.Track, _: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
        if participant.kind == rtc.ParticipantKind.PARTICIPANT_KIND_AGENT and isinstance(track, rtc.RemoteAudioTrack):
            self._tasks.append(asyncio.create_task(self._listen(track)))

    async def _listen(self, track: rtc.RemoteAudioTrack) -> None:
        stream = rtc.AudioStream.from_track(
            track=track, sample_rate=HEARD_SAMPLE_RATE, num_channels=1, frame_size_ms=HEARD_FRAME_MS
        )
        try:
            async for event in stream:
                samples = np.frombuffer(event.frame.data, dtype=np.int16).copy()
                self.heard.append(HeardFrame(time.monotonic(), samples))
        finally:
            await stream.aclose()

    def heard_between(self, start: float, end: float | None = None) -> np.ndarray:
        """The agent's voice received in [start, end), as int16 samples at HEARD_SAMPLE_RATE."""
        chunks = [f.samples for f in self.heard if f.received_at >= start and (end is None or f.received_at < end)]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)

    def first_voice_after(self, start: float) -> float | None:
        return next((f.received_at for f in self.heard if f.received_at >= start and f.voiced), None)

    async def voice_heard(self, since: float, timeout_s: float = 30) -> float | None:
        """When the agent's voice was first heard after `since`, waiting up to `timeout_s` for it."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if (at := self.first_voice_after(since)) is not None:
                return at
            await asyncio.sleep(0.02)
        return None

    def last_voice_before(self, end: float) -> float | None:
        return next((f.received_at for f in reversed(self.heard) if f.received_at < end and f.voiced), None)

    async def heard_silence(self, since: float, quiet_s: float = 0.6, timeout_s: float = 60) -> float:
        """Waits until the agent has spoken after `since` and then been quiet for `quiet_s`; returns when its voice
        last sounded."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            last = self.last_voice_before(time.monotonic())
            if last is not None and last >= since and time.monotonic() - last >= quiet_s:
                return last
            await asyncio.sleep(0.1)
        raise TimeoutError(f"the agent did not speak and fall silent within {timeout_s} s")

    def _on_text(self, reader: rtc.TextStreamReader, sender: str) -> None:
        # Logged so that a failing test shows what arrived and what never finished arriving.
        logger.info("stream %s from %s opened: %s", reader.info.stream_id, sender, dict(reader.info.attributes or {}))
        task = asyncio.create_task(self._read(reader, sender))
        self._readers.add(task)
        task.add_done_callback(self._readers.discard)

    async def _read(self, reader: rtc.TextStreamReader, sender: str) -> None:
        text, first = "", 0.0
        async for chunk in reader:
            first = first or time.monotonic()
            text += chunk
        message = AgentMessage(text, dict(reader.info.attributes or {}), sender, first, time.monotonic())
        logger.info("stream %s complete: %s %r", reader.info.stream_id, message.kind, text[:60])
        self.messages.append(message)
        if reader.info.topic == PROMPT_TOPIC:
            self.prompts.put_nowait(message)

    async def _microphone(self, source: rtc.AudioSource) -> None:
        silence = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        next_at = time.monotonic()
        while True:
            clip, played = await self._next_clip()
            samples = silence if clip is None else clip
            if clip is not None:
                self.last_clip_started_at = time.monotonic()
            for start in range(0, len(samples), FRAME_SAMPLES):
                chunk = samples[start : start + FRAME_SAMPLES]
                if len(chunk) < FRAME_SAMPLES:
                    chunk = np.pad(chunk, (0, FRAME_SAMPLES - len(chunk)))
                await source.capture_frame(rtc.AudioFrame(chunk.tobytes(), SAMPLE_RATE, 1, FRAME_SAMPLES))
                next_at += FRAME_MS / 1000
                await asyncio.sleep(max(next_at - time.monotonic(), 0))
            if played is not None and not played.done():
                played.set_result(time.monotonic())

    async def _next_clip(self) -> tuple[np.ndarray | None, asyncio.Future[float] | None]:
        try:
            return self._clips.get_nowait()
        except asyncio.QueueEmpty:
            return None, None

    async def _camera(self, source: rtc.VideoSource) -> None:
        frame = face_frame()
        while True:
            source.capture_frame(frame)
            await asyncio.sleep(0.2)

    async def say(self, text: str, *, natural: bool = False) -> float:
        """Speaks `text` into the microphone (espeak-ng, or Piper when `natural`); returns when the last sample has
        been sent (monotonic time)."""
        clip = await asyncio.to_thread(natural_speech if natural else espeak_speech, text)
        return await self.play(clip)

    async def play(self, clip: np.ndarray) -> float:
        """Sends int16 samples at 48 kHz into the microphone; returns when the last one has been sent."""
        played: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._clips.put_nowait((clip, played))
        return await played

    async def control(self, kind: str) -> float:
        """Sends `done` or `repeat` as the interview page does; returns the time it was sent."""
        if self.control_url is None:
            raise RuntimeError("this candidate was made without the API's control URL")
        sent_at = time.monotonic()
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.post(self.control_url, headers=self.api_headers, json={"type": kind})
        answer.raise_for_status()
        return sent_at

    async def next_prompt(self, timeout_s: float = 60) -> AgentMessage:
        return await asyncio.wait_for(self.prompts.get(), timeout_s)

    async def disconnect(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.room.disconnect()
