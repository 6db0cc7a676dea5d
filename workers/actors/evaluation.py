"""evaluation.score_answer: load the answer and its rubric → score (pure pipeline + model) → save once."""

import logging
import time
from datetime import UTC, datetime

import dramatiq
import redis
from sqlmodel import Session, col, select

from core import events, jobs
from core.db import get_engine
from core.tables import (
    AnswerEvaluation,
    EvaluationStatus,
    Interview,
    InterviewQuestion,
    InterviewStatus,
    Transcript,
)
from workers.models import get_evaluator
from workers.pipelines.scoring import PROMPT_VERSION, SCORE_GRAMMAR, insufficient_reason, parse_score, scoring_messages
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)
NAME, QUEUE = jobs.SCORE_ANSWER
ATTEMPTS = 2


def answer_text(session: Session, interview_question_id: int) -> str:
    rows = session.exec(
        select(Transcript)
        .where(Transcript.question_id == interview_question_id, Transcript.speaker == "User")
        .order_by(col(Transcript.order))
    )
    return " ".join(row.text.strip() for row in rows if row.text.strip())


@dramatiq.actor(actor_name=NAME, queue_name=QUEUE, max_retries=3, min_backoff=2000, time_limit=300_000)
def score_answer(answer_id: int) -> None:
    settings = get_worker_settings()
    with Session(get_engine(settings.database_url)) as session:
        evaluation = session.get(AnswerEvaluation, answer_id)
        if evaluation is None or evaluation.status != EvaluationStatus.pending:
            return  # unknown, or already scored by an earlier delivery of this message
        question = session.get(InterviewQuestion, evaluation.interview_question_id)
        interview = session.get(Interview, evaluation.interview_id)
        assert question is not None and interview is not None
        answer = answer_text(session, question.id)  # type: ignore[arg-type]
        logger.info("scoring answer %s (%d characters)", answer_id, len(answer))
        started = time.monotonic()
        reason = insufficient_reason(answer)
        evaluator = get_evaluator()
        if reason is not None:
            evaluation.status = EvaluationStatus.insufficient_evidence
            evaluation.feedback = f"Not scored: {reason}."
        else:
            messages = scoring_messages(
                question=question.content, rubric=question.rubric_json, answer=answer, language=interview.language
            )
            for attempt in range(1, ATTEMPTS + 1):
                raw = evaluator.complete(messages, max_tokens=350, grammar=SCORE_GRAMMAR)
                try:
                    score = parse_score(raw, answer)
                    break
                except ValueError as error:
                    logger.warning("answer %s: unusable model output (attempt %d): %s", answer_id, attempt, error)
            else:
                evaluation.status = EvaluationStatus.failed
                evaluation.feedback = "The evaluation model did not produce a valid score."
                score = None
            if score is not None:
                evaluation.status = EvaluationStatus.scored
                evaluation.technical_score = score.technical_score
                evaluation.communication_score = score.communication_score
                evaluation.depth_score = score.depth_score
                evaluation.feedback = score.feedback
                evaluation.evidence = score.evidence
        evaluation.model = evaluator.name
        evaluation.prompt_version = PROMPT_VERSION
        evaluation.latency_ms = int((time.monotonic() - started) * 1000)
        evaluation.updated_at = datetime.now(UTC)
        session.add(evaluation)
        session.commit()
        session.refresh(evaluation)
        payload = evaluation.model_dump(mode="json", exclude={"created_at", "updated_at"})
        late = interview.status == InterviewStatus.completed
    events.publish(redis.Redis.from_url(settings.redis_url), payload["interview_id"], events.EVALUATION_STORED, payload)
    if late:
        # The report was (or is being) built without this answer: build it again.
        generate_report = dramatiq.get_broker().get_actor(jobs.GENERATE_REPORT[0])
        generate_report.send(interview_id=payload["interview_id"])
