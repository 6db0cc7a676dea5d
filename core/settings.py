"""Addresses and paths every service needs, read once from the environment and `.env`."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_CACHE_DIR = Path.home() / ".cache" / "mockinterview"
DEV_LIVEKIT_SECRET = "secret"


class CoreSettings(BaseSettings):
    """Where the shared services live. Service settings subclass this and add their own fields."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

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

    @field_validator("models_dir", mode="after")
    @classmethod
    def _expand_home(cls, path: Path) -> Path:
        return path.expanduser()

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_production(self) -> "CoreSettings":
        if self.environment == "production" and self.livekit_api_secret == DEV_LIVEKIT_SECRET:
            raise ValueError("LIVEKIT_API_SECRET is the development default; set a real secret in production")
        return self

    @property
    def livekit_http_url(self) -> str:
        """The server API (rooms, dispatch) speaks HTTP on the same port as the signalling WebSocket."""
        return self.livekit_url.replace("wss://", "https://").replace("ws://", "http://")


@lru_cache
def get_core_settings() -> CoreSettings:
    return CoreSettings()
