"""docker-compose.yml validates (Debian's docker-compose v1 checks a file without an engine)."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from infra.config import REPO_ROOT

pytestmark = pytest.mark.unit


SECRETS = ("JWT_SECRET", "LIVEKIT_API_SECRET", "DB_PASSWORD")


def _compose_config(folder: Path, env_text: str) -> subprocess.CompletedProcess[str]:
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is installed by `make up` / `make test` setup"
    shutil.copy(REPO_ROOT / "docker-compose.yml", folder / "docker-compose.yml")
    (folder / ".env").write_text(env_text)
    return subprocess.run(
        [compose, "-f", str(folder / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=60,
    )


@pytest.mark.parametrize("missing", SECRETS)
def test_compose_refuses_to_start_without_each_secret(tmp_path: Path, missing: str) -> None:
    """`cp .env.example .env` alone is not enough: the example holds no usable secret, and compose says which one
    is missing instead of booting on a published default."""
    example = (REPO_ROOT / ".env.example").read_text()
    env_text = example + "".join(f"{name}={'x' * 40}\n" for name in SECRETS if name != missing)
    result = _compose_config(tmp_path, env_text)
    assert result.returncode != 0
    assert f"set {missing} in .env" in result.stderr


def test_compose_file_validates_with_the_documented_environment(tmp_path: Path) -> None:
    """As a user runs it: `cp .env.example .env`, set the three secrets, then compose (its services read `.env`)."""
    env_text = (REPO_ROOT / ".env.example").read_text() + "".join(f"{name}={'x' * 40}\n" for name in SECRETS)
    result = _compose_config(tmp_path, env_text)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {
        "db",
        "redis",
        "livekit",
        "llm",
        "llm-gpu",
        "api",
        "agent",
        "workers-realtime",
        "workers-evaluation",
        "web",
        "models",
    }
    gpu = services["llm-gpu"]["deploy"]["resources"]["reservations"]["devices"][0]
    assert gpu["driver"] == "nvidia" and gpu["capabilities"] == ["gpu"]
    for name in ("api", "agent", "workers-realtime", "workers-evaluation"):
        assert "db:5432" in services[name]["environment"]["DATABASE_URL"]
        # The example's empty ENVIRONMENT means production here, so every production check runs.
        assert services[name]["environment"]["ENVIRONMENT"] == "production"
    # Clients reach the API through the proxy only; the API trusts only the proxy's network for client addresses.
    assert [str(port).split(":")[0] for port in services["api"]["ports"]] == ["127.0.0.1"]
    assert "--forwarded-allow-ips 172.30.0.0/24" in " ".join(services["api"]["command"])
    for name, service in services.items():
        image = service.get("image", "")
        assert image and not image.endswith(":latest") and ":" in image, f"{name} must pin its image: {image!r}"
