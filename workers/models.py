"""Process-wide resources of a worker: the heavy models (loaded once, by the preload middleware at boot or on first
use) and one Redis client."""

import logging
import threading
from functools import lru_cache

import redis

from core import embeddings
from core.local_llm import LocalChatModel
from workers.pipelines.expression import ExpressionAnalyzer
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_evaluator: LocalChatModel | None = None
_expression: ExpressionAnalyzer | None = None


def get_evaluator() -> LocalChatModel:
    global _evaluator
    with _lock:
        if _evaluator is None:
            settings = get_worker_settings()
            _evaluator = LocalChatModel(
                settings.evaluation_model_file, n_threads=settings.evaluation_threads, seed=settings.evaluation_seed
            )
            logger.info("evaluation model %s loaded", _evaluator.name)
        return _evaluator


def get_embedder() -> embeddings.Embedder:
    """MiniLM for answer relevance and plan dedup (NumPy, so it shares the process with TensorFlow)."""
    return embeddings.get_embedder(get_worker_settings().models_dir)


def get_expression_analyzer() -> ExpressionAnalyzer:
    global _expression
    with _lock:
        if _expression is None:
            settings = get_worker_settings()
            _expression = ExpressionAnalyzer(deepface_home=settings.deepface_home, fer_weights=settings.fer_weights)
            logger.info("expression classifier %s loaded", _expression.classifier.name)
        return _expression


@lru_cache
def get_redis() -> redis.Redis:
    """One Redis client (a connection pool) per worker process."""
    return redis.Redis.from_url(get_worker_settings().redis_url)
