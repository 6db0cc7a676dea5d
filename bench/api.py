"""API latency at fixed request rates (open loop: requests start on schedule whether or not earlier ones returned).

    .venv/bin/python -m bench.api [--rate 200] [--seconds 10] [--write]

Measures POST /interviews/{id}/join (a LiveKit token for the candidate, the room and the agent dispatch checked with
livekit-server), and GET /interviews/{id}/report, against a stack started for the run.
"""

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

from bench.agent import Api
from bench.common import bench_stack, machine, percentile, write_block


async def fixed_rate(
    send: Callable[[], Awaitable[httpx.Response]], rate: float, seconds: float
) -> tuple[list[float], int]:
    """Latencies (s) of the requests that answered 2xx, and the number that did not."""
    latencies: list[float] = []
    errors = 0

    async def one(at: float) -> None:
        nonlocal errors
        await asyncio.sleep(max(at - time.monotonic(), 0))
        started = time.monotonic()
        try:
            response = await send()
            if response.is_success:
                latencies.append(time.monotonic() - started)
            else:
                errors += 1
        except httpx.HTTPError:
            errors += 1

    start = time.monotonic() + 0.5
    await asyncio.gather(*(one(start + i / rate) for i in range(int(rate * seconds))))
    return latencies, errors


async def main_async(args: argparse.Namespace) -> str:
    with bench_stack(["postgres", "redis", "livekit", "llm", "api", "workers"]) as stack:
        api = Api(stack.config.api_url)
        await asyncio.to_thread(api.sign_up, stack.config)
        posting_id = await asyncio.to_thread(api.posting, 1)
        interview_id = await asyncio.to_thread(api.interview, posting_id)
        async with httpx.AsyncClient(
            base_url=stack.config.api_url, timeout=30, limits=httpx.Limits(max_connections=400)
        ) as client:
            completed = await client.post(f"/interviews/{interview_id}/complete", headers=api.candidate)
            completed.raise_for_status()
            for _ in range(240):  # the report job runs on the workers
                if (await client.get(f"/interviews/{interview_id}/report", headers=api.candidate)).is_success:
                    break
                await asyncio.sleep(0.5)
            joinable = await asyncio.to_thread(api.interview, posting_id)
            rows = []
            for name, send in (
                (
                    "POST /interviews/{id}/join",
                    lambda: client.post(f"/interviews/{joinable}/join", headers=api.candidate),
                ),
                (
                    "GET /interviews/{id}/report",
                    lambda: client.get(f"/interviews/{interview_id}/report", headers=api.candidate),
                ),
            ):
                await fixed_rate(send, 20, 1)  # warm-up
                latencies, errors = await fixed_rate(send, args.rate, args.seconds)
                p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
                rate = f"{args.rate:.0f}/s for {args.seconds:.0f} s"
                rows.append(f"| {name} | {rate} | {p50:.1f} | {p99:.1f} | {errors} |")
                print(rows[-1], flush=True)
    return "\n".join(
        [
            f"`.venv/bin/python -m bench.api --write` ({machine()}; the API is one uvicorn process; the load generator "
            "runs on the same 2 cores)",
            "",
            "| request | rate | p50 ms | p99 ms | errors |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    args = parser.parse_args()
    markdown = asyncio.run(main_async(args))
    print(markdown)
    if args.write:
        write_block("api", markdown)


if __name__ == "__main__":
    main()
