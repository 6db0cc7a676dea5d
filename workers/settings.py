from functools import lru_cache

from core.settings import CoreSettings


class WorkerSettings(CoreSettings):
    # Redelivery of a message whose worker died (SIGKILL) waits for this heartbeat timeout; Dramatiq's default of
    # 60 s plus a 0.1 % maintenance chance measured ~10 minutes here, so both are tightened.
    broker_heartbeat_timeout_ms: int = 10_000
    broker_maintenance_chance: int = 100_000


@lru_cache
def get_worker_settings() -> WorkerSettings:
    return WorkerSettings()
