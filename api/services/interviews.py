"""Interview lifecycle: create (with its question plan), complete, and the status moves made by LiveKit events."""

import secrets

import redis
from dramatiq.brokers.redis import RedisBroker
from fastapi import HTTPException, status
from sqlmodel import Session, col, select

from api.errors import field_error
from api.schemas import InterviewCreate
from core import jobs
from core.embeddings import Embedder
from core.interview_store import conversation_order, set_status
from core.plan_builder import in_banks, plan_query_text
from core.question_plan import PlannedQuestion
from core.tables import (
    Interview,
    InterviewMode,
    InterviewQuestion,
    InterviewStatus,
    JobPosting,
    Question,
    QuestionSource,
    User,
)


def _structured_questions(session: Session, posting: JobPosting) -> list[Question]:
    """The posting's fixed questions, in its order; deactivated or deleted ones are left out, and so are questions
    outside its organisation's bank and the public bank (a posting from before organisations may name them)."""
    found = {
        q.id: q
        for q in session.exec(
            select(Question).where(
                col(Question.id).in_(posting.question_ids),
                col(Question.is_active),
                in_banks(posting.organisation_id),
            )
        )
    }
    return [found[qid] for qid in posting.question_ids if qid in found]


def create_interview(
    *, session: Session, candidate: User, interview_in: InterviewCreate, broker: RedisBroker, embedder: Embedder
) -> Interview:
    posting = None
    if interview_in.job_posting_id is not None:
        posting = session.get(JobPosting, interview_in.job_posting_id)
        if posting is None:
            raise field_error("job_posting_id", "No job posting with this id.")
    if interview_in.mode == InterviewMode.screening and posting is None:
        raise field_error("job_posting_id", "A screening interview belongs to a job posting.")
    fixed = _structured_questions(session, posting) if posting and interview_in.mode == "screening" else []
    if posting is not None and posting.question_ids and interview_in.mode == "screening" and not fixed:
        raise HTTPException(status.HTTP_409_CONFLICT, "This posting's fixed questions are no longer available.")

    interview = Interview(
        candidate_id=candidate.id,  # type: ignore[arg-type]
        job_posting_id=posting.id if posting else None,
        position=interview_in.position,
        status=InterviewStatus.scheduled if fixed else InterviewStatus.preparing,
        room_name=f"interview-{secrets.token_hex(8)}",
        language=interview_in.language,
        mode=interview_in.mode,
        difficulty=interview_in.difficulty,
        question_count=len(fixed) if fixed else interview_in.question_count,
        emotion_consent=interview_in.emotion_consent,
        shared_with_recruiters=interview_in.mode == InterviewMode.screening,
    )
    session.add(interview)
    session.flush()
    for order, question in enumerate(fixed, start=1):
        planned = PlannedQuestion.from_bank(question, QuestionSource.posting)
        session.add(planned.plan_entry(interview_id=interview.id, order=order))  # type: ignore[arg-type]
        question.usage_count += 1
    session.commit()
    session.refresh(interview)
    if interview.status == InterviewStatus.preparing:
        query_vector = embedder.embed_one(plan_query_text(interview, posting))
        jobs.enqueue(broker, jobs.PREPARE_PLAN, interview_id=interview.id, query_vector=query_vector)
    return interview


def plan_of(session: Session, interview: Interview) -> list[InterviewQuestion]:
    """Planned questions and follow-ups in the order they are (or will be) asked."""
    return conversation_order(
        list(session.exec(select(InterviewQuestion).where(InterviewQuestion.interview_id == interview.id)))
    )


def complete_interview(
    *, session: Session, interview: Interview, broker: RedisBroker, redis_client: redis.Redis
) -> Interview:
    """Idempotent: completing twice re-runs the report (late evaluations may have arrived)."""
    if interview.status in (InterviewStatus.preparing, InterviewStatus.failed, InterviewStatus.cancelled):
        raise HTTPException(status.HTTP_409_CONFLICT, f"An interview that is {interview.status} cannot be completed.")
    if interview.status != InterviewStatus.completed:
        set_status(session, redis_client, interview, InterviewStatus.completed)
    jobs.enqueue(broker, jobs.GENERATE_REPORT, interview_id=interview.id)
    session.refresh(interview)
    return interview
