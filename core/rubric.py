"""Rubrics: the shape every question's rubric_json must have, and the default rubric of each category."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.tables import Category
from core.text import StorableStr


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: StorableStr = Field(min_length=1, max_length=80)
    description: StorableStr = Field(default="", max_length=500)
    weight: float = Field(gt=0, le=1)


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")
    criteria: list[Criterion] = Field(min_length=1, max_length=10)
    expected_points: list[StorableStr] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _criteria_are_distinct_and_weighted(self) -> "Rubric":
        names = [criterion.name.strip().lower() for criterion in self.criteria]
        if len(set(names)) != len(names):
            raise ValueError("criterion names must be unique")
        total = sum(criterion.weight for criterion in self.criteria)
        if abs(total - 1.0) > 0.01:
            raise ValueError(f"criterion weights must add up to 1.0 (they add up to {total:.2f})")
        for point in self.expected_points:
            if not point.strip() or len(point) > 300:
                raise ValueError("expected points must be non-empty and at most 300 characters")
        return self


def _rubric(*criteria: tuple[str, str, float]) -> dict[str, Any]:
    return Rubric(criteria=[Criterion(name=n, description=d, weight=w) for n, d, w in criteria]).model_dump()


DEFAULT_RUBRICS: dict[str, dict[str, Any]] = {
    Category.technical: _rubric(
        ("Correctness", "Technically accurate statements and sound reasoning", 0.4),
        ("Depth", "Explains trade-offs, internals or edge cases, not just names", 0.35),
        ("Clarity", "Structured, concrete explanation with examples", 0.25),
    ),
    Category.behavioral: _rubric(
        ("Situation and task", "Sets out the context and their own responsibility", 0.25),
        ("Actions", "Specific actions the candidate took personally", 0.4),
        ("Result and reflection", "Measurable outcome and what they learned", 0.35),
    ),
    Category.situational: _rubric(
        ("Judgement", "Weighs options and risks before deciding", 0.4),
        ("Plan", "A concrete, ordered plan of action", 0.35),
        ("Communication", "Involves the right people at the right time", 0.25),
    ),
    Category.cultural_fit: _rubric(
        ("Values", "Motivation and values relevant to the team and role", 0.4),
        ("Collaboration", "Examples of working with and supporting others", 0.35),
        ("Self-awareness", "Honest view of strengths and growth areas", 0.25),
    ),
}


def default_rubric(category: str) -> dict[str, Any]:
    return DEFAULT_RUBRICS.get(category, DEFAULT_RUBRICS[Category.technical])
