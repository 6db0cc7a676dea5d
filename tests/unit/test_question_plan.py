import json

import pytest

from core.question_plan import fallback_questions, generation_messages, parse_generated
from core.rubric import DEFAULT_RUBRICS, Rubric

pytestmark = pytest.mark.unit


def test_parse_keeps_distinct_well_formed_questions_with_default_rubrics() -> None:
    raw = json.dumps(
        {
            "questions": [
                {"content": "How do you  design an idempotent API endpoint?", "category": "technical"},
                {"content": "How do you design an idempotent API endpoint?", "category": "technical"},  # repeat
                {"content": "Why?", "category": "technical"},  # too short to be a question
                {"content": "Tell me about a hard deadline you met.", "category": "nonsense"},
                {"content": "Already asked in the bank, right?", "category": "behavioral"},
                "not an object",
            ]
        }
    )
    planned = parse_generated(raw, difficulty="hard", limit=5, avoid=["already asked in the bank, right?"])
    assert [q.content for q in planned] == [
        "How do you design an idempotent API endpoint?",
        "Tell me about a hard deadline you met.",
    ]
    assert planned[1].category == "technical"  # an unknown category falls back to technical
    assert all(q.difficulty == "hard" and q.source == "generated" for q in planned)
    assert planned[0].rubric_json == DEFAULT_RUBRICS["technical"]


@pytest.mark.parametrize("raw", ["", "{", "[]", '{"questions": 3}', "null"])
def test_unusable_model_output_yields_nothing(raw: str) -> None:
    assert parse_generated(raw, difficulty="easy", limit=3, avoid=[]) == []


def test_limit_is_respected() -> None:
    items = [{"content": f"Which system number {i} have you built?", "category": "technical"} for i in range(6)]
    assert len(parse_generated(json.dumps({"questions": items}), difficulty="easy", limit=2, avoid=[])) == 2


def test_fallback_questions_follow_the_language_and_position() -> None:
    korean = fallback_questions(position="데이터 엔지니어", language="ko", difficulty="medium", count=2)
    assert all("?" in q.content or "요" in q.content for q in korean)
    assert "데이터 엔지니어" in korean[0].content
    english = fallback_questions(position="SRE", language="en", difficulty="easy", count=5)
    assert len({q.content for q in english}) == 5 and all(q.source == "template" for q in english)


def test_prompt_names_the_language_count_and_what_to_avoid() -> None:
    messages = generation_messages(
        position="Backend Engineer",
        posting_text="Go, Kafka",
        count=3,
        language="ko",
        difficulty="hard",
        avoid=["What is Kafka?"],
    )
    instructions, material = messages[0]["content"], json.loads(messages[1]["content"])
    assert "3 interview questions in Korean" in instructions and "technical, behavioral, technical" in instructions
    assert material == {"position": "Backend Engineer", "job_posting": "Go, Kafka", "already_asked": ["What is Kafka?"]}


def test_every_default_rubric_is_valid() -> None:
    for rubric in DEFAULT_RUBRICS.values():
        Rubric.model_validate(rubric)


def test_statements_paragraphs_and_copied_examples_are_not_questions() -> None:
    items = [
        {"content": "You have built a new system that processes payments.", "category": "technical"},
        {"content": "Tell me about a time you missed a deadline.", "category": "behavioral"},
        {"content": "Tell me about a time when you…", "category": "behavioral"},
        {"content": "You are an SRE. What do you do first? How? Why would you do it?", "category": "situational"},
        {"content": "What is the company's internal deployment strategy?", "category": "technical"},
        {"content": "How would you shard a table that outgrew one server?", "category": "technical"},
    ]
    planned = parse_generated(json.dumps({"questions": items}), difficulty="medium", limit=6, avoid=[])
    assert [q.content for q in planned] == [
        "Tell me about a time you missed a deadline.",
        "How would you shard a table that outgrew one server?",
    ]
