"""Sentence embeddings (all-MiniLM-L6-v2, 384 dimensions) for question retrieval. One model per process."""

import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from core.model_files import ModelFiles

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class Embedder:
    """Loads the model on first use (torch is a heavy import) and serialises calls: the model is not re-entrant."""

    def __init__(self, model_dir: Path) -> None:
        self._model_dir = model_dir
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def _load(self) -> "SentenceTransformer":
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self._model_dir), device="cpu", local_files_only=True)
        return self._model

    def embed(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors = self._load().encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return [vector.tolist() for vector in vectors]

    def embed_one(self, text: str) -> list[float]:
        return self.embed([text])[0]


@lru_cache(maxsize=2)
def get_embedder(models_dir: Path) -> Embedder:
    return Embedder(ModelFiles(models_dir).minilm)
