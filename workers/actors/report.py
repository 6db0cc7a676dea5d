"""report.generate: gather evaluations, transcripts and (with consent) expression samples → build → upsert."""

import logging
from datetime import UTC, datetime

import dramatiq
import redis
from sqlmodel import Session, col, select

from core import events, jobs
from core.db import get_engine
from core.interview_store import conversation_order
from core.local_llm import LocalChatModel
from core.score_overrides import effective_scores, latest_overrides
from core.tables import (
    AnswerEvaluation,
    EmotionSample,
    EvaluationReport,
    Interview,
    InterviewQuestion,
    QuestionSource,
    Transcript,
)
from workers.models import get_evaluator
from workers.pipelines.report import (
    AnswerResult,
    dimension_scores,
    expression_summary,
    fallback_summary,
    flag_counts,
    overall_score,
    question_details,
    summary_messages,
    summary_problems,
    tidy_summary,
)
from workers.pipelines.speech import Segment, speech_metrics, thinking_times
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)
NAME, QUEUE = jobs.GENERATE_REPORT


def _results(session: Session, interview: Interview, thinking: dict[int, int]) -> list[AnswerResult]:
    plan = conversation_order(
        list(session.exec(select(InterviewQuestion).where(InterviewQuestion.interview_id == interview.id)))
    )
    evaluations = {
        e.interview_question_id: e
        for e in session.exec(select(AnswerEvaluation).where(AnswerEvaluation.interview_id == interview.id))
    }
    overrides = latest_overrides(session, [e.id for e in evaluations.values() if e.id is not None])
    answers: dict[int, list[str]] = {}
    for row in session.exec(
        select(Transcript)
        .where(Transcript.interview_id == interview.id, Transcript.speaker == "User")
        .order_by(col(Transcript.order))
    ):
        if row.question_id is not None:
            answers.setdefault(row.question_id, []).append(row.text)
    results = []
    for question in plan:
        evaluation = evaluations.get(question.id)  # type: ignore[arg-type]
        if evaluation is None and question.id not in answers:
            continue  # never asked or never answered (the candidate left): not part of the report
        overridden = overrides.get(evaluation.id, {}) if evaluation and evaluation.id is not None else {}
        scores = effective_scores(evaluation, overridden) if evaluation else {}
        results.append(
            AnswerResult(
                order=question.order,
                follow_up=question.source == QuestionSource.follow_up,
                question=question.content,
                category=question.category,
                status=evaluation.status if evaluation else "pending",
                technical_score=scores.get("technical"),
                communication_score=scores.get("communication"),
                depth_score=scores.get("depth"),
                feedback=evaluation.feedback if evaluation else None,
                evidence=list(evaluation.evidence) if evaluation else [],
                answer=" ".join(answers.get(question.id, [])),  # type: ignore[arg-type]
                thinking_ms=thinking.get(question.id),  # type: ignore[arg-type]
                flags=list(evaluation.flags) if evaluation else [],
                overridden=sorted(overridden),
            )
        )
    return results


def _segments(session: Session, interview_id: int) -> list[Segment]:
    rows = session.exec(
        select(Transcript).where(Transcript.interview_id == interview_id).order_by(col(Transcript.order))
    )
    return [Segment(r.speaker, r.text, r.start_ms, r.end_ms, list(r.words or []), r.question_id) for r in rows]


def _summary(evaluator: LocalChatModel, results: list[AnswerResult], language: str) -> str:
    """The model's summary if it passes the checks (second try at a little temperature), else one assembled from
    the checked per-answer feedback."""
    if not any(r.status == "scored" for r in results):
        return "Not enough scored answers for a summary."
    messages = summary_messages(results, language)
    for temperature in (0.0, 0.3):
        summary = tidy_summary(evaluator.complete(messages, max_tokens=250, temperature=temperature))
        problems = summary_problems(summary, results, language)
        if not problems:
            return summary
        logger.info("summary rejected (%s)", ", ".join(problems))
    return fallback_summary(results, language)


@dramatiq.actor(actor_name=NAME, queue_name=QUEUE, max_retries=3, min_backoff=2000, time_limit=300_000)
def generate(interview_id: int) -> None:
    settings = get_worker_settings()
    with Session(get_engine(settings.database_url)) as session:
        # Row lock: two report jobs for one interview (complete twice, a late evaluation) run one after the other.
        # FOR NO KEY UPDATE, not FOR UPDATE: rows that reference the interview (transcripts, evaluations, the access
        # log a recruiter's reading writes) take KEY SHARE locks for their foreign keys, and FOR UPDATE made every
        # such insert wait for the report's LLM summary (seconds).
        interview = session.exec(
            select(Interview).where(Interview.id == interview_id).with_for_update(key_share=True)
        ).first()
        if interview is None:
            return
        segments = _segments(session, interview_id)
        results = _results(session, interview, thinking_times(segments))
        dimensions = dimension_scores(results)
        evaluator = get_evaluator()
        summary = _summary(evaluator, results, interview.language)
        details = {
            "questions": question_details(results),
            "speech": speech_metrics(segments, interview.language).as_dict(),
            "answered": sum(1 for r in results if not r.follow_up),
            "follow_ups": sum(1 for r in results if r.follow_up),
            "planned": interview.question_count,
            "partial": sum(1 for r in results if not r.follow_up) < interview.question_count,
            "flags": flag_counts(results),
            "overridden": sum(1 for r in results if r.overridden),
        }
        if interview.emotion_consent:
            samples = session.exec(
                select(EmotionSample)
                .where(EmotionSample.interview_id == interview_id)
                .order_by(col(EmotionSample.t_ms))
            ).all()
            details["expression"] = expression_summary([s.model_dump() for s in samples])
        report = session.exec(select(EvaluationReport).where(EvaluationReport.interview_id == interview_id)).first()
        report = report or EvaluationReport(interview_id=interview_id)
        report.technical_score = dimensions["technical"]
        report.communication_score = dimensions["communication"]
        report.cultural_fit_score = dimensions["cultural_fit"]
        report.summary_text = summary
        report.details_json = details
        report.evaluator_model = evaluator.name
        report.updated_at = datetime.now(UTC)
        interview.overall_score = overall_score(dimensions)
        session.add(report)
        session.add(interview)
        session.commit()
    events.publish(
        redis.Redis.from_url(settings.redis_url), interview_id, events.REPORT_READY, {"interview_id": interview_id}
    )
    logger.info("interview %s: report stored (%d answers)", interview_id, len(results))
