"""The interviewer agent worker: `python -m agent.main start` registers with LiveKit for explicit dispatch.

Each dispatched room is one interview (job metadata `{"interview_id": …}`), run by agent.session and
agent.conductor in its own job process; models (VAD, offline Whisper) load once per process in `prewarm`.
"""

import asyncio
import json
import logging
from collections.abc import Callable

import aiohttp
import redis
from dramatiq.brokers.redis import RedisBroker
from livekit.agents import AgentServer, AutoSubscribe, JobContext, JobProcess, cli, stt
from livekit.plugins import deepgram, silero

from agent.conductor import InterviewConductor, TurnSettings
from agent.follow_up import FollowUpWriter
from agent.room_output import Prompt, RoomOutput
from agent.session import InterviewRoom
from agent.settings import AgentSettings, get_agent_settings
from agent.store import InterviewStore
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
        await _join_and_leave(ctx, "the job's metadata names no interview_id")
        return
    redis_client = redis.Redis.from_url(settings.redis_url)
    broker = RedisBroker(url=settings.redis_url)
    store = InterviewStore(get_engine(settings.database_url), broker, redis_client, interview_id)
    chat: ChatClient = ctx.proc.userdata["chat"]
    http = aiohttp.ClientSession()
    try:
        snapshot = await store.load()
        if snapshot is None or snapshot.room_name != ctx.room.name:
            await _join_and_leave(ctx, f"interview {interview_id} does not exist or belongs to another room")
            return
        if snapshot.status not in (InterviewStatus.scheduled, InterviewStatus.live):
            await _join_and_leave(ctx, f"interview {interview_id} is {snapshot.status}")
            return
        # Audio only: the camera is subscribed to (and decoded) only with consent to expression analysis.
        await ctx.connect(auto_subscribe=AutoSubscribe.AUDIO_ONLY)
        logger.info("joined room %s for interview %s", ctx.room.name, interview_id)
        output = RoomOutput(ctx.room)
        conductor = InterviewConductor(
            snapshot,
            store=store,
            output=output,
            follow_ups=FollowUpWriter(
                chat,
                first_words_deadline_s=settings.agent_follow_up_first_words_s,
                total_deadline_s=settings.agent_follow_up_total_s,
            )
            if settings.agent_follow_ups_enabled
            else None,
            turns=TurnSettings(
                end_of_turn_silence_s=settings.agent_end_of_turn_silence_s,
                thinking_silence_s=settings.agent_thinking_silence_s,
            ),
        )
        room = InterviewRoom(
            ctx.room,
            snapshot,
            store=store,
            conductor=conductor,
            vad_model=ctx.proc.userdata["vad"],
            make_recognizer=recognizer_for(settings, ctx.proc, snapshot.language, http),
            frame_interval_s=settings.agent_frame_interval_s,
            audio_frame_ms=settings.agent_audio_frame_ms,
            rejoin_grace_s=settings.agent_rejoin_grace_s,
            candidate_wait_s=settings.agent_candidate_wait_s,
        )
        await room.run()
        await output.aclose()
        logger.info("interview %s: agent done (latencies %s)", interview_id, conductor.latencies)
    finally:
        await chat.aclose()
        await http.close()
        store.close()
        broker.close()
        redis_client.close()
        ctx.shutdown(reason="interview over")


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
        ws_url=settings.livekit_url,
        api_key=settings.livekit_api_key,
        api_secret=settings.livekit_api_secret,
    )
    server.rtc_session(entrypoint, agent_name=settings.agent_name)
    return server


if __name__ == "__main__":
    cli.run_app(build_server())
