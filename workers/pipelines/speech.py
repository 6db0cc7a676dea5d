"""Speech habits from transcript word timings: pace, filler words, long pauses, and who did the talking."""

import re
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

# Words people use to fill silence. Ambiguous words ("like", "so") are left out: counting them would flag
# ordinary sentences.
FILLERS_EN = ("um", "uh", "er", "erm", "hmm", "you know", "i mean", "kind of", "sort of", "basically")
FILLERS_KO = ("음", "어", "그", "저", "뭐", "약간", "그러니까", "이제", "막")
LONG_PAUSE_MS = 2000


@dataclass(frozen=True)
class Segment:
    speaker: str  # "AI" or "User"
    text: str
    start_ms: int | None
    end_ms: int | None
    words: list[dict[str, Any]]
    question_id: int | None = None


@dataclass(frozen=True)
class SpeechMetrics:
    words_per_minute: float | None
    filler_count: int
    fillers: dict[str, int]
    filler_rate_per_100_words: float | None
    long_pauses: int
    longest_pause_ms: int
    talk_ratio: float | None  # candidate speaking time / all speaking time
    candidate_words: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def count_fillers(text: str, language: str) -> dict[str, int]:
    tokens = _tokens(text)
    joined = " ".join(tokens)
    counts: dict[str, int] = {}
    for filler in FILLERS_KO if language == "ko" else FILLERS_EN:
        found = len(re.findall(rf"(?<!\S){re.escape(filler)}(?!\S)", joined))
        if found:
            counts[filler] = found
    return counts


def _speaking_ms(segment: Segment) -> int:
    """From the first word to the last: pace counts the short gaps between words, as a listener hears them."""
    if segment.words:
        return max(int(segment.words[-1]["end_ms"]) - int(segment.words[0]["start_ms"]), 0)
    if segment.start_ms is not None and segment.end_ms is not None:
        return max(segment.end_ms - segment.start_ms, 0)
    return 0


def _pauses(segment: Segment) -> list[int]:
    words = segment.words
    return [int(b["start_ms"]) - int(a["end_ms"]) for a, b in pairwise(words)]


def speech_metrics(segments: list[Segment], language: str) -> SpeechMetrics:
    segments = [
        Segment(
            s.speaker, s.text, s.start_ms, s.end_ms, sorted(s.words, key=lambda w: int(w["start_ms"])), s.question_id
        )
        for s in segments
    ]
    candidate = [s for s in segments if s.speaker == "User"]
    text = " ".join(s.text for s in candidate)
    word_count = len(_tokens(text))
    fillers = count_fillers(text, language)
    filler_total = sum(fillers.values())
    candidate_ms = sum(_speaking_ms(s) for s in candidate)
    agent_ms = sum(_speaking_ms(s) for s in segments if s.speaker == "AI")
    pauses = [gap for s in candidate for gap in _pauses(s)]
    long_pauses = [gap for gap in pauses if gap >= LONG_PAUSE_MS]
    return SpeechMetrics(
        words_per_minute=round(word_count / (candidate_ms / 60_000), 1) if candidate_ms > 0 else None,
        filler_count=filler_total,
        fillers=fillers,
        filler_rate_per_100_words=round(100 * filler_total / word_count, 1) if word_count else None,
        long_pauses=len(long_pauses),
        longest_pause_ms=max(pauses, default=0),
        talk_ratio=round(candidate_ms / (candidate_ms + agent_ms), 3) if candidate_ms + agent_ms > 0 else None,
        candidate_words=word_count,
    )


def _first_word_ms(segment: Segment) -> int | None:
    starts = [int(w["start_ms"]) for w in segment.words]
    return min(starts) if starts else segment.start_ms


def thinking_times(segments: list[Segment]) -> dict[int, int]:
    """Per question: from the end of the interviewer's spoken question to the candidate's first word (0 when the
    candidate spoke over it). Questions never spoken with timings, or never answered, are left out."""
    asked_end: dict[int, int] = {}
    first_word: dict[int, int] = {}
    for segment in segments:
        if segment.question_id is None:
            continue
        if segment.speaker == "AI" and segment.end_ms is not None:
            asked_end.setdefault(segment.question_id, segment.end_ms)  # the first time it was asked, not a repeat
        elif segment.speaker == "User" and (start := _first_word_ms(segment)) is not None:
            first_word[segment.question_id] = min(first_word.get(segment.question_id, start), start)
    return {
        question_id: max(first_word[question_id] - end_ms, 0)
        for question_id, end_ms in asked_end.items()
        if question_id in first_word
    }
