from functools import lru_cache
from pathlib import Path

from core.settings import CoreSettings

REPO_ROOT = Path(__file__).resolve().parent.parent


class ApiSettings(CoreSettings):
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    web_dist_dir: Path = REPO_ROOT / "web" / "dist"
    ready_timeout_s: float = 2.0


@lru_cache
def get_api_settings() -> ApiSettings:
    return ApiSettings()
