"""Request and response bodies. Tables live in core.tables; these decide what crosses the HTTP edge."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from core.rubric import Rubric
from core.score_overrides import Dimension
from core.tables import Category, Difficulty
from core.text import StorableStr, storable

DbId = Annotated[int, Field(ge=1, le=2_147_483_647)]
Str = StorableStr
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(storable)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- users ---
Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{3,50}$")]
Password = Annotated[Str, Field(min_length=1, max_length=200)]
FullName = Annotated[Str, StringConstraints(strip_whitespace=True, max_length=255)]


class UserCreate(Strict):
    """Self-registration. Only candidates sign up; `role` is accepted for older clients but must be candidate."""

    email: EmailStr
    username: Username
    password: Password
    full_name: FullName | None = None
    role: Annotated[str, Field(max_length=20)] = "candidate"

    @field_validator("role")
    @classmethod
    def _candidates_only(cls, value: str) -> str:
        if value != "candidate":
            raise ValueError(
                "Only candidates can sign up. Recruiters join through an invitation from their organisation."
            )
        return value


class RegistrationAccepted(BaseModel):
    """The same answer whether or not the username or email was taken, so that /register reveals no accounts."""

    detail: str


class UserPublic(BaseModel):
    id: int
    email: str
    username: str
    role: str
    full_name: str | None
    organisation_id: int | None = None
    created_at: datetime


class UserAdminView(UserPublic):
    is_active: bool


class UserUpdate(Strict):
    role: Literal["candidate", "recruiter", "admin"] | None = None
    is_active: bool | None = None
    # Required when the change makes someone a recruiter; moves a recruiter to another organisation on its own.
    organisation_id: DbId | None = None


# --- organisations ---
class OrganisationCreate(Strict):
    name: Annotated[Text, Field(max_length=200)]


class OrganisationPublic(BaseModel):
    id: int
    name: str
    created_at: datetime


class InvitationCreate(Strict):
    email: EmailStr


class InvitationPublic(BaseModel):
    """An invitation as its organisation sees it; the token is never stored, so it is never listed."""

    id: int
    organisation_id: int
    email: str
    role: str
    expires_at: datetime
    accepted_at: datetime | None
    created_at: datetime


class InvitationIssued(InvitationPublic):
    """The one answer that carries the token: pass `accept_path` (or the token) to the invitee."""

    token: str
    accept_path: str


class InvitationLookup(BaseModel):
    """What the invitation page shows before the invitee chooses a username and password."""

    organisation_id: int
    organisation_name: str
    email: str
    role: str
    expires_at: datetime


class InvitationAccept(Strict):
    username: Username
    password: Password
    full_name: FullName | None = None


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


# --- job postings ---
class JobPostingBase(Strict):
    title: Annotated[Text, Field(max_length=255)]
    company: Annotated[Str, Field(max_length=255)] = ""
    description: Annotated[Str, Field(max_length=20_000)] = ""
    requirements: Annotated[Str, Field(max_length=20_000)] = ""
    question_ids: Annotated[list[DbId], Field(max_length=20)] = []

    @field_validator("question_ids")
    @classmethod
    def _distinct(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("question_ids must not repeat a question")
        return value


class JobPostingCreate(JobPostingBase):
    pass


class JobPostingUpdate(Strict):
    title: Annotated[Text, Field(max_length=255)] | None = None
    company: Annotated[Str, Field(max_length=255)] | None = None
    description: Annotated[Str, Field(max_length=20_000)] | None = None
    requirements: Annotated[Str, Field(max_length=20_000)] | None = None
    question_ids: Annotated[list[DbId], Field(max_length=20)] | None = None


class JobPostingPublic(BaseModel):
    id: int
    owner_id: int
    organisation_id: int | None = None
    title: str
    company: str
    description: str
    requirements: str
    question_ids: list[int]
    created_at: datetime


# --- question bank ---
class QuestionCreate(Strict):
    content: Annotated[Text, Field(max_length=2000)]
    category: Category
    difficulty: Difficulty = Difficulty.medium
    rubric_json: Rubric
    position: Annotated[Str, Field(max_length=255)] | None = None
    language: Literal["en", "ko"] = "en"


class QuestionUpdate(Strict):
    content: Annotated[Text, Field(max_length=2000)] | None = None
    category: Category | None = None
    difficulty: Difficulty | None = None
    rubric_json: Rubric | None = None
    position: Annotated[Str, Field(max_length=255)] | None = None
    language: Literal["en", "ko"] | None = None
    is_active: bool | None = None


class QuestionPublic(BaseModel):
    id: int
    content: str
    category: str
    difficulty: str
    rubric_json: dict[str, Any]
    position: str | None
    language: str
    owner_id: int | None
    # NULL: the public bank, curated by admins.
    organisation_id: int | None = None
    is_active: bool
    usage_count: int
    avg_score: float | None
    created_at: datetime


class QuestionSearchHit(QuestionPublic):
    similarity: float


# --- interviews ---
class InterviewCreate(Strict):
    position: Annotated[Text, Field(max_length=255)]
    job_posting_id: DbId | None = None
    language: Literal["en", "ko"] = "en"
    question_count: Annotated[int, Field(ge=1, le=20)] = 5
    difficulty: Difficulty | None = None
    mode: Literal["practice", "screening"] = "practice"
    emotion_consent: bool = False


class InterviewUpdate(Strict):
    shared_with_recruiters: bool


class InterviewPublic(BaseModel):
    id: int
    candidate_id: int
    job_posting_id: int | None
    position: str
    status: str
    room_name: str
    language: str
    mode: str
    difficulty: str | None
    question_count: int
    emotion_consent: bool
    shared_with_recruiters: bool
    scheduled_time: datetime | None
    start_time: datetime | None
    end_time: datetime | None
    created_at: datetime
    overall_score: float | None
    plan_error: str | None


class PlanQuestionCandidateView(BaseModel):
    """A plan entry as its candidate sees it: no rubric (its expected points would give the answers away) and no
    bank id (which would let a candidate recognise a bank question across interviews)."""

    id: int
    order: int
    content: str
    category: str
    difficulty: str
    source: str
    parent_id: int | None


class PlanQuestionPublic(PlanQuestionCandidateView):
    """A plan entry as recruiters and admins see it."""

    rubric_json: dict[str, Any]
    bank_question_id: int | None


class JoinGrant(BaseModel):
    url: str
    token: str
    room: str
    identity: str


class ControlCommand(Strict):
    """What the interview page's buttons say to the interviewer."""

    type: Literal["done", "repeat"]


class StreamTicket(BaseModel):
    """Opens `GET /interviews/{id}/events?ticket=...` for one interview, within `expires_in_s` seconds."""

    ticket: str
    expires_in_s: int


# --- transcripts ---
class WordTiming(Strict):
    word: Annotated[Str, Field(max_length=100)]
    start_ms: Annotated[int, Field(ge=0, le=86_400_000)]
    end_ms: Annotated[int, Field(ge=0, le=86_400_000)]
    confidence: Annotated[float, Field(ge=0, le=1)] | None = None


class TranscriptCreate(Strict):
    interview_id: DbId
    speaker: Literal["AI", "User"]
    text: Annotated[Text, Field(max_length=20_000)]
    question_id: DbId | None = None
    order: Annotated[int, Field(ge=0, le=1_000_000)]
    start_ms: Annotated[int, Field(ge=0, le=86_400_000)] | None = None
    end_ms: Annotated[int, Field(ge=0, le=86_400_000)] | None = None
    confidence: Annotated[float, Field(ge=0, le=1)] | None = None
    sentiment_score: Annotated[float, Field(ge=-1, le=1)] | None = None
    emotion: Annotated[Str, Field(max_length=50)] | None = None
    words: Annotated[list[WordTiming], Field(max_length=5000)] | None = None
    is_answer_end: bool = False


class TranscriptPublic(BaseModel):
    id: int
    interview_id: int
    speaker: str
    text: str
    timestamp: datetime
    question_id: int | None
    order: int
    start_ms: int | None
    end_ms: int | None
    confidence: float | None
    sentiment_score: float | None
    emotion: str | None
    words: list[dict[str, Any]] | None
    is_answer_end: bool


# --- results ---
class DimensionScores(BaseModel):
    technical: float | None
    communication: float | None
    depth: float | None


class EvaluationFlag(BaseModel):
    """Something about an answer that a person should look at (written by the scoring worker)."""

    kind: str  # "manipulation_suspected" | "off_topic"
    detail: str = ""
    spans: list[str] = []


class ScoreOverridePublic(BaseModel):
    dimension: str
    score: float
    model_score: float | None
    reason: str
    author: str  # the username of who overrode it
    created_at: datetime


class EvaluationPublic(BaseModel):
    id: int
    interview_question_id: int
    question: str
    question_order: int  # the plan entry's order, as in the report's per-question details
    status: str
    # The scores that count: a recruiter's latest override of a dimension, the model's score otherwise.
    technical_score: float | None
    communication_score: float | None
    depth_score: float | None
    feedback: str | None
    evidence: list[str]
    flags: list[EvaluationFlag]
    relevance: float | None
    improvement_criterion: str | None
    # For recruiters and admins: what the model gave, and every override, newest first. A candidate sees the
    # effective scores only: `model_scores` is null and `overrides` empty.
    model_scores: DimensionScores | None
    overrides: list[ScoreOverridePublic]
    model: str | None
    prompt_version: str | None
    latency_ms: int | None
    created_at: datetime


class ScoreOverrideCreate(Strict):
    dimension: Dimension
    score: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    # The length is checked in the same step as the stripping, so that "  ab " reads "at least 3 characters".
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000), AfterValidator(storable)
    ]


class NoteCreate(Strict):
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), AfterValidator(storable)
    ]


class NotePublic(BaseModel):
    id: int
    evaluation_id: int
    author: str  # username
    text: str
    created_at: datetime


class ReportPublic(BaseModel):
    id: int
    interview_id: int
    technical_score: float | None
    communication_score: float | None
    cultural_fit_score: float | None
    overall_score: float | None
    summary_text: str | None
    details_json: dict[str, Any] | None
    evaluator_model: str | None
    created_at: datetime
    updated_at: datetime | None


# --- privacy: the candidate's own data ---
# Who did what to an interview that is not theirs; `export` is the candidate's own download.
AccessAction = Literal[
    "observe", "score_override", "note", "read_report", "read_transcripts", "read_evaluations", "export"
]


class AccessEventPublic(BaseModel):
    id: int
    interview_id: int
    action: str
    actor: str | None  # username; null once that account is deleted
    actor_role: str | None
    detail: dict[str, Any]
    created_at: datetime


class AccountDelete(Strict):
    """Deleting an account asks for its password again: a token left in a shared browser is not enough."""

    password: Annotated[Str, Field(min_length=1, max_length=200)]


class PrivacyPolicy(BaseModel):
    practice_retention_days: int


class ExpressionSamplePublic(BaseModel):
    t_ms: int
    face_found: bool
    dominant: str | None
    scores: dict[str, float] | None
    created_at: datetime


class InterviewExport(BaseModel):
    """One interview as its candidate sees it: the plan without rubrics, evaluations without the review."""

    interview: InterviewPublic
    plan: list[PlanQuestionCandidateView]
    transcripts: list[TranscriptPublic]
    evaluations: list[EvaluationPublic]
    report: ReportPublic | None
    expression_samples: list[ExpressionSamplePublic]
    access_log: list[AccessEventPublic]


class DataExport(BaseModel):
    exported_at: datetime
    profile: UserPublic
    interviews: list[InterviewExport]
