"""Privacy rules that need no services: the agent stops looking at the camera when consent is withdrawn, the report's
expression timeline is the candidate's only, and the retention lease keeps one chain."""

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from livekit import rtc

from agent.session import InterviewRoom
from agent.store import InterviewSnapshot
from api.services.privacy import report_view
from core.frames import take_frame
from core.tables import EvaluationReport, Interview, User
from workers.actors.retention import lease_seconds

pytestmark = pytest.mark.unit


class FakePublication:
    def __init__(self, kind: rtc.TrackKind.ValueType) -> None:
        self.kind = kind
        self.subscribed = True

    def set_subscribed(self, subscribed: bool) -> None:
        self.subscribed = subscribed


class FakeSampler:
    closed = False

    async def aclose(self) -> None:
        self.closed = True


def _room(camera: FakePublication, microphone: FakePublication) -> InterviewRoom:
    candidate = SimpleNamespace(track_publications={"camera": camera, "microphone": microphone})
    snapshot = InterviewSnapshot(
        id=1,
        status="live",
        candidate_id=7,
        room_name="interview-x",
        position="Engineer",
        language="en",
        emotion_consent=True,
        start_time=datetime.now(UTC),
        plan=[],
    )
    fake: Any = None
    return InterviewRoom(
        SimpleNamespace(remote_participants={"candidate-7": candidate}),  # type: ignore[arg-type]
        snapshot,
        store=fake,
        conductor=fake,
        vad_model=fake,
        make_recognizer=fake,
        turn_detector=None,
        frame_interval_s=2.0,
        audio_frame_ms=50,
        rejoin_grace_s=1.0,
        candidate_wait_s=1.0,
    )


def test_withdrawn_consent_stops_the_sampler_and_the_camera_for_good() -> None:
    async def scenario() -> None:
        camera, microphone = FakePublication(rtc.TrackKind.KIND_VIDEO), FakePublication(rtc.TrackKind.KIND_AUDIO)
        room = _room(camera, microphone)
        sampler = FakeSampler()
        room._sampler = sampler  # type: ignore[assignment]
        room.withdraw_expression_consent()
        await asyncio.sleep(0.01)
        assert sampler.closed and room._sampler is None
        assert not camera.subscribed and microphone.subscribed  # the interview goes on, by voice
        # A camera published again later (a rejoin) is neither subscribed to nor sampled.
        republished = FakePublication(rtc.TrackKind.KIND_VIDEO)
        republished.subscribed = False
        room._on_published(republished, SimpleNamespace(identity="candidate-7"))  # type: ignore[arg-type]
        assert not republished.subscribed
        room._start_frames(object())  # type: ignore[arg-type]
        assert room._sampler is None

    asyncio.run(scenario())


def test_the_expression_timeline_is_only_in_the_candidates_report() -> None:
    interview = Interview(id=3, candidate_id=7, position="Engineer", status="completed", room_name="r")
    report = EvaluationReport(
        id=1, interview_id=3, details_json={"expression": {"timeline": []}, "answered": 2}, created_at=datetime.now(UTC)
    )
    candidate = User(id=7, email="c@x.org", username="c", role="candidate", password_hash="")
    for viewer in (
        User(id=8, email="r@x.org", username="r", role="recruiter", password_hash=""),
        User(id=9, email="a@x.org", username="a", role="admin", password_hash=""),
    ):
        assert report_view(report, interview, viewer).details_json == {"answered": 2}
    assert report_view(report, interview, candidate).details_json == {"expression": {"timeline": []}, "answered": 2}
    assert report.details_json is not None and "expression" in report.details_json  # the stored row is untouched


def test_the_retention_lease_ends_before_its_chain_ticks_again() -> None:
    for interval_s in (10, 60, 3600, 86_400):
        assert 0 < lease_seconds(interval_s) < interval_s


def test_a_job_cannot_make_the_worker_take_arbitrary_keys() -> None:
    class NoRedis:
        def getdel(self, key: str) -> bytes:
            raise AssertionError(f"{key} must not be read")

    assert take_frame(NoRedis(), "dramatiq:emotion.msgs") is None  # type: ignore[arg-type]
