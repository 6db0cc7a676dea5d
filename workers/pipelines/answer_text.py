"""What an answer's text holds before any model reads it: noise and fillers, whether it is built of sentences,
and the candidate's names and pronouns made neutral. Pure functions over the transcript."""

import re

from workers.pipelines.speech import FILLERS_EN, FILLERS_KO

MIN_WORDS = 5


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


# What speech-to-text writes for sound that is not an answer: noise markers, fillers, a microphone check.
_NOISE = re.compile(r"\[[^\]]{0,40}\]|\((?:inaudible|music|noise|static|laughs?|silence)\)", re.IGNORECASE)
# The speech metrics' one-word fillers, plus what people say while no answer is being given.
_NOT_AN_ANSWER = (
    "umm uhh mm mmm ah eh oh so yeah like well okay ok testing test hello mic check 아 네 그래서 에 음음 어어"
)
_FILLERS = frozenset(word for word in (*FILLERS_EN, *FILLERS_KO) if " " not in word) | frozenset(_NOT_AN_ANSWER.split())
_MIC_CHECK = re.compile(r"\b(?:can you hear me|is this (?:thing )?on|one two(?: three)?)\b", re.IGNORECASE)
# Words every English sentence is built with; a "sentence" without any is a list of words, not an answer.
_FUNCTION_WORDS = frozenset(
    [
        "i", "me", "my", "we", "our", "us", "you", "your", "it", "its", "they", "them", "their", "he", "she", "his",
        "her", "the", "a", "an", "this", "that", "these", "those", "to", "of", "in", "on", "at", "for", "with", "by",
        "from", "about", "into", "and", "or", "but", "because", "if", "when", "then", "than", "so", "as", "is", "are",
        "was", "were", "be", "been", "have", "has", "had", "do", "did", "does", "would", "will", "can", "could",
        "should", "not", "no", "what", "how", "why", "which", "who", "there", "here", "all", "some", "any", "first"
    ]
)  # fmt: skip
# Korean builds sentences with particles and endings attached to the word (the ambiguous single syllables 이, 가,
# 다, 요 are left out: they also end plain nouns such as 고양이 or 바다).
_KOREAN_ENDINGS = re.compile(
    r"(?:은|는|을|를|에서|에게|으로|로|와|과|도|의|고|서|면|지만|게|께|습니다|니다|어요|아요|해요|죠|했|었|았|"
    r"하는|하고|해서|했다|한다|된다|됩니다|있는|없는|하면)[.!?,]?$"
)


def content_words(answer: str) -> list[str]:
    """The answer's words without noise markers, fillers or a microphone check."""
    text = _MIC_CHECK.sub(" ", _NOISE.sub(" ", answer))
    return [word for word in _words(text) if word.lower() not in _FILLERS]


def insufficient_reason(answer: str) -> str | None:
    """Why an answer cannot be scored fairly, or None. No evidence, no numbers."""
    words = _words(answer)
    if not words:
        return "no answer"
    content = content_words(answer)
    if len(content) < MIN_WORDS:
        return f"too short to assess ({len(content)} words beyond fillers and noise)"
    letters = sum(ch.isalpha() for ch in answer)
    if letters < 0.5 * len(answer.replace(" ", "")):
        return "mostly unintelligible"
    distinct = {w.lower() for w in content}
    if len(distinct) <= 2 or len(distinct) < 0.3 * len(content):
        return "repetition without content"
    return None


def sentence_share(answer: str) -> float:
    """How much of the answer is built like sentences: the share of English function words, or of Korean words
    with a particle or ending. Word salad and keyboard mash score near zero; spoken answers 0.3 and more."""
    words = content_words(answer)
    if not words:
        return 0.0
    hangul = [w for w in words if re.search(r"[가-힣]", w)]
    if len(hangul) > len(words) / 2:
        return sum(1 for w in hangul if _KOREAN_ENDINGS.search(w)) / len(hangul)
    return sum(1 for w in words if w.lower() in _FUNCTION_WORDS) / len(words)


_GENDERED = {
    "he": "they",
    "she": "they",
    "him": "them",
    "his": "their",
    "her": "their",
    "hers": "theirs",
    "himself": "themself",
    "herself": "themself",
}
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Mx)\b\.?\s*")
# "her" before a noun is possessive ("their plan"), before anything else an object ("trusted them and").
_OBJECT_HER = re.compile(
    r"\s*(?:$|[^\w\s]|(?:and|or|to|with|for|in|on|at|as|because|that|the|a|an|so|if|when|but|first|again|too|back|"
    r"up|out|off|over|later|now|then|directly|personally|alone|instead|anyway|already|once|about|from|into|by)\b)",
    re.IGNORECASE,
)
_GENDERED_WORD = re.compile(r"\b(" + "|".join(_GENDERED) + r")\b", re.IGNORECASE)


def neutralised(answer: str, names: list[str]) -> str:
    """The answer as the model reads it: the candidate's names replaced and English pronouns made neutral, so that
    who the candidate is cannot move a score (the name-swap benchmark measures it)."""
    answer = _TITLE.sub("", answer)
    # Case-sensitive: a candidate called Will or May keeps the words "will" and "may" in their answer.
    parts = {part for name in names for part in (name, *name.split()) if len(part) >= 2}
    for name in sorted(parts, key=len, reverse=True):
        answer = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "the candidate", answer)

    def neutral(match: re.Match[str]) -> str:
        word = _GENDERED[match.group(1).lower()]
        if match.group(1).lower() == "her" and _OBJECT_HER.match(answer, match.end()):
            word = "them"
        return word.capitalize() if word and match.group(1)[0].isupper() else word

    return _GENDERED_WORD.sub(neutral, answer)
