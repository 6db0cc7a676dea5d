"""Greedy decoding under a GBNF grammar that asks the grammar about one token instead of the whole vocabulary.

llama.cpp's grammar sampler checks every token of the vocabulary against the grammar before each pick: with Qwen's
151,936 tokens that was ~45 % of the evaluation model's time per answer (bench/grammar.py). At temperature 0 the
pick is the most likely token the grammar allows, so it is enough to ask whether the most likely token is allowed;
only when it is not, the most likely few hundred, and only when none of those is, the whole vocabulary. The tokens
chosen are the same as llama.cpp's (tests/integration/test_greedy_grammar.py compares them).
"""

import ctypes
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama, LlamaGrammar

SHORTLIST = 256


class GreedyGrammarLlama(Llama):
    """A `Llama` whose grammar-constrained greedy sampling checks candidates in order of likelihood. Sampling with
    a temperature, penalties or logits processors goes through llama.cpp's sampler chain unchanged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._grammar_sampler: Any = None
        super().__init__(*args, **kwargs)

    def _init_sampler(self, **options: Any) -> Any:  # type: ignore[override]
        self._free_grammar_sampler()
        grammar: LlamaGrammar | None = options.get("grammar")
        if grammar is not None and _plain_greedy(options):
            self._grammar_sampler = llama_cpp.llama_sampler_init_grammar(
                self._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
            )
            options = options | {"grammar": None}  # the chain only picks the top token (penalties are off)
        return super()._init_sampler(**options)

    def sample(self, **options: Any) -> int:  # type: ignore[override]
        grammar = self._grammar_sampler
        if grammar is None or options.get("grammar") is None or not _plain_greedy(options):
            return int(super().sample(**options))
        idx = options.get("idx")
        ridx = idx - self.n_tokens if idx is not None else -1
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self._ctx.ctx, ridx), shape=(self._n_vocab,))
        token = int(np.argmax(logits))
        if not _allowed(grammar, [token], logits)[0]:
            token = _best_allowed(grammar, logits)
        llama_cpp.llama_sampler_accept(grammar, token)
        return token

    def _free_grammar_sampler(self) -> None:
        if self._grammar_sampler is not None:
            llama_cpp.llama_sampler_free(self._grammar_sampler)
            self._grammar_sampler = None

    def close(self) -> None:
        self._free_grammar_sampler()
        super().close()


def _plain_greedy(options: dict[str, Any]) -> bool:
    return (
        options.get("temp", 0.8) == 0.0
        and options.get("repeat_penalty", 1.0) == 1.0
        and options.get("frequency_penalty", 0.0) == 0.0
        and options.get("presence_penalty", 0.0) == 0.0
        and options.get("logits_processor") is None
        and options.get("mirostat_mode", 0) == 0
    )


# llama_token_data as numpy sees it: a token id and its logit (and a probability llama.cpp ignores here).
TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.float32), ("p", np.float32)])


def _allowed(grammar: Any, tokens: list[int] | np.ndarray, logits: np.ndarray) -> np.ndarray:
    """Which of `tokens` the grammar allows next (llama.cpp sets a disallowed token's logit to -inf)."""
    data = np.zeros(len(tokens), dtype=TOKEN_DATA)
    data["id"] = tokens
    data["logit"] = logits[tokens]
    array = llama_cpp.llama_token_data_array(
        data=data.ctypes.data_as(llama_cpp.llama_token_data_p), size=len(data), selected=-1, sorted=False
    )
    llama_cpp.llama_sampler_apply(grammar, ctypes.byref(array))
    return np.isfinite(data["logit"])


def _best_allowed(grammar: Any, logits: np.ndarray) -> int:
    """The most likely allowed token: among the shortlist first, which holds it whenever it holds any allowed one."""
    shortlist = np.argpartition(logits, -SHORTLIST)[-SHORTLIST:]
    for candidates in (shortlist, np.arange(len(logits))):
        allowed = _allowed(grammar, candidates, logits)
        if allowed.any():
            kept = candidates[allowed]
            return int(kept[np.argmax(logits[kept])])
    raise RuntimeError("the grammar allows no token here")
