"""Addresses and paths every service needs, read once from the environment and `.env`."""

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_CACHE_DIR = Path.home() / ".cache" / "mockinterview"
DEV_LIVEKIT_SECRET = "secret"
DEV_JWT_SECRET = "development-only-jwt-secret-change-me-0123456789"
# Secrets that are published (this repository, LiveKit's docs): fine for a stack that only listens on loopback,
# refused anywhere else, where anyone could mint an admin JWT or a hidden LiveKit token with them.
KNOWN_DEV_SECRETS = frozenset({DEV_LIVEKIT_SECRET, DEV_JWT_SECRET})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
MIN_SECRET_LENGTH = 32


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def weak_secret(secret: str) -> bool:
    return secret in KNOWN_DEV_SECRETS or len(secret) < MIN_SECRET_LENGTH


class CoreSettings(BaseSettings):
    """Where the shared services live. Service settings subclass this and add their own fields."""

    # An empty value in `.env` means "the default", so `.env.example` can list every setting without a usable secret.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "postgresql+psycopg://interview:interview@127.0.0.1:54329/interview"
    redis_url: str = "redis://127.0.0.1:63790/0"
    livekit_url: str = "ws://127.0.0.1:7880"
    livekit_api_key: str = "devkey"
    livekit_api_secret: str = DEV_LIVEKIT_SECRET
    llm_base_url: str = "http://127.0.0.1:8090/v1"
    llm_api_key: str = "local"
    llm_model: str = "interview-questions"
    models_dir: Path = DEFAULT_CACHE_DIR / "models"
    log_level: str = "INFO"
    # Practice interviews (and everything recorded in them) are deleted this many days after they ended, or after
    # they were created when they never ended. Read by the retention worker and shown to candidates by the API.
    practice_retention_days: int = Field(default=30, ge=1, le=3650)

    @field_validator("models_dir", mode="after")
    @classmethod
    def _expand_home(cls, path: Path) -> Path:
        return path.expanduser()

    @model_validator(mode="after")
    def _refuse_dev_secrets_off_loopback(self) -> "CoreSettings":
        livekit_host = urlsplit(self.livekit_url).hostname or ""
        if self.livekit_api_secret in KNOWN_DEV_SECRETS and (
            self.environment == "production" or not is_loopback(livekit_host)
        ):
            raise ValueError(
                "LIVEKIT_API_SECRET is a published development secret; it is accepted only for a LiveKit server on "
                f"this machine's loopback, not {livekit_host or self.livekit_url!r} in {self.environment}. Set a "
                "random secret of at least 32 characters (make up generates one in var/secrets.env)."
            )
        return self

    @property
    def livekit_http_url(self) -> str:
        """The server API (rooms, dispatch) speaks HTTP on the same port as the signalling WebSocket."""
        return self.livekit_url.replace("wss://", "https://").replace("ws://", "http://")


@lru_cache
def get_core_settings() -> CoreSettings:
    return CoreSettings()
