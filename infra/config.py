"""Ports and paths of the local stack, from the environment / `.env`.

Defaults avoid the standard PostgreSQL (5432) and Redis (6379) ports so that a system server never collides.
Tests build a StackConfig with free ports and a temporary folder instead.
"""

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.settings import DEFAULT_CACHE_DIR

REPO_ROOT = Path(__file__).resolve().parent.parent

LIVEKIT_SERVER_VERSION = "v1.13.5"
LK_CLI_VERSION = "v2.18.2"


class StackConfig(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    postgres_port: int = 54329
    redis_port: int = 63790
    livekit_port: int = 7880
    livekit_rtc_tcp_port: int = 7881
    livekit_udp_port: int = 7882
    llm_port: int = 8090
    api_port: int = 8000
    agent_health_port: int = 8081
    var_dir: Path = REPO_ROOT / "var"
    cache_dir: Path = DEFAULT_CACHE_DIR
    livekit_api_key: str = "devkey"
    livekit_api_secret: str = "secret"
    db_user: str = "interview"
    db_password: str = "interview"
    db_name: str = "interview"
    llm_threads: int = 2
    worker_processes: int = 1
    worker_threads: int = 2

    @field_validator("var_dir", "cache_dir", mode="after")
    @classmethod
    def _absolute(cls, path: Path) -> Path:
        return (REPO_ROOT / path.expanduser()).resolve()

    @property
    def bin_dir(self) -> Path:
        return self.cache_dir / "bin"

    @property
    def models_dir(self) -> Path:
        return self.cache_dir / "models"

    @property
    def livekit_server_bin(self) -> Path:
        return self.bin_dir / f"livekit-server-{LIVEKIT_SERVER_VERSION}"

    @property
    def lk_bin(self) -> Path:
        return self.bin_dir / f"lk-{LK_CLI_VERSION}-media" / "lk"

    @property
    def logs_dir(self) -> Path:
        return self.var_dir / "logs"

    @property
    def database_url(self) -> str:
        return f"postgresql+psycopg://{self.db_user}:{self.db_password}@127.0.0.1:{self.postgres_port}/{self.db_name}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def livekit_url(self) -> str:
        return f"ws://127.0.0.1:{self.livekit_port}"

    @property
    def llm_base_url(self) -> str:
        return f"http://127.0.0.1:{self.llm_port}/v1"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def service_env(self) -> dict[str, str]:
        """The environment every service process gets: where the others are (core.settings reads these)."""
        return {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "LIVEKIT_URL": self.livekit_url,
            "LIVEKIT_API_KEY": self.livekit_api_key,
            "LIVEKIT_API_SECRET": self.livekit_api_secret,
            "LLM_BASE_URL": self.llm_base_url,
            "MODELS_DIR": str(self.models_dir),
            "API_PORT": str(self.api_port),
            "AGENT_HEALTH_PORT": str(self.agent_health_port),
        }
