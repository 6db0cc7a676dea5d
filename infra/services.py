"""The local stack's processes, built from one StackConfig. `make up`, the tests and benchmarks all use these."""

import sys
from pathlib import Path

import yaml

from core.model_files import ModelFiles
from infra.config import REPO_ROOT, StackConfig
from infra.process import ManagedProcess, ReadyCheck, http_ok, tcp_accepts

PYTHON = sys.executable


def redis_process(config: StackConfig) -> ManagedProcess:
    data_dir = config.var_dir / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    return ManagedProcess(
        name="redis",
        argv=[
            "redis-server",
            "--port",
            str(config.redis_port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data_dir),
            # Queued jobs are accepted work: keep them on disk so a Redis restart loses none.
            "--appendonly",
            "yes",
            "--save",
            "",
        ],
        log_path=config.logs_dir / "redis.log",
        ready=tcp_accepts(config.redis_port),
        ports=(config.redis_port,),
        port_setting="REDIS_PORT",
    )


def write_livekit_config(config: StackConfig) -> Path:
    livekit = yaml.safe_load((REPO_ROOT / "livekit.yaml").read_text())
    livekit["port"] = config.livekit_port
    livekit["rtc"]["tcp_port"] = config.livekit_rtc_tcp_port
    livekit["rtc"]["udp_port"] = config.livekit_udp_port
    livekit["keys"] = {config.livekit_api_key: config.livekit_api_secret}
    livekit["webhook"] = {
        "api_key": config.livekit_api_key,
        "urls": [f"{config.api_url}/livekit/webhook"],
    }
    path = config.var_dir / "livekit.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(livekit))
    return path


def livekit_process(config: StackConfig) -> ManagedProcess:
    return ManagedProcess(
        name="livekit-server",
        argv=[str(config.livekit_server_bin), "--config", str(write_livekit_config(config))],
        log_path=config.logs_dir / "livekit.log",
        ready=http_ok(f"http://127.0.0.1:{config.livekit_port}/"),
        ports=(config.livekit_port, config.livekit_rtc_tcp_port),
        port_setting="LIVEKIT_PORT / LIVEKIT_RTC_TCP_PORT",
    )


def llm_server_process(config: StackConfig) -> ManagedProcess:
    model = ModelFiles(config.models_dir).question_llm
    return ManagedProcess(
        name="llm-server",
        argv=[
            PYTHON,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--model_alias",
            "interview-questions",
            "--host",
            "127.0.0.1",
            "--port",
            str(config.llm_port),
            "--n_ctx",
            "4096",
            "--n_threads",
            str(config.llm_threads),
        ],
        log_path=config.logs_dir / "llm-server.log",
        ready=http_ok(f"http://127.0.0.1:{config.llm_port}/v1/models"),
        ports=(config.llm_port,),
        port_setting="LLM_PORT",
    )


def api_process(
    config: StackConfig, extra_env: dict[str, str] | None = None, *, port: int | None = None, name: str = "api"
) -> ManagedProcess:
    port = port or config.api_port
    return ManagedProcess(
        name=name,
        # Only a proxy on loopback may say who the client is (X-Forwarded-For): the login limiter keys on it.
        argv=[
            PYTHON,
            "-m",
            "uvicorn",
            "api.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--proxy-headers",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ],
        log_path=config.logs_dir / f"{name}.log",
        ready=http_ok(f"http://127.0.0.1:{port}/health"),
        env={**config.service_env(), "API_PORT": str(port), **(extra_env or {})},
        cwd=REPO_ROOT,
        ports=(port,),
        port_setting="API_PORT",
    )


def workers_process(config: StackConfig, ready: ReadyCheck, extra_env: dict[str, str] | None = None) -> ManagedProcess:
    return ManagedProcess(
        name="workers",
        argv=[
            PYTHON,
            "-m",
            "dramatiq",
            "workers.main",
            "--processes",
            str(config.worker_processes),
            "--threads",
            str(config.worker_threads),
        ],
        log_path=config.logs_dir / "workers.log",
        ready=ready,
        env={**config.service_env(), **(extra_env or {})},
        cwd=REPO_ROOT,
        ready_timeout_s=120,
    )


def agent_registered(health_port: int, log_path: Path) -> ReadyCheck:
    """The worker's health endpoint answers before it has registered with LiveKit, and a dispatch made before
    registration is not delivered; livekit-server lists no workers, so the worker's own log line is the signal."""
    health = http_ok(f"http://127.0.0.1:{health_port}/")

    def check() -> bool:
        return health() and '"registered worker"' in log_path.read_text(errors="replace")

    return check


def agent_process(
    config: StackConfig, extra_env: dict[str, str] | None = None, *, name: str = "agent", health_port: int | None = None
) -> ManagedProcess:
    """`extra_env` and a second name/port run another agent worker beside the stack's (tests: the Deepgram path)."""
    port = health_port or config.agent_health_port
    log_path = config.logs_dir / f"{name}.log"
    return ManagedProcess(
        name=name,
        argv=[PYTHON, "-m", "agent.main", "start"],
        log_path=log_path,
        ready=agent_registered(port, log_path),
        env={**config.service_env(), "AGENT_HEALTH_PORT": str(port), **(extra_env or {})},
        cwd=REPO_ROOT,
        ports=(port,),
        port_setting="AGENT_HEALTH_PORT",
        ready_timeout_s=120,
    )
