"""Media files for a browser's fake camera and microphone (Chromium's --use-file-for-fake-video-capture and
--use-file-for-fake-audio-capture): the same face and espeak-ng speech the scripted candidate uses, written as a
Y4M video and a WAV file. Chromium loops both."""

import wave
from pathlib import Path

import numpy as np

from infra.candidate_sim import SAMPLE_RATE, espeak_speech, face_image


def write_camera_y4m(path: Path, *, width: int = 640, height: int = 480, fps: int = 10, seconds: int = 1) -> Path:
    """A still face as a 4:2:0 Y4M clip (BT.601 full range, what Chromium's file capturer reads)."""
    rgb = face_image(width, height).astype(np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    v = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b

    def quarter(plane: np.ndarray) -> np.ndarray:
        return plane.reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3))

    planes = b"".join(
        np.clip(plane, 0, 255).round().astype(np.uint8).tobytes() for plane in (y, quarter(u), quarter(v))
    )
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(fps * seconds):
            out.write(b"FRAME\n" + planes)
    return path


def write_microphone_wav(path: Path, text: str, *, silence_after_s: float = 3.0) -> Path:
    """`text` spoken by espeak-ng, then silence (so that a looping capture leaves pauses between answers)."""
    speech = espeak_speech(text)
    samples = np.concatenate([speech, np.zeros(int(SAMPLE_RATE * silence_after_s), dtype=np.int16)])
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())
    return path
