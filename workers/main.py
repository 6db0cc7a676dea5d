"""Entry module for `dramatiq workers.main`: the broker first, then every actor module."""

# ruff: noqa: I001  (import order is the point: actors bind to the broker that is global when they are imported)
from workers.broker import broker
from workers.actors import interview, system

__all__ = ["broker", "interview", "system"]
