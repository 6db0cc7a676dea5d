"""The agent's decisions that need no room: turn endings, follow-up gating, control messages, time alignment,
the order of a conversation, and offline recognition of real (synthetic) speech."""

import asyncio
import json

import numpy as np
import pytest
from livekit import rtc
from livekit.agents import stt
from livekit.agents.types import TimedString

from agent.follow_up import NO_FOLLOW_UP, follow_up_messages, worth_a_follow_up
from agent.room_output import Prompt
from agent.session import parse_control
from agent.speech import utterance_from
from agent.turns import required_silence_s, sounds_unfinished
from core.interview_store import conversation_order
from core.room_protocol import candidate_identity
from core.tables import InterviewQuestion

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "unfinished"),
    [
        ("I used PostgreSQL for the ledger.", False),
        ("I used PostgreSQL for the ledger and", True),
        ("I would start with the.", True),  # Whisper closes every utterance with a full stop
        ("Um.", True),
        ("So first I would look at the logs and.", True),
        ("I shipped it.", False),
        ("Did it work?", False),
        ("We measured it and it was fine...", True),
        ("Hmm, let me think", True),
        ("um", True),
        ("First we profiled it, so...", True),
        ("The main reason was latency, because", True),
        ("", False),
        ("그래서 인덱스를 추가했습니다.", False),
        ("음", True),
        ("그리고", True),
    ],
)
def test_thinking_aloud_is_not_the_end_of_an_answer(text: str, unfinished: bool) -> None:
    assert sounds_unfinished(text) is unfinished
    expected = 4.0 if unfinished else 1.5
    assert required_silence_s(text, end_of_turn_s=1.5, thinking_s=4.0) == expected


def test_follow_ups_only_for_answers_with_something_to_probe() -> None:
    assert not worth_a_follow_up("Yes.", min_words=6, max_words=150)
    assert worth_a_follow_up("I added an index and the query got faster.", min_words=6, max_words=150)
    assert not worth_a_follow_up("word " * 200, min_words=6, max_words=150)
    messages = follow_up_messages("Why Go?", "Because it is fast.", "ko")
    assert NO_FOLLOW_UP in messages[0]["content"] and "Korean" in messages[0]["content"]
    assert json.loads(messages[1]["content"]) == {"question": "Why Go?", "candidate_answer": "Because it is fast."}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ('{"type": "done"}', "done"),
        ('{"type": "repeat"}', "repeat"),
        ('{"type": "skip"}', None),
        ("done", None),
        ("[1, 2]", None),
        ("", None),
    ],
)
def test_only_known_control_messages_are_obeyed(payload: str, expected: str | None) -> None:
    assert parse_control(payload) == expected


def test_the_candidate_identity_matches_the_api_token() -> None:
    assert candidate_identity(42) == "candidate-42"


def test_utterance_times_are_placed_on_the_stream_clock() -> None:
    data = stt.SpeechData(
        language="en",
        text=" I used Go ",
        start_time=0.2,
        end_time=1.0,
        confidence=0.9,
        words=[
            TimedString("I", start_time=0.2, end_time=0.3, confidence=0.95),
            TimedString("used", start_time=0.35, end_time=0.6),
            TimedString("Go", start_time=0.7, end_time=1.0, confidence=0.8),
        ],
    )
    utterance = utterance_from(data, offset_s=10.0)
    assert (utterance.text, utterance.start_s, utterance.end_s) == ("I used Go", 10.2, 11.0)
    assert utterance.words == [
        {"word": "I", "start_ms": 10200, "end_ms": 10300, "confidence": 0.95},
        {"word": "used", "start_ms": 10350, "end_ms": 10600},
        {"word": "Go", "start_ms": 10700, "end_ms": 11000, "confidence": 0.8},
    ]


def test_follow_ups_come_right_after_their_question() -> None:
    def question(id_: int, order: int, parent: int | None = None) -> InterviewQuestion:
        return InterviewQuestion(
            id=id_, interview_id=1, order=order, parent_id=parent, source="bank", content="q", category="technical",
            difficulty="medium", rubric_json={},
        )  # fmt: skip

    planned = [question(1, 1), question(2, 2), question(3, 3), question(4, 4, parent=1), question(5, 5, parent=3)]
    assert [q.id for q in conversation_order(planned)] == [1, 4, 2, 3, 5]


def test_prompt_attributes_name_the_question_and_its_place() -> None:
    attributes = Prompt(kind="follow_up", index=2, total=5, question_id=9, parent_id=4).attributes("AG_1")
    assert attributes == {
        "lk.segment_id": "AG_1",
        "lk.transcription_final": "true",
        "interview.kind": "follow_up",
        "interview.index": "2",
        "interview.total": "5",
        "interview.question_id": "9",
        "interview.parent_id": "4",
    }
    assert "interview.question_id" not in Prompt(kind="greeting", total=3).attributes("AG_2")


def test_offline_whisper_recognizes_espeak_speech_with_word_timings() -> None:
    from agent.whisper_stt import WhisperEngine, WhisperSTT
    from core.model_files import ModelFiles
    from core.settings import CoreSettings
    from infra.candidate_sim import espeak_speech

    speech = espeak_speech("I have five years of experience building REST APIs with Python and PostgreSQL.")
    silence = np.zeros(48_000 // 2, dtype=np.int16)
    samples = np.concatenate([silence, speech])
    frame = rtc.AudioFrame(samples.tobytes(), 48_000, 1, len(samples))
    engine = WhisperEngine(ModelFiles(CoreSettings(_env_file=None).models_dir).whisper_base, cpu_threads=2)  # type: ignore[call-arg]
    event = asyncio.run(WhisperSTT(engine).recognize([frame]))
    data = event.alternatives[0]
    assert "python" in data.text.lower() and "experience" in data.text.lower()
    starts = [float(w.start_time) for w in data.words or []]  # type: ignore[arg-type]
    assert starts == sorted(starts) and len(starts) >= 8
    assert all(float(w.end_time) <= len(samples) / 48_000 + 0.1 for w in data.words or [])  # type: ignore[arg-type]
    assert 0 < data.confidence <= 1
