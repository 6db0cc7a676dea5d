"""livekit-server: a room made through livekit-api, two rtc participants, one hears the other's audio."""

import asyncio
import contextlib
import math
import uuid

import numpy as np
import pytest
from livekit import api, rtc

from infra.config import StackConfig
from infra.stack import Stack

pytestmark = pytest.mark.integration

SAMPLE_RATE = 48_000
FRAME_SAMPLES = SAMPLE_RATE // 100  # 10 ms


def _token(config: StackConfig, room: str, identity: str) -> str:
    grants = api.VideoGrants(room_join=True, room=room)
    return (
        api.AccessToken(config.livekit_api_key, config.livekit_api_secret)
        .with_identity(identity)
        .with_grants(grants)
        .to_jwt()
    )


async def _play_tone(source: rtc.AudioSource, stop: asyncio.Event) -> None:
    phase = 0
    while not stop.is_set():
        t = (np.arange(FRAME_SAMPLES) + phase) / SAMPLE_RATE
        samples = (0.3 * 32767 * np.sin(2 * math.pi * 440 * t)).astype(np.int16)
        phase += FRAME_SAMPLES
        frame = rtc.AudioFrame(samples.tobytes(), SAMPLE_RATE, 1, FRAME_SAMPLES)
        await source.capture_frame(frame)


async def test_participant_receives_published_audio(stack: Stack, stack_config: StackConfig) -> None:
    room_name = f"smoke-{uuid.uuid4().hex[:8]}"
    async with api.LiveKitAPI(
        f"http://127.0.0.1:{stack_config.livekit_port}", stack_config.livekit_api_key, stack_config.livekit_api_secret
    ) as lkapi:
        created = await lkapi.room.create_room(api.CreateRoomRequest(name=room_name))
        assert created.name == room_name

        speaker, listener = rtc.Room(), rtc.Room()
        subscribed: asyncio.Future[rtc.RemoteAudioTrack] = asyncio.get_running_loop().create_future()

        @listener.on("track_subscribed")
        def _on_track(track: rtc.Track, *_: object) -> None:
            if isinstance(track, rtc.RemoteAudioTrack) and not subscribed.done():
                subscribed.set_result(track)

        stop = asyncio.Event()
        tone: asyncio.Task[None] | None = None
        try:
            await listener.connect(stack_config.livekit_url, _token(stack_config, room_name, "listener"))
            await speaker.connect(stack_config.livekit_url, _token(stack_config, room_name, "speaker"))
            source = rtc.AudioSource(SAMPLE_RATE, 1)
            track = rtc.LocalAudioTrack.create_audio_track("tone", source)
            options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
            await speaker.local_participant.publish_track(track, options)
            tone = asyncio.create_task(_play_tone(source, stop))

            remote = await asyncio.wait_for(subscribed, timeout=20)
            peak = await asyncio.wait_for(_loudest_frame(rtc.AudioStream(remote)), timeout=20)
            participants = await lkapi.room.list_participants(api.ListParticipantsRequest(room=room_name))
        finally:
            stop.set()
            if tone:
                with contextlib.suppress(asyncio.CancelledError):
                    await tone
            await speaker.disconnect()
            await listener.disconnect()
            await lkapi.room.delete_room(api.DeleteRoomRequest(room=room_name))

    assert {p.identity for p in participants.participants} == {"speaker", "listener"}
    # The tone's amplitude is ~9800; Opus keeps it well above silence.
    assert peak > 3000


async def _loudest_frame(stream: rtc.AudioStream, frames: int = 100) -> int:
    """The peak sample over a second of received audio, skipping the silent frames before the first packet."""
    peak = 0
    seen = 0
    async for event in stream:
        samples = np.frombuffer(event.frame.data, dtype=np.int16)
        peak = max(peak, int(np.abs(samples).max(initial=0)))
        seen += 1
        if seen >= frames and peak > 0:
            break
    await stream.aclose()
    return peak
