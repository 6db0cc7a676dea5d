"""Database engine and sessions. One engine per process, created lazily from the settings' URL."""

from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import Engine
from sqlmodel import Session, create_engine


@lru_cache(maxsize=4)
def get_engine(database_url: str) -> Engine:
    return create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def session_scope(database_url: str) -> Iterator[Session]:
    with Session(get_engine(database_url)) as session:
        yield session
