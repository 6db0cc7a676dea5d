"""Builds and stores an interview's question plan (I/O around core.question_plan's pure steps)."""

import asyncio
import logging

import httpx
from sqlmodel import Session, col, select

from core.llm import ChatClient, LLMServerError
from core.question_plan import (
    GENERATION_SCHEMA,
    PlannedQuestion,
    fallback_questions,
    generation_messages,
    parse_generated,
)
from core.tables import (
    Interview,
    InterviewQuestion,
    InterviewStatus,
    JobPosting,
    Question,
    QuestionSource,
    cosine_distance,
)

logger = logging.getLogger(__name__)
GENERATION_BATCH = 5
GENERATION_ATTEMPTS = 3


def posting_text(posting: JobPosting | None) -> str:
    if posting is None:
        return ""
    return "\n".join(
        part for part in (posting.title, posting.company, posting.description, posting.requirements) if part
    )


def retrieve_from_bank(
    session: Session, *, query_vector: list[float], language: str, difficulty: str | None, limit: int
) -> list[Question]:
    if limit <= 0:
        return []
    statement = select(Question).where(
        col(Question.is_active), col(Question.embedding).is_not(None), Question.language == language
    )
    if difficulty:
        statement = statement.where(Question.difficulty == difficulty)
    statement = statement.order_by(cosine_distance(Question.embedding, query_vector)).limit(limit)
    return list(session.exec(statement))


async def _generate(
    chat: ChatClient, *, interview: Interview, posting: str, count: int, avoid: list[str]
) -> list[PlannedQuestion]:
    difficulty = interview.difficulty or "medium"
    generated: list[PlannedQuestion] = []
    try:
        for _ in range(GENERATION_ATTEMPTS):
            missing = count - len(generated)
            if missing <= 0:
                break
            batch = min(missing, GENERATION_BATCH)
            seen = avoid + [q.content for q in generated]
            messages = generation_messages(
                position=interview.position,
                posting_text=posting,
                count=batch,
                language=interview.language,
                difficulty=difficulty,
                avoid=seen,
            )
            try:
                raw = await chat.complete(
                    messages, max_tokens=80 * batch, temperature=0.7, json_schema=GENERATION_SCHEMA
                )
            except (LLMServerError, OSError, httpx.HTTPError) as error:
                logger.warning("question generation failed for interview %s: %s", interview.id, error)
                break
            generated += parse_generated(raw, difficulty=difficulty, limit=missing, avoid=seen)
    finally:
        # The HTTP client belongs to this event loop; the next plan runs in a new one.
        await chat.aclose()
    return generated


def generate(
    chat: ChatClient, *, interview: Interview, posting: str, count: int, avoid: list[str]
) -> list[PlannedQuestion]:
    """Runs in a worker thread with no event loop of its own, hence asyncio.run."""
    if count <= 0:
        return []
    return asyncio.run(_generate(chat, interview=interview, posting=posting, count=count, avoid=avoid))


def plan_query_text(interview: Interview, posting: JobPosting | None) -> str:
    """What bank questions are matched against: the position and the posting."""
    return f"{interview.position}\n{posting_text(posting)}"


def build_plan(
    session: Session, interview: Interview, query_vector: list[float], chat: ChatClient
) -> list[PlannedQuestion]:
    """`query_vector` is the embedding of plan_query_text, computed by the API: workers never load torch, which
    cannot share a process with TensorFlow (both register the same LLVM options and the process aborts)."""
    posting = session.get(JobPosting, interview.job_posting_id) if interview.job_posting_id else None
    text = posting_text(posting)
    # Up to half of the plan comes from the bank; the rest is generated.
    bank = retrieve_from_bank(
        session,
        query_vector=query_vector,
        language=interview.language,
        difficulty=interview.difficulty,
        limit=interview.question_count // 2,
    )
    planned = [PlannedQuestion.from_bank(q, QuestionSource.bank) for q in bank]
    needed = interview.question_count - len(planned)
    planned += generate(chat, interview=interview, posting=text, count=needed, avoid=[q.content for q in planned])
    if len(planned) < interview.question_count:
        seen = {q.content for q in planned}
        fallback = fallback_questions(
            position=interview.position,
            language=interview.language,
            difficulty=interview.difficulty or "medium",
            count=interview.question_count,
        )
        planned += [q for q in fallback if q.content not in seen][: interview.question_count - len(planned)]
    return planned


def store_plan(session: Session, interview: Interview, planned: list[PlannedQuestion]) -> None:
    """Replace any partial plan and mark the interview scheduled, in one transaction (safe to redeliver)."""
    for existing in session.exec(select(InterviewQuestion).where(InterviewQuestion.interview_id == interview.id)):
        session.delete(existing)
    session.flush()
    for order, question in enumerate(planned, start=1):
        session.add(question.plan_entry(interview_id=interview.id, order=order))  # type: ignore[arg-type]
        if question.bank_question_id is not None:
            bank_question = session.get(Question, question.bank_question_id)
            if bank_question is not None:
                bank_question.usage_count += 1
    interview.question_count = len(planned)
    interview.status = InterviewStatus.scheduled
    session.add(interview)
    session.commit()
