"""A recruiter's review of one scored answer: override a score with a reason, keep private notes.

Recruiters who may see the interview and admins only. A candidate is refused (403) before anything is looked up,
so that these routes never tell a candidate whether an evaluation has notes or overrides."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from api.deps import BrokerDep, RedisDep, SessionDep, require_roles
from api.schemas import EvaluationPublic, NoteCreate, NotePublic, ScoreOverrideCreate
from api.services import answer_review, privacy
from api.services.evaluations import evaluation_view, get_visible_evaluation
from core.tables import Role, User

router = APIRouter(prefix="/evaluations", tags=["evaluations"])
EvaluationId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Reviewer = Annotated[
    User,
    Depends(
        require_roles(
            Role.recruiter,
            Role.admin,
            detail="Only recruiters and admins review answers; candidates see their scores in the report.",
        )
    ),
]


@router.post("/{evaluation_id}/overrides", response_model=EvaluationPublic, status_code=status.HTTP_201_CREATED)
def override_score(
    evaluation_id: EvaluationId,
    override_in: ScoreOverrideCreate,
    session: SessionDep,
    user: Reviewer,
    broker: BrokerDep,
    redis_client: RedisDep,
) -> EvaluationPublic:
    """Overrides one dimension of a scored answer. The model's score is kept; the latest override of a dimension
    counts, in this view and (rebuilt at once when the interview is completed) in the report."""
    evaluation, interview = get_visible_evaluation(session, user, evaluation_id)
    answer_review.add_override(
        session=session,
        evaluation=evaluation,
        interview=interview,
        author=user,
        override_in=override_in,
        broker=broker,
        redis_client=redis_client,
    )
    detail = {"evaluation_id": evaluation_id, "dimension": override_in.dimension}
    privacy.record_access(session, interview=interview, actor=user, action="score_override", detail=detail)
    return evaluation_view(session, user, evaluation)


@router.post("/{evaluation_id}/notes", response_model=NotePublic, status_code=status.HTTP_201_CREATED)
def add_note(evaluation_id: EvaluationId, note_in: NoteCreate, session: SessionDep, user: Reviewer) -> NotePublic:
    evaluation, interview = get_visible_evaluation(session, user, evaluation_id)
    note = answer_review.add_note(session=session, evaluation=evaluation, author=user, note_in=note_in)
    # The log says that a note was written, never what it says: notes stay private to recruiters.
    privacy.record_access(
        session, interview=interview, actor=user, action="note", detail={"evaluation_id": evaluation_id}
    )
    return note


@router.get("/{evaluation_id}/notes", response_model=list[NotePublic])
def list_notes(evaluation_id: EvaluationId, session: SessionDep, user: Reviewer) -> list[NotePublic]:
    """Private notes on one answer, oldest first."""
    evaluation, _ = get_visible_evaluation(session, user, evaluation_id)
    return answer_review.list_notes(session=session, evaluation=evaluation)
