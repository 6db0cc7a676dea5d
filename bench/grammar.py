"""Scoring an answer with the evaluation model: llama.cpp's grammar sampler vs core.greedy_grammar, alternating.

    .venv/bin/python -m bench.grammar [--answers 12] [--write]

Both load the same GGUF (the offline evaluation model unless EVALUATION_MODEL_PATH names another) with the same
threads and seed, and score the same answers with the scoring prompt and score_grammar that the worker uses,
taking turns answer by answer so that machine noise hits both alike. Their outputs must be identical: a difference
is printed and fails the run.
"""

import argparse
import statistics
import time

from bench.common import machine, percentile, write_block
from bench.workers import ANSWERS
from core.local_llm import LocalChatModel
from core.rubric import default_rubric
from workers.pipelines.scoring import parse_score, score_grammar, scoring_messages
from workers.settings import get_worker_settings

QUESTIONS = [
    "How do you decide which database indexes to add?",
    "How would you make a payment endpoint safe to retry?",
    "Explain your approach to a slow API endpoint.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=12)
    parser.add_argument("--write", action="store_true", help="rewrite the grammar block of BENCHMARKS.md")
    args = parser.parse_args()
    settings = get_worker_settings()
    path, threads = settings.evaluation_model_file, settings.evaluation_threads
    models = {
        "llama.cpp grammar sampler": LocalChatModel(path, n_threads=threads, greedy_grammar=False),
        "greedy_grammar": LocalChatModel(path, n_threads=threads, greedy_grammar=True),
    }
    timings: dict[str, list[float]] = {name: [] for name in models}
    mismatches = 0
    for n in range(args.answers):
        answer = ANSWERS[n % len(ANSWERS)]
        question = QUESTIONS[(n // len(ANSWERS)) % len(QUESTIONS)]
        messages = scoring_messages(question=question, rubric=default_rubric("technical"), answer=answer, language="en")
        outputs = {}
        for name in list(models) if n % 2 == 0 else list(reversed(models)):
            started = time.perf_counter()
            outputs[name] = models[name].complete(
                messages, max_tokens=350, grammar=score_grammar(default_rubric("technical"))
            )
            timings[name].append(time.perf_counter() - started)
            parse_score(outputs[name], answer)  # both must give a usable score
        first, second = outputs.values()
        if first != second:
            mismatches += 1
            print(f"  answer {n + 1}: outputs differ\n    {first}\n    {second}")
        print("  answer " + str(n + 1) + ": " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in timings.items()), flush=True)
    baseline, ours = timings.values()
    lines = [
        f"{machine()}; {path.name}, {threads} threads, {args.answers} answers, alternating "
        f"(`.venv/bin/python -m bench.grammar --answers {args.answers}`)",
        "",
        "| sampler | p50 s | p95 s | mean s |",
        "|---|---|---|---|",
        *(
            f"| {name} | {percentile(v, 0.5):.2f} | {percentile(v, 0.95):.2f} | {statistics.mean(v):.2f} |"
            for name, v in timings.items()
        ),
        "",
        f"Identical outputs in {args.answers - mismatches} of {args.answers} answers; greedy_grammar scores an answer "
        f"**{percentile(baseline, 0.5) / percentile(ours, 0.5):.1f}x faster** at the median.",
    ]
    text = "\n".join(lines)
    print(text)
    if mismatches:
        raise SystemExit(f"{mismatches} answers were decoded differently")
    if args.write:
        write_block("grammar", text)


if __name__ == "__main__":
    main()
