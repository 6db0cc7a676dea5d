"""Does the answer address its question? Measured, not asked: the small offline scorer answered "off topic" for
on-topic answers when asked directly (3 of 3 in a spot check), so its judgement enters only through its scores
(the prompt has off-topic answers score below 15), and the flag comes from these measures.

English: the mean of two MiniLM cosine similarities to the question, the whole answer's and its best sentence's (a
long answer that wanders still has one sentence on the question; an off-topic one has none). On the labelled set in
tests/data/scoring_calibration.json (bench/calibration.py) off-topic answers measured 0.23 or less, on-topic ones
0.25 or more. MiniLM is an English model: on Korean text every answer looks alike (0.43-0.83), so Korean uses the
share of the question's character bigrams found in the answer (off-topic 0.05 or less, on-topic 0.09 or more) until
a multilingual embedding model is configured.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

THRESHOLDS = {"en": 0.24, "ko": 0.07}  # below: off-topic
CLEARLY_ON_TOPIC = {"en": 0.55, "ko": 0.35}  # at or above: full marks for relevance in the evidence scores
OFF_TOPIC_CAP = 10.0  # the most an off-topic answer scores on any dimension
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")


@dataclass(frozen=True)
class Relevance:
    score: float
    measure: str  # "cosine" (MiniLM) or "bigram overlap" (Korean)
    language: str

    @property
    def off_topic(self) -> bool:
        return self.score < THRESHOLDS.get(self.language, THRESHOLDS["en"])

    @property
    def margin(self) -> float:
        """0..1: from the off-topic threshold (0) to clearly on topic (1)."""
        low = THRESHOLDS.get(self.language, THRESHOLDS["en"])
        high = CLEARLY_ON_TOPIC.get(self.language, CLEARLY_ON_TOPIC["en"])
        return min(max((self.score - low) / (high - low), 0.0), 1.0)


def _bigrams(text: str) -> set[str]:
    compact = re.sub(r"\W", "", text.lower())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def bigram_overlap(question: str, answer: str) -> float:
    asked = _bigrams(question)
    return len(asked & _bigrams(answer)) / len(asked) if asked else 0.0


def measure_relevance(
    question: str, answer: str, language: str, similarity: Callable[[str, list[str]], list[float]]
) -> Relevance:
    """`similarity(question, texts)`: the cosine similarity of the question to each text."""
    if language == "ko":
        return Relevance(round(bigram_overlap(question, answer), 3), "bigram overlap", language)
    sentences = [part for part in _SENTENCE_END.split(answer) if part.strip()]
    whole, *per_sentence = similarity(question, [answer, *sentences])
    return Relevance(round((whole + max(per_sentence, default=whole)) / 2, 3), "cosine", language)
