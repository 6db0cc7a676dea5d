"""docker-compose.yml validates (Debian's docker-compose v1 checks a file without an engine)."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from infra.config import REPO_ROOT

pytestmark = pytest.mark.unit


def test_compose_file_validates_with_the_documented_environment(tmp_path: Path) -> None:
    """As a user runs it: `cp .env.example .env`, then compose (its services read `.env`)."""
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is installed by `make up` / `make test` setup"
    shutil.copy(REPO_ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(REPO_ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        [compose, "-f", str(tmp_path / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
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
    for name, service in services.items():
        image = service.get("image", "")
        assert image and not image.endswith(":latest") and ":" in image, f"{name} must pin its image: {image!r}"
