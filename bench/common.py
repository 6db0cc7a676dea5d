"""What every benchmark shares: a stack on free ports, percentiles, the machine line, and BENCHMARKS.md blocks."""

import os
import platform
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from infra.config import REPO_ROOT, StackConfig
from infra.process import free_port
from infra.stack import GENEROUS_QUOTAS, Stack

BENCHMARKS = REPO_ROOT / "BENCHMARKS.md"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(round(q * (len(ordered) - 1)), len(ordered) - 1)]


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today().isoformat()}"
    )


@contextmanager
def bench_stack(services: Iterable[str], agent_env: dict[str, str] | None = None) -> Iterator[Stack]:
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
    config = StackConfig(var_dir=var_dir, _env_file=None, **ports)  # type: ignore[arg-type]
    stack = Stack(config, log=False, agent_env=agent_env, api_env=GENEROUS_QUOTAS)
    stack.start(list(services))
    try:
        yield stack
    finally:
        stack.stop()
        if not os.environ.get("KEEP_BENCH_VAR"):
            shutil.rmtree(var_dir, ignore_errors=True)


def write_block(name: str, markdown: str, path: Path = BENCHMARKS) -> None:
    """Replaces the text between `<!-- bench:name -->` and `<!-- /bench:name -->` (appends the block if absent)."""
    text = path.read_text()
    block = f"<!-- bench:{name} -->\n{markdown.strip()}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.DOTALL)
    path.write_text(pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n")
