"""Turn-taking rules for interviews: when silence means "I have finished answering"."""

import re

# Endings that mean the candidate is still thinking aloud: fillers, "let me think", a dangling conjunction.
_UNFINISHED_EN = re.compile(
    r"(\b(um+|uh+|hmm+|erm+|er|ah+|let me (think|see)|give me a (second|moment)|and|but|so|because|or|"
    r"like|then|which|the|a|an|to|of|with|for)|,|\.\.\.|…|-)\s*$",
    re.IGNORECASE,
)
_UNFINISHED_KO = re.compile(r"(음+|어+|그+|그러니까|잠시만요|잠깐만요|생각해\s?보면|그리고|그래서|근데|…|\.\.\.|,)\s*$")


# A recognizer closes every utterance with a full stop, even "I would start with the." (Whisper does): the words
# decide, so one closing full stop, question or exclamation mark is looked past. An ellipsis is kept: it says more.
_CLOSING_MARK = re.compile(r"(?<!\.)[.!?]\s*$")


def sounds_unfinished(text: str) -> bool:
    """True when the last words suggest the answer goes on after a pause."""
    stripped = text.strip()
    if not stripped:
        return False
    if _UNFINISHED_EN.search(stripped) or _UNFINISHED_KO.search(stripped):
        return True
    words = _CLOSING_MARK.sub("", stripped)
    return words != stripped and bool(_UNFINISHED_EN.search(words) or _UNFINISHED_KO.search(words))


def required_silence_s(
    last_text: str, *, end_of_turn_s: float, thinking_s: float, likely_done: bool = False, likely_end_s: float = 0.6
) -> float:
    """The silence after which an answer counts as finished: longer after a hesitation, shorter when the turn
    detector hears a finished sentence (it judges the voice, these rules the words; the words win)."""
    if sounds_unfinished(last_text):
        return thinking_s
    return likely_end_s if likely_done else end_of_turn_s
