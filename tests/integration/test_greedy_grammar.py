"""core.greedy_grammar decodes exactly what llama.cpp's grammar sampler decodes, with the real evaluation model."""

import json

import pytest

from core.greedy_grammar import GreedyGrammarLlama
from core.local_llm import LocalChatModel
from core.model_files import ModelFiles
from core.rubric import default_rubric
from infra.config import StackConfig
from workers.pipelines.scoring import parse_score, score_grammar, scoring_messages

pytestmark = pytest.mark.integration

ANSWERS = [
    "I would use an idempotency key stored with the result in one transaction so that a retry returns the same "
    "result instead of charging twice.",
    "I'm not sure, maybe you could restart the server and see if it works better after that.",
]


@pytest.fixture(scope="module")
def models(stack_config: StackConfig) -> tuple[LocalChatModel, LocalChatModel]:
    path = ModelFiles(stack_config.models_dir).evaluation_llm
    return LocalChatModel(path, greedy_grammar=False), LocalChatModel(path, greedy_grammar=True)


@pytest.mark.parametrize("answer", ANSWERS)
def test_scores_are_decoded_identically(models: tuple[LocalChatModel, LocalChatModel], answer: str) -> None:
    reference, fast = models
    messages = scoring_messages(
        question="How would you make a payment endpoint safe to retry?",
        rubric=default_rubric("technical"),
        answer=answer,
        language="en",
    )
    expected = reference.complete(messages, max_tokens=350, grammar=score_grammar(default_rubric("technical")))
    got = fast.complete(messages, max_tokens=350, grammar=score_grammar(default_rubric("technical")))
    assert isinstance(fast._llm, GreedyGrammarLlama) and fast._llm._grammar_sampler is not None  # its path ran
    assert got == expected
    parse_score(got, answer)


def test_a_grammar_the_model_would_never_choose_is_still_obeyed(
    models: tuple[LocalChatModel, LocalChatModel],
) -> None:
    """The most likely token is never allowed here, so every step takes the shortlist or whole-vocabulary path."""
    reference, fast = models
    grammar = r'root ::= "{\"code\": \"zq" [0-9] [0-9] "-" ( "x" | "y" ) "\"}"'
    messages = [{"role": "user", "content": "Write a haiku about autumn leaves."}]
    got = fast.complete(messages, max_tokens=40, grammar=grammar)
    assert got == reference.complete(messages, max_tokens=40, grammar=grammar)
    code = json.loads(got)["code"]
    assert code.startswith("zq") and code[2:4].isdigit() and code[4] == "-" and code[5] in "xy"


def test_sampling_with_a_temperature_is_left_to_llama_cpp(models: tuple[LocalChatModel, LocalChatModel]) -> None:
    _, fast = models
    grammar = r'root ::= "yes" | "no"'
    text = fast.complete([{"role": "user", "content": "Is water wet?"}], max_tokens=4, grammar=grammar, temperature=0.7)
    assert text in ("yes", "no")
    assert fast._llm._grammar_sampler is None  # llama.cpp's own chain sampled it
