"""Time for each service of the local stack to become ready, over several cold starts.

Run: .venv/bin/python -m bench.startup [--runs 5]
"""

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from infra.config import StackConfig
from infra.process import ManagedProcess, free_port
from infra.stack import ALL_SERVICES, Stack


class TimedStack(Stack):
    def __init__(self, config: StackConfig) -> None:
        super().__init__(config, log=False)
        self.ready_s: dict[str, float] = {}

    def _run(self, process: ManagedProcess) -> None:
        started = time.monotonic()
        super()._run(process)
        self.ready_s[process.name] = time.monotonic() - started


def one_run() -> dict[str, float]:
    var_dir = Path(tempfile.mkdtemp(prefix="mockinterview-bench-"))
    var_dir.chmod(0o755)
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
    stack = TimedStack(StackConfig(var_dir=var_dir, _env_file=None, **ports))  # type: ignore[arg-type]
    try:
        stack.start(ALL_SERVICES)
    finally:
        stack.stop()
        shutil.rmtree(var_dir, ignore_errors=True)
    return stack.ready_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = [one_run() for _ in range(parser.parse_args().runs)]
    print(f"{'service':<16}{'median s':>10}{'max s':>8}   ({len(runs)} cold starts, fresh data folder each)")
    for name in runs[0]:
        values = [run[name] for run in runs]
        print(f"{name:<16}{statistics.median(values):>10.2f}{max(values):>8.2f}")
    totals = [sum(run.values()) for run in runs]
    print(f"{'total':<16}{statistics.median(totals):>10.2f}{max(totals):>8.2f}")


if __name__ == "__main__":
    main()
