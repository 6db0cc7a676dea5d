"""What the rubric asks for, counted in the answer: specifics, reasons and trade-offs, structure, personal actions,
measurable results, and vagueness. A second, deterministic opinion beside the model's.

Why: the offline evaluation model (Qwen2.5 0.5B) scores noisily; on the labelled set it gave a weak answer the same
60 as an adequate one. These counts follow the default rubrics' criteria (Depth: "explains trade-offs", Result:
"measurable outcome", Actions: "specific actions the candidate took personally", Clarity: "structured, concrete") and
are blended with the model's scores (workers/pipelines/assessment.py, weights in BENCHMARKS.md). They cannot be gamed
alone: an off-topic answer is capped whatever it contains, manipulation is cut before counting, and the model still
carries its half.
"""

import re
from dataclasses import dataclass

from workers.pipelines.answer_text import content_words

_NUMBER = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:%|percent|ms|milliseconds?|seconds?|minutes?|hours?|days?|weeks?|months?|years?|x|times)?"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|hundred|thousand|million|half|double|twice)\b"
    r"|\d+\s*(?:%|퍼센트|배|초|분|시간|일|주|개월|년|명|건|밀리초)",
    re.IGNORECASE,
)
_TERM = re.compile(r"\b(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[a-z]+_[a-z_]+|[A-Za-z]+\d+[A-Za-z\d]*)\b|[A-Za-z]{2,}")
_REASONING = re.compile(
    r"\b(?:because|so that|instead of|rather than|trade-?offs?|which means|therefore|otherwise|however|but|unless|"
    r"the downside|the cost|the risk|depends on|in case|edge cases?|at the expense of)\b"
    r"|때문에|그래서|대신|하지만|따라서|반면|트레이드오프|단점|위험|비용|경우에는|그러면|덕분에",
    re.IGNORECASE,
)
_STRUCTURE = re.compile(
    r"\b(?:first(?:ly)?|second(?:ly)?|then|next|after that|finally|last(?:ly)?|in the end|for example|for instance|"
    r"to start|once)\b|먼저|첫째|둘째|그다음|그 다음|다음으로|마지막으로|예를 들어|결국",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"\b(?:I|I'd|I'm|I've|I'll|my)\b|저는|제가|저희", re.IGNORECASE)
_RESULT = re.compile(
    r"\b(?:reduced|increased|cut|saved|shipped|delivered|improved|dropped|grew|brought|fell|went from|learned|"
    r"learnt|lesson|result|outcome|measured|zero)\b|줄였|늘렸|단축|개선|절감|배웠|결과|성과|달성",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:i guess|maybe|just|i think|kind of|sort of|stuff|things|google it|not sure|i don't know|whatever|"
    r"more or less|it was fine|probably)\b|그냥|아마|잘 모르|대충|글쎄|뭐 그런",
    re.IGNORECASE,
)


def _rate(count: int, words: int, per_100: float) -> float:
    """0..1: how close the answer comes to `per_100` occurrences per hundred words (a short answer cannot reach
    it by one lucky word: the rate is taken over at least 60 words)."""
    return min(1.0, count / max(words, 60) * 100 / per_100)


@dataclass(frozen=True)
class EvidenceScores:
    technical: float
    communication: float
    depth: float

    def as_dict(self) -> dict[str, float]:
        return {"technical": self.technical, "communication": self.communication, "depth": self.depth}


def evidence_scores(answer: str, relevance_margin: float) -> EvidenceScores:
    """Three 0-100 scores from counts. `relevance_margin` is 0..1: how far above the off-topic threshold the answer's
    relevance lies (the caller normalises it)."""
    words = max(len(content_words(answer)), 1)
    length = min(1.0, words / 110)
    specifics = _rate(
        len(_NUMBER.findall(answer)) + len([t for t in _TERM.findall(answer) if t[0].isupper()]), words, 8
    )
    reasons = _rate(len(_REASONING.findall(answer)), words, 3)
    structure = _rate(len(_STRUCTURE.findall(answer)), words, 2.5)
    personal = _rate(len(_PERSONAL.findall(answer)), words, 5)
    results = _rate(len(_RESULT.findall(answer)) + len(_NUMBER.findall(answer)), words, 4)
    vague = min(1.0, len(_VAGUE.findall(answer)) / max(words / 25, 1))
    penalty = 30 * vague
    technical = 100 * (0.3 * length + 0.3 * specifics + 0.2 * relevance_margin + 0.2 * reasons) - penalty
    communication = 100 * (0.35 * length + 0.3 * structure + 0.2 * personal + 0.15 * relevance_margin) - penalty
    depth = 100 * (0.35 * length + 0.3 * reasons + 0.2 * results + 0.15 * specifics) - penalty
    return EvidenceScores(*(float(round(min(max(value, 0), 100))) for value in (technical, communication, depth)))
