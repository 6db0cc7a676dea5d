"""What a candidate heard: the agent's voice as received in the room, transcribed by the offline Whisper model.

Proves the voice is real and intelligible (not just that an audio track exists): a question counts as heard when
most of its words come back from what arrived on the candidate's side.
"""

import asyncio
import functools
import re
from pathlib import Path
from typing import Any

import numpy as np

from core.model_files import ModelFiles
from infra.candidate_sim import HEARD_SAMPLE_RATE


@functools.lru_cache(maxsize=1)
def _whisper(models_dir: Path) -> Any:
    from faster_whisper import WhisperModel

    path = ModelFiles(models_dir).whisper_base
    assert (path / "model.bin").is_file(), f"{path} is missing: the project's setup assembles it (infra/models.py)"
    return WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=1)


def _words(text: str) -> list[str]:
    """Lower-case words with possessives folded: "teammate's" and "teammates'" sound the same, and a recogniser
    that writes one for the other has heard the word."""
    return [re.sub(r"'s$|s'$|'$", "", word) for word in re.findall(r"[a-z0-9']+", text.lower())]


def _transcribe(models_dir: Path, samples: np.ndarray, language: str) -> str:
    audio = samples.astype(np.float32) / 32768.0
    segments, _ = _whisper(models_dir).transcribe(audio, language=language, beam_size=1, vad_filter=False)
    return " ".join(segment.text for segment in segments)


async def heard_text(models_dir: Path, samples: np.ndarray, language: str = "en") -> str:
    assert len(samples) > HEARD_SAMPLE_RATE // 2, "less than half a second of the agent's voice arrived"
    return await asyncio.to_thread(_transcribe, models_dir, samples, language)


def share_of_words_heard(said: str, heard: str) -> float:
    expected = _words(said)
    got = set(_words(heard))
    return sum(1 for word in expected if word in got) / max(len(expected), 1)
