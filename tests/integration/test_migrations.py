"""Alembic: upgrade from an empty database, downgrade to nothing, upgrade again, and the tables match the models."""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from core import tables  # noqa: F401  (registers the tables)
from infra.config import REPO_ROOT, StackConfig
from infra.stack import Stack

pytestmark = pytest.mark.integration


def _alembic(config: StackConfig, database_url: str, *args: str) -> None:
    env = {**os.environ, **config.service_env(), "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "alembic", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_upgrade_downgrade_upgrade_and_models_match(stack: Stack, stack_config: StackConfig) -> None:
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin_url = f"postgresql://postgres@127.0.0.1:{stack_config.postgres_port}"
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" OWNER {stack_config.db_user}')
    with psycopg.connect(f"{admin_url}/{name}", autocommit=True) as admin:
        admin.execute("CREATE EXTENSION vector")
    url = stack_config.database_url.rsplit("/", 1)[0] + f"/{name}"
    engine = create_engine(url)
    try:
        _alembic(stack_config, url, "upgrade", "head")
        _alembic(stack_config, url, "downgrade", "base")
        with engine.connect() as connection:
            left = connection.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ).all()
        assert left == []
        _alembic(stack_config, url, "upgrade", "head")
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert differences == []
    finally:
        engine.dispose()
