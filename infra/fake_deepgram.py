"""A local stand-in for Deepgram's live transcription WebSocket, for tests and benchmarks (no cloud here).

It speaks the real wire protocol that livekit-plugins-deepgram uses: `GET /v1/listen?...` upgraded to a WebSocket
with `Authorization: Token <key>`; binary linear16 audio in; `KeepAlive`, `Finalize` and `CloseStream` text
messages; `SpeechStarted`, interim and final `Results` (with `speech_final` on an endpoint, `from_finalize` after
Finalize), and `Metadata` out. It does not recognize speech: it finds utterances by their energy, like an endpointer,
and answers each with the next of its scripted transcripts, timed over the utterance (words, start, end) as
Deepgram reports them (seconds since the stream began).
"""

import argparse
import asyncio
import contextlib
import json
import uuid
from collections import deque
from dataclasses import dataclass, field

import numpy as np
from aiohttp import WSMsgType, web

DEFAULT_TRANSCRIPT = "I would start by measuring where the time goes and then fix the slowest part first."


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


class FakeDeepgram:
    def __init__(self, api_key: str, script: Script | None = None) -> None:
        self.api_key = api_key
        self.script = script or Script()
        self.connections = 0
        self.audio_bytes = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v1/listen", self.listen)
        return app

    async def listen(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") != f"Token {self.api_key}":
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
        print(f"fake Deepgram listening on ws://{args.host}:{args.port}/v1/listen", flush=True)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":
    main()
