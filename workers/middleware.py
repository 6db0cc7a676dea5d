"""Loads the heavy models when a worker process boots, so that no message pays for a model load."""

import logging

import dramatiq

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
