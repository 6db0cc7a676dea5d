import json

import pytest

from core.rubric import default_rubric
from workers.pipelines.answer_text import insufficient_reason
from workers.pipelines.scoring import (
    parse_score,
    quotes_in_answer,
    score_grammar,
    whole_sentences,
)

pytestmark = pytest.mark.unit

ANSWER = "I would add an index on the user_id column, because the query filters on it. Writes get a bit slower."


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("", "no answer"),
        ("   ", "no answer"),
        ("Um, yes.", "too short"),
        ("### 123 456 789 000 111 222 ???", "unintelligible"),
        ("yes yes yes yes yes yes", "repetition"),
    ],
)
def test_answers_without_evidence_are_not_scored(answer: str, reason: str) -> None:
    found = insufficient_reason(answer)
    assert found is not None and reason in found


def test_a_real_answer_is_scorable() -> None:
    assert insufficient_reason(ANSWER) is None


def test_only_quotes_that_occur_in_the_answer_are_kept() -> None:
    quotes = ["add an index on the USER_ID column", "I love microservices", "Writes get a bit slower", 42, "an"]
    assert quotes_in_answer(quotes, ANSWER) == ["add an index on the USER_ID column", "Writes get a bit slower"]


def test_scores_are_clamped_and_feedback_bounded() -> None:
    raw = json.dumps(
        {
            "technical_score": 140,
            "communication_score": -5,
            "depth_score": "61.6",
            "strength": " Good  point. " * 200,
            "criterion": "Depth",
            "improvement": "You could say why.",
            "evidence": ["the query filters on it", "made up quote here"],
        }
    )
    score = parse_score(raw, ANSWER, default_rubric("technical"))
    assert (score.technical_score, score.communication_score, score.depth_score) == (100.0, 0.0, 62.0)
    assert len(score.feedback) <= 1100 and "  " not in score.feedback and score.criterion == "Depth"
    assert score.evidence == ["the query filters on it"]


@pytest.mark.parametrize(
    ("feedback", "shown"),
    [
        ("Clear answer. Explain the trade-offs of the index", "Clear answer."),
        (
            "You named the index well! Next time say why it helps. Also the",
            "You named the index well! Next time say why it helps.",
        ),
        ("Good. You named the index and explained the cost of", "Good. You named the index and explained the cost of…"),
        ("A complete sentence about the index.", "A complete sentence about the index."),
        ("인덱스를 잘 설명했습니다. 다음에는 비용도", "인덱스를 잘 설명했습니다."),
        ("Version 2.5 of the planner helps. Then", "Version 2.5 of the planner helps."),
    ],
)
def test_feedback_cut_by_the_length_limit_keeps_whole_sentences(feedback: str, shown: str) -> None:
    assert whole_sentences(feedback) == shown
    raw = json.dumps(
        {
            "technical_score": 50, "communication_score": 50, "depth_score": 50, "strength": feedback,
            "criterion": "Depth", "improvement": "You could add one example.", "evidence": [],
        }
    )  # fmt: skip
    assert parse_score(raw, ANSWER).strength == shown


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        json.dumps(
            {"technical_score": "high", "communication_score": 1, "depth_score": 1, "strength": "x",
             "improvement": "y", "criterion": "Depth", "evidence": []}
        ),
        json.dumps({"technical_score": 1, "communication_score": 1, "depth_score": 1, "strength": "",
                    "improvement": "", "criterion": "Depth", "evidence": []}),
        json.dumps({"technical_score": 1, "communication_score": 1, "depth_score": 1, "strength": "Good.",
                    "improvement": "Better.", "criterion": "Charm", "evidence": []}),
    ],
)  # fmt: skip
def test_unusable_output_raises(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_score(raw, ANSWER, default_rubric("technical"))


def test_grammar_bounds_scores_and_strings() -> None:
    grammar = score_grammar(default_rubric("technical"))
    assert 'score     ::= "100" | [1-9] [0-9] | [0-9]' in grammar
    assert 'strength  ::= "\\"" "You " char{10,140}' in grammar and "x00-" in grammar
    assert 'criterion ::= "\\"Correctness\\"" | "\\"Depth\\"" | "\\"Clarity\\""' in grammar
