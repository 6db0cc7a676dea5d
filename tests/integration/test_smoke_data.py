"""PostgreSQL 18 with pgvector and Redis: the real servers the stack starts."""

import psycopg
import pytest
import redis

from infra.config import StackConfig
from infra.stack import Stack

pytestmark = pytest.mark.integration


def _plain_url(config: StackConfig) -> str:
    return config.database_url.replace("postgresql+psycopg://", "postgresql://")


def test_postgres_is_version_18(stack: Stack, stack_config: StackConfig) -> None:
    with psycopg.connect(_plain_url(stack_config)) as connection:
        version_num = int(connection.execute("SHOW server_version_num").fetchone()[0])  # type: ignore[index]
    assert 180000 <= version_num < 190000


def test_vector_nearest_neighbour_uses_hnsw_index(stack: Stack, stack_config: StackConfig) -> None:
    with psycopg.connect(_plain_url(stack_config)) as connection:
        connection.execute("CREATE TEMP TABLE items (id int PRIMARY KEY, embedding vector(3))")
        connection.execute(
            "INSERT INTO items SELECT i, ARRAY[cos(i), sin(i), i / 100.0]::vector FROM generate_series(1, 200) i"
        )
        connection.execute("CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_cosine_ops)")
        connection.execute("SET enable_seqscan = off")
        query = "SELECT id FROM items ORDER BY embedding <=> '[0.5403, 0.8415, 0.01]' LIMIT 3"
        plan = "\n".join(row[0] for row in connection.execute(f"EXPLAIN {query}"))
        nearest = [row[0] for row in connection.execute(query)]
    assert "items_hnsw" in plan
    # cos(1), sin(1) is item 1's direction exactly; its neighbours on the circle come next.
    assert nearest[0] == 1


def test_redis_round_trip(stack: Stack, stack_config: StackConfig) -> None:
    client = redis.Redis.from_url(stack_config.redis_url)
    client.set("smoke:key", "value", ex=30)
    assert client.get("smoke:key") == b"value"
    assert client.info("server")["tcp_port"] == stack_config.redis_port
