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
    User,
)
from workers.models import get_embedder, get_evaluator
from workers.pipelines.assessment import assess
from workers.pipelines.scoring import PROMPT_VERSION
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)
NAME, QUEUE = jobs.SCORE_ANSWER


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
        candidate = session.get(User, interview.candidate_id)
        names = [name for name in (candidate.full_name, candidate.username) if name] if candidate else []
        logger.info("scoring answer %s (%d characters)", answer_id, len(answer))
        started = time.monotonic()
        evaluator = get_evaluator()
        result = assess(
            question=question.content,
            rubric=question.rubric_json,
            answer=answer,
            language=interview.language,
            complete=lambda messages, grammar, temperature: evaluator.complete(
                messages, max_tokens=400, grammar=grammar, temperature=temperature
            ),
            similarity=get_embedder().similarity,
            candidate_names=names,
        )
        evaluation.status = result.status
        evaluation.technical_score = result.scores.get("technical")
        evaluation.communication_score = result.scores.get("communication")
        evaluation.depth_score = result.scores.get("depth")
        evaluation.feedback = result.feedback
        evaluation.evidence = result.evidence
        evaluation.flags = result.flags
        evaluation.relevance = result.relevance
        evaluation.improvement_criterion = result.criterion
        if result.flags:
            logger.info("answer %s flagged: %s", answer_id, ", ".join(flag["kind"] for flag in result.flags))
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
