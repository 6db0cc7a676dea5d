"""The interviewer agent worker: `python -m agent.main start` registers with LiveKit for explicit dispatch.

Each dispatched room is one interview (job metadata `{"interview_id": …}`), run by agent.session and
agent.conductor in its own job process; the interviewer speaks through a livekit-agents `AgentSession` (voice track,
captions in step, agent state). Models (VAD, offline Whisper, the offline voice) load once per process in `prewarm`.
"""

import asyncio
import json
import logging
from collections.abc import Callable

import aiohttp
import redis
from dramatiq.brokers.redis import RedisBroker
from livekit.agents import (
    Agent,
    AgentServer,
    AgentSession,
    AutoSubscribe,
    JobContext,
    JobProcess,
    cli,
    room_io,
    stt,
    tokenize,
    tts,
)
from livekit.agents.inference import TurnDetector
from livekit.plugins import deepgram, silero

from agent.conductor import InterviewConductor, TurnSettings
from agent.consent import ConsentWatch
from agent.demo import DemoStore, demo_snapshot
from agent.follow_up import FollowUpWriter
from agent.piper_tts import PiperEngine
from agent.room_output import Prompt, RoomOutput
from agent.session import InterviewRoom
from agent.settings import AgentSettings, get_agent_settings
from agent.speaking import InterviewerVoice
from agent.store import InterviewSnapshot, InterviewStore, InterviewWrites
from agent.voices import PreparedLines, pace_captions_by_text, voice_for
from agent.whisper_stt import WhisperEngine, WhisperSTT
from core.db import get_engine
from core.llm import ChatClient
from core.model_files import ModelFiles
from core.tables import InterviewStatus

logger = logging.getLogger("agent")

DEEPGRAM_LANGUAGES = {"en": "en-US", "ko": "ko"}
NOTHING_TO_DO_STAY_S = 2.0


def prewarm(process: JobProcess) -> None:
    """Runs once per job process: heavy models load here, never per room."""
    settings = get_agent_settings()
    process.userdata["vad"] = silero.VAD.load()
    # The captions' pacing hyphenates words; its first use builds the pattern tree (~0.7 s that blocked the room's
    # event loop right after the greeting started).
    tokenize.basic.hyphenate_word("interview")
    pace_captions_by_text()
    # Explicitly v1-mini: the local model inside livekit-local-inference (without a version, dev mode picks the
    # cloud model).
    process.userdata["turn_detector"] = TurnDetector(version="v1-mini") if settings.agent_turn_detector else None
    # Connections and clients are made here, not in the job: their first use imports psycopg's modules and builds
    # an SSL context, ~150 ms each that would otherwise stall the room's event loop.
    import anyio._core._synchronization  # noqa: F401  (imported lazily by httpx on the first request)

    engine = get_engine(settings.database_url)
    with engine.connect():
        pass
    chat = ChatClient(base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key)
    chat._http()
    process.userdata["chat"] = chat
    if not settings.deepgram_api_key:
        process.userdata["whisper"] = WhisperEngine(
            ModelFiles(settings.models_dir).whisper_base, settings.whisper_threads
        )
        process.userdata["piper"] = PiperEngine(
            ModelFiles(settings.models_dir).piper_voice, intra_op_threads=settings.piper_threads
        )


def interview_id_from(ctx: JobContext) -> int | None:
    try:
        metadata = json.loads(ctx.job.metadata or "{}")
        return int(metadata["interview_id"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


def recognizer_for(
    settings: AgentSettings, process: JobProcess, language: str, http: aiohttp.ClientSession
) -> Callable[[], stt.STT]:
    if settings.deepgram_api_key:
        return lambda: deepgram.STT(
            model=settings.deepgram_model,
            language=DEEPGRAM_LANGUAGES.get(language, language),
            api_key=settings.deepgram_api_key,
            base_url=settings.deepgram_base_url,
            http_session=http,
        )
    whisper = process.userdata.get("whisper") or WhisperEngine(
        ModelFiles(settings.models_dir).whisper_base, settings.whisper_threads
    )
    return lambda: WhisperSTT(whisper, language=language)


async def _join_and_leave(ctx: JobContext, reason: str) -> None:
    """Nothing to ask here: say so and leave. Joining first lets whoever is in the room (and dispatch tools such as
    `lk perf agent-load-test`) see the agent arrive."""
    await ctx.connect(auto_subscribe=AutoSubscribe.AUDIO_ONLY)
    logger.warning("leaving room %s: %s", ctx.room.name, reason)
    await RoomOutput(ctx.room).say("There is no interview to run in this room.", Prompt(kind="closing"))
    await asyncio.sleep(NOTHING_TO_DO_STAY_S)
    ctx.shutdown(reason=reason)


async def entrypoint(ctx: JobContext) -> None:
    settings = get_agent_settings()
    interview_id = interview_id_from(ctx)
    if interview_id is None:
        if settings.agent_load_test_rooms:
            await run_demo(ctx, settings)
        else:
            await _join_and_leave(ctx, "the job's metadata names no interview_id")
        return
    redis_client = redis.Redis.from_url(settings.redis_url)
    broker = RedisBroker(url=settings.redis_url)
    store = InterviewStore(get_engine(settings.database_url), broker, redis_client, interview_id)
    http = aiohttp.ClientSession()
    consent = ConsentWatch(settings.redis_url, interview_id)
    try:
        await consent.subscribe()  # before the load: a withdrawal is then either in the row or heard
        snapshot = await store.load()
        if snapshot is None or snapshot.room_name != ctx.room.name:
            await _join_and_leave(ctx, f"interview {interview_id} does not exist or belongs to another room")
            return
        if snapshot.status not in (InterviewStatus.scheduled, InterviewStatus.live):
            await _join_and_leave(ctx, f"interview {interview_id} is {snapshot.status}")
            return
        await run_interview(ctx, settings, snapshot, store, http, consent=consent)
    finally:
        await consent.aclose()
        await http.close()
        store.close()
        broker.close()
        redis_client.close()
        ctx.shutdown(reason="interview over")


async def run_demo(ctx: JobContext, settings: AgentSettings) -> None:
    """A load-test room (agent/demo.py): the whole voice interview with whoever publishes audio, nothing stored."""
    http = aiohttp.ClientSession()
    try:
        logger.info("load-test room %s: running a demo interview", ctx.room.name)
        await run_interview(ctx, settings, demo_snapshot(ctx.room.name), DemoStore(), http, identity="")
    finally:
        await http.close()
        ctx.shutdown(reason="demo interview over")


async def _stop_sampling_on_withdrawal(consent: ConsentWatch, room: InterviewRoom) -> None:
    try:
        await consent.withdrawn()
    except redis.RedisError as error:
        # Frames sent after a withdrawal are still refused by the worker (it reads consent from the database).
        logger.warning("consent watch lost (%s); the worker still refuses frames without consent", error)
        return
    room.withdraw_expression_consent()


async def run_interview(
    ctx: JobContext,
    settings: AgentSettings,
    snapshot: InterviewSnapshot,
    store: InterviewWrites,
    http: aiohttp.ClientSession,
    identity: str | None = None,
    consent: ConsentWatch | None = None,
) -> None:
    # Audio only: the camera is subscribed to (and decoded) only with consent to expression analysis.
    await ctx.connect(auto_subscribe=AutoSubscribe.AUDIO_ONLY)
    logger.info("joined room %s for interview %s", ctx.room.name, snapshot.id)
    voice = voice_for(settings, snapshot.language, piper=ctx.proc.userdata.get("piper"), http=http)
    session = await start_voice(ctx, voice)
    speaking = InterviewerVoice(
        session,
        PreparedLines(voice, enabled=settings.agent_presynthesize),
        false_interruption_s=settings.agent_false_interruption_s,
        barge_in=identity != "",
    )
    chat: ChatClient = ctx.proc.userdata["chat"]
    conductor = InterviewConductor(
        snapshot,
        store=store,
        output=RoomOutput(ctx.room),
        voice=speaking,
        follow_ups=FollowUpWriter(
            chat,
            first_words_deadline_s=settings.agent_follow_up_first_words_s,
            total_deadline_s=settings.agent_follow_up_total_s,
        )
        if settings.agent_follow_ups_enabled and snapshot.id
        else None,
        turns=TurnSettings(
            end_of_turn_silence_s=settings.agent_end_of_turn_silence_s,
            thinking_silence_s=settings.agent_thinking_silence_s,
            silence_nudge_s=settings.agent_silence_nudge_s,
            likely_end_silence_s=settings.agent_likely_end_silence_s,
        ),
    )
    conductor.prepare_opening()
    room = InterviewRoom(
        ctx.room,
        snapshot,
        store=store,
        conductor=conductor,
        vad_model=ctx.proc.userdata["vad"],
        make_recognizer=recognizer_for(settings, ctx.proc, snapshot.language, http),
        turn_detector=ctx.proc.userdata.get("turn_detector"),
        frame_interval_s=settings.agent_frame_interval_s,
        audio_frame_ms=settings.agent_audio_frame_ms,
        rejoin_grace_s=settings.agent_rejoin_grace_s,
        candidate_wait_s=settings.agent_candidate_wait_s,
        identity=identity,
    )
    withdrawal = (
        asyncio.create_task(_stop_sampling_on_withdrawal(consent, room))
        if consent is not None and snapshot.emotion_consent
        else None
    )
    try:
        await room.run()
        logger.info("interview %s: agent done (latencies %s)", snapshot.id, conductor.latencies)
    finally:
        if withdrawal is not None:
            withdrawal.cancel()
        await speaking.aclose()
        await session.aclose()
        await chat.aclose()


async def start_voice(ctx: JobContext, voice: tts.TTS) -> AgentSession:
    """The interviewer's voice: livekit-agents publishes the audio track, the captions in step with it and the agent
    state. Only output: the candidate's microphone is read by agent.speech (turn-taking is the conductor's), so the
    session has no STT, VAD or LLM and does not close when the candidate drops (they may rejoin)."""
    session: AgentSession = AgentSession(
        tts=voice,
        vad=None,
        turn_handling={"turn_detection": "manual", "preemptive_generation": {"enabled": False}},
        user_away_timeout=None,
    )
    await session.start(
        Agent(instructions="You are a job interviewer. Every line you speak is written by the interview's code."),
        room=ctx.room,
        room_options=room_io.RoomOptions(
            audio_input=False,
            video_input=False,
            text_input=False,
            audio_output=room_io.AudioOutputOptions(track_name="interviewer"),
            text_output=room_io.TextOutputOptions(sync_transcription=True),
            close_on_disconnect=False,
        ),
        record=False,
    )
    return session


def interview_load(max_interviews: int) -> Callable[[AgentServer], float]:
    """The worker's load as the share of interview slots in use; at 1.0 it takes no more rooms."""

    def load(server: AgentServer) -> float:
        return min(len(server.active_jobs) / max_interviews, 1.0)

    return load


def build_server() -> AgentServer:
    settings = get_agent_settings()
    server = AgentServer(
        load_fnc=interview_load(settings.agent_max_interviews),
        # Must stay below 1 outside dev mode; full exactly when every slot is taken.
        load_threshold=0.99,
        setup_fnc=prewarm,
        port=settings.agent_health_port,
        host=settings.agent_health_host,
        num_idle_processes=settings.agent_idle_processes,
        initialize_process_timeout=settings.agent_process_init_timeout_s,
        ws_url=settings.livekit_url,
        api_key=settings.livekit_api_key,
        api_secret=settings.livekit_api_secret,
    )
    server.rtc_session(entrypoint, agent_name=settings.agent_name)
    return server


if __name__ == "__main__":
    cli.run_app(build_server())
