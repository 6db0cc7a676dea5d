"""Feedback worth reading: addressed to the candidate, in the model's own words, tied to a rubric criterion.

A small model sometimes hands the candidate's transcript back as "feedback", or says nothing a candidate can act
on. These checks find that; the caller regenerates once and then falls back to feedback written from the scores and
the rubric, which is plain but always true.
"""

import re
from typing import Any

NGRAM = 4
MAX_COPIED_SHARE = 0.35  # of the feedback's word 4-grams that may also occur in the answer
_SECOND_PERSON_EN = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
# Korean feedback speaks to the candidate in the polite register (…습니다, …세요, …요) or names them (지원자님, 당신).
_ADDRESSED_KO = re.compile(r"(?:습니다|세요|십시오|요|니다)[.!?]?\s*$|지원자|당신|귀하")


def _ngrams(text: str, n: int = NGRAM) -> list[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def copied_share(text: str, sources: list[str]) -> float:
    """Share of `text`'s word 4-grams that also occur in any of `sources` (0 when it has none)."""
    grams = _ngrams(text)
    if not grams:
        return 0.0
    seen = {gram for source in sources for gram in _ngrams(source)}
    return sum(1 for gram in grams if gram in seen) / len(grams)


def addressed_to_candidate(text: str, language: str) -> bool:
    if language == "ko":
        return all(_ADDRESSED_KO.search(part.strip()) for part in re.split(r"(?<=[.!?])\s+", text) if part.strip())
    return bool(_SECOND_PERSON_EN.search(text))


def feedback_problems(*, strength: str, improvement: str, answers: list[str], language: str) -> list[str]:
    """What is wrong with the feedback, in words for the log; empty when it is fine."""
    problems = []
    for name, text in (("strength", strength), ("improvement", improvement)):
        if len(text.split()) < 4 and language != "ko":
            problems.append(f"{name} says nothing")
        if copied_share(text, answers) > MAX_COPIED_SHARE:
            problems.append(f"{name} copies the answer")
    if not addressed_to_candidate(f"{strength} {improvement}", language):
        problems.append("not addressed to the candidate")
    if strength.strip().lower() == improvement.strip().lower():
        problems.append("strength and improvement are the same")
    return problems


_BANDS_EN = (
    (75, "You gave a specific, well-supported answer."),
    (50, "You answered the question with relevant points."),
    (25, "You made a start on the question."),
    (0, "You attempted the question."),
)
_BANDS_KO = (
    (75, "구체적이고 근거가 분명한 답변을 하셨습니다."),
    (50, "질문에 맞는 내용으로 답변하셨습니다."),
    (25, "질문에 대한 답변을 시작하셨습니다."),
    (0, "질문에 답하려고 시도하셨습니다."),
)
_DIMENSION_PRAISE_EN = {
    "technical": "the technical content was the strongest part",
    "communication": "the way you explained it was the strongest part",
    "depth": "the detail you went into was the strongest part",
}
_DIMENSION_PRAISE_KO = {
    "technical": "기술적인 내용이 가장 좋았습니다",
    "communication": "설명하는 방식이 가장 좋았습니다",
    "depth": "깊이 있는 설명이 가장 좋았습니다",
}


def weakest_criterion(rubric: dict[str, Any]) -> dict[str, Any]:
    """Without the model's pick, the heaviest criterion: where improving moves the score most."""
    criteria = rubric.get("criteria") or [{"name": "Clarity", "description": "", "weight": 1.0}]
    return max(criteria, key=lambda c: float(c.get("weight", 0)))


def fallback_feedback(
    *, scores: dict[str, float], rubric: dict[str, Any], criterion: str | None, language: str
) -> tuple[str, str, str]:
    """(strength, improvement, criterion) written from the scores and the rubric: no model, nothing copied."""
    criteria = {str(c["name"]): c for c in rubric.get("criteria", [])}
    chosen = criteria.get(criterion or "") or weakest_criterion(rubric)
    name, description = str(chosen["name"]), str(chosen.get("description", "")).strip().rstrip(".")
    overall = sum(scores.values()) / max(len(scores), 1)
    best = max(scores, key=lambda key: scores[key]) if scores else "technical"
    if language == "ko":
        opening = next(text for floor, text in _BANDS_KO if overall >= floor)
        strength = f"{opening} {_DIMENSION_PRAISE_KO.get(best, '')}.".replace("..", ".")
        improvement = f"다음에는 '{name}' 기준을 보완해 보세요: {description or name}."
    else:
        opening = next(text for floor, text in _BANDS_EN if overall >= floor)
        strength = f"{opening[:-1]}; {_DIMENSION_PRAISE_EN.get(best, 'it was a fair attempt')}."
        # Rubric descriptions are noun phrases or clauses ("Explains trade-offs…", "clear"): quoted after a colon
        # they read right whatever their grammar.
        improvement = f"Next time, work on {name.lower()}" + (
            f": {description[:1].lower()}{description[1:]}." if description else "."
        )
    expected = [str(point) for point in rubric.get("expected_points", []) if str(point).strip()]
    if expected:
        point = expected[0].rstrip(".")
        improvement += (
            f" 예를 들어 이 점을 다뤄 보세요: {point}."
            if language == "ko"
            else f" For example, cover this point: {point}."
        )
    return strength, improvement, name
