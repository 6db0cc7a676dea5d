"""The interviewer's voice: which TTS speaks which language, and lines synthesised ahead of time.

Speaking goes through livekit-agents' `AgentSession.say()`, which publishes the agent's audio track and releases the
captions on `lk.transcription` in step with the audio. Planned lines (the greeting, the next question) are synthesised
while the candidate is still answering and handed to `say(audio=…)`, so "done" → first audio does not wait on
synthesis.
"""

import asyncio
import logging
from collections.abc import AsyncIterator

import aiohttp
from livekit import rtc
from livekit.agents import tts
from livekit.agents.voice.transcription import _speaking_rate, synchronizer
from livekit.plugins import deepgram, openai

from agent.espeak_tts import EspeakTTS
from agent.piper_tts import PiperEngine, PiperTTS
from agent.settings import AgentSettings

logger = logging.getLogger("agent.voices")


class _TextPacedRate(_speaking_rate.SpeakingRateStream):
    """Takes the audio and estimates nothing: the synchroniser then paces the captions by the line's syllables over
    its audio's duration."""

    async def _main_task(self) -> None:
        async for _ in self._input_ch:
            pass


class _TextPacedDetector(_speaking_rate.SpeakingRateDetector):
    def stream(self) -> _speaking_rate.SpeakingRateStream:
        return _TextPacedRate(self, self._opts)


def pace_captions_by_text() -> None:
    """Captions stay in step with the voice without livekit-agents' spectral speaking-rate estimate.

    That estimate runs an STFT over every audio frame on the room's event loop. A pre-synthesised line hands it all
    its audio at once: the loop was blocked 0.1 to 0.9 s per line (the agent logs "event loop blocked … in
    _speaking_rate.py"), the VAD fell behind real time and barge-in took 0.85 s. Our lines' text and audio are both
    complete before they play, so the synchroniser's own fallback (syllables of the text over the audio's duration)
    paces them exactly as well. Called once per process, before any session is created.
    """
    synchronizer.SpeakingRateDetector = _TextPacedDetector  # type: ignore[misc]


def voice_for(
    settings: AgentSettings, language: str, *, piper: PiperEngine | None, http: aiohttp.ClientSession
) -> tts.TTS:
    if language == "en":
        if settings.deepgram_api_key:
            return deepgram.TTS(
                model=settings.deepgram_tts_model,
                api_key=settings.deepgram_api_key,
                base_url=settings.deepgram_tts_base_url,
                http_session=http,
            )
        if piper is not None:
            return PiperTTS(piper)
    if settings.speech_api_base_url:
        return openai.TTS(
            model=settings.speech_api_model,
            voice=settings.speech_api_voice,
            base_url=settings.speech_api_base_url,
            api_key=settings.speech_api_key,
        )
    return EspeakTTS(language=language)


class _Prepared:
    """One line's audio as it is synthesised; replayed from the start by whoever takes it, live while it grows."""

    def __init__(self, voice: tts.TTS, text: str) -> None:
        self.text = text
        self.frames: list[rtc.AudioFrame] = []
        self._grew = asyncio.Event()
        self.task = asyncio.create_task(self._synthesize(voice), name="presynthesize")

    async def _synthesize(self, voice: tts.TTS) -> None:
        try:
            async with voice.synthesize(self.text) as stream:
                async for event in stream:
                    self.frames.append(event.frame)
                    self._grew.set()
        finally:
            self._grew.set()

    async def first_audio(self) -> None:
        """Returns once there is audio to play, or synthesis has ended without any."""
        while not self.frames and not self.task.done():
            self._grew.clear()
            await self._grew.wait()

    async def replay(self) -> AsyncIterator[rtc.AudioFrame]:
        sent = 0
        while True:
            while sent < len(self.frames):
                yield self.frames[sent]
                sent += 1
            if self.task.done():
                return
            self._grew.clear()
            await self._grew.wait()


class PreparedLines:
    """Audio synthesised ahead of time, by a key the conductor chooses (a question id, "opening")."""

    def __init__(self, voice: tts.TTS, *, enabled: bool = True) -> None:
        self._voice = voice
        self._enabled = enabled
        self._lines: dict[str, _Prepared] = {}

    def prepare(self, key: str, text: str) -> None:
        if not self._enabled or not text.strip():
            return
        existing = self._lines.get(key)
        if existing is not None and existing.text == text:
            return
        if existing is not None:
            existing.task.cancel()
        self._lines[key] = _Prepared(self._voice, text)

    async def take(self, key: str, text: str) -> AsyncIterator[rtc.AudioFrame] | None:
        """The prepared audio for exactly this text, playable while the rest is still being synthesised; None when
        there is none, or its synthesis failed before producing anything (the caller synthesises it then)."""
        prepared = self._lines.pop(key, None)
        if prepared is None or prepared.text != text:
            return None
        if not prepared.frames:
            await asyncio.wait(
                {prepared.task, asyncio.ensure_future(prepared._grew.wait())}, return_when="FIRST_COMPLETED"
            )
        if not prepared.frames:
            if prepared.task.done() and not prepared.task.cancelled() and prepared.task.exception() is not None:
                logger.warning("synthesising %r ahead failed (%r); synthesising it now", key, prepared.task.exception())
            return None
        return prepared.replay()

    async def aclose(self) -> None:
        for prepared in self._lines.values():
            prepared.task.cancel()
        await asyncio.gather(*(p.task for p in self._lines.values()), return_exceptions=True)
        self._lines.clear()
