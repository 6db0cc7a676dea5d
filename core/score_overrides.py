"""Score overrides: a person's correction of one dimension wins over the model's score for that dimension.

The API (the evaluation view) and the report worker both read overrides through this module, so that the page and
the report never disagree about which score counts. Override rows are never updated: the latest row per
dimension counts, and the model's own score stays on the evaluation.
"""

from collections.abc import Iterable, Sequence
from typing import Literal, get_args

from sqlmodel import Session, col, select

from core.tables import AnswerEvaluation, ScoreOverride

Dimension = Literal["technical", "communication", "depth"]
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)


def model_scores(evaluation: AnswerEvaluation) -> dict[str, float | None]:
    """What the model gave, per dimension."""
    return {dimension: getattr(evaluation, f"{dimension}_score") for dimension in DIMENSIONS}


def latest_by_dimension(overrides: Iterable[ScoreOverride]) -> dict[str, ScoreOverride]:
    """The latest override of each dimension among one evaluation's rows (in any order)."""
    latest: dict[str, ScoreOverride] = {}
    for row in overrides:
        current = latest.get(row.dimension)
        if current is None or (row.created_at, row.id or 0) > (current.created_at, current.id or 0):
            latest[row.dimension] = row
    return latest


def latest_overrides(session: Session, evaluation_ids: Sequence[int]) -> dict[int, dict[str, ScoreOverride]]:
    """evaluation id → dimension → its latest override; evaluations without overrides are absent."""
    if not evaluation_ids:
        return {}
    rows = session.exec(select(ScoreOverride).where(col(ScoreOverride.evaluation_id).in_(list(evaluation_ids))))
    by_evaluation: dict[int, list[ScoreOverride]] = {}
    for row in rows:
        by_evaluation.setdefault(row.evaluation_id, []).append(row)
    return {evaluation_id: latest_by_dimension(found) for evaluation_id, found in by_evaluation.items()}


def effective_scores(evaluation: AnswerEvaluation, latest: dict[str, ScoreOverride]) -> dict[str, float | None]:
    """The scores that count: the latest override of a dimension when there is one, the model's score otherwise.
    Keys: "technical", "communication", "depth"."""
    given = model_scores(evaluation)
    return {dimension: latest[dimension].score if dimension in latest else given[dimension] for dimension in DIMENSIONS}
