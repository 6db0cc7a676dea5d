"""A local stand-in for Deepgram's live transcription (STT) and Aura speech (TTS) APIs, for tests and benchmarks (no
cloud here). One server, one port: `/v1/listen` and `/v1/speak`, as the real `api.deepgram.com` serves them.

Speech to text: the real wire protocol that livekit-plugins-deepgram uses: `GET /v1/listen?...` upgraded to a
WebSocket with `Authorization: Token <key>`; binary linear16 audio in; `KeepAlive`, `Finalize` and `CloseStream` text
messages; `SpeechStarted`, interim and final `Results` (with `speech_final` on an endpoint, `from_finalize` after
Finalize), and `Metadata` out. It does not recognize speech: it finds utterances by their energy, like an endpointer,
and answers each with the next of its scripted transcripts, timed over the utterance (words, start, end) as
Deepgram reports them (seconds since the stream began).

Text to speech (Aura), both ways the plugin's `deepgram.TTS` calls it, with the same `Authorization: Token <key>`:
- streaming: `GET /v1/speak?encoding=linear16&model=...&sample_rate=...&mip_opt_out=...` upgraded to a WebSocket.
  `Metadata` on open; `Speak` messages add to a text buffer, `Flush` speaks the buffer (binary linear16 mono in
  100 ms frames, then `Flushed`), `Clear` drops the buffer and any speech not yet sent (then `Cleared`), `Close`
  finishes what was flushed and closes the socket. `sequence_id` counts the acknowledgements on a socket from 0.
- one request: `POST /v1/speak?encoding=linear16&container=none&sample_rate=...&model=...` with `{"text": ...}`,
  answered with the audio (raw linear16, or a WAV file for `container=wav`, Deepgram's default), chunked.
It really speaks: espeak-ng (voice from the model name's language suffix), resampled to the requested rate, in a
thread so that the server's loop never waits on it. Everything it was asked to say is kept in `FakeDeepgram.spoken`.
"""

import argparse
import asyncio
import contextlib
import io
import json
import subprocess
import uuid
import wave
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from aiohttp import WSMsgType, web

DEFAULT_TRANSCRIPT = "I would start by measuring where the time goes and then fix the slowest part first."
DEFAULT_TTS_MODEL = "aura-2-andromeda-en"  # the plugin's default
# Sample rates Deepgram's speak API accepts for linear16; it answers any other with a 400.
SPEAK_SAMPLE_RATES = frozenset({8000, 16000, 24000, 32000, 48000})
MIN_SPEED, MAX_SPEED = 0.7, 1.5
SPEAK_CHUNK_S = 0.1  # audio is sent in frames of this length, as the real service streams it
ESPEAK_WORDS_PER_MINUTE = 160  # at speed 1.0
# espeak-ng voice for the language suffix of an Aura model name (aura-2-andromeda-en); any other: en-us.
ESPEAK_VOICES = {"en": "en-us"}


@dataclass
class Script:
    """Transcripts handed out in order to whichever utterance ends next; then the default, over and over."""

    transcripts: deque[str] = field(default_factory=deque)
    default: str = DEFAULT_TRANSCRIPT

    def next(self) -> str:
        return self.transcripts.popleft() if self.transcripts else self.default


@dataclass
class Utterance:
    start_s: float
    last_voice_s: float


class ListenSession:
    """One WebSocket: an energy endpointer over the audio received so far."""

    def __init__(
        self, ws: web.WebSocketResponse, script: Script, *, sample_rate: int, interim: bool, vad_events: bool
    ) -> None:
        self.ws = ws
        self.script = script
        self.sample_rate = sample_rate
        self.interim = interim
        self.vad_events = vad_events
        self.samples = 0
        self.current: Utterance | None = None
        self.request_id = str(uuid.uuid4())
        self.last_interim_s = 0.0
        # Silence that ends an utterance; longer than Deepgram's `endpointing` so that the short pauses of synthetic
        # speech do not split one scripted answer into two.
        self.endpoint_s = 0.5
        self.threshold = 400.0  # int16 RMS of a 10 ms window that counts as voice

    @property
    def now_s(self) -> float:
        return self.samples / self.sample_rate

    async def audio(self, data: bytes) -> None:
        pcm = np.frombuffer(data[: len(data) - len(data) % 2], dtype=np.int16)
        window = max(self.sample_rate // 100, 1)
        for start in range(0, len(pcm), window):
            chunk = pcm[start : start + window]
            self.samples += len(chunk)
            voiced = float(np.sqrt(np.mean(chunk.astype(np.float32) ** 2))) > self.threshold if len(chunk) else False
            if voiced:
                if self.current is None:
                    self.current = Utterance(
                        start_s=self.now_s - len(chunk) / self.sample_rate, last_voice_s=self.now_s
                    )
                    if self.vad_events:
                        await self.send({"type": "SpeechStarted", "channel": [0, 1], "timestamp": self.current.start_s})
                self.current.last_voice_s = self.now_s
            elif self.current is not None and self.now_s - self.current.last_voice_s >= self.endpoint_s:
                await self.final(speech_final=True)
        if self.current is not None and self.interim and self.now_s - self.last_interim_s >= 0.5:
            self.last_interim_s = self.now_s
            await self.results(self._peek(), self.current.start_s, self.now_s, is_final=False, speech_final=False)

    def _peek(self) -> str:
        words = (self.script.transcripts[0] if self.script.transcripts else self.script.default).split()
        assert self.current is not None
        heard = max(1, int((self.now_s - self.current.start_s) / 0.35))
        return " ".join(words[:heard])

    async def final(self, *, speech_final: bool, from_finalize: bool = False) -> None:
        if self.current is None:
            if from_finalize:  # nothing pending: Deepgram still answers a Finalize with an empty final
                await self.results("", self.now_s, self.now_s, is_final=True, speech_final=False, from_finalize=True)
            return
        utterance, self.current = self.current, None
        await self.results(
            self.script.next(),
            utterance.start_s,
            utterance.last_voice_s,
            is_final=True,
            speech_final=speech_final,
            from_finalize=from_finalize,
        )

    async def results(
        self,
        text: str,
        start_s: float,
        end_s: float,
        *,
        is_final: bool,
        speech_final: bool,
        from_finalize: bool = False,
    ) -> None:
        words = text.split()
        step = (end_s - start_s) / max(len(words), 1)
        await self.send(
            {
                "type": "Results",
                "channel_index": [0, 1],
                "duration": round(end_s - start_s, 3),
                "start": round(start_s, 3),
                "is_final": is_final,
                "speech_final": speech_final,
                "from_finalize": from_finalize,
                "channel": {
                    "alternatives": [
                        {
                            "transcript": text,
                            "confidence": 0.98 if text else 0.0,
                            "words": [
                                {
                                    "word": word.strip(".,?!").lower(),
                                    "punctuated_word": word,
                                    "start": round(start_s + i * step, 3),
                                    "end": round(start_s + (i + 1) * step, 3),
                                    "confidence": 0.98,
                                }
                                for i, word in enumerate(words)
                            ],
                        }
                    ]
                },
                "metadata": {"request_id": self.request_id, "model_info": {"name": "fake"}, "model_uuid": "fake"},
            }
        )

    async def send(self, message: dict) -> None:
        if not self.ws.closed:
            await self.ws.send_str(json.dumps(message))


def espeak_voice(model: str) -> str:
    return ESPEAK_VOICES.get(model.rsplit("-", 1)[-1].lower(), "en-us")


def synthesize(text: str, *, sample_rate: int, voice: str = "en-us", speed: float = 1.0) -> bytes:
    """Speech for `text` as linear16 mono at `sample_rate`. Blocking (a subprocess): call it in a thread."""
    if not text.strip():
        return b""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(round(ESPEAK_WORDS_PER_MINUTE * speed)), "--stdin", "--stdout"],
        input=text.encode(),
        check=True,
        capture_output=True,
    ).stdout
    # espeak-ng writing to a pipe leaves the RIFF sizes unknown (0x7ffff000); `wave` reads up to the real end.
    with wave.open(io.BytesIO(wav)) as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16).astype(np.float32)
    if rate != sample_rate and len(samples):
        positions = np.arange(int(len(samples) * sample_rate / rate)) * (rate / sample_rate)
        samples = np.interp(positions, np.arange(len(samples)), samples)
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def wav_file(pcm: bytes, sample_rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(pcm)
    return out.getvalue()


def chunks(audio: bytes, sample_rate: int) -> list[bytes]:
    size = max(int(sample_rate * SPEAK_CHUNK_S), 1) * 2
    return [audio[start : start + size] for start in range(0, len(audio), size)]


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"err_code": code, "err_msg": message, "request_id": str(uuid.uuid4())}, status=status)


@dataclass(frozen=True)
class SpeakOptions:
    """The query of a /v1/speak request, as the plugin sends it (tts.py `_connect_ws` and `ChunkedStream._run`)."""

    model: str
    sample_rate: int
    speed: float

    @property
    def voice(self) -> str:
        return espeak_voice(self.model)

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> "SpeakOptions | web.Response":
        if query.get("encoding", "linear16") != "linear16":
            return error(400, "Bad Request", "this fake speaks linear16 only")
        try:
            sample_rate = int(query.get("sample_rate", "24000"))
            speed = float(query.get("speed", "1"))
        except ValueError:
            return error(400, "Bad Request", "sample_rate and speed must be numbers")
        if sample_rate not in SPEAK_SAMPLE_RATES:
            return error(400, "Bad Request", f"unsupported sample_rate {sample_rate} for linear16")
        if not MIN_SPEED <= speed <= MAX_SPEED:
            return error(400, "Bad Request", f"speed must be between {MIN_SPEED} and {MAX_SPEED}")
        return cls(model=query.get("model", DEFAULT_TTS_MODEL), sample_rate=sample_rate, speed=speed)

    def speak(self, text: str) -> bytes:
        return synthesize(text, sample_rate=self.sample_rate, voice=self.voice, speed=self.speed)


class SpeakSession:
    """One /v1/speak WebSocket: a text buffer, and a worker that speaks each flushed text in order."""

    def __init__(self, fake: "FakeDeepgram", ws: web.WebSocketResponse, options: SpeakOptions, request_id: str) -> None:
        self.fake = fake
        self.ws = ws
        self.options = options
        self.request_id = request_id
        self.pending: list[str] = []
        self.sequence_id = 0
        self.send_lock = asyncio.Lock()
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.worker = asyncio.create_task(self._work(self.queue))

    async def run(self) -> None:
        await self.send(
            {
                "type": "Metadata",
                "request_id": self.request_id,
                "model_name": self.options.model,
                "model_version": "fake",
                "model_uuid": "fake",
            }
        )
        try:
            async for message in self.ws:
                if message.type == WSMsgType.BINARY:
                    await self.warn("binary messages are not part of the speak protocol")
                    continue
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    data = json.loads(message.data)
                    kind = data.get("type") if isinstance(data, dict) else None
                except ValueError:
                    kind = None
                if kind == "Speak":
                    self.pending.append(str(data.get("text", "")))
                elif kind == "Flush":
                    text = " ".join("".join(self.pending).split())
                    self.pending.clear()
                    if text:
                        self.fake.spoken.append(text)
                    self.queue.put_nowait(text)  # answered with Flushed even when there was nothing to say
                elif kind == "Clear":
                    self.pending.clear()
                    await self._stop_worker()
                    self.fake.clears += 1
                    self.queue = asyncio.Queue()
                    self.worker = asyncio.create_task(self._work(self.queue))
                    await self.send({"type": "Cleared", "sequence_id": self._next_sequence_id()})
                elif kind == "Close":
                    self.queue.put_nowait(None)  # what was flushed is still spoken, then the socket closes
                    await self.worker
                    break
                else:
                    await self.warn(f"unknown message type {kind!r}")
        finally:
            await self._stop_worker()
            await self.ws.close()

    async def _work(self, queue: "asyncio.Queue[str | None]") -> None:
        while (text := await queue.get()) is not None:
            try:
                audio = await asyncio.to_thread(self.options.speak, text)
            except (OSError, subprocess.SubprocessError, wave.Error) as failure:  # espeak-ng missing or failing
                await self.send({"type": "Error", "err_code": "SYNTHESIS_FAILED", "err_msg": str(failure)})
                continue
            for chunk in chunks(audio, self.options.sample_rate):
                await self.send(chunk)
            await self.send({"type": "Flushed", "sequence_id": self._next_sequence_id()})

    async def _stop_worker(self) -> None:
        self.worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.worker

    def _next_sequence_id(self) -> int:
        self.sequence_id += 1
        return self.sequence_id - 1

    async def warn(self, message: str) -> None:
        await self.send({"type": "Warning", "warn_code": "INVALID_MESSAGE", "warn_msg": message})

    async def send(self, message: dict | bytes) -> None:
        async with self.send_lock:
            if self.ws.closed:
                return
            with contextlib.suppress(ConnectionError):  # the client went away mid-answer
                if isinstance(message, bytes):
                    await self.ws.send_bytes(message)
                else:
                    await self.ws.send_str(json.dumps(message))


class FakeDeepgram:
    def __init__(self, api_key: str, script: Script | None = None) -> None:
        self.api_key = api_key
        self.script = script or Script()
        self.connections = 0  # /v1/listen WebSockets
        self.audio_bytes = 0
        self.spoken: list[str] = []  # /v1/speak: the text of each Flush (nothing when empty) and of each POST
        self.speak_connections = 0
        self.speak_requests = 0
        self.clears = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v1/listen", self.listen)
        app.router.add_get("/v1/speak", self.speak_stream)
        app.router.add_post("/v1/speak", self.speak)
        return app

    def authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Token {self.api_key}"

    async def listen(self, request: web.Request) -> web.StreamResponse:
        if not self.authorized(request):
            return web.json_response({"err_code": "INVALID_AUTH", "err_msg": "Invalid credentials."}, status=401)
        if request.query.get("encoding", "linear16") != "linear16":
            return web.json_response({"err_code": "Bad Request", "err_msg": "unsupported encoding"}, status=400)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.connections += 1
        session = ListenSession(
            ws,
            self.script,
            sample_rate=int(request.query.get("sample_rate", "16000")),
            interim=request.query.get("interim_results", "false") == "true",
            vad_events=request.query.get("vad_events", "false") == "true",
        )
        async for message in ws:
            if message.type == WSMsgType.BINARY:
                self.audio_bytes += len(message.data)
                await session.audio(message.data)
            elif message.type == WSMsgType.TEXT:
                kind = json.loads(message.data).get("type")
                if kind == "Finalize":
                    await session.final(speech_final=True, from_finalize=True)
                elif kind == "CloseStream":
                    await session.final(speech_final=True)
                    await session.send(
                        {"type": "Metadata", "request_id": session.request_id, "duration": round(session.now_s, 3)}
                    )
                    break
        await ws.close()
        return ws

    async def speak_stream(self, request: web.Request) -> web.StreamResponse:
        if not self.authorized(request):
            return error(401, "INVALID_AUTH", "Invalid credentials.")
        options = SpeakOptions.parse(request.query)
        if isinstance(options, web.Response):
            return options
        request_id = str(uuid.uuid4())
        ws = web.WebSocketResponse()
        ws.headers["dg-request-id"] = request_id  # the plugin logs the dg-* headers of the handshake
        ws.headers["dg-model-name"] = options.model
        await ws.prepare(request)
        self.speak_connections += 1
        await SpeakSession(self, ws, options, request_id).run()
        return ws

    async def speak(self, request: web.Request) -> web.StreamResponse:
        if not self.authorized(request):
            return error(401, "INVALID_AUTH", "Invalid credentials.")
        options = SpeakOptions.parse(request.query)
        if isinstance(options, web.Response):
            return options
        container = request.query.get("container", "wav")  # Deepgram's default for linear16
        if container not in ("none", "wav"):
            return error(400, "Bad Request", f"unsupported container {container!r}")
        try:
            body = await request.json()
        except ValueError:
            return error(400, "INVALID_JSON", "the body must be JSON")
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return error(400, "Bad Request", "`text` must be a non-empty string")
        self.speak_requests += 1
        self.spoken.append(" ".join(text.split()))
        audio = await asyncio.to_thread(options.speak, text)
        if container == "wav":
            audio = wav_file(audio, options.sample_rate)
        request_id = str(uuid.uuid4())
        response = web.StreamResponse(
            headers={
                "Content-Type": "audio/wav" if container == "wav" else "application/octet-stream",
                "dg-request-id": request_id,
                "dg-model-name": options.model,
                "dg-char-count": str(len(text)),
            }
        )
        response.enable_chunked_encoding()
        await response.prepare(request)
        for chunk in chunks(audio, options.sample_rate):
            await response.write(chunk)
        await response.write_eof()
        return response


async def serve(fake: FakeDeepgram, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(fake.app())
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8095)
    parser.add_argument("--api-key", default="fake-deepgram-key")
    args = parser.parse_args()

    async def run() -> None:
        await serve(FakeDeepgram(args.api_key), args.host, args.port)
        base = f"{args.host}:{args.port}"
        print(
            f"fake Deepgram listening on ws://{base}/v1/listen, ws://{base}/v1/speak and http://{base}/v1/speak",
            flush=True,
        )
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":
    main()
