"""The offline voice for languages Piper has no voice for here (Korean): espeak-ng as a `tts.TTS` plugin.

Robotic but intelligible to a person, ~10 ms a sentence. No Korean neural voice ships in a package this project can
install; production speaks Korean through an OpenAI-compatible `/v1/audio/speech` server (agent/voices.py).
"""

import asyncio
import io
import wave

from livekit.agents import APIConnectOptions, APIStatusError, tts, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS

ESPEAK_SAMPLE_RATE = 22_050
ESPEAK_VOICES = {"en": "en-us", "ko": "ko"}


class EspeakTTS(tts.TTS):
    def __init__(self, *, language: str, words_per_minute: int = 150) -> None:
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False), sample_rate=ESPEAK_SAMPLE_RATE, num_channels=1
        )
        self._voice = ESPEAK_VOICES.get(language, language)
        self._words_per_minute = words_per_minute

    @property
    def model(self) -> str:
        return f"espeak-ng-{self._voice}"

    @property
    def provider(self) -> str:
        return "espeak-ng"

    def synthesize(self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS) -> "EspeakStream":
        return EspeakStream(tts=self, input_text=text, conn_options=conn_options)


class EspeakStream(tts.ChunkedStream):
    def __init__(self, *, tts: EspeakTTS, input_text: str, conn_options: APIConnectOptions) -> None:
        super().__init__(tts=tts, input_text=input_text, conn_options=conn_options)
        self._espeak = tts

    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        output_emitter.initialize(
            request_id=utils.shortuuid(), sample_rate=ESPEAK_SAMPLE_RATE, num_channels=1, mime_type="audio/pcm"
        )
        process = await asyncio.create_subprocess_exec(
            "espeak-ng",
            "-v",
            self._espeak._voice,
            "-s",
            str(self._espeak._words_per_minute),
            "--stdout",
            self._input_text,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        wav, error = await process.communicate()
        if process.returncode != 0:
            raise APIStatusError(f"espeak-ng failed: {error.decode(errors='replace')[:200]}", status_code=500)
        with wave.open(io.BytesIO(wav)) as reader:
            output_emitter.push(reader.readframes(reader.getnframes()))
        output_emitter.flush()
