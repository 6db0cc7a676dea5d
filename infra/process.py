"""Child processes with a log file, a readiness check and a clean stop: the building block of the local stack."""

import contextlib
import ctypes
import os
import random
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ReadyCheck = Callable[[], bool]


class ServiceFailed(RuntimeError):
    """A service did not start. The message names the service, its log and what to change."""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A free port below the kernel's ephemeral range: a port the kernel hands out (bind to 0) can be taken by
    some outgoing connection before the service that was meant to get it starts listening."""
    low, _ = _ephemeral_range()
    candidates = range(20000, low) if low > 21000 else range(low // 2, low)
    for _ in range(200):
        port = random.choice(candidates)
        if port_is_free(port) and port not in _handed_out:
            _handed_out.add(port)
            return port
    raise RuntimeError("no free port found below the ephemeral range")


_handed_out: set[int] = set()


def tcp_accepts(port: int, host: str = "127.0.0.1") -> ReadyCheck:
    def check() -> bool:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            return False

    return check


def http_ok(url: str) -> ReadyCheck:
    def check() -> bool:
        try:
            return httpx.get(url, timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    return check


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the launcher dies, even by SIGKILL, so no service outlives it."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


PR_SET_PDEATHSIG = 1


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log yet)"


@dataclass
class ManagedProcess:
    name: str
    argv: list[str]
    log_path: Path
    ready: ReadyCheck
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    ports: tuple[int, ...] = ()
    port_setting: str = ""
    ready_timeout_s: float = 60.0
    run_as_user: str | None = None
    # PostgreSQL treats SIGTERM as "wait for clients to leave"; it is given SIGINT (fast shutdown) instead.
    stop_signal: signal.Signals = signal.SIGTERM
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        for port in self.ports:
            if not port_is_free(port):
                raise ServiceFailed(
                    f"{self.name}: port {port} is already taken. Stop whatever listens there"
                    f"{f' or set {self.port_setting} in .env' if self.port_setting else ''}."
                )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        # A new session keeps Ctrl-C in the terminal from reaching children directly; we stop them in order.
        self.process = subprocess.Popen(
            self.argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.env},
            cwd=self.cwd,
            start_new_session=True,
            user=self.run_as_user,
            preexec_fn=_die_with_parent,
        )
        log.close()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout_s
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServiceFailed(
                    f"{self.name} exited with code {self.process.returncode}; log {self.log_path}:\n"
                    f"{tail(self.log_path)}"
                )
            if self.ready():
                return
            time.sleep(0.1)
        raise ServiceFailed(
            f"{self.name} was not ready after {self.ready_timeout_s:.0f} s; log {self.log_path}:\n{tail(self.log_path)}"
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout_s: float = 10.0) -> None:
        if not self.alive():
            return
        assert self.process is not None
        try:
            os.killpg(self.process.pid, self.stop_signal)
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
