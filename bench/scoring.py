"""Scoring through the whole path: an answer's end stored over the API → the score readable over the API, and how
many answers one worker process scores per minute.

    .venv/bin/python -m bench.scoring [--answers 8] [--burst 12] [--write]

Against a stack started for the run (PostgreSQL, Redis, LLM server, API, one Dramatiq worker process with the
offline evaluation model): `latency` posts one answer end at a time (`POST /transcripts`, as an admin: only the
interview writes answers, `is_answer_end`) and polls
`GET /interviews/{id}/evaluations` until its evaluation is no longer pending; `throughput` posts `--burst` answer
ends at once and times until all are scored.
"""

import argparse
import time

import httpx

from bench.agent import Api
from bench.common import bench_stack, machine, percentile, write_block
from bench.workers import ANSWERS


def plan(api: Api, questions: int) -> tuple[int, list[int]]:
    interview_id = api.interview(api.posting(questions))
    planned = httpx.get(f"{api.url}/interviews/{interview_id}/questions", headers=api.candidate, timeout=30).json()
    return interview_id, [item["id"] for item in planned]


def end_answer(api: Api, interview_id: int, question_id: int, order: int) -> None:
    body = {
        "interview_id": interview_id,
        "speaker": "User",
        "text": ANSWERS[order % len(ANSWERS)],
        "question_id": question_id,
        "order": order,
        "is_answer_end": True,
    }
    httpx.post(f"{api.url}/transcripts", headers=api.admin, json=body, timeout=30).raise_for_status()


def evaluations(api: Api, interview_id: int) -> list[dict]:
    response = httpx.get(f"{api.url}/interviews/{interview_id}/evaluations", headers=api.candidate, timeout=30)
    return list(response.json())


def done(api: Api, interview_id: int) -> set[int]:
    return {e["interview_question_id"] for e in evaluations(api, interview_id) if e["status"] != "pending"}


def model_seconds(api: Api, interview_id: int, question_id: int) -> float:
    """The worker's own time for the answer (`latency_ms`: the model and the answer's checks, not the queue)."""
    found = [e for e in evaluations(api, interview_id) if e["interview_question_id"] == question_id]
    return float(found[0]["latency_ms"]) / 1000


def wait_scored(api: Api, interview_id: int, wanted: set[int], timeout_s: float = 600) -> float:
    deadline = time.monotonic() + timeout_s
    while not wanted <= done(api, interview_id):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not scored within {timeout_s} s: {sorted(wanted - done(api, interview_id))}")
        time.sleep(0.1)
    return time.monotonic()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=8)
    parser.add_argument("--burst", type=int, default=12)
    parser.add_argument("--write", action="store_true", help="rewrite the scoring block of BENCHMARKS.md")
    args = parser.parse_args()
    with bench_stack(["postgres", "redis", "llm", "api", "workers"]) as stack:
        api = Api(stack.config.api_url)
        api.sign_up(stack.config)  # signs in an admin too
        interview_id, questions = plan(api, args.answers)
        latencies, in_worker = [], []
        for order, question_id in enumerate(questions):
            started = time.monotonic()
            end_answer(api, interview_id, question_id, order)
            latencies.append(wait_scored(api, interview_id, {question_id}) - started)
            in_worker.append(model_seconds(api, interview_id, question_id))
            print(f"  answer {order + 1}: {latencies[-1]:.1f} s, {in_worker[-1]:.1f} s of it scoring", flush=True)
        burst_id, burst_questions = plan(api, args.burst)
        started = time.monotonic()
        for order, question_id in enumerate(burst_questions):
            end_answer(api, burst_id, question_id, order)
        elapsed = wait_scored(api, burst_id, set(burst_questions)) - started
        workers = f"{stack.config.worker_processes} worker process, {stack.config.worker_threads} threads"
    per_minute = args.burst / elapsed * 60
    text = "\n".join(
        [
            f"{machine()}; offline evaluation model, {workers} (`.venv/bin/python -m bench.scoring --answers "
            f"{args.answers} --burst {args.burst}`)",
            "",
            "| measure | result |",
            "|---|---|",
            f"| answer end stored → score readable over the API, one at a time ({len(latencies)} answers) | "
            f"p50 {percentile(latencies, 0.5):.1f} s, p95 {percentile(latencies, 0.95):.1f} s |",
            f"| of which the worker scoring it (the evaluation's `latency_ms`) | "
            f"p50 {percentile(in_worker, 0.5):.1f} s, p95 {percentile(in_worker, 0.95):.1f} s |",
            f"| {args.burst} answer ends at once → all scored | {elapsed:.0f} s: "
            f"**{per_minute:.1f} answers per minute** per worker process |",
        ]
    )
    print(text)
    if args.write:
        write_block("scoring", text)


if __name__ == "__main__":
    main()
