"""One interview room: who is the candidate, which tracks to read, control messages, drops and rejoins."""

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from livekit import rtc
from livekit.agents import stt, vad
from livekit.agents.inference import TurnDetector

from agent.conductor import CandidateLeft, InterviewConductor
from agent.frames import FrameSampler
from agent.speech import CandidateSpeech
from agent.store import InterviewSnapshot, InterviewWrites
from core.room_protocol import CONTROL_KINDS, CONTROL_TOPIC, candidate_identity
from core.tables import InterviewStatus

logger = logging.getLogger("agent.session")

_AGENT = rtc.ParticipantKind.PARTICIPANT_KIND_AGENT


def parse_control(payload: str) -> str | None:
    try:
        message = json.loads(payload)
    except json.JSONDecodeError:
        return None
    kind = message.get("type") if isinstance(message, dict) else None
    return kind if kind in CONTROL_KINDS else None


class InterviewRoom:
    def __init__(
        self,
        room: rtc.Room,
        snapshot: InterviewSnapshot,
        *,
        store: InterviewWrites,
        conductor: InterviewConductor,
        vad_model: vad.VAD,
        make_recognizer: Callable[[], stt.STT],
        turn_detector: TurnDetector | None,
        frame_interval_s: float,
        audio_frame_ms: int,
        rejoin_grace_s: float,
        candidate_wait_s: float,
        identity: str | None = None,
    ) -> None:
        self._room = room
        self._snapshot = snapshot
        self._store = store
        self._conductor = conductor
        self._vad = vad_model
        self._make_recognizer = make_recognizer
        self._turn_detector = turn_detector
        self._frame_interval_s = frame_interval_s
        self._audio_frame_ms = audio_frame_ms
        self._rejoin_grace_s = rejoin_grace_s
        self._candidate_wait_s = candidate_wait_s
        # A load-test room has no candidate account: the first participant who publishes audio is the candidate.
        self.identity = identity if identity is not None else candidate_identity(snapshot.candidate_id)
        self._adopt_identity = identity == ""
        self._audio_tracks: asyncio.Queue[tuple[rtc.RemoteAudioTrack, float]] = asyncio.Queue()
        self._sampler: FrameSampler | None = None
        self._started_at: datetime | None = snapshot.start_time
        self._control_tasks: set[asyncio.Future[None]] = set()  # kept referenced until they finish

    # Room events (synchronous callbacks from the SDK).

    def _on_track(self, track: rtc.Track, _: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
        if self._adopt_identity and isinstance(track, rtc.RemoteAudioTrack) and participant.kind != _AGENT:
            self.identity, self._adopt_identity = participant.identity, False
        if participant.identity != self.identity:
            return
        if isinstance(track, rtc.RemoteAudioTrack):
            self._audio_tracks.put_nowait((track, time.monotonic()))
        elif isinstance(track, rtc.RemoteVideoTrack):
            self._start_frames(track)

    def _on_published(self, publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
        if (
            participant.identity == self.identity
            and publication.kind == rtc.TrackKind.KIND_VIDEO
            and self._snapshot.emotion_consent
        ):
            publication.set_subscribed(True)

    def _on_disconnected(self, participant: rtc.RemoteParticipant) -> None:
        if participant.identity == self.identity:
            logger.info("candidate left interview %s", self._snapshot.id)
            self._conductor.candidate_left()
            self._stop_frames()

    def _on_data(self, packet: rtc.DataPacket) -> None:
        # Control comes only from the API (a server-sent packet has no participant): the candidate's token cannot
        # publish data, so nobody in the room can steer the interview or forge the interviewer's lines.
        if packet.topic != CONTROL_TOPIC or packet.participant is not None:
            return
        kind = parse_control(packet.data.decode(errors="replace"))
        if kind is not None:
            self._conductor.control(kind)

    # Expression frames.

    def _clock_ms(self) -> int:
        started = self._started_at or datetime.now(UTC)
        return max(int((datetime.now(UTC) - started).total_seconds() * 1000), 0)

    def _start_frames(self, track: rtc.RemoteVideoTrack) -> None:
        if not self._snapshot.emotion_consent:
            return  # no consent: the camera is never sampled
        self._stop_frames()
        self._sampler = FrameSampler(
            track, interval_s=self._frame_interval_s, clock_ms=self._clock_ms, send=self._store.queue_frame
        )
        self._sampler.start()

    def withdraw_expression_consent(self) -> None:
        """Sampling stops and the camera is no longer received; frames already queued are refused by the worker."""
        self._snapshot.emotion_consent = False
        self._stop_frames()
        candidate = self._room.remote_participants.get(self.identity)
        for publication in candidate.track_publications.values() if candidate is not None else ():
            if publication.kind == rtc.TrackKind.KIND_VIDEO:
                publication.set_subscribed(False)

    def _stop_frames(self) -> None:
        if self._sampler is not None:
            sampler, self._sampler = self._sampler, None
            task = asyncio.ensure_future(sampler.aclose())
            self._control_tasks.add(task)
            task.add_done_callback(self._control_tasks.discard)

    # The interview.

    def _existing_tracks(self) -> None:
        for participant in list(self._room.remote_participants.values()):
            for publication in participant.track_publications.values():
                self._on_published(publication, participant)
                if publication.track is not None and publication.subscribed:
                    self._on_track(publication.track, publication, participant)

    async def run(self) -> None:
        self._room.on("track_subscribed", self._on_track)
        self._room.on("track_published", self._on_published)
        self._room.on("participant_disconnected", self._on_disconnected)
        self._room.on("data_received", self._on_data)
        self._existing_tracks()
        wait_s = self._candidate_wait_s
        try:
            while True:
                try:
                    track, joined_at = await asyncio.wait_for(self._audio_tracks.get(), wait_s)
                except TimeoutError:
                    break
                if self._snapshot.status == InterviewStatus.scheduled or self._started_at is None:
                    self._started_at = await self._store.mark_live()
                    self._snapshot.status = InterviewStatus.live
                if await self._stretch(track, joined_at):
                    return
                wait_s = self._rejoin_grace_s
                logger.info("interview %s: waiting %.0f s for the candidate to rejoin", self._snapshot.id, wait_s)
            if any(item.answered for item in self._conductor.plan):
                logger.info(
                    "interview %s: the candidate did not come back; ending with a partial report", self._snapshot.id
                )
                await self._store.complete()
            else:
                logger.info("interview %s: no answer was given; the interview stays open", self._snapshot.id)
        finally:
            self._stop_frames()
            self._room.off("data_received", self._on_data)

    async def _stretch(self, track: rtc.RemoteAudioTrack, joined_at: float) -> bool:
        """The candidate is here: listen until the interview ends (True) or they leave (False)."""
        speech = CandidateSpeech(
            track,
            vad_model=self._vad,
            recognizer=self._make_recognizer(),
            language=self._snapshot.language,
            frame_ms=self._audio_frame_ms,
            turn_detector=self._turn_detector,
        )
        speech.start()
        try:
            await self._conductor.run(
                speech, identity=self.identity, track_sid=track.sid, joined_at=joined_at, offset_ms=self._clock_ms()
            )
            return True
        except CandidateLeft:
            return False
        finally:
            with contextlib.suppress(Exception):
                await speech.aclose()
