"""Offline speech recognition: faster-whisper (Whisper base) as a livekit-agents `stt.STT` plugin.

Non-streaming: it recognizes one finished utterance at a time; the VAD decides where utterances end. The model is
loaded once per process and owned by one thread, which does every transcription: never the event loop, and never
several threads (in a job process a CTranslate2 call from a second thread could hang).
"""

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from livekit import rtc
from livekit.agents import APIConnectOptions, stt, utils
from livekit.agents.language import LanguageCode
from livekit.agents.types import NOT_GIVEN, NotGivenOr, TimedString
from livekit.agents.utils import AudioBuffer

SAMPLE_RATE = 16_000
# faster-whisper's own defaults for "this segment is not speech": a high no-speech probability and a low
# log-probability together (Whisper invents "Thank you." on silence otherwise).
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0


class WhisperEngine:
    """The model and the one thread that uses it."""

    def __init__(self, model_dir: Path, cpu_threads: int) -> None:
        if not (model_dir / "model.bin").is_file():
            raise FileNotFoundError(f"Whisper model not found in {model_dir}; run `make up` (or infra/setup.sh) first")
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper")
        self.model: Any = self.executor.submit(self._load, model_dir, cpu_threads).result()

    @staticmethod
    def _load(model_dir: Path, cpu_threads: int) -> Any:
        from faster_whisper import WhisperModel

        model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads)
        # The first call allocates and tunes: pay for it at start-up rather than on the first answer.
        segments, _ = model.transcribe(np.zeros(SAMPLE_RATE, dtype=np.float32), language="en", beam_size=1)
        list(segments)
        return model

    def transcribe(self, samples: np.ndarray, language: str, beam_size: int) -> stt.SpeechData:
        """Runs on the engine's thread."""
        segments, info = self.model.transcribe(
            samples,
            language=language,
            beam_size=beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        spoken = [s for s in segments if not (s.no_speech_prob > NO_SPEECH_PROB and s.avg_logprob < LOW_LOGPROB)]
        words = [w for segment in spoken for w in (segment.words or [])]
        return stt.SpeechData(
            language=LanguageCode(info.language or language),
            text=" ".join(segment.text.strip() for segment in spoken).strip(),
            start_time=words[0].start if words else 0.0,
            end_time=words[-1].end if words else len(samples) / SAMPLE_RATE,
            confidence=float(np.mean([w.probability for w in words])) if words else 0.0,
            words=[
                TimedString(w.word.strip(), start_time=w.start, end_time=w.end, confidence=w.probability) for w in words
            ],
        )


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
    def __init__(self, engine: WhisperEngine, *, language: str = "en", beam_size: int = 1) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self._engine = engine
        self._language = language
        self._beam_size = beam_size

    @property
    def model(self) -> str:
        return "whisper-base"

    @property
    def provider(self) -> str:
        return "faster-whisper"

    async def _recognize_impl(
        self,
        buffer: AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        samples = to_mono_16k(buffer)
        chosen = (language if isinstance(language, str) else self._language).split("-")[0]
        data = await asyncio.get_running_loop().run_in_executor(
            self._engine.executor, self._engine.transcribe, samples, chosen, self._beam_size
        )
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT, request_id=uuid.uuid4().hex, alternatives=[data]
        )
