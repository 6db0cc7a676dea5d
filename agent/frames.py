"""One camera frame every N seconds → an `emotion.analyze_frame` job. Only ever started with the candidate's consent.

Frames are decoded by the SDK as they arrive, but only the sampled one is converted and JPEG-encoded, in a worker
thread; the event loop only keeps a reference to the latest frame.
"""

import asyncio
import base64
import logging
import time
from collections.abc import Awaitable, Callable

import numpy as np
from livekit import rtc

logger = logging.getLogger("agent.frames")

MAX_WIDTH = 640


def to_rgb(frame: rtc.VideoFrame) -> np.ndarray:
    """On the event loop's thread: the conversion is a call into the SDK's native library, which must not be called
    from another thread while the loop talks to it (interviews with consent stalled when it was)."""
    rgb = frame.convert(rtc.VideoBufferType.RGB24)
    return np.frombuffer(rgb.data, dtype=np.uint8).reshape(rgb.height, rgb.width, 3).copy()


def encode_jpeg(pixels: np.ndarray, quality: int = 85) -> str:
    """In a worker thread: plain OpenCV, no SDK calls."""
    import cv2

    height, width = pixels.shape[:2]
    if width > MAX_WIDTH:
        height = round(height * MAX_WIDTH / width)
        pixels = cv2.resize(pixels, (MAX_WIDTH, height), interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return base64.b64encode(jpeg.tobytes()).decode("ascii")


class FrameSampler:
    def __init__(
        self,
        track: rtc.RemoteVideoTrack,
        *,
        interval_s: float,
        clock_ms: Callable[[], int],
        send: Callable[[int, str], Awaitable[None]],
    ) -> None:
        self._track = track
        self._interval_s = interval_s
        self._clock_ms = clock_ms
        self._send = send
        self._latest: rtc.VideoFrame | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.sent = 0

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._receive(), name="frames-receive"),
            asyncio.create_task(self._sample(), name="frames-sample"),
        ]

    async def _receive(self) -> None:
        # Capacity 1: only the latest frame is ever used; an unbounded queue filled the SDK's event stream with
        # frames nobody reads.
        stream = rtc.VideoStream.from_track(track=self._track, capacity=1)
        try:
            async for event in stream:
                self._latest = event.frame
        finally:
            await stream.aclose()

    async def _sample(self) -> None:
        next_at = time.monotonic()
        while True:
            next_at += self._interval_s
            await asyncio.sleep(max(next_at - time.monotonic(), 0))
            frame, self._latest = self._latest, None
            if frame is None:
                continue  # camera off or frozen: nothing new to look at
            try:
                image = await asyncio.to_thread(encode_jpeg, to_rgb(frame))
                await self._send(self._clock_ms(), image)
                self.sent += 1
            except Exception:
                logger.exception("frame sample dropped")

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
