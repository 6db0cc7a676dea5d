"""The NumPy MiniLM gives sentence-transformers' vectors, so stored bank embeddings and new ones stay comparable."""

import numpy as np
import pytest

from core.embeddings import Embedder
from core.model_files import ModelFiles
from infra.config import StackConfig

pytestmark = pytest.mark.integration

TEXTS = [
    "How would you find out why a PostgreSQL query that used to be fast is now slow?",
    "I run EXPLAIN ANALYZE, compare the plan with the old one and check the statistics and indexes.",
    "음 저는 팀에서 함께 일하는 것을 좋아합니다.",
    "ok",
    "A very long answer that goes on and on " * 60,  # past the 256-token limit: truncated the same way
]


def test_numpy_minilm_matches_sentence_transformers(stack_config: StackConfig) -> None:
    from sentence_transformers import SentenceTransformer

    model_dir = ModelFiles(stack_config.models_dir).minilm
    ours = np.array(Embedder(model_dir).embed(TEXTS))
    reference = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True).encode(
        TEXTS, normalize_embeddings=True
    )
    assert ours.shape == (len(TEXTS), 384)
    assert np.abs(ours - reference).max() < 1e-4
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_similarity_ranks_a_related_answer_above_an_unrelated_one(stack_config: StackConfig) -> None:
    embedder = Embedder(ModelFiles(stack_config.models_dir).minilm)
    question = "How do you make a slow database query faster?"
    related, unrelated = embedder.similarity(
        question,
        ["I look at the query plan and add the index the filter needs.", "Last summer I went hiking in the Alps."],
    )
    assert related > unrelated + 0.2
