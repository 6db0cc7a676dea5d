"""Offline voice: Piper (a VITS model in ONNX, espeak-ng phonemes built in) as a livekit-agents `tts.TTS` plugin.

Non-streaming: `AgentSession` adapts it sentence by sentence (livekit-agents' `StreamAdapter`), so a streamed
follow-up starts speaking after its first sentence. The voice is loaded once per process and used by one thread:
synthesis never runs on the event loop, and ONNX Runtime gets one intra-op thread because many interviews share
two cores (measured: a sentence of 3 s of audio in ~0.25 s, real-time factor ~0.08, on one busy core).
"""

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from livekit.agents import APIConnectOptions, tts, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS

logger = logging.getLogger("agent.piper_tts")


class PiperEngine:
    """The ONNX voice and the one thread that runs it."""

    def __init__(self, model_path: Path, *, intra_op_threads: int = 1) -> None:
        config_path = model_path.with_name(model_path.name + ".json")
        if not model_path.is_file() or not config_path.is_file():
            raise FileNotFoundError(f"Piper voice not found at {model_path}; run `make up` (or infra/setup.sh) first")
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="piper")
        self.voice: Any = self.executor.submit(self._load, model_path, config_path, intra_op_threads).result()
        self.sample_rate: int = int(self.voice.config.sample_rate)

    @staticmethod
    def _load(model_path: Path, config_path: Path, intra_op_threads: int) -> Any:
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.inter_op_num_threads = 1
        voice = PiperVoice(
            config=PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8"))),
            session=onnxruntime.InferenceSession(
                str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
            ),
        )
        list(voice.synthesize("Hello."))  # the first run allocates: pay for it at start-up, not on the greeting
        return voice

    def speak(self, text: str, each: Callable[[bytes], None]) -> None:
        """Hands over int16 mono PCM one sentence at a time, as each is synthesised. Runs on the engine's thread."""
        for chunk in self.voice.synthesize(text):
            each(chunk.audio_int16_bytes)


class PiperTTS(tts.TTS):
    def __init__(self, engine: PiperEngine) -> None:
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False), sample_rate=engine.sample_rate, num_channels=1
        )
        self._engine = engine

    @property
    def model(self) -> str:
        return "piper"

    @property
    def provider(self) -> str:
        return "piper-local"

    def synthesize(self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS) -> "PiperStream":
        return PiperStream(tts=self, input_text=text, conn_options=conn_options)


class PiperStream(tts.ChunkedStream):
    def __init__(self, *, tts: PiperTTS, input_text: str, conn_options: APIConnectOptions) -> None:
        super().__init__(tts=tts, input_text=input_text, conn_options=conn_options)
        self._engine = tts._engine

    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        output_emitter.initialize(
            request_id=utils.shortuuid(), sample_rate=self._engine.sample_rate, num_channels=1, mime_type="audio/pcm"
        )
        loop = asyncio.get_running_loop()
        sentences: asyncio.Queue[bytes | None] = asyncio.Queue()

        def hand_over(pcm: bytes | None) -> None:
            loop.call_soon_threadsafe(sentences.put_nowait, pcm)

        def synthesize() -> None:
            try:
                self._engine.speak(self._input_text, hand_over)
            finally:
                hand_over(None)

        # Each sentence is pushed as soon as it exists: a long line starts playing after its first sentence.
        work = loop.run_in_executor(self._engine.executor, synthesize)
        while (pcm := await sentences.get()) is not None:
            output_emitter.push(pcm)
        await work  # raises what synthesis raised
        output_emitter.flush()
