import pytest

from workers.pipelines.report import (
    AnswerResult,
    dimension_scores,
    expression_summary,
    overall_score,
    question_details,
    tidy_summary,
)
from workers.pipelines.speech import Segment, count_fillers, speech_metrics, thinking_times

pytestmark = pytest.mark.unit


def _words(text: str, start_ms: int, gap_ms: int = 100, length_ms: int = 300) -> list[dict[str, int | str]]:
    words = []
    t = start_ms
    for word in text.split():
        words.append({"word": word, "start_ms": t, "end_ms": t + length_ms})
        t += length_ms + gap_ms
    return words


def test_fillers_in_english_and_korean() -> None:
    assert count_fillers("Um, I mean, we basically, uh, shipped it. You know?", "en") == {
        "um": 1,
        "uh": 1,
        "you know": 1,
        "i mean": 1,
        "basically": 1,
    }
    assert count_fillers("음 그러니까 저는 어 백엔드를 했습니다", "ko") == {"음": 1, "어": 1, "그러니까": 1}
    assert count_fillers("I like this design", "en") == {}


def test_pace_pauses_and_talk_ratio() -> None:
    answer_words = _words("one two three four five six seven eight nine ten", 10_000)  # 10 words in 3.9 s
    for word in answer_words[5:]:  # a 2.5 s pause after the fifth word
        word["start_ms"] = int(word["start_ms"]) + 2400
        word["end_ms"] = int(word["end_ms"]) + 2400
    segments = [
        Segment("AI", "question", 0, 3900, []),
        Segment("User", "one two three four five six seven eight nine ten", None, None, answer_words),
    ]
    metrics = speech_metrics(segments, "en")
    assert metrics.candidate_words == 10
    span_min = (int(answer_words[-1]["end_ms"]) - int(answer_words[0]["start_ms"])) / 60_000
    assert metrics.words_per_minute == round(10 / span_min, 1)
    assert metrics.long_pauses == 1 and metrics.longest_pause_ms == 2500
    assert 0 < metrics.talk_ratio < 1  # type: ignore[operator]


def test_the_spoken_questions_count_in_the_talk_ratio() -> None:
    answer = Segment("User", "one two", None, None, _words("one two", 5_000))  # 700 ms of speech
    unspoken = speech_metrics([Segment("AI", "question", None, None, []), answer], "en")
    spoken = speech_metrics([Segment("AI", "question", 0, 2_100, []), answer], "en")
    assert unspoken.talk_ratio == 1.0 and spoken.talk_ratio == 0.25


def test_thinking_time_runs_from_the_end_of_the_spoken_question_to_the_first_word() -> None:
    segments = [
        Segment("AI", "first question", 0, 3_000, [], 1),
        Segment("User", "one two", 3_500, 4_600, _words("one two", 4_200), 1),
        Segment("AI", "first question", 9_000, 12_000, [], 1),  # a repeat: the first asking counts
        Segment("AI", "second question", 13_000, 16_000, [], 2),
        Segment("User", "over it", 15_000, 16_500, _words("over it", 15_200), 2),  # talked over the question
        Segment("AI", "third question", 17_000, 19_000, [], 3),  # never answered
        Segment("AI", "welcome back", 20_000, 21_000, [], None),
    ]
    assert thinking_times(segments) == {1: 1_200, 2: 0}


def test_no_words_no_pace() -> None:
    metrics = speech_metrics([Segment("User", "", None, None, [])], "en")
    assert metrics.words_per_minute is None and metrics.talk_ratio is None and metrics.filler_rate_per_100_words is None


def _result(order: int, category: str, status: str, scores: tuple[float, float, float] | None) -> AnswerResult:
    t, c, d = scores or (None, None, None)
    return AnswerResult(order, f"Q{order}", category, status, t, c, d, "feedback", ["quote"], "answer")


def test_dimensions_culture_fit_and_overall() -> None:
    results = [
        _result(1, "technical", "scored", (80, 60, 70)),
        _result(2, "behavioral", "scored", (50, 90, 70)),
        _result(3, "technical", "insufficient_evidence", None),
    ]
    dimensions = dimension_scores(results)
    assert dimensions == {"technical": 65.0, "communication": 75.0, "cultural_fit": 70.0}
    assert overall_score(dimensions) == round(0.5 * 65 + 0.3 * 75 + 0.2 * 70, 1)
    details = question_details(results)
    assert details[2]["scores"] is None and "too little" in details[2]["rationale"]


def test_missing_dimensions_are_left_out_not_zero() -> None:
    dimensions = dimension_scores([_result(1, "technical", "scored", (80, 60, 70))])
    assert dimensions["cultural_fit"] is None
    assert overall_score(dimensions) == round((0.5 * 80 + 0.3 * 60) / 0.8, 1)
    assert overall_score(dimension_scores([])) is None


def test_expression_summary_counts_only_frames_with_a_face() -> None:
    samples = [
        {"t_ms": 0, "face_found": True, "dominant": "happy"},
        {"t_ms": 2000, "face_found": False, "dominant": None},
        {"t_ms": 4000, "face_found": True, "dominant": "neutral"},
        {"t_ms": 6000, "face_found": True, "dominant": "happy"},
    ]
    summary = expression_summary(samples)
    assert summary["share"] == {"happy": 0.667, "neutral": 0.333}
    assert summary["timeline"][1] == {"t_ms": 2000, "dominant": "no_face"}


def test_a_looping_summary_keeps_each_line_once_and_stays_short() -> None:
    looping = (
        "Strengths:\n- Clear plan\n\nTo improve:\n"
        + "- Improve team collaboration\n" * 20
        + "-  improve TEAM collaboration"
    )
    assert tidy_summary(looping) == "Strengths:\n- Clear plan\n\nTo improve:\n- Improve team collaboration"
    assert len(tidy_summary("\n".join(f"- point {n}" for n in range(40))).splitlines()) == 12
