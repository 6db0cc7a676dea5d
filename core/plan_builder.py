"""Builds and stores an interview's question plan (I/O around core.question_plan's pure steps)."""

import asyncio
import logging
from collections.abc import Callable

import httpx
from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from core.llm import ChatClient, LLMServerError
from core.question_plan import (
    FALLBACK_QUESTIONS,
    PlannedQuestion,
    fallback_questions,
    generation_messages,
    generation_schema,
    mix_needed,
    near_duplicates,
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
Embed = Callable[[list[str]], list[list[float]]]


def posting_text(posting: JobPosting | None) -> str:
    if posting is None:
        return ""
    return "\n".join(
        part for part in (posting.title, posting.company, posting.description, posting.requirements) if part
    )


def in_banks(organisation_id: int | None) -> ColumnElement[bool]:
    """Questions of the public bank (organisation_id NULL) and, when given, of this organisation's own bank. Rubrics
    are an organisation's work and its hiring bar: another organisation's questions never reach a plan or a list."""
    public = col(Question.organisation_id).is_(None)
    return public if organisation_id is None else or_(public, col(Question.organisation_id) == organisation_id)


def retrieve_from_bank(
    session: Session,
    *,
    query_vector: list[float],
    language: str,
    difficulty: str | None,
    limit: int,
    organisation_id: int | None,
) -> list[Question]:
    """The active bank questions nearest to `query_vector`, from the public bank and `organisation_id`'s bank."""
    if limit <= 0:
        return []
    statement = select(Question).where(
        col(Question.is_active),
        col(Question.embedding).is_not(None),
        Question.language == language,
        in_banks(organisation_id),
    )
    if difficulty:
        statement = statement.where(Question.difficulty == difficulty)
    statement = statement.order_by(cosine_distance(Question.embedding, query_vector)).limit(limit)
    return list(session.exec(statement))


async def _distinct(
    embed: Embed, candidates: list[PlannedQuestion], kept: list[PlannedQuestion]
) -> list[PlannedQuestion]:
    """`candidates` without those that ask what a kept question (or an earlier candidate) already asks."""
    if not candidates:
        return []
    vectors = await asyncio.to_thread(embed, [q.content for q in kept + candidates])
    duplicate = near_duplicates(vectors[len(kept) :], vectors[: len(kept)])
    for question, is_duplicate in zip(candidates, duplicate, strict=True):
        if is_duplicate:
            logger.info("plan: dropped a near-duplicate question: %s", question.content)
    return [question for question, is_duplicate in zip(candidates, duplicate, strict=True) if not is_duplicate]


async def _generate(
    chat: ChatClient, embed: Embed, *, interview: Interview, posting: str, count: int, kept: list[PlannedQuestion]
) -> list[PlannedQuestion]:
    difficulty = interview.difficulty or "medium"
    generated: list[PlannedQuestion] = []
    try:
        for _ in range(GENERATION_ATTEMPTS):
            missing = count - len(generated)
            if missing <= 0:
                break
            batch = min(missing, GENERATION_BATCH)
            seen = [q.content for q in kept + generated]
            messages = generation_messages(
                position=interview.position,
                posting_text=posting,
                count=batch,
                language=interview.language,
                difficulty=difficulty,
                avoid=seen,
                categories=mix_needed(batch, [q.category for q in kept + generated]),
            )
            try:
                raw = await chat.complete(
                    messages, max_tokens=80 * batch, temperature=0.7, json_schema=generation_schema(batch)
                )
            except (LLMServerError, OSError, httpx.HTTPError) as error:
                logger.warning("question generation failed for interview %s: %s", interview.id, error)
                break
            parsed = parse_generated(raw, difficulty=difficulty, limit=missing, avoid=seen, language=interview.language)
            generated += await _distinct(embed, parsed, kept + generated)
    finally:
        # The HTTP client belongs to this event loop; the next plan runs in a new one.
        await chat.aclose()
    return generated


def generate(
    chat: ChatClient, embed: Embed, *, interview: Interview, posting: str, count: int, kept: list[PlannedQuestion]
) -> list[PlannedQuestion]:
    """Runs in a worker thread with no event loop of its own, hence asyncio.run."""
    if count <= 0:
        return []
    return asyncio.run(_generate(chat, embed, interview=interview, posting=posting, count=count, kept=kept))


def plan_query_text(interview: Interview, posting: JobPosting | None) -> str:
    """What bank questions are matched against: the position and the posting."""
    return f"{interview.position}\n{posting_text(posting)}"


def build_plan(
    session: Session, interview: Interview, query_vector: list[float], chat: ChatClient, embed: Embed
) -> list[PlannedQuestion]:
    """`query_vector` is the embedding of plan_query_text, computed by the API when the interview is created.
    `embed` (MiniLM) keeps near-duplicates out: no two questions of a plan ask the same thing."""
    posting = session.get(JobPosting, interview.job_posting_id) if interview.job_posting_id else None
    text = posting_text(posting)
    # Up to half of the plan comes from the bank; the rest is generated. A practice interview without a posting
    # draws on the public bank only.
    bank = retrieve_from_bank(
        session,
        query_vector=query_vector,
        language=interview.language,
        difficulty=interview.difficulty,
        limit=interview.question_count // 2,
        organisation_id=posting.organisation_id if posting else None,
    )
    planned = [PlannedQuestion.from_bank(q, QuestionSource.bank) for q in bank]
    planned = asyncio.run(_distinct(embed, planned, []))  # two bank questions can be rewordings of each other
    return complete_plan(chat, embed, interview=interview, posting=text, kept=planned)


def complete_plan(
    chat: ChatClient, embed: Embed, *, interview: Interview, posting: str, kept: list[PlannedQuestion]
) -> list[PlannedQuestion]:
    """`kept` (the bank's share) plus generated questions, then templates for what generation could not supply."""
    planned = kept + generate(
        chat, embed, interview=interview, posting=posting, count=interview.question_count - len(kept), kept=kept
    )
    if len(planned) < interview.question_count:
        fallback = fallback_questions(
            position=interview.position,
            language=interview.language,
            difficulty=interview.difficulty or "medium",
            count=len(FALLBACK_QUESTIONS.get(interview.language, FALLBACK_QUESTIONS["en"])),
        )
        fresh = asyncio.run(_distinct(embed, fallback, planned))
        planned += fresh[: interview.question_count - len(planned)]
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
