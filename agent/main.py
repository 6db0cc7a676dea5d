"""The interviewer agent worker: `python -m agent.main start` registers with LiveKit for explicit dispatch.

The interview itself (stages, STT, persistence) is built on top of this entrypoint; see the README's roadmap.
"""

import json
import logging
from collections.abc import Callable

from livekit.agents import AgentServer, JobContext, JobProcess, cli
from livekit.plugins import silero

from agent.settings import get_agent_settings

logger = logging.getLogger("agent")


def prewarm(process: JobProcess) -> None:
    """Runs once per job process: heavy models load here, never per room."""
    process.userdata["vad"] = silero.VAD.load()


def interview_id_from(ctx: JobContext) -> str | None:
    try:
        metadata = json.loads(ctx.job.metadata or "{}")
    except json.JSONDecodeError:
        return None
    value = metadata.get("interview_id")
    return str(value) if value is not None else None


async def entrypoint(ctx: JobContext) -> None:
    interview_id = interview_id_from(ctx)
    await ctx.connect()
    logger.info("joined room %s for interview %s", ctx.room.name, interview_id)


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
