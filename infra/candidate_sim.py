"""A scripted candidate for tests and benchmarks: a real LiveKit participant that speaks and shows a face.

Answers are speech generated on the spot with espeak-ng; the camera shows a real photograph of a face (scikit-image's
astronaut). The microphone sends audio in real time like a browser's, silence between answers included, because
turn-taking depends on hearing the silence. Everything the agent publishes on `lk.transcription` is recorded with
the time it arrived.
"""

import asyncio
import contextlib
import functools
import io
import json
import logging
import subprocess
import time
import wave
from dataclasses import dataclass, field

import numpy as np
from livekit import rtc

SAMPLE_RATE = 48_000
FRAME_MS = 20
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
logger = logging.getLogger("candidate_sim")
TRANSCRIPTION_TOPIC = "lk.transcription"
CONTROL_TOPIC = "interview.control"


@functools.lru_cache(maxsize=64)
def espeak_speech(text: str, *, voice: str = "en-us", words_per_minute: int = 140) -> np.ndarray:
    """int16 mono samples at 48 kHz (cached: benchmarks repeat the same answers; callers never write to it)."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "--stdout", text], check=True, capture_output=True
    ).stdout
    with wave.open(io.BytesIO(wav)) as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16).astype(np.float32)
    positions = np.arange(0, len(samples) * SAMPLE_RATE / rate) * rate / SAMPLE_RATE
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.int16)


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
class ScriptedCandidate:
    url: str
    token: str
    camera: bool = True
    room: rtc.Room = field(default_factory=rtc.Room)
    messages: list[AgentMessage] = field(default_factory=list)
    prompts: asyncio.Queue[AgentMessage] = field(default_factory=asyncio.Queue)
    _clips: asyncio.Queue[tuple[np.ndarray, asyncio.Future[float]]] = field(default_factory=asyncio.Queue)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _readers: set[asyncio.Task[None]] = field(default_factory=set)

    async def connect(self) -> None:
        self.room.register_text_stream_handler(TRANSCRIPTION_TOPIC, self._on_text)
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
        if message.kind not in ("caption", ""):
            self.prompts.put_nowait(message)

    async def _microphone(self, source: rtc.AudioSource) -> None:
        silence = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        next_at = time.monotonic()
        while True:
            clip, played = await self._next_clip()
            samples = silence if clip is None else clip
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

    async def say(self, text: str) -> float:
        """Speaks `text` into the microphone; returns when the last sample has been sent (monotonic time)."""
        clip = await asyncio.to_thread(espeak_speech, text)
        played: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._clips.put_nowait((clip, played))
        return await played

    async def control(self, kind: str) -> float:
        """Sends `done` or `repeat` as the interview page does; returns the time it was sent."""
        sent_at = time.monotonic()
        await self.room.local_participant.send_text(json.dumps({"type": kind}), topic=CONTROL_TOPIC)
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
