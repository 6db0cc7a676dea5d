"""One answer's assessment: manipulation cut out, evidence checked, relevance measured, the model's score and
feedback validated. Pure orchestration over two injected callables (the model and the embedder), so the worker and
the calibration benchmark run exactly the same steps."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.manipulation import find_attempts, without_attempts
from workers.pipelines.answer_text import insufficient_reason, neutralised, sentence_share
from workers.pipelines.evidence import evidence_scores
from workers.pipelines.feedback import fallback_feedback, feedback_problems
from workers.pipelines.relevance import OFF_TOPIC_CAP, measure_relevance
from workers.pipelines.scoring import (
    Score,
    feedback_messages,
    parse_feedback,
    parse_score,
    score_grammar,
    scoring_messages,
)

logger = logging.getLogger(__name__)

Complete = Callable[[list[dict[str, str]], str, float], str]  # (messages, grammar, temperature) -> raw JSON
Similarity = Callable[[str, list[str]], list[float]]  # question, texts -> cosine of each
ATTEMPTS = 2
MODEL_WEIGHT = 0.5  # the rest is the evidence counts (workers/pipelines/evidence.py)
WORD_LIST_SHARE = 0.1  # below this share of sentence-building words, an unrelated answer is a list of words
REGENERATION_NOTE = (
    " Your previous feedback copied the answer or did not speak to the candidate: write both sentences in your own "
    'words, addressed to the candidate as "you".'
)


@dataclass(frozen=True)
class Assessment:
    status: str  # scored | insufficient_evidence | failed
    scores: dict[str, float] = field(default_factory=dict)  # technical, communication, depth
    feedback: str = ""
    criterion: str | None = None
    evidence: list[str] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    relevance: float | None = None
    feedback_source: str = "model"  # model | second try | rubric


def _model_score(
    complete: Complete, messages: list[dict[str, str]], grammar: str, answer: str, rubric: dict[str, Any]
) -> Score | None:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return parse_score(complete(messages, grammar, 0.0 if attempt == 1 else 0.3), answer, rubric)
        except ValueError as error:
            logger.warning("unusable model output (attempt %d): %s", attempt, error)
    return None


def _checked_feedback(
    score: Score, *, complete: Complete, question: str, answer: str, rubric: dict[str, Any], language: str
) -> tuple[str, str, str]:
    """(feedback, criterion, source): the model's, else a second feedback-only try, else written from the scores
    and the rubric."""
    problems = feedback_problems(
        strength=score.strength, improvement=score.improvement, answers=[answer], language=language
    )
    if not problems:
        return score.feedback, score.criterion, "model"
    logger.info("feedback rejected (%s): asking again", ", ".join(problems))
    messages = feedback_messages(
        question=question, rubric=rubric, answer=answer, language=language, scores=_scores(score)
    )
    try:
        strength, improvement, criterion = parse_feedback(
            complete(messages, score_grammar(rubric, language=language, feedback_only=True), 0.3), rubric
        )
        problems = feedback_problems(strength=strength, improvement=improvement, answers=[answer], language=language)
        if not problems:
            return f"{strength} {improvement}", criterion, "second try"
    except ValueError as error:
        problems = [str(error)]
    logger.info("feedback rejected again (%s): written from the rubric", ", ".join(problems))
    strength, improvement, criterion = fallback_feedback(
        scores=_scores(score), rubric=rubric, criterion=score.criterion, language=language
    )
    return f"{strength} {improvement}", criterion, "rubric"


def _scores(score: Score) -> dict[str, float]:
    return {
        "technical": score.technical_score,
        "communication": score.communication_score,
        "depth": score.depth_score,
    }


def assess(
    *,
    question: str,
    rubric: dict[str, Any],
    answer: str,
    language: str,
    complete: Complete,
    similarity: Similarity,
    candidate_names: list[str] | None = None,
    cut_manipulation: bool = True,
) -> Assessment:
    """`cut_manipulation=False` leaves attempts in the scored text (still flagged): only for measuring what the
    prompt's material rule withstands on its own (bench/calibration.py)."""
    flags: list[dict[str, Any]] = []
    attempts = find_attempts(answer)
    if attempts:
        flags.append(
            {
                "kind": "manipulation_suspected",
                "detail": "The answer addressed the assessor; that part was not scored.",
                "spans": [attempt.text[:300] for attempt in attempts],
                "kinds": sorted({attempt.kind for attempt in attempts}),
            }
        )
        answer = without_attempts(answer, attempts) if cut_manipulation else answer
    reason = insufficient_reason(answer)
    if reason is not None:
        return Assessment("insufficient_evidence", feedback=f"Not scored: {reason}.", flags=flags)
    # Everything that scores reads the answer with the candidate's names and pronouns made neutral.
    neutral = neutralised(answer, candidate_names or [])
    relevance = measure_relevance(question, neutral, language, similarity)
    if sentence_share(answer) < WORD_LIST_SHARE and relevance.off_topic:
        return Assessment(
            "insufficient_evidence",
            feedback="Not scored: a list of unrelated words, not an answer.",
            flags=flags,
            relevance=relevance.score,
        )
    messages = scoring_messages(question=question, rubric=rubric, answer=neutral, language=language)
    grammar = score_grammar(rubric, language=language)
    score = _model_score(complete, messages, grammar, answer, rubric)
    if score is None:
        return Assessment(
            "failed",
            feedback="The evaluation model did not produce a valid score.",
            flags=flags,
            relevance=relevance.score,
        )
    counted = evidence_scores(neutral, relevance.margin).as_dict()
    scores = {
        name: float(round(MODEL_WEIGHT * value + (1 - MODEL_WEIGHT) * counted[name]))
        for name, value in _scores(score).items()
    }
    if relevance.off_topic:
        flags.append(
            {
                "kind": "off_topic",
                "detail": "The answer did not address the question.",
                "relevance": relevance.score,
                "measure": relevance.measure,
            }
        )
        scores = {name: min(value, OFF_TOPIC_CAP) for name, value in scores.items()}
    feedback, criterion, source = _checked_feedback(
        score, complete=complete, question=question, answer=answer, rubric=rubric, language=language
    )
    return Assessment(
        "scored",
        scores=scores,
        feedback=feedback,
        criterion=criterion,
        evidence=score.evidence,
        flags=flags,
        relevance=relevance.score,
        feedback_source=source,
    )
