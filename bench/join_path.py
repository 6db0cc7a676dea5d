"""The LiveKit half of POST /interviews/{id}/join, before and after sharing one LiveKit API client per process.

    .venv/bin/python -m bench.join_path [--joins 300] [--write]

Each join creates the room and checks the agent dispatch on a real livekit-server (`dispatch_with`, what the API
runs). "Per call" opens a LiveKitAPI client (a new HTTP session and connection) for each join, as the API did;
"shared" reuses one client, as `AgentDispatcher` does now. The two alternate in one run, over the same rooms, so
that machine noise hits both alike.
"""

import argparse
import asyncio
import time

from livekit import api

from api.services.livekit_rooms import dispatch_with
from bench.common import bench_stack, machine, percentile, write_block


async def measure(url: str, key: str, secret: str, joins: int) -> dict[str, list[float]]:
    rooms = [(f"bench-join-{n}", n + 1) for n in range(20)]
    timings: dict[str, list[float]] = {"per call": [], "shared": []}
    async with api.LiveKitAPI(url, key, secret) as shared:
        for n in range(joins):
            room_name, interview_id = rooms[n % len(rooms)]
            for name in ("per call", "shared") if n % 2 == 0 else ("shared", "per call"):
                started = time.perf_counter()
                if name == "shared":
                    await dispatch_with(shared, room_name, interview_id)
                else:
                    async with api.LiveKitAPI(url, key, secret) as fresh:
                        await dispatch_with(fresh, room_name, interview_id)
                timings[name].append(time.perf_counter() - started)
    return timings


def report(timings: dict[str, list[float]], joins: int) -> str:
    def ms(values: list[float], q: float) -> str:
        return f"{percentile(values, q) * 1000:.1f}"

    before, after = timings["per call"], timings["shared"]
    rows = [
        f"| {name} | {ms(values, 0.5)} | {ms(values, 0.95)} | {ms(values, 0.99)} |" for name, values in timings.items()
    ]
    ratio = percentile(before, 0.5) / percentile(after, 0.5)
    return "\n".join(
        [
            f"{machine()}; {joins} joins each, alternating, against one livekit-server "
            "(`.venv/bin/python -m bench.join_path`).",
            "",
            "| LiveKit client | p50 ms | p95 ms | p99 ms |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Sharing one client makes the LiveKit part of a join **{ratio:.1f}x faster** at the median.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=300)
    parser.add_argument("--write", action="store_true", help="rewrite the join-path block of BENCHMARKS.md")
    args = parser.parse_args()
    with bench_stack(["livekit"]) as stack:
        config = stack.config
        timings = asyncio.run(
            measure(
                f"http://127.0.0.1:{config.livekit_port}", config.livekit_api_key, config.livekit_api_secret, args.joins
            )
        )
    text = report(timings, args.joins)
    print(text)
    if args.write:
        write_block("join-path", text)


if __name__ == "__main__":
    main()
