"""Generated question plans: near-duplicate pairs, questions that do not ask the candidate, and the category mix,
over N plans from the question LLM, and how many repeats the plan builder's dedup removed on the way.

    .venv/bin/python -m bench.plans [--plans 20] [--questions 5] [--write]

Starts only the LLM server (llama.cpp with the offline question model). Each plan is completed the way the worker
completes the non-bank part of a plan (`core.plan_builder.complete_plan`: generation, then templates), for a
rotating set of positions, with temperature 0.7 as in production. "Removed by the dedup" counts the model's own
repeats that never reached a plan.
"""

import argparse
import itertools
import logging
import statistics
from collections import Counter

import numpy as np

from bench.common import bench_stack, machine, write_block
from core.embeddings import Embedder
from core.llm import ChatClient
from core.model_files import ModelFiles
from core.plan_builder import complete_plan
from core.question_plan import NEAR_DUPLICATE, PlannedQuestion, asks_the_candidate
from core.tables import Interview

POSITIONS = ["Backend Engineer", "Data Engineer", "Frontend Developer", "Site Reliability Engineer", "Product Manager"]


def near_duplicate_pairs(embedder: Embedder, questions: list[PlannedQuestion]) -> list[tuple[str, str, float]]:
    if len(questions) < 2:
        return []
    vectors = np.array(embedder.embed([q.content for q in questions]))
    pairs = []
    for i, j in itertools.combinations(range(len(questions)), 2):
        similarity = float(vectors[i] @ vectors[j])
        if similarity >= NEAR_DUPLICATE:
            pairs.append((questions[i].content, questions[j].content, similarity))
    return pairs


class DroppedCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += record.getMessage().startswith("plan: dropped a near-duplicate")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="rewrite the plans block of BENCHMARKS.md")
    args = parser.parse_args()
    with bench_stack(["llm"]) as stack:
        config = stack.config
        embedder = Embedder(ModelFiles(config.models_dir).minilm)
        dropped = DroppedCounter()
        builder_log = logging.getLogger("core.plan_builder")
        builder_log.addHandler(dropped)
        builder_log.setLevel(logging.INFO)

        generated: list[int] = []
        plans, sizes, duplicates, not_asking, categories = 0, [], [], 0, Counter[str]()
        for n in range(args.plans):
            interview = Interview(
                id=n, position=POSITIONS[n % len(POSITIONS)], language="en", difficulty="medium",
                question_count=args.questions, candidate_id=0, room_name=f"bench-{n}", status="preparing",
            )  # fmt: skip
            chat = ChatClient(base_url=config.llm_base_url, model="interview-questions")
            planned = complete_plan(chat, embedder.embed, interview=interview, posting="", kept=[])
            plans += 1
            sizes.append(len(planned))
            generated.append(sum(1 for q in planned if q.source == "generated"))
            duplicates += near_duplicate_pairs(embedder, planned)
            not_asking += sum(1 for q in planned if not asks_the_candidate(q.content, "en"))
            categories.update(q.category for q in planned)
            print(f"  plan {n + 1}: {len(planned)} questions: " + " | ".join(q.content for q in planned), flush=True)
    total = sum(sizes)
    lines = [
        f"{machine()}; offline question model, {args.plans} plans of {args.questions} generated questions "
        f"(`.venv/bin/python -m bench.plans --plans {args.plans} --questions {args.questions}`)",
        "",
        "| measure | result |",
        "|---|---|",
        f"| near-duplicate pairs in a plan (cosine ≥ {NEAR_DUPLICATE}) | **{len(duplicates)}** in {plans} plans |",
        f"| repeats the dedup removed before they reached a plan | {dropped.count} |",
        f"| questions that do not ask the candidate about themselves | {not_asking} of {total} |",
        f"| questions per plan | mean {statistics.mean(sizes):.1f}, min {min(sizes)} |",
        f"| of which generated (the rest: templates, when generated ones were rejected or repeated) | "
        f"{sum(generated)} of {total} |",
        f"| category mix | {', '.join(f'{c} {k / total:.0%}' for c, k in categories.most_common())} |",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_block("plans", text)


if __name__ == "__main__":
    main()
