"""Scoring one answer against its question's rubric: pure steps around a JSON-constrained model call."""

import json
import re
from dataclasses import dataclass, field
from typing import Any

PROMPT_VERSION = "score-v1"
MIN_WORDS = 5
SCORE_KEYS = ("technical_score", "communication_score", "depth_score")

# A hand-written GBNF grammar rather than llama-cpp-python's JSON-schema grammar, which ignores minimum/maximum,
# lets control characters into strings and has no length limit (so a small model can ramble past max_tokens and
# leave the JSON unterminated). Parsing still validates everything.
SCORE_GRAMMAR = r"""
root      ::= ( "{" ws "\"technical_score\":" ws score "," ws "\"communication_score\":" ws score "," ws
                "\"depth_score\":" ws score "," ws "\"feedback\":" ws feedback "," ws
                "\"evidence\":" ws evidence ws "}" )
evidence  ::= "[" ws ( quote ( "," ws quote ){0,2} )? ws "]"
quote     ::= "\"" char{2,120} "\""
feedback  ::= "\"" char{20,220} "\""
char      ::= [^"\\\x00-\x1f]
score     ::= "100" | [1-9] [0-9] | [0-9]
ws        ::= " "?
"""


@dataclass(frozen=True)
class Score:
    technical_score: float
    communication_score: float
    depth_score: float
    feedback: str
    evidence: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def insufficient_reason(answer: str) -> str | None:
    """Why an answer cannot be scored fairly, or None. No evidence, no numbers."""
    words = _words(answer)
    if not words:
        return "no answer"
    if len(words) < MIN_WORDS:
        return f"too short to assess ({len(words)} words)"
    letters = sum(ch.isalpha() for ch in answer)
    if letters < 0.5 * len(answer.replace(" ", "")):
        return "mostly unintelligible"
    distinct = {w.lower() for w in words}
    if len(distinct) <= 2:
        return "repetition without content"
    return None


def scoring_messages(*, question: str, rubric: dict[str, Any], answer: str, language: str) -> list[dict[str, str]]:
    criteria = "\n".join(
        f"- {c['name']} (weight {c['weight']}): {c.get('description', '')}" for c in rubric.get("criteria", [])
    )
    expected = "\n".join(f"- {point}" for point in rubric.get("expected_points", [])) or "- (none given)"
    system = (
        "You are a strict, fair interview assessor. Score only what the candidate actually said. "
        "Scores are integers from 0 to 100. Evidence items are exact quotes copied from the answer."
    )
    user = (
        f"Question: {question}\n\nRubric criteria:\n{criteria}\nExpected points:\n{expected}\n\n"
        f'Candidate\'s answer:\n"""{answer}"""\n\n'
        "Return JSON with technical_score, communication_score and depth_score (0-100; a vague or wrong answer "
        "scores below 40, a precise answer that explains trade-offs above 75), feedback (two short sentences in "
        f"{'Korean' if language == 'ko' else 'English'}, addressed to the candidate: what was good, what to "
        "improve) and evidence (one to three short exact quotes from the answer)."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


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


def parse_score(raw: str, answer: str) -> Score:
    """Validate the model's JSON: numbers clamped to 0-100, feedback bounded, evidence verified against the answer.
    Raises ValueError when the output cannot be used."""
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("model output is not a JSON object")
    feedback = whole_sentences(" ".join(str(data.get("feedback", "")).split())[:1000])
    if not feedback:
        raise ValueError("model gave no feedback")
    evidence = data.get("evidence")
    return Score(
        technical_score=_clamp(data.get("technical_score")),
        communication_score=_clamp(data.get("communication_score")),
        depth_score=_clamp(data.get("depth_score")),
        feedback=feedback,
        evidence=quotes_in_answer(evidence if isinstance(evidence, list) else [], answer),
    )
