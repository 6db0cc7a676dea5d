from functools import lru_cache
from pathlib import Path

from pydantic import model_validator

from core.settings import CoreSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_JWT_SECRET = "development-only-jwt-secret-change-me-0123456789"


class ApiSettings(CoreSettings):
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    web_dist_dir: Path = REPO_ROOT / "web" / "dist"
    ready_timeout_s: float = 2.0
    jwt_secret: str = DEV_JWT_SECRET
    access_token_minutes: int = 60
    # LiveKit tokens for candidates and observers; short so a leaked token is of little use.
    livekit_token_minutes: int = 15
    min_password_length: int = 8
    # Failed sign-ins inside the window before further attempts answer 429, per account and per client address.
    login_window_s: int = 900
    login_max_failures_per_account: int = 5
    login_max_failures_per_client: int = 20
    cors_origins: list[str] = []
    sse_heartbeat_s: float = 15.0

    @model_validator(mode="after")
    def _refuse_dev_jwt_secret_in_production(self) -> "ApiSettings":
        if self.environment == "production" and (self.jwt_secret == DEV_JWT_SECRET or len(self.jwt_secret) < 32):
            raise ValueError("JWT_SECRET must be set to a random value of at least 32 characters in production")
        return self


@lru_cache
def get_api_settings() -> ApiSettings:
    return ApiSettings()
