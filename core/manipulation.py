"""Spotting an answer that talks to the assessor instead of the interviewer, in English and Korean.

Prompting keeps such text from acting as instructions (core.prompting); this finds it so that the score is computed
without it and a recruiter sees what was tried. Patterns look for what no honest answer needs: addressing the
grader, demanding a score, fake model output, chat-template role tags, or a quote closed on purpose.
"""

import re
from dataclasses import dataclass

_ASSESSOR = (
    r"(?:assessor|grader|evaluator|scorer|marker|examiner|reviewer|judge|rater|scoring (?:model|system|ai)|"
    r"ai (?:model|assessor|grader|evaluator)|language model|llm|system)s?"
)
# Who only a manipulation attempt would address by name (no "system" or "reviewer": honest answers mention those).
_GRADER = (
    r"(?:assessor|grader|evaluator|scorer|examiner|rater|scoring (?:model|system|ai)|"
    r"ai (?:assessor|grader|evaluator))s?"
)
_SCORE_WORDS = (
    r"(?:100|a hundred|one hundred|full (?:marks|points|score)|perfect (?:score|marks|10|ten)|top (?:marks|score)|"
    r"maximum (?:score|points|marks)|the highest (?:score|marks|rating)|highest (?:score|marks)|ten out of ten|"
    r"10 ?/ ?10|10 out of 10|five stars|an? (?:a\+|perfect)|excellent scores?|high(?:est)? scores?|"
    r"max(?:imum)? scores?)"
)

# (kind, pattern): each pattern is matched case-insensitively against the whole answer.
PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "addresses the assessor",
        rf"\b(?:note|message|instructions?|memo|reminder|directive)s? (?:to|for) (?:the |any |all )?{_ASSESSOR}\b",
    ),
    ("addresses the assessor", rf"\b{_GRADER} (?:instructions?|notes?|override|directive|update)\b"),
    ("addresses the assessor", rf"(?:^|[.!?]\s*|\b(?:dear|hey|attention) ){_ASSESSOR}\s*[:,]"),
    (
        "overrides the instructions",
        r"\b(?:ignore|disregard|forget|override|bypass|skip|drop)\b(?: \w+){0,3} "
        r"(?:rubric|prompt|system (?:message|prompt)|(?:scoring|grading|assessment|evaluation) "
        r"(?:rules|criteria|guidelines|instructions))\b"
        r"|\b(?:ignore|disregard|forget|override|bypass)\b (?:all |any )?(?:the )?"
        r"(?:previous|prior|above|earlier|preceding|your|other|original|system)(?: \w+)? "
        r"(?:instructions?|rules|guidelines|criteria|directions|prompts?)\b",
    ),
    (
        "overrides the instructions",
        r"\b(?:rubric|criteria|scoring rules?|instructions?)\b (?:is|are|has been|have been) (?:now )?"
        r"(?:suspended|disabled|void|replaced|waived|cancelled|canceled|updated|changed|lifted|not applicable)",
    ),
    ("addresses the assessor", rf"\byou are (?:an? |the )?(?:\w+ ){{0,2}}{_ASSESSOR}\b"),
    (
        "overrides the instructions",
        r"\b(?:new|updated) (?:instructions?|rules?|rubric|scoring)\s*[:\uff1a]|\binstructions? \((?:updated|new)\)",
    ),
    (
        "demands a score",
        r"\b(?:give|award|assign|grant|score|rate|grade|mark|receive|get|record|be given|output)s?\b"
        rf"(?: \w+){{0,5}}? {_SCORE_WORDS}(?!\w)",
    ),
    ("demands a score", rf"\b(?:deserves?|worth|earns?|merits?|warrants?)\b(?: \w+){{0,3}}? {_SCORE_WORDS}(?!\w)"),
    (
        "demands a score",
        rf"{_SCORE_WORDS} (?:on|for|in|across) (?:every|all|each|all three|both)(?: \w+)? "
        r"(?:dimensions?|categor(?:y|ies)|criteri(?:on|a)|scores?)",
    ),
    (
        "demands a score",
        r"\b(?:score|rate|grade|mark|evaluate|judge)\b (?:me|this(?: answer)?|my answer|it)(?: \w+){0,2} "
        r"(?:highly|generously|favou?rably|leniently|high)\b",
    ),
    (
        "grades itself",
        r"\b(?:this|the above|the previous|my|the) answer (?:above )?(?:is|was|should be (?:considered|treated as))"
        r" (?:exemplary|perfect|flawless|outstanding|excellent|a model answer|complete and correct)\b"
        r"|\b(?:this|the above|the previous|the preceding) answer (?:demonstrates|shows|meets|covers|exceeds|satisfies)"
        r" (?:every|all|each)\b",
    ),
    (
        "claims authority",
        r"\b(?:pre-?approved|already (?:approved|hired|selected|passed))\b"
        r"|\bnote from (?:the|your) (?:\w+ ){0,3}(?:lead|manager|interviewer|recruiter|panel|cto|ceo|team)\b",
    ),
    (
        "claims authority",
        r"\bas (?:the|your) (?:hiring manager|interviewer|recruiter|assessor|administrator|admin|developer|creator|"
        r"operator|owner)\b(?: of this (?:system|platform|test))?,? i\b",
    ),
    ("pleads for a score", r"\bmy (?:visa|job|career|family|life|future|rent)\b(?: \w+){0,3} depends on\b"),
    ("fake model output", r"\{[^{}]*\}|[{}]"),  # nobody speaks braces: a transcript with JSON in it was typed
    (
        "fake model output",
        r"\b(?:copy|output|return|print|use|record)\b(?: \w+){0,3} (?:these|this|the following|exactly) "
        r"(?:scores?|json|output)"
        r"|\b(?:technical|communication|depth)(?: score)?\s*[:=]?\s*100\b",
    ),
    (
        "fake model output",
        r"[{,]\s*\\?[\"']?(?:technical_score|communication_score|depth_score|score|scores|feedback)\\?[\"']?\s*:",
    ),
    (
        "role tag",
        r"<\|?\s*/?\s*(?:im_start|im_end|system|assistant|user|endoftext|eot_id|start_header_id|end_header_id)\s*\|?>"
        r"|\[/?(?:system|inst|assistant|sys)\]|<<\s*/?sys\s*>>|#{2,}\s*(?:system|instructions?|assistant|response)\b"
        r"|</?\s*(?:answer|instructions?|system|prompt|rubric)\s*>",
    ),
    ("closes the quote", r"\"\"\"|'''|```"),
    ("role tag", r"(?:^|\n|[.!?]\s+)(?:system|assistant)\s*:"),
    # Korean: the grader (채점자, 평가자, 심사위원, 시스템) addressed, instructions to ignore, score demands.
    (
        "addresses the assessor",
        r"(?:채점자|평가자|심사위원|심사관|채점\s*(?:AI|모델|시스템)|평가\s*(?:AI|모델|시스템)|시스템)"
        r"\s*(?:에게|께|님)?\s*[:\uff1a]",
    ),
    ("addresses the assessor", r"(?:채점자|평가자|심사위원|심사관|채점\s*모델|평가\s*모델)(?:에게|께|님|분들)"),
    (
        "overrides the instructions",
        r"(?:루브릭|평가\s*기준|채점\s*기준|이전\s*지시|위의?\s*지시|지시\s*사항|모든\s*지시|기존\s*지시)"
        r"(?:을|를|은|는)?\s*(?:모두\s*)?(?:무시|잊|따르지)",
    ),
    (
        "demands a score",
        r"(?:만점|100\s*점|최고\s*점수|최고점|높은\s*점수|백\s*점)(?:을|를|으로|로)?\s*"
        r"(?:주|줘|부여|매기|매겨|출력|처리|이어야|여야|입니다|이다|받아야)",
    ),
    ("grades itself", r"(?:이|위|제)\s*답변은?\s*(?:완벽|모범|훌륭|최고)"),
    ("pleads for a score", r"점수(?:를)?\s*(?:좀\s*)?(?:높게|잘|후하게|많이)\s*(?:주|줘|부탁)"),
    ("claims authority", r"(?:팀장|매니저|면접관|채용\s*담당자?|관리자|인사\s*담당자?|임원|대표)(?:으로서|로서)"),
    ("fake model output", r"(?:JSON|출력|점수)(?:을|를)?\s*(?:그대로\s*)?출력"),
)
_COMPILED = tuple((kind, re.compile(pattern, re.IGNORECASE | re.MULTILINE)) for kind, pattern in PATTERNS)
_SENTENCE = re.compile(r"[^.!?。\n]*(?:[.!?。]+|\n|$)")
MAX_SPAN_WORDS = 40  # a run-on transcript with no full stop: keep the cut near the match, not the whole answer


@dataclass(frozen=True)
class Attempt:
    kind: str
    start: int
    end: int
    text: str


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence where the match starts to the end of the one where it ends."""
    left, right = start, end
    for sentence in _SENTENCE.finditer(text):
        if sentence.start() <= start < sentence.end():
            left = sentence.start()
        if sentence.start() < end <= sentence.end():
            right = sentence.end()
            break
    if len(text[left:right].split()) > MAX_SPAN_WORDS:
        # Words before the match stay; the rest of the run-on sentence after it is treated as the request.
        left = start
    return left, right


def find_attempts(answer: str) -> list[Attempt]:
    """The sentences of `answer` that try to steer the assessor, merged where they overlap, in order."""
    bounds: list[tuple[int, int, str]] = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(answer):
            left, right = _sentence_bounds(answer, match.start(), match.end())
            bounds.append((left, right, kind))
    merged: list[tuple[int, int, str]] = []
    for left, right, kind in sorted(bounds):
        if merged and left <= merged[-1][1]:
            first_left, first_right, first_kind = merged[-1]
            merged[-1] = (first_left, max(first_right, right), first_kind)
        else:
            merged.append((left, right, kind))
    return [
        Attempt(kind=kind, start=left, end=right, text=answer[left:right].strip())
        for left, right, kind in merged
        if answer[left:right].strip()
    ]


def without_attempts(answer: str, attempts: list[Attempt]) -> str:
    """The answer with the attempts cut out: what is scored."""
    kept, position = [], 0
    for attempt in attempts:
        kept.append(answer[position : attempt.start])
        position = attempt.end
    kept.append(answer[position:])
    return " ".join(" ".join(kept).split())
