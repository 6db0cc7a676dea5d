"""SQLModel tables: the seed's schema (users, job_postings, interviews, questions, transcripts,
evaluation_reports) plus what the flows need (question plan, per-answer evaluations, expression samples).

Migrations (infra/migrations) are the source of truth for the database; these classes must match them.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

EMBEDDING_DIMENSIONS = 384  # all-MiniLM-L6-v2


def cosine_distance(vector_column: Any, vector: list[float]) -> Any:
    """pgvector's `<=>` as a SQL expression (the comparator is untyped, so this wraps it once)."""
    return vector_column.cosine_distance(vector)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _created_at() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class Role(StrEnum):
    candidate = "candidate"
    recruiter = "recruiter"
    admin = "admin"


class InterviewStatus(StrEnum):
    preparing = "preparing"  # the question plan is still being generated
    scheduled = "scheduled"
    live = "live"
    completed = "completed"
    cancelled = "cancelled"
    failed = "failed"  # the plan could not be prepared


class InterviewMode(StrEnum):
    practice = "practice"
    screening = "screening"


class Category(StrEnum):
    technical = "technical"
    behavioral = "behavioral"
    situational = "situational"
    cultural_fit = "cultural_fit"


class Difficulty(StrEnum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


class Speaker(StrEnum):
    ai = "AI"
    user = "User"


class QuestionSource(StrEnum):
    bank = "bank"
    generated = "generated"
    posting = "posting"
    follow_up = "follow_up"
    template = "template"  # built-in fallback when the LLM server cannot produce enough questions


class EvaluationStatus(StrEnum):
    pending = "pending"
    scored = "scored"
    insufficient_evidence = "insufficient_evidence"
    failed = "failed"


class Organisation(SQLModel, table=True):
    """A tenant: its recruiters, postings and question bank are invisible to every other organisation."""

    __tablename__ = "organisations"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    created_at: datetime = _created_at()


class Invitation(SQLModel, table=True):
    """A link that lets its holder create a recruiter account in an organisation, once, until it expires. Only the
    SHA-256 of the token is stored, so a database dump does not hand out accounts."""

    __tablename__ = "invitations"
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    email: str = Field(max_length=255)
    role: str = Field(default="recruiter", max_length=20)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    invited_by_id: int = Field(foreign_key="users.id")
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    accepted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    accepted_user_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = _created_at()


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=255, unique=True, index=True)
    username: str = Field(max_length=100, unique=True, index=True)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    full_name: str | None = Field(default=None, max_length=255)
    is_active: bool = True
    # Recruiters belong to one organisation; candidates and admins to none.
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id", index=True)
    created_at: datetime = _created_at()


class JobPosting(SQLModel, table=True):
    __tablename__ = "job_postings"
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id", index=True)
    title: str = Field(max_length=255)
    company: str = Field(default="", max_length=255)
    description: str = ""
    requirements: str = ""
    # A structured interview: these bank questions, in this order, for every screening candidate.
    question_ids: list[int] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    embedding: list[float] | None = Field(default=None, sa_column=Column(Vector(EMBEDDING_DIMENSIONS)))
    created_at: datetime = _created_at()


class Question(SQLModel, table=True):
    __tablename__ = "questions"
    __table_args__ = (
        Index(
            "ix_questions_embedding_hnsw",
            "embedding",
            postgresql_using="hnsw",
            postgresql_ops={"embedding": "vector_cosine_ops"},
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    content: str
    category: str = Field(max_length=50)
    difficulty: str = Field(max_length=20)
    rubric_json: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    vector_id: str | None = Field(default=None, max_length=255)
    position: str | None = Field(default=None, max_length=255)
    language: str = Field(default="en", max_length=5)
    owner_id: int | None = Field(default=None, foreign_key="users.id")
    # The organisation's private bank; NULL is the public bank that admins curate.
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id", index=True)
    is_active: bool = True
    usage_count: int = 0
    avg_score: float | None = None
    embedding: list[float] | None = Field(default=None, sa_column=Column(Vector(EMBEDDING_DIMENSIONS)))
    created_at: datetime = _created_at()


class Interview(SQLModel, table=True):
    __tablename__ = "interviews"
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="users.id", index=True)
    job_posting_id: int | None = Field(default=None, foreign_key="job_postings.id", index=True)
    position: str = Field(max_length=255)
    status: str = Field(max_length=20, index=True)
    scheduled_time: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    start_time: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    end_time: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    created_at: datetime = _created_at()
    overall_score: float | None = None
    emotion_summary: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    room_name: str = Field(max_length=100, unique=True)
    language: str = Field(default="en", max_length=5)
    mode: str = Field(default=InterviewMode.practice, max_length=20)
    difficulty: str | None = Field(default=None, max_length=20)
    question_count: int = 5
    emotion_consent: bool = False
    # A candidate may share a practice interview with the recruiters of its posting.
    shared_with_recruiters: bool = False
    plan_error: str | None = None


class InterviewQuestion(SQLModel, table=True):
    """One entry of an interview's ordered question plan (planned questions and follow-ups)."""

    __tablename__ = "interview_questions"
    __table_args__ = (UniqueConstraint("interview_id", "order", name="uq_interview_questions_order"),)
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interviews.id", index=True)
    order: int
    bank_question_id: int | None = Field(default=None, foreign_key="questions.id")
    parent_id: int | None = Field(default=None, foreign_key="interview_questions.id")
    source: str = Field(max_length=20)
    content: str
    category: str = Field(max_length=50)
    difficulty: str = Field(max_length=20)
    rubric_json: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    asked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class Transcript(SQLModel, table=True):
    __tablename__ = "transcripts"
    __table_args__ = (UniqueConstraint("interview_id", "order", "speaker", name="uq_transcripts_segment"),)
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interviews.id", index=True)
    speaker: str = Field(max_length=10)
    text: str
    timestamp: datetime = _created_at()
    sentiment_score: float | None = None
    emotion: str | None = Field(default=None, max_length=50)
    # The plan entry this segment belongs to (interview_questions.id; see docs/decisions.md).
    question_id: int | None = Field(default=None, foreign_key="interview_questions.id", index=True)
    order: int
    start_ms: int | None = None
    end_ms: int | None = None
    confidence: float | None = None
    words: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONB))
    is_answer_end: bool = False


class AnswerEvaluation(SQLModel, table=True):
    __tablename__ = "answer_evaluations"
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interviews.id", index=True)
    interview_question_id: int = Field(foreign_key="interview_questions.id", unique=True)
    status: str = Field(default=EvaluationStatus.pending, max_length=30)
    technical_score: float | None = None
    communication_score: float | None = None
    depth_score: float | None = None
    feedback: str | None = None
    evidence: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    # What a recruiter must look at: [{"kind": "manipulation_suspected" | "off_topic", "detail": ..., "spans": [...]}]
    flags: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    relevance: float | None = None  # cosine similarity of the answer to its question (MiniLM)
    improvement_criterion: str | None = Field(default=None, max_length=80)  # the rubric criterion feedback targets
    model: str | None = Field(default=None, max_length=200)
    prompt_version: str | None = Field(default=None, max_length=50)
    latency_ms: int | None = None
    created_at: datetime = _created_at()
    updated_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class ScoreOverride(SQLModel, table=True):
    """A person's correction of one dimension of an evaluation. Rows are never updated: the latest per dimension
    counts, the model's score stays on the evaluation, and the history says who changed what, when and why."""

    __tablename__ = "score_overrides"
    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="answer_evaluations.id", index=True)
    dimension: str = Field(max_length=20)
    score: float
    model_score: float | None = None
    reason: str = Field(max_length=1000)
    author_id: int = Field(foreign_key="users.id")
    created_at: datetime = _created_at()


class AnswerNote(SQLModel, table=True):
    """A recruiter's private note on one answer: never shown to the candidate."""

    __tablename__ = "answer_notes"
    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="answer_evaluations.id", index=True)
    author_id: int = Field(foreign_key="users.id")
    text: str = Field(max_length=4000)
    created_at: datetime = _created_at()


class EmotionSample(SQLModel, table=True):
    __tablename__ = "emotion_samples"
    __table_args__ = (UniqueConstraint("interview_id", "t_ms", name="uq_emotion_samples_time"),)
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interviews.id", index=True)
    t_ms: int
    face_found: bool
    dominant: str | None = Field(default=None, max_length=20)
    scores: dict[str, float] | None = Field(default=None, sa_column=Column(JSONB))
    created_at: datetime = _created_at()


class EvaluationReport(SQLModel, table=True):
    __tablename__ = "evaluation_reports"
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interviews.id", unique=True)
    technical_score: float | None = None
    communication_score: float | None = None
    cultural_fit_score: float | None = None
    summary_text: str | None = None
    details_json: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    created_at: datetime = _created_at()
    updated_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    evaluator_model: str | None = Field(default=None, max_length=100)


class AccessEvent(SQLModel, table=True):
    """Who looked at or changed an interview that is not theirs (observe, override, note, export...). Admins read all
    of it; the candidate reads it for their own interviews. Goes with the interview when it is deleted."""

    __tablename__ = "access_events"
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(
        sa_column=Column(Integer, ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    actor_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    action: str = Field(max_length=40)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    created_at: datetime = _created_at()
