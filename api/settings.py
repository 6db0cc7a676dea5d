from functools import lru_cache
from pathlib import Path

from pydantic import model_validator

from core.settings import DEV_JWT_SECRET, MIN_SECRET_LENGTH, CoreSettings, is_loopback, weak_secret

REPO_ROOT = Path(__file__).resolve().parent.parent


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
    # Sign-ups per client address inside the window; more answer 429 (slows account farming and probing).
    register_window_s: int = 3600
    register_max_per_client: int = 10
    # How long an invitation link to join an organisation as a recruiter stays valid.
    invitation_hours: int = 72
    cors_origins: list[str] = []
    sse_heartbeat_s: float = 15.0
    # Live event streams: how long a ticket opens one, and how many one user may hold (the oldest closes).
    events_ticket_s: int = 60
    max_streams_per_user: int = 5
    # Larger request bodies answer 413 before they are parsed.
    max_body_bytes: int = 1_048_576
    # Quotas per candidate: interviews created per day (each costs LLM time) and interviews live at once.
    max_interviews_per_day: int = 10
    max_live_interviews: int = 1
    # A completed interview's report is rebuilt at most once per this many seconds (each rebuild runs the LLM).
    report_rebuild_interval_s: int = 60

    @model_validator(mode="after")
    def _refuse_dev_jwt_secret_off_loopback(self) -> "ApiSettings":
        if weak_secret(self.jwt_secret) and (self.environment == "production" or not is_loopback(self.api_host)):
            raise ValueError(
                f"JWT_SECRET is a published development secret or shorter than {MIN_SECRET_LENGTH} characters; it is "
                f"accepted only for an API bound to loopback, not {self.api_host!r} in {self.environment}. Set a "
                "random value (make up generates one in var/secrets.env)."
            )
        return self


@lru_cache
def get_api_settings() -> ApiSettings:
    return ApiSettings()
