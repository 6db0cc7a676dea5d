from functools import lru_cache

from core.settings import CoreSettings


class AgentSettings(CoreSettings):
    agent_name: str = "interviewer"
    agent_health_host: str = "127.0.0.1"
    agent_health_port: int = 8081
    # Idle job processes kept warm (VAD loaded) so that a dispatched room starts without a cold import.
    agent_idle_processes: int = 1
    # Capacity is counted in interviews, not CPU: a room's work is mostly waiting on audio and the CPU-heavy parts
    # (LLM, scoring, vision) run in other processes. livekit-agents' default (system CPU > 70 % = full) refused
    # every dispatch on a 2-core machine while the LLM server was generating.
    agent_max_interviews: int = 25


@lru_cache
def get_agent_settings() -> AgentSettings:
    return AgentSettings()
