"""The final report: dimension scores from per-answer evaluations, plus per-question details. Pure functions."""

import re
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from core.prompting import messages_with_material
from workers.pipelines.feedback import copied_share

CULTURE_CATEGORIES = ("behavioral", "cultural_fit")
# The overall score weighs the dimensions that exist; a dimension with no scored answer is left out, not zero.
WEIGHTS = {"technical": 0.5, "communication": 0.3, "cultural_fit": 0.2}


@dataclass(frozen=True)
class AnswerResult:
    order: int
    question: str
    category: str
    status: str
    technical_score: float | None
    communication_score: float | None
    depth_score: float | None
    feedback: str | None
    evidence: list[str]
    answer: str
    follow_up: bool = False
    thinking_ms: int | None = None  # end of the spoken question → the candidate's first word
    flags: list[dict[str, Any]] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)  # dimensions whose score a person set


def _answer_score(result: AnswerResult) -> float:
    parts = [result.technical_score, result.communication_score, result.depth_score]
    return mean(p for p in parts if p is not None)


def dimension_scores(results: list[AnswerResult]) -> dict[str, float | None]:
    scored = [r for r in results if r.status == "scored"]
    technical = [r.technical_score for r in scored if r.technical_score is not None]
    communication = [r.communication_score for r in scored if r.communication_score is not None]
    culture = [_answer_score(r) for r in scored if r.category in CULTURE_CATEGORIES]
    return {
        "technical": round(mean(technical), 1) if technical else None,
        "communication": round(mean(communication), 1) if communication else None,
        "cultural_fit": round(mean(culture), 1) if culture else None,
    }


def overall_score(dimensions: dict[str, float | None]) -> float | None:
    present = {name: value for name, value in dimensions.items() if value is not None}
    if not present:
        return None
    weight = sum(WEIGHTS[name] for name in present)
    return round(sum(WEIGHTS[name] * value for name, value in present.items()) / weight, 1)


def question_details(results: list[AnswerResult]) -> list[dict[str, Any]]:
    return [
        {
            "order": r.order,
            "question": r.question,
            "category": r.category,
            "status": r.status,
            "answer": r.answer,
            "scores": None
            if r.status != "scored"
            else {"technical": r.technical_score, "communication": r.communication_score, "depth": r.depth_score},
            "feedback": r.feedback,
            "evidence": r.evidence,
            "rationale": _rationale(r),
            "follow_up": r.follow_up,
            "thinking_ms": r.thinking_ms,
            "flags": [flag["kind"] for flag in r.flags],
            "notices": notices(r),
            "overridden": r.overridden,
        }
        # In the order given: the conversation's order, follow-ups right after their question.
        for r in results
    ]


def _rationale(result: AnswerResult) -> str:
    if result.status == "scored":
        quoted = f' Evidence: "{result.evidence[0]}".' if result.evidence else " No quote supported the score."
        return f"Scored against the question's rubric.{quoted}"
    if result.status == "insufficient_evidence":
        return "Not scored: the answer gave too little to assess."
    if result.status == "pending":
        return "Not scored yet."
    return "Not scored: the evaluation failed."


_NOTICES = {
    "off_topic": "This answer did not address the question, so it scored low on the question's criteria.",
    "manipulation_suspected": "Part of this answer spoke to the assessor instead of answering (quoted for the "
    "recruiter); that part was not scored.",
}


def notices(result: AnswerResult) -> list[str]:
    """What the flags mean, in plain words, for the candidate and the recruiter."""
    return [_NOTICES[flag["kind"]] for flag in result.flags if flag.get("kind") in _NOTICES]


def flag_counts(results: list[AnswerResult]) -> dict[str, int]:
    return {kind: sum(1 for r in results if any(f.get("kind") == kind for f in r.flags)) for kind in _NOTICES}


HEADINGS = {"en": ("Strengths:", "To improve:"), "ko": ("강점:", "개선할 점:")}
SUMMARY_INSTRUCTIONS = (
    'You write short, specific interview feedback for the candidate, addressed to them as "you", in {language}. '
    "From the per-question feedback, write two short paragraphs, the first starting with '{strengths}' and the "
    "second with '{improve}'. Say what to do differently, in your own words; do not quote the answers and give no "
    "scores."
)


def summary_messages(results: list[AnswerResult], language: str) -> list[dict[str, str]]:
    strengths, improve = HEADINGS.get(language, HEADINGS["en"])
    return messages_with_material(
        SUMMARY_INSTRUCTIONS.format(
            language="Korean" if language == "ko" else "English", strengths=strengths, improve=improve
        ),
        {
            "per_question_feedback": [
                {"question": r.order, "category": r.category, "feedback": r.feedback or ""}
                for r in sorted(results, key=lambda r: r.order)
                if r.status == "scored"
            ]
        },
    )


def summary_problems(summary: str, results: list[AnswerResult], language: str) -> list[str]:
    strengths, improve = HEADINGS.get(language, HEADINGS["en"])
    problems = []
    if strengths not in summary or improve not in summary:
        problems.append("missing a heading")
    if copied_share(summary, [r.answer for r in results]) > 0.2:
        problems.append("copies the answers")
    return problems


_FIRST_SENTENCE = re.compile(r"^(.+?[.!?。])(?:\s+|$)(.*)$", re.DOTALL)


def _split_feedback(feedback: str) -> tuple[str, str]:
    """Per-answer feedback is the strength sentence, then the improvement."""
    match = _FIRST_SENTENCE.match(feedback.strip())
    return (match.group(1), match.group(2).strip()) if match else (feedback.strip(), "")


def fallback_summary(results: list[AnswerResult], language: str) -> str:
    """The summary from the checked per-answer feedback: strengths of the best answers, improvements of the weakest."""
    strengths, improve = HEADINGS.get(language, HEADINGS["en"])
    scored = sorted((r for r in results if r.status == "scored" and r.feedback), key=_answer_score, reverse=True)
    best = [_split_feedback(r.feedback or "")[0] for r in scored[:2]]
    worst = [_split_feedback(r.feedback or "")[1] for r in reversed(scored[-2:])]
    return f"{strengths} {' '.join(best)}\n\n{improve} {' '.join(part for part in worst if part)}".strip()


def tidy_summary(text: str, max_lines: int = 12) -> str:
    """Small models loop ("- Improve X" twenty times): keep each line once, in order, and at most `max_lines`."""
    kept: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        key = " ".join(line.lower().split()).strip("-*• ")
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(line.rstrip())
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept[:max_lines]).strip()


def expression_summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of frames per dominant expression and the timeline. Coaching only: never part of a score."""
    with_face = [s for s in samples if s["face_found"] and s["dominant"]]
    counts: dict[str, int] = {}
    for sample in with_face:
        counts[sample["dominant"]] = counts.get(sample["dominant"], 0) + 1
    return {
        "frames": len(samples),
        "frames_with_face": len(with_face),
        "share": {label: round(n / len(with_face), 3) for label, n in sorted(counts.items())} if with_face else {},
        "timeline": [{"t_ms": s["t_ms"], "dominant": s["dominant"] if s["face_found"] else "no_face"} for s in samples],
    }
