"""What a worker process does once when it boots: load the heavy models (so that no message pays for a model load)
and start the retention chain."""

import logging

import dramatiq

from core import jobs
from workers import models
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)


class ModelPreload(dramatiq.Middleware):
    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        settings = get_worker_settings()
        if "evaluation" in settings.worker_preload:
            models.get_evaluator()
            models.get_embedder().embed_one("warm-up")
        if "expression" in settings.worker_preload and settings.expression_analysis_enabled:
            models.get_expression_analyzer()


class RetentionSchedule(dramatiq.Middleware):
    """Each booting process sends one retention tick; the tick's Redis lease keeps a single chain alive
    (workers/actors/retention.py)."""

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        jobs.enqueue(broker, jobs.RETENTION_TICK)
