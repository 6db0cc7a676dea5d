"""Entry module for `dramatiq workers.main`: the broker first, then every actor module."""

# ruff: noqa: I001  (import order is the point: actors bind to the broker that is global when they are imported)
from workers.broker import broker
from workers.actors import emotion, evaluation, interview, report, retention, system

__all__ = ["broker", "emotion", "evaluation", "interview", "report", "retention", "system"]
