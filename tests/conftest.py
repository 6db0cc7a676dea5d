"""Session fixtures: the real services, started once per test session on free ports in a temporary folder.

They never touch a running `make up` (other ports, other data folder). A service that cannot start fails the
tests loudly; nothing is skipped.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.config import StackConfig
from infra.process import free_port
from infra.stack import Stack


def _test_config(var_dir: Path) -> StackConfig:
    ports = {
        name: free_port()
        for name in (
            "postgres_port",
            "redis_port",
            "livekit_port",
            "livekit_rtc_tcp_port",
            "livekit_udp_port",
            "llm_port",
            "api_port",
            "agent_health_port",
        )
    }
    return StackConfig(var_dir=var_dir, _env_file=None, **ports)  # type: ignore[arg-type]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Fuzz runs go last: the work they queue (question plans for generated interviews) would otherwise slow the
    tests that follow."""
    items.sort(key=lambda item: item.get_closest_marker("fuzz") is not None)


@pytest.fixture(scope="session")
def stack_config() -> Iterator[StackConfig]:
    # Not under pytest's tmp_path: its parent is private to root, and PostgreSQL runs as another user.
    var_dir = Path(tempfile.mkdtemp(prefix="mockinterview-test-"))
    var_dir.chmod(0o755)
    yield _test_config(var_dir)
    if os.environ.get("KEEP_TEST_VAR"):
        print(f"\ntest services' data and logs kept in {var_dir}")
    else:
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def stack(stack_config: StackConfig) -> Iterator[Stack]:
    # A short rejoin grace, so that a candidate who never comes back is tested in seconds, not minutes.
    running = Stack(stack_config, log=False, agent_env={"AGENT_REJOIN_GRACE_S": "6"})
    running.start()
    yield running
    running.stop()
