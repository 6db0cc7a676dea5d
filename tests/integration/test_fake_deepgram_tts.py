"""Deepgram's speech protocol (Aura) in infra/fake_deepgram.py, driven by the real livekit-plugins-deepgram client:
the streaming WebSocket and the one-request HTTP path really speak (espeak-ng), a wrong key is refused, and the
project's offline Whisper model hears the words back. Needs no other service."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import numpy as np
import pytest
from livekit import rtc
from livekit.agents import APIConnectOptions, APIError, APIStatusError
from livekit.plugins import deepgram

from core.model_files import ModelFiles
from infra.config import StackConfig
from infra.fake_deepgram import FakeDeepgram, serve
from infra.process import free_port

pytestmark = pytest.mark.integration

API_KEY = "test-deepgram-tts-key"
MODEL = "aura-2-andromeda-en"
SAMPLE_RATE = 24_000
SENTENCE = "Tell me about a project where you made a slow web service much faster."
SECOND = "Thank you, that is all."
# No retries: a failure shows at once, and a refused key does not cost the retry back-off.
ONCE = APIConnectOptions(max_retry=0, timeout=10)


@dataclass
class Server:
    fake: FakeDeepgram
    port: int

    @property
    def speak_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/speak"


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[Server]:
    port = free_port()
    fake = FakeDeepgram(API_KEY)
    runner = await serve(fake, "127.0.0.1", port)
    yield Server(fake, port)
    await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def client(server: Server, http: aiohttp.ClientSession, api_key: str = API_KEY) -> deepgram.TTS:
    return deepgram.TTS(
        model=MODEL,
        encoding="linear16",
        sample_rate=SAMPLE_RATE,
        api_key=api_key,
        base_url=server.speak_url,
        http_session=http,
    )


def pcm(frames: list[rtc.AudioFrame]) -> np.ndarray:
    assert frames, "no audio came back"
    assert {(frame.sample_rate, frame.num_channels) for frame in frames} == {(SAMPLE_RATE, 1)}
    return np.concatenate([np.frombuffer(frame.data, dtype=np.int16) for frame in frames])


def assert_speech(samples: np.ndarray, text: str) -> None:
    """As long as someone saying `text` takes (espeak-ng at 160 words a minute), and not silent."""
    words = len(text.split())
    duration_s = len(samples) / SAMPLE_RATE
    assert 0.15 * words <= duration_s <= 0.6 * words, f"{duration_s:.2f} s of audio for {words} words"
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    assert rms > 500, f"the audio is (nearly) silent: RMS {rms:.0f}"


async def stream_text(tts: deepgram.TTS, *texts: str) -> list[rtc.AudioFrame]:
    """What the agent does: text pushed as it comes, a flush after each reply."""
    stream = tts.stream(conn_options=ONCE)
    for text in texts:
        stream.push_text(text)
        stream.flush()
    stream.end_input()
    try:
        return [event.frame async for event in stream]
    finally:
        await stream.aclose()


async def test_streaming_speaks_the_flushed_text(server: Server, http: aiohttp.ClientSession) -> None:
    fake = server.fake
    connections = fake.speak_connections
    tts = client(server, http)
    try:
        samples = pcm(await stream_text(tts, SENTENCE))
        assert_speech(samples, SENTENCE)
        assert fake.spoken[-1] == SENTENCE
        assert fake.speak_connections == connections + 1
        # The plugin keeps the socket in its pool: the next reply goes over the same one.
        assert_speech(pcm(await stream_text(tts, SECOND)), SECOND)
        assert fake.spoken[-1] == SECOND and fake.speak_connections == connections + 1
    finally:
        await tts.aclose()  # the pool closes its socket with Flush and Close


async def test_one_request_speaks_the_text(server: Server, http: aiohttp.ClientSession) -> None:
    fake = server.fake
    requests = fake.speak_requests
    tts = client(server, http)
    try:
        samples = pcm([event.frame async for event in tts.synthesize(SENTENCE, conn_options=ONCE)])
    finally:
        await tts.aclose()
    assert_speech(samples, SENTENCE)
    assert fake.spoken[-1] == SENTENCE and fake.speak_requests == requests + 1


async def test_a_wrong_key_is_refused(server: Server, http: aiohttp.ClientSession) -> None:
    fake = server.fake
    before = (len(fake.spoken), fake.speak_connections, fake.speak_requests)
    tts = client(server, http, api_key="not-the-key")
    try:
        with pytest.raises(APIError) as refused:
            [event async for event in tts.synthesize(SENTENCE, conn_options=ONCE)]
        assert isinstance(refused.value, APIStatusError) and refused.value.status_code == 401
        with pytest.raises(APIError) as refused:
            await stream_text(tts, SENTENCE)
        assert isinstance(refused.value, APIStatusError) and refused.value.status_code == 401
    finally:
        await tts.aclose()
    assert (len(fake.spoken), fake.speak_connections, fake.speak_requests) == before


async def test_clear_drops_pending_text_on_the_wire(server: Server, http: aiohttp.ClientSession) -> None:
    """The messages the plugin does not send itself (Clear), and the acknowledgements, as Deepgram sends them."""
    url = f"ws://127.0.0.1:{server.port}/v1/speak?encoding=linear16&sample_rate=16000&model={MODEL}"
    async with http.ws_connect(url, headers={"Authorization": f"Token {API_KEY}"}) as ws:
        metadata = await ws.receive_json(timeout=5)
        assert metadata["type"] == "Metadata" and metadata["model_name"] == MODEL and metadata["request_id"]
        await ws.send_json({"type": "Speak", "text": "This is never said."})
        await ws.send_json({"type": "Clear"})
        assert await ws.receive_json(timeout=5) == {"type": "Cleared", "sequence_id": 0}
        for word in SECOND.split():
            await ws.send_json({"type": "Speak", "text": f"{word} "})
        await ws.send_json({"type": "Flush"})
        audio = b""
        while (message := await ws.receive(timeout=10)).type == aiohttp.WSMsgType.BINARY:
            assert len(message.data) <= 16_000 // 10 * 2  # 100 ms frames
            audio += message.data
        assert message.type == aiohttp.WSMsgType.TEXT and json.loads(message.data) == {
            "type": "Flushed",
            "sequence_id": 1,
        }
        assert 0.15 * len(SECOND.split()) <= len(audio) / 2 / 16_000 <= 0.6 * len(SECOND.split())
        await ws.send_json({"type": "Close"})
        assert (await ws.receive(timeout=5)).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert server.fake.spoken[-1] == SECOND and "This is never said." not in server.fake.spoken


def transcribe(model_dir: Path, samples: np.ndarray) -> str:
    from faster_whisper import WhisperModel

    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=2)
    audio = samples.astype(np.float32) / 32768.0
    positions = np.arange(len(audio) * 16_000 // SAMPLE_RATE) * (SAMPLE_RATE / 16_000)
    audio_16k = np.interp(positions, np.arange(len(audio)), audio).astype(np.float32)
    segments, _ = model.transcribe(audio_16k, language="en", beam_size=1, condition_on_previous_text=False)
    return " ".join(segment.text for segment in segments)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


async def test_whisper_hears_what_was_streamed(server: Server, http: aiohttp.ClientSession) -> None:
    model_dir = ModelFiles(StackConfig().models_dir).whisper_base
    assert (model_dir / "model.bin").is_file(), (
        f"the offline Whisper model is missing from {model_dir}: run infra/setup.sh, which assembles it"
    )
    tts = client(server, http)
    try:
        samples = pcm(await stream_text(tts, SENTENCE))
    finally:
        await tts.aclose()
    heard = await asyncio.to_thread(transcribe, model_dir, samples)
    expected = words(SENTENCE)
    found = [word for word in expected if word in set(words(heard))]
    assert len(found) >= 0.8 * len(expected), f"Whisper heard {heard!r} for {SENTENCE!r}"
