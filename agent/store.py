"""The agent's writes to PostgreSQL and the job queue, off the event loop, in the order they were issued.

One single-thread executor per interview: a transcript segment is committed before the answer end that follows it,
so a worker never scores an answer whose last words are still in flight.
"""

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import dramatiq
import redis
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from core import interview_store, jobs
from core.frames import stash_frame
from core.tables import (
    AnswerEvaluation,
    Interview,
    InterviewQuestion,
    InterviewStatus,
    QuestionSource,
    Speaker,
    Transcript,
)

T = TypeVar("T")


@dataclass
class PlanItem:
    id: int
    content: str
    order: int
    source: str
    parent_id: int | None
    answered: bool

    @property
    def is_follow_up(self) -> bool:
        return self.source == QuestionSource.follow_up


@dataclass
class InterviewSnapshot:
    id: int
    status: str
    candidate_id: int
    room_name: str
    position: str
    language: str
    emotion_consent: bool
    start_time: datetime | None
    plan: list[PlanItem]


class InterviewWrites(Protocol):
    """What the interview writes as it runs: the database in a real interview, nothing in a load-test room."""

    async def mark_live(self) -> datetime: ...
    async def mark_asked(self, question_id: int) -> None: ...
    async def save_segment(
        self,
        speaker: Speaker,
        text: str,
        *,
        question_id: int | None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        confidence: float | None = None,
        words: list[dict[str, Any]] | None = None,
    ) -> int: ...
    async def set_segment_end(self, segment_id: int, end_ms: int) -> None: ...
    async def end_answer(self, question_id: int) -> int: ...
    async def add_follow_up(self, parent_id: int, content: str) -> int: ...
    async def set_content(self, question_id: int, content: str) -> None: ...
    async def complete(self) -> None: ...
    async def queue_frame(self, t_ms: int, image_b64: str) -> None: ...


class InterviewStore:
    def __init__(self, engine: Engine, broker: dramatiq.Broker, redis_client: redis.Redis, interview_id: int) -> None:
        self._engine = engine
        self._broker = broker
        self._redis = redis_client
        self.interview_id = interview_id
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"interview-{interview_id}-store")
        self._next_order: int | None = None

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(fn, *args))

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    # Everything below runs in the store's thread.

    def _load(self) -> InterviewSnapshot | None:
        with Session(self._engine) as session:
            interview = session.get(Interview, self.interview_id)
            if interview is None:
                return None
            questions = interview_store.conversation_order(
                list(session.exec(select(InterviewQuestion).where(InterviewQuestion.interview_id == interview.id)))
            )
            answered = set(
                session.exec(
                    select(AnswerEvaluation.interview_question_id).where(AnswerEvaluation.interview_id == interview.id)
                )
            )
            self._next_order = interview_store.next_transcript_order(session, interview.id)  # type: ignore[arg-type]
            return InterviewSnapshot(
                id=interview.id,  # type: ignore[arg-type]
                status=interview.status,
                candidate_id=interview.candidate_id,
                room_name=interview.room_name,
                position=interview.position,
                language=interview.language,
                emotion_consent=interview.emotion_consent,
                start_time=interview.start_time,
                plan=[
                    PlanItem(
                        id=q.id,  # type: ignore[arg-type]
                        content=q.content,
                        order=q.order,
                        source=q.source,
                        parent_id=q.parent_id,
                        answered=q.id in answered,
                    )
                    for q in questions
                ],
            )

    def _mark_live(self) -> datetime:
        with Session(self._engine) as session:
            interview = session.exec(select(Interview).where(Interview.id == self.interview_id).with_for_update()).one()
            if interview.status == InterviewStatus.scheduled:
                interview_store.set_status(session, self._redis, interview, InterviewStatus.live)
                session.refresh(interview)
            return interview.start_time or datetime.now(UTC)

    def _mark_asked(self, question_id: int) -> None:
        with Session(self._engine) as session:
            session.exec(
                update(InterviewQuestion)
                .where(col(InterviewQuestion.id) == question_id, col(InterviewQuestion.asked_at).is_(None))
                .values(asked_at=datetime.now(UTC))
            )
            session.commit()

    def _save_segment(
        self,
        speaker: Speaker,
        text: str,
        question_id: int | None,
        start_ms: int | None,
        end_ms: int | None,
        confidence: float | None,
        words: list[dict[str, Any]] | None,
    ) -> int:
        assert self._next_order is not None, "load() first"
        segment = Transcript(
            interview_id=self.interview_id,
            speaker=speaker,
            text=text,
            question_id=question_id,
            order=self._next_order,
            start_ms=start_ms,
            end_ms=end_ms,
            confidence=confidence,
            words=words or None,
        )
        self._next_order += 1
        with Session(self._engine) as session:
            stored, _ = interview_store.store_transcript(
                session=session, segment=segment, broker=self._broker, redis_client=self._redis
            )
            return stored.id  # type: ignore[return-value]

    def _end_answer(self, question_id: int) -> int:
        """Marks the answer's last candidate segment as its end and queues the scoring (an empty answer too: the
        worker records it as insufficient evidence, and the question counts as answered on resume)."""
        with Session(self._engine) as session:
            last = session.exec(
                select(Transcript)
                .where(Transcript.question_id == question_id, Transcript.speaker == Speaker.user)
                .order_by(col(Transcript.order).desc())
            ).first()
            if last is not None and not last.is_answer_end:
                last.is_answer_end = True
                session.add(last)
                session.commit()
            return interview_store.queue_scoring(session, self._broker, question_id, self.interview_id)

    def _add_follow_up(self, parent_id: int, content: str) -> int:
        with Session(self._engine) as session:
            parent = session.get(InterviewQuestion, parent_id)
            assert parent is not None
            last_order = session.exec(
                select(InterviewQuestion.order)
                .where(InterviewQuestion.interview_id == self.interview_id)
                .order_by(col(InterviewQuestion.order).desc())
            ).first()
            follow_up = InterviewQuestion(
                interview_id=self.interview_id,
                order=(last_order or 0) + 1,
                parent_id=parent_id,
                source=QuestionSource.follow_up,
                content=content,
                category=parent.category,
                difficulty=parent.difficulty,
                rubric_json=parent.rubric_json,
                asked_at=datetime.now(UTC),
            )
            session.add(follow_up)
            session.commit()
            session.refresh(follow_up)
            return follow_up.id  # type: ignore[return-value]

    def _set_content(self, question_id: int, content: str) -> None:
        with Session(self._engine) as session:
            question = session.get(InterviewQuestion, question_id)
            if question is not None:
                question.content = content
                session.add(question)
                session.commit()

    def _set_segment_end(self, segment_id: int, end_ms: int) -> None:
        """An interviewer line's end is known once its audio has played (or was cut by the candidate)."""
        with Session(self._engine) as session:
            session.execute(update(Transcript).where(col(Transcript.id) == segment_id).values(end_ms=end_ms))
            session.commit()

    def _complete(self) -> None:
        with Session(self._engine) as session:
            interview = session.exec(select(Interview).where(Interview.id == self.interview_id).with_for_update()).one()
            if interview.status != InterviewStatus.completed:
                interview_store.set_status(session, self._redis, interview, InterviewStatus.completed)
            jobs.enqueue(self._broker, jobs.GENERATE_REPORT, interview_id=self.interview_id)

    def _queue_frame(self, t_ms: int, image_b64: str) -> None:
        # The job carries a short-lived key, never the image (core/frames.py says why).
        frame_key = stash_frame(self._redis, self.interview_id, image_b64)
        jobs.enqueue(self._broker, jobs.ANALYZE_FRAME, interview_id=self.interview_id, t_ms=t_ms, frame_key=frame_key)

    # The event loop's side.

    async def load(self) -> InterviewSnapshot | None:
        return await self._run(self._load)

    async def mark_live(self) -> datetime:
        return await self._run(self._mark_live)

    async def mark_asked(self, question_id: int) -> None:
        await self._run(self._mark_asked, question_id)

    async def save_segment(
        self,
        speaker: Speaker,
        text: str,
        *,
        question_id: int | None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        confidence: float | None = None,
        words: list[dict[str, Any]] | None = None,
    ) -> int:
        return await self._run(self._save_segment, speaker, text, question_id, start_ms, end_ms, confidence, words)

    async def set_segment_end(self, segment_id: int, end_ms: int) -> None:
        await self._run(self._set_segment_end, segment_id, end_ms)

    async def end_answer(self, question_id: int) -> int:
        return await self._run(self._end_answer, question_id)

    async def add_follow_up(self, parent_id: int, content: str) -> int:
        return await self._run(self._add_follow_up, parent_id, content)

    async def set_content(self, question_id: int, content: str) -> None:
        await self._run(self._set_content, question_id, content)

    async def complete(self) -> None:
        await self._run(self._complete)

    async def queue_frame(self, t_ms: int, image_b64: str) -> None:
        await self._run(self._queue_frame, t_ms, image_b64)
