"""Per-answer evaluations as people see them: effective scores, flags, and (for recruiters and admins) the model's
own scores and the override history. Also the one lookup that decides who may act on an evaluation."""

from collections.abc import Sequence

from fastapi import HTTPException, status
from sqlmodel import Session, col, select

from api.schemas import DimensionScores, EvaluationFlag, EvaluationPublic, ScoreOverridePublic
from api.services.access import interview_visibility
from core.score_overrides import effective_scores, latest_overrides, model_scores
from core.tables import AnswerEvaluation, Interview, InterviewQuestion, Role, ScoreOverride, User

EVALUATION_NOT_FOUND = "Evaluation not found."
# Columns the view replaces (the three scores by the effective ones) or leaves out.
_REPLACED = {"interview_id", "updated_at", "flags", "technical_score", "communication_score", "depth_score"}


def get_visible_evaluation(session: Session, user: User, evaluation_id: int) -> tuple[AnswerEvaluation, Interview]:
    """The evaluation and its interview, when the user may see the interview; 404 otherwise, as if it did not exist."""
    found = session.exec(
        select(AnswerEvaluation, Interview)
        .join(Interview, col(Interview.id) == AnswerEvaluation.interview_id)
        .where(AnswerEvaluation.id == evaluation_id, interview_visibility(user))
    ).first()
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, EVALUATION_NOT_FOUND)
    return found


def _override_history(session: Session, evaluation_ids: Sequence[int]) -> dict[int, list[ScoreOverridePublic]]:
    """evaluation id → every override with its author's username, newest first."""
    rows = session.exec(
        select(ScoreOverride, User.username)
        .join(User, col(User.id) == ScoreOverride.author_id)
        .where(col(ScoreOverride.evaluation_id).in_(list(evaluation_ids)))
        .order_by(col(ScoreOverride.created_at).desc(), col(ScoreOverride.id).desc())
    )
    history: dict[int, list[ScoreOverridePublic]] = {}
    for row, username in rows:
        history.setdefault(row.evaluation_id, []).append(
            ScoreOverridePublic(
                **row.model_dump(include={"dimension", "score", "model_score", "reason", "created_at"}), author=username
            )
        )
    return history


def evaluation_views(
    session: Session, viewer: User, rows: Sequence[tuple[AnswerEvaluation, InterviewQuestion]]
) -> list[EvaluationPublic]:
    """Candidates see the effective scores and the flags; recruiters and admins also the model's scores and who
    overrode what."""
    ids = [evaluation.id for evaluation, _ in rows if evaluation.id is not None]
    latest = latest_overrides(session, ids)
    staff = viewer.role != Role.candidate
    history = _override_history(session, ids) if staff and ids else {}
    views = []
    for evaluation, question in rows:
        effective = effective_scores(evaluation, latest.get(evaluation.id or 0, {}))
        views.append(
            EvaluationPublic(
                **evaluation.model_dump(exclude=_REPLACED),
                question=question.content,
                question_order=question.order,
                technical_score=effective["technical"],
                communication_score=effective["communication"],
                depth_score=effective["depth"],
                flags=[EvaluationFlag.model_validate(flag) for flag in evaluation.flags or []],
                model_scores=DimensionScores(**model_scores(evaluation)) if staff else None,
                overrides=history.get(evaluation.id or 0, []),
            )
        )
    return views


def interview_evaluations(session: Session, viewer: User, interview: Interview) -> list[EvaluationPublic]:
    rows = session.exec(
        select(AnswerEvaluation, InterviewQuestion)
        .join(InterviewQuestion, col(InterviewQuestion.id) == AnswerEvaluation.interview_question_id)
        .where(AnswerEvaluation.interview_id == interview.id)
        .order_by(col(InterviewQuestion.order))
    )
    return evaluation_views(session, viewer, list(rows))


def evaluation_view(session: Session, viewer: User, evaluation: AnswerEvaluation) -> EvaluationPublic:
    question = session.get(InterviewQuestion, evaluation.interview_question_id)
    if question is None:  # the foreign key makes this unreachable; kept for the type checker
        raise HTTPException(status.HTTP_404_NOT_FOUND, EVALUATION_NOT_FOUND)
    return evaluation_views(session, viewer, [(evaluation, question)])[0]
