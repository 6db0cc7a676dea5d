"""No published secret outside loopback: the settings refuse it, the real entry points of the API, the agent and the
workers refuse to start with it, and the local stack generates its own secrets once."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.settings import ApiSettings
from core.settings import DEV_JWT_SECRET, DEV_LIVEKIT_SECRET, CoreSettings
from infra.config import REPO_ROOT, StackConfig, local_secrets

pytestmark = pytest.mark.unit

STRONG = "s" * 48


def test_the_api_takes_the_development_jwt_secret_only_on_loopback() -> None:
    assert ApiSettings(_env_file=None, jwt_secret=DEV_JWT_SECRET, api_host="127.0.0.1")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        ApiSettings(_env_file=None, jwt_secret=DEV_JWT_SECRET, api_host="0.0.0.0")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        ApiSettings(_env_file=None, jwt_secret="short", api_host="10.0.0.5")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="JWT_SECRET"):  # production: never, loopback or not
        ApiSettings(_env_file=None, environment="production", livekit_api_secret=STRONG)  # type: ignore[call-arg]
    assert ApiSettings(_env_file=None, jwt_secret=STRONG, api_host="0.0.0.0", livekit_api_secret=STRONG)  # type: ignore[call-arg]


def test_the_development_livekit_secret_only_reaches_a_loopback_server() -> None:
    assert CoreSettings(_env_file=None, livekit_url="ws://127.0.0.1:7880")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="LIVEKIT_API_SECRET"):
        CoreSettings(_env_file=None, livekit_url="ws://livekit:7880", livekit_api_secret=DEV_LIVEKIT_SECRET)  # type: ignore[call-arg]
    assert CoreSettings(_env_file=None, livekit_url="ws://livekit:7880", livekit_api_secret=STRONG)  # type: ignore[call-arg]


def test_an_empty_value_in_the_env_file_means_the_default(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("ENVIRONMENT=\nLIVEKIT_API_SECRET=\n")
    settings = CoreSettings(_env_file=env_file)  # type: ignore[call-arg]
    assert settings.environment == "development" and settings.livekit_api_secret == DEV_LIVEKIT_SECRET


def test_the_local_stack_generates_its_secrets_once(tmp_path: Path) -> None:
    first = StackConfig(_env_file=None, var_dir=tmp_path)  # type: ignore[call-arg]
    again = StackConfig(_env_file=None, var_dir=tmp_path)  # type: ignore[call-arg]
    assert len(first.jwt_secret) >= 32 and len(first.livekit_api_secret) >= 32
    assert first.jwt_secret != first.livekit_api_secret
    assert (first.jwt_secret, first.livekit_api_secret) == (again.jwt_secret, again.livekit_api_secret)
    assert stat.S_IMODE((tmp_path / "secrets.env").stat().st_mode) == 0o600
    assert local_secrets(tmp_path)["JWT_SECRET"] == first.jwt_secret
    assert first.service_env()["JWT_SECRET"] == first.jwt_secret
    # A secret set by the operator wins.
    assert StackConfig(_env_file=None, var_dir=tmp_path, jwt_secret=STRONG).jwt_secret == STRONG  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("service", "code", "env"),
    [
        ("api", "import api.main", {"API_HOST": "0.0.0.0", "JWT_SECRET": DEV_JWT_SECRET, "LIVEKIT_API_SECRET": STRONG}),
        ("agent", "from agent.main import build_server; build_server()", {"LIVEKIT_URL": "ws://livekit:7880"}),
        ("workers", "import workers.broker", {"LIVEKIT_URL": "ws://livekit:7880"}),
    ],
)
def test_services_refuse_to_start_with_a_published_secret_off_loopback(
    service: str, code: str, env: dict[str, str], tmp_path: Path
) -> None:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("JWT_", "LIVEKIT_", "API_"))}
    environment |= {"LIVEKIT_API_SECRET": DEV_LIVEKIT_SECRET, **env}
    # Run from an empty folder so that no `.env` is read.
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0, f"{service} started with a published secret"
    assert "published development secret" in result.stderr, result.stderr[-2000:]
