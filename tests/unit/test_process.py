"""The launcher's failure messages name the service, the port and the setting to change."""

import socket
import sys
from pathlib import Path

import pytest

from infra.process import ManagedProcess, ServiceFailed, port_is_free

pytestmark = pytest.mark.unit


def test_a_taken_port_stops_the_service_with_a_named_setting(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert not port_is_free(port)
        process = ManagedProcess(
            name="redis",
            argv=["true"],
            log_path=tmp_path / "redis.log",
            ready=lambda: True,
            ports=(port,),
            port_setting="REDIS_PORT",
        )
        with pytest.raises(ServiceFailed, match=rf"redis: port {port} is already taken.*REDIS_PORT"):
            process.start()


def test_a_crashing_service_reports_its_exit_code_and_log(tmp_path: Path) -> None:
    process = ManagedProcess(
        name="api",
        argv=[sys.executable, "-c", "import sys; print('boom: bad config'); sys.exit(3)"],
        log_path=tmp_path / "api.log",
        ready=lambda: False,
        ready_timeout_s=10,
    )
    process.start()
    with pytest.raises(ServiceFailed) as failure:
        process.wait_ready()
    assert "api exited with code 3" in str(failure.value)
    assert "boom: bad config" in str(failure.value)
    assert str(tmp_path / "api.log") in str(failure.value)


def test_stop_ends_the_whole_process_group(tmp_path: Path) -> None:
    process = ManagedProcess(name="sleeper", argv=["sleep", "60"], log_path=tmp_path / "s.log", ready=lambda: True)
    process.start()
    assert process.alive()
    process.stop(timeout_s=5)
    assert not process.alive()
