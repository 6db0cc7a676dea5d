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
from infra.stack import GENEROUS_QUOTAS, Stack


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
    running = Stack(stack_config, log=False, agent_env={"AGENT_REJOIN_GRACE_S": "6"}, api_env=GENEROUS_QUOTAS)
    running.start()
    yield running
    running.stop()


# When a test against the running stack fails, CI keeps nothing but the console: print the end of the service logs
# that explain the agent's behaviour, so that a failure seen once in CI can be diagnosed from its output. The logs are
# read when the test fails (the folder is gone by the time the summary prints).
_LOG_TAILS = {"agent.log": 80, "agent-deepgram.log": 40, "livekit.log": 20}
_MAX_FAILURES_SHOWN = 2
_logs_at_failure: dict[str, list[str]] = {}
# Per test: which phases (setup, call, teardown) failed, for fixtures that keep evidence of a failure.
outcome_key = pytest.StashKey[dict[str, bool]]()


def _log_tails(logs_dir: Path) -> list[str]:
    shown: list[str] = []
    for name, count in _LOG_TAILS.items():
        path = logs_dir / name
        if path.exists():
            lines = path.read_text(errors="replace").splitlines()[-count:]
            shown += [f"--- last {len(lines)} lines of {name}"] + [line[:220] for line in lines]
    return shown


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    item.stash.setdefault(outcome_key, {})[report.when] = report.failed
    config = getattr(item, "funcargs", {}).get("stack_config")
    if report.failed and isinstance(config, StackConfig) and len(_logs_at_failure) < _MAX_FAILURES_SHOWN:
        _logs_at_failure[item.nodeid] = _log_tails(config.logs_dir)
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for nodeid, lines in _logs_at_failure.items():
        terminalreporter.section(f"service logs when {nodeid} failed")
        for line in lines:
            terminalreporter.line(line)
