"""Sentence embeddings (all-MiniLM-L6-v2, 384 dimensions): question retrieval, plan dedup, answer relevance.

The model is a 6-layer BERT run in NumPy from its safetensors file, not through sentence-transformers: torch
cannot share a process with TensorFlow (both register the same LLVM options and the process aborts), and the
evaluation workers that check relevance live beside the expression model. NumPy gives the same vectors
(tests/unit/test_embeddings.py compares them with sentence-transformers) at a fraction of the import time.
"""

import json
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import erf

from core.model_files import ModelFiles

MAX_TOKENS = 256  # sentence_bert_config.json: longer input is truncated, as sentence-transformers does


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class MiniLM:
    """BERT encoder + mean pooling + L2 normalisation, as the model's sentence-transformers modules describe."""

    def __init__(self, model_dir: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text())
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        self._w = load_file(str(model_dir / "model.safetensors"))
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self._w[f"{name}.weight"].T + self._w[f"{name}.bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(x, self._w[f"{name}.weight"], self._w[f"{name}.bias"], self._eps)

    def _layer(self, x: np.ndarray, mask_bias: np.ndarray, i: int) -> np.ndarray:
        prefix = f"encoder.layer.{i}"
        batch, length, hidden = x.shape
        head = hidden // self._heads

        def split(t: np.ndarray) -> np.ndarray:
            return t.reshape(batch, length, self._heads, head).transpose(0, 2, 1, 3)

        q = split(self._dense(x, f"{prefix}.attention.self.query"))
        k = split(self._dense(x, f"{prefix}.attention.self.key"))
        v = split(self._dense(x, f"{prefix}.attention.self.value"))
        logits = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + mask_bias
        logits -= logits.max(axis=-1, keepdims=True)
        weights = np.exp(logits)
        weights /= weights.sum(axis=-1, keepdims=True)
        context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = self._norm(
            x + self._dense(context, f"{prefix}.attention.output.dense"), f"{prefix}.attention.output.LayerNorm"
        )
        inner = self._dense(x, f"{prefix}.intermediate.dense")
        inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))  # BERT's exact GELU
        return self._norm(x + self._dense(inner, f"{prefix}.output.dense"), f"{prefix}.output.LayerNorm")

    def encode(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        positions = np.arange(ids.shape[1])
        x = (
            self._w["embeddings.word_embeddings.weight"][ids]
            + self._w["embeddings.position_embeddings.weight"][positions][None, :, :]
            + self._w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        mask_bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for i in range(self._layers):
            x = self._layer(x, mask_bias, i)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


class Embedder:
    """Loads the model on first use and serialises calls (one encoder per process, shared by threads)."""

    def __init__(self, model_dir: Path) -> None:
        self._model_dir = model_dir
        self._model: MiniLM | None = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            if self._model is None:
                self._model = MiniLM(self._model_dir)
            vectors = self._model.encode(texts)
        return [[float(value) for value in vector] for vector in vectors]

    def embed_one(self, text: str) -> list[float]:
        return self.embed([text])[0]

    def similarity(self, query: str, texts: list[str]) -> list[float]:
        """Cosine similarity of `query` to each of `texts` (the vectors are normalised)."""
        query_vector, *vectors = self.embed([query, *texts])
        return [float(np.dot(query_vector, vector)) for vector in vectors]


@lru_cache(maxsize=2)
def get_embedder(models_dir: Path) -> Embedder:
    return Embedder(ModelFiles(models_dir).minilm)
