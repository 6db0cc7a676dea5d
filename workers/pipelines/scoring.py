"""Scoring one answer against its question's rubric: pure steps around a JSON-constrained model call."""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from core.prompting import messages_with_material

PROMPT_VERSION = "score-v2"
SCORE_KEYS = ("technical_score", "communication_score", "depth_score")

# A hand-written GBNF grammar rather than llama-cpp-python's JSON-schema grammar, which ignores minimum/maximum,
# lets control characters into strings and has no length limit (so a small model can ramble past max_tokens and
# leave the JSON unterminated). Parsing still validates everything. The criterion the improvement targets can only
# be one of the rubric's own criteria, so feedback is always tied to one.
_GRAMMAR_RULES = r"""
root      ::= ( "{" ws "\"technical_score\":" ws score "," ws
                "\"communication_score\":" ws score "," ws "\"depth_score\":" ws score "," ws
                "\"strength\":" ws strength "," ws "\"criterion\":" ws criterion "," ws
                "\"improvement\":" ws improve "," ws "\"evidence\":" ws evidence ws "}" )
feedback  ::= ( "{" ws "\"strength\":" ws strength "," ws "\"criterion\":" ws criterion "," ws
                "\"improvement\":" ws improve ws "}" )
evidence  ::= "[" ws ( quote ( "," ws quote )? )? ws "]"
quote     ::= "\"" char{2,90} "\""
char      ::= [^"\\\x00-\x1f]
score     ::= "100" | [1-9] [0-9] | [0-9]
ws        ::= " "?
"""


def _gbnf_string(text: str) -> str:
    """A GBNF literal that matches the JSON encoding of `text` (criterion names are written by recruiters)."""
    encoded = json.dumps(text, ensure_ascii=False)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


# English feedback starts the way feedback to a person does: a small model otherwise writes "The candidate's
# answer…" about them, or copies their answer back (measured: most first drafts failed the feedback checks).
_OPENINGS = {"en": ('"You "', '"Next time, "')}


def score_grammar(rubric: dict[str, Any], *, language: str = "en", feedback_only: bool = False) -> str:
    """The scoring grammar, or (`feedback_only`) the one for rewriting feedback alone."""
    names = [str(c["name"]) for c in rubric.get("criteria", [])] or ["Clarity"]
    rules = (
        _GRAMMAR_RULES.replace("root      ::=", "scored    ::=").replace("feedback  ::=", "root      ::=")
        if feedback_only
        else _GRAMMAR_RULES
    )
    strength, improve = _OPENINGS.get(language, ('""', '""'))
    return (
        rules
        + f'strength  ::= "\\"" {strength} char{{10,140}} "\\""\n'
        + f'improve   ::= "\\"" {improve} char{{10,140}} "\\""\n'
        + "criterion ::= "
        + " | ".join(_gbnf_string(name) for name in names)
        + "\n"
    )


@dataclass(frozen=True)
class Score:
    technical_score: float
    communication_score: float
    depth_score: float
    strength: str
    improvement: str
    criterion: str
    evidence: list[str] = field(default_factory=list)

    @property
    def feedback(self) -> str:
        return f"{self.strength} {self.improvement}".strip()


LANGUAGE_NAMES = {"en": "English", "ko": "Korean"}

SCORING_INSTRUCTIONS = (
    "You are a strict, fair interview assessor. You judge one spoken answer against its question and rubric and "
    "score only what the candidate actually said about the question. Scores are integers from 0 to 100 for "
    "technical accuracy, communication and depth: an answer that does not address the question scores below 15; "
    "a vague, shallow or partly wrong answer below 40; a correct but general answer 40 to 70; a specific answer "
    "with concrete examples, reasons and trade-offs above 75. Names, gender and background of the candidate never "
    'change a score. Then write, in {language} and addressed to the candidate as "you", in your own words (never '
    "copy the answer): strength, one sentence on what was good; criterion, the one rubric criterion most worth "
    "improving; improvement, one concrete sentence on how to do better on that criterion next time. evidence: one "
    "to three short exact quotes from the answer that support the scores."
)


FEEDBACK_INSTRUCTIONS = (
    "You coach interview candidates. The material holds a question, its rubric, the candidate's answer and the "
    'scores it received. Write, in {language}, addressed to the candidate as "you" and in your own words (do not '
    "quote or repeat the answer): strength, one sentence on what was good; criterion, the one rubric criterion most "
    "worth improving; improvement, one concrete sentence on how to do better on that criterion next time."
)


def feedback_messages(
    *, question: str, rubric: dict[str, Any], answer: str, language: str, scores: dict[str, float]
) -> list[dict[str, str]]:
    """A second try at feedback only, when the first copied the answer or did not speak to the candidate."""
    return messages_with_material(
        FEEDBACK_INSTRUCTIONS.format(language=LANGUAGE_NAMES.get(language, "English")),
        {
            "question": question,
            "rubric_criteria": [
                {"name": c["name"], "description": c.get("description", "")} for c in rubric.get("criteria", [])
            ],
            "candidate_answer": answer,
            "scores": scores,
        },
    )


def parse_feedback(raw: str, rubric: dict[str, Any]) -> tuple[str, str, str]:
    """(strength, improvement, criterion) from the feedback-only answer; ValueError when unusable."""
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("model output is not a JSON object")
    strength, improvement = _sentence(data, "strength"), _sentence(data, "improvement")
    criterion = str(data.get("criterion", ""))
    if not strength or not improvement or criterion not in [str(c["name"]) for c in rubric.get("criteria", [])]:
        raise ValueError("feedback incomplete")
    return strength, improvement, criterion


def scoring_messages(*, question: str, rubric: dict[str, Any], answer: str, language: str) -> list[dict[str, str]]:
    """Instructions in the system message; the question, rubric and answer as JSON material (core.prompting)."""
    return messages_with_material(
        SCORING_INSTRUCTIONS.format(language=LANGUAGE_NAMES.get(language, "English")),
        {
            "question": question,
            "rubric_criteria": [
                {"name": c["name"], "weight": c["weight"], "description": c.get("description", "")}
                for c in rubric.get("criteria", [])
            ],
            "expected_points": list(rubric.get("expected_points", [])),
            "candidate_answer": answer,
        },
    )


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def quotes_in_answer(quotes: list[Any], answer: str, limit: int = 3) -> list[str]:
    """Keep only quotes that really occur in the answer (ignoring case and punctuation), without repeats."""
    haystack = _normalise(answer)
    kept: list[str] = []
    for quote in quotes:
        if not isinstance(quote, str):
            continue
        needle = _normalise(quote)
        if len(needle.split()) >= 2 and needle in haystack and quote.strip() not in kept:
            kept.append(quote.strip()[:300])
        if len(kept) == limit:
            break
    return kept


SENTENCE_END = re.compile(r"[.!?。](?=\s|$)")


def whole_sentences(text: str, min_chars: int = 10) -> str:
    """The grammar caps feedback at 220 characters, so a model that runs long stops in mid-sentence: keep the
    sentences that ended, or mark the cut when not even the first one did."""
    text = text.strip()
    if not text or text[-1] in ".!?。":
        return text
    ends = [match.end() for match in SENTENCE_END.finditer(text) if match.end() >= min_chars]
    return text[: ends[-1]] if ends else f"{text}…"


def _clamp(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"score is not a number: {value!r}") from error
    return float(min(max(round(number), 0), 100))


def _sentence(data: dict[str, Any], key: str) -> str:
    return whole_sentences(" ".join(str(data.get(key, "")).split())[:1000])


def parse_score(raw: str, answer: str, rubric: dict[str, Any] | None = None) -> Score:
    """Validate the model's JSON: numbers clamped to 0-100, sentences bounded, the criterion one of the rubric's,
    evidence verified against the answer. Raises ValueError when the output cannot be used."""
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("model output is not a JSON object")
    strength, improvement = _sentence(data, "strength"), _sentence(data, "improvement")
    if not strength or not improvement:
        raise ValueError("model gave no feedback")
    names = [str(c["name"]) for c in (rubric or {}).get("criteria", [])]
    criterion = str(data.get("criterion", ""))
    if names and criterion not in names:
        raise ValueError(f"criterion {criterion!r} is not in the rubric")
    evidence = data.get("evidence")
    return Score(
        technical_score=_clamp(data.get("technical_score")),
        communication_score=_clamp(data.get("communication_score")),
        depth_score=_clamp(data.get("depth_score")),
        strength=strength,
        improvement=improvement,
        criterion=criterion,
        evidence=quotes_in_answer(evidence if isinstance(evidence, list) else [], answer),
    )
