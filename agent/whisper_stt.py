"""Offline speech recognition: faster-whisper (Whisper base) as a livekit-agents `stt.STT` plugin.

Non-streaming: it recognizes one finished utterance at a time; the VAD decides where utterances end. The model
is loaded once per process and runs in a worker thread (CTranslate2 releases the GIL), never on the event loop.
"""

import asyncio
import threading
import uuid
from pathlib import Path
from typing import Any

import numpy as np
from livekit import rtc
from livekit.agents import APIConnectOptions, stt, utils
from livekit.agents.language import LanguageCode
from livekit.agents.types import NOT_GIVEN, NotGivenOr, TimedString
from livekit.agents.utils import AudioBuffer

SAMPLE_RATE = 16_000


def load_whisper(model_dir: Path, cpu_threads: int) -> Any:
    from faster_whisper import WhisperModel

    if not (model_dir / "model.bin").is_file():
        raise FileNotFoundError(f"Whisper model not found in {model_dir}; run `make up` (or infra/setup.sh) first")
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads)
    # Warm up in the loading thread: in a job process the first call made from a worker thread never returned
    # (seen with CTranslate2 4.x); after one call here, calls from worker threads are fine. It also moves the
    # first call's set-up cost to start-up.
    segments, _ = model.transcribe(np.zeros(SAMPLE_RATE, dtype=np.float32), language="en", beam_size=1)
    list(segments)
    return model


def to_mono_16k(buffer: AudioBuffer) -> np.ndarray:
    """Any frames → float32 mono at 16 kHz in [-1, 1], what Whisper expects."""
    frame = utils.merge_frames(buffer)
    if frame.sample_rate != SAMPLE_RATE or frame.num_channels != 1:
        resampler = rtc.AudioResampler(frame.sample_rate, SAMPLE_RATE, num_channels=frame.num_channels)
        frames = resampler.push(frame) + resampler.flush()
        frame = utils.merge_frames(frames) if frames else frame
    samples = np.frombuffer(frame.data, dtype=np.int16).astype(np.float32) / 32768.0
    if frame.num_channels > 1:
        samples = samples.reshape(-1, frame.num_channels).mean(axis=1)
    return samples


class WhisperSTT(stt.STT):
    def __init__(self, model: Any, *, language: str = "en", beam_size: int = 1) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self._whisper = model
        self._language = language
        self._beam_size = beam_size
        # One utterance at a time per process: two at once would only split the same cores and finish both later.
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return "whisper-base"

    @property
    def provider(self) -> str:
        return "faster-whisper"

    def _transcribe(self, samples: np.ndarray, language: str) -> stt.SpeechData:
        with self._lock:
            segments, info = self._whisper.transcribe(
                samples,
                language=language,
                beam_size=self._beam_size,
                word_timestamps=True,
                condition_on_previous_text=False,
                vad_filter=False,
            )
            segments = list(segments)
        words = [w for segment in segments for w in (segment.words or [])]
        text = " ".join(segment.text.strip() for segment in segments).strip()
        confidence = float(np.mean([w.probability for w in words])) if words else 0.0
        return stt.SpeechData(
            language=LanguageCode(info.language or language),
            text=text,
            start_time=words[0].start if words else 0.0,
            end_time=words[-1].end if words else len(samples) / SAMPLE_RATE,
            confidence=confidence,
            words=[
                TimedString(w.word.strip(), start_time=w.start, end_time=w.end, confidence=w.probability) for w in words
            ],
        )

    async def _recognize_impl(
        self,
        buffer: AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        samples = to_mono_16k(buffer)
        chosen = language if isinstance(language, str) else self._language
        data = await asyncio.to_thread(self._transcribe, samples, chosen.split("-")[0])
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT, request_id=uuid.uuid4().hex, alternatives=[data]
        )
