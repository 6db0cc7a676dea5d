"""Start the whole local stack in dependency order, stop it in reverse. Used by `make up` and the tests."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable

import redis
from dramatiq.brokers.redis import RedisBroker

from core import jobs
from infra import postgres, services
from infra.config import REPO_ROOT, StackConfig
from infra.process import ManagedProcess, ReadyCheck, ServiceFailed

ALL_SERVICES = ("postgres", "redis", "livekit", "llm", "api", "workers", "agent")


def worker_ping(config: StackConfig) -> ReadyCheck:
    """Ready once a real worker process answered a `system.ping` job sent through the broker."""
    reply_key = f"ready:workers:{uuid.uuid4().hex}"
    state = {"sent_at": 0.0}
    client = redis.Redis.from_url(config.redis_url)

    def check() -> bool:
        if time.monotonic() - state["sent_at"] > 5:
            broker = RedisBroker(url=config.redis_url)
            jobs.enqueue(broker, jobs.PING, reply_key=reply_key)
            broker.close()
            state["sent_at"] = time.monotonic()
        return bool(client.get(reply_key))

    return check


def run_migrations(config: StackConfig) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(REPO_ROOT / "alembic.ini"), "upgrade", "head"],
        cwd=REPO_ROOT,
        env={**os.environ, **config.service_env()},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ServiceFailed(f"migrations failed (alembic upgrade head):\n{result.stderr[-2000:]}")


# Tests and benchmarks create hundreds of interviews for a few candidates; the quotas themselves are tested against an
# API process of their own (tests/integration/test_limits.py).
GENEROUS_QUOTAS = {"MAX_INTERVIEWS_PER_DAY": "100000", "MAX_LIVE_INTERVIEWS": "1000"}


class Stack:
    def __init__(
        self,
        config: StackConfig,
        *,
        log: bool = True,
        agent_env: dict[str, str] | None = None,
        api_env: dict[str, str] | None = None,
    ) -> None:
        self.config = config
        self.agent_env = agent_env or {}
        self.api_env = api_env or {}
        self.running: list[ManagedProcess] = []
        self.log = log

    def _say(self, message: str) -> None:
        if self.log:
            print(message, flush=True)

    def _run(self, process: ManagedProcess) -> None:
        started = time.monotonic()
        process.start()
        self.running.append(process)
        process.wait_ready()
        self._say(f"  ✔ {process.name:<15} ready in {time.monotonic() - started:4.1f} s   log: {process.log_path}")

    def start(self, names: Iterable[str] = ALL_SERVICES) -> None:
        wanted = set(names)
        unknown = wanted - set(ALL_SERVICES)
        if unknown:
            raise ValueError(f"unknown services: {sorted(unknown)}")
        try:
            self._start(wanted)
        except BaseException:
            self.stop()
            raise

    def _start(self, wanted: set[str]) -> None:
        config = self.config
        if "postgres" in wanted:
            postgres.init_cluster(config)
            self._run(postgres.postgres_process(config))
            postgres.bootstrap_database(config)
            run_migrations(config)
            self._say("  ✔ migrations      applied")
        if "redis" in wanted:
            self._run(services.redis_process(config))
        if "livekit" in wanted:
            self._run(services.livekit_process(config))
        if "llm" in wanted:
            self._run(services.llm_server_process(config))
        if "api" in wanted:
            self._run(services.api_process(config, self.api_env))
        if "workers" in wanted:
            self._run(services.workers_process(config, worker_ping(config)))
        if "agent" in wanted:
            self._run(services.agent_process(config, self.agent_env))

    def dead(self) -> list[ManagedProcess]:
        return [process for process in self.running if not process.alive()]

    def stop(self) -> None:
        for process in reversed(self.running):
            process.stop()
        self.running.clear()
