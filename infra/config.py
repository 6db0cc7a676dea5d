"""Ports and paths of the local stack, from the environment / `.env`.

Defaults avoid the standard PostgreSQL (5432) and Redis (6379) ports so that a system server never collides.
Tests build a StackConfig with free ports and a temporary folder instead.
"""

import secrets
from pathlib import Path

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.settings import DEFAULT_CACHE_DIR

REPO_ROOT = Path(__file__).resolve().parent.parent

LIVEKIT_SERVER_VERSION = "v1.13.5"
LK_CLI_VERSION = "v2.18.2"


SECRETS_FILE = "secrets.env"


def local_secrets(var_dir: Path) -> dict[str, str]:
    """The stack's own secrets in `<var_dir>/secrets.env`, generated on first use (mode 600): nothing published, and
    nothing to set by hand. A secret set in `.env` or the environment wins over these."""
    path = var_dir / SECRETS_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        generated = {"JWT_SECRET": secrets.token_urlsafe(48), "LIVEKIT_API_SECRET": secrets.token_urlsafe(48)}
        path.touch(mode=0o600)
        path.write_text("".join(f"{name}={value}\n" for name, value in generated.items()))
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs}


class StackConfig(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

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
    # Empty: generated once into var/secrets.env (local_secrets).
    livekit_api_secret: str = ""
    jwt_secret: str = ""
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

    @model_validator(mode="after")
    def _fill_in_local_secrets(self) -> "StackConfig":
        if not self.livekit_api_secret or not self.jwt_secret:
            generated = local_secrets(self.var_dir)
            self.livekit_api_secret = self.livekit_api_secret or generated["LIVEKIT_API_SECRET"]
            self.jwt_secret = self.jwt_secret or generated["JWT_SECRET"]
        return self

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
            "JWT_SECRET": self.jwt_secret,
            "LLM_BASE_URL": self.llm_base_url,
            "MODELS_DIR": str(self.models_dir),
            "API_PORT": str(self.api_port),
            "AGENT_HEALTH_PORT": str(self.agent_health_port),
        }
