"""The Redis broker, set before any actor module is imported (actors bind to the global broker on import)."""

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from workers.middleware import ModelPreload, RetentionSchedule
from workers.settings import get_worker_settings


def build_broker() -> RedisBroker:
    settings = get_worker_settings()
    broker = RedisBroker(
        url=settings.redis_url,
        heartbeat_timeout=settings.broker_heartbeat_timeout_ms,
        maintenance_chance=settings.broker_maintenance_chance,
    )
    broker.add_middleware(ModelPreload())
    broker.add_middleware(RetentionSchedule())
    return broker


broker = build_broker()
dramatiq.set_broker(broker)
