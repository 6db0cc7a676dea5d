"""An in-process llama.cpp chat model (the evaluation model): GGUF path from settings, loaded once per process."""

import threading
from pathlib import Path
from typing import Any


class LocalChatModel:
    """Deterministic by default (temperature 0, fixed seed). llama.cpp contexts are not thread-safe: one call at a
    time per model. `greedy_grammar` (on unless a benchmark compares) decodes grammar-constrained answers at
    temperature 0 with core.greedy_grammar, which picks the same tokens as llama.cpp's grammar sampler, faster."""

    def __init__(
        self, model_path: Path, *, n_ctx: int = 4096, n_threads: int = 2, seed: int = 42, greedy_grammar: bool = True
    ) -> None:
        from llama_cpp import Llama

        from core.greedy_grammar import GreedyGrammarLlama

        self.path = model_path
        self.name = model_path.name
        self._seed = seed
        model_class = GreedyGrammarLlama if greedy_grammar else Llama
        self._llm = model_class(model_path=str(model_path), n_ctx=n_ctx, n_threads=n_threads, seed=seed, verbose=False)
        self._lock = threading.Lock()
        self._grammars: dict[str, Any] = {}

    def _grammar(self, text: str) -> Any:
        if text not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[text] = LlamaGrammar.from_string(text, verbose=False)
        return self._grammars[text]

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int = 300,
        json_schema: dict[str, Any] | None = None,
        grammar: str | None = None,
        temperature: float = 0.0,
    ) -> str:
        """With `grammar` (GBNF) or `json_schema`, decoding can only produce text of that shape."""
        options: dict[str, Any] = {"temperature": temperature, "max_tokens": max_tokens, "seed": self._seed}
        if grammar is not None:
            options["grammar"] = self._grammar(grammar)
        elif json_schema is not None:
            options["response_format"] = {"type": "json_object", "schema": json_schema}
        with self._lock:
            result = self._llm.create_chat_completion(messages=messages, **options)  # type: ignore[arg-type]
        return str(result["choices"][0]["message"]["content"] or "")  # type: ignore[index]
