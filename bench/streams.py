"""Open live event streams against a fresh API, then time an ordinary request: the issue #15 finding replayed.

    .venv/bin/python -m bench.streams [--streams 30] [--write]

Six candidates hold five streams each (the per-user limit, so none is closed by it). Before #15 every stream held a
database connection and a Redis connection of its own, and with 30 open `GET /users/me` answered 500 after 30 s.
The script works against the old API too (it opens streams with `?access_token=` when there is no ticket endpoint),
so that the same command measures both sides: run it in a checkout of the old commit for "before".
"""

import argparse
import threading
import time
import uuid
from dataclasses import dataclass

import httpx
import psycopg
import redis

from bench.common import bench_stack, machine, percentile, write_block

PER_USER = 5


@dataclass
class Candidate:
    headers: dict[str, str]
    token: str
    interview_id: int


def _candidate(api_url: str) -> Candidate:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    body = {"email": f"{name}@example.com", "username": name, "password": "correct-horse-battery"}
    httpx.post(f"{api_url}/register", json=body, timeout=30).raise_for_status()
    login = {"username": name, "password": "correct-horse-battery"}
    token = httpx.post(f"{api_url}/token", data=login, timeout=30).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    # A practice interview: it stays `preparing` (no workers run here), which is all a stream needs.
    created = httpx.post(f"{api_url}/interviews", headers=headers, json={"position": "Engineer"}, timeout=60)
    created.raise_for_status()
    return Candidate(headers, token, int(created.json()["id"]))


def _open(api_url: str, candidate: Candidate, connected: threading.Semaphore, stop: threading.Event) -> None:
    url = f"{api_url}/interviews/{candidate.interview_id}/events"
    ticket = httpx.post(f"{url}/ticket", headers=candidate.headers, timeout=30)
    params = {"ticket": ticket.json()["ticket"]} if ticket.status_code == 200 else {"access_token": candidate.token}
    try:
        with httpx.stream("GET", url, params=params, timeout=httpx.Timeout(10, read=None)) as response:
            for line in response.iter_lines():
                if line.startswith(": connected"):
                    connected.release()
                if stop.is_set():
                    return
    except httpx.HTTPError:
        return


def run(streams: int) -> dict[str, float]:
    with bench_stack(["postgres", "redis", "api"]) as stack:
        config = stack.config
        candidates = [_candidate(config.api_url) for _ in range(-(-streams // PER_USER))]
        connected, stop = threading.Semaphore(0), threading.Event()
        redis_client = redis.Redis.from_url(config.redis_url)
        redis_before = len(redis_client.client_list())
        for n in range(streams):
            candidate = candidates[n // PER_USER]
            threading.Thread(target=_open, args=(config.api_url, candidate, connected, stop), daemon=True).start()
        deadline = time.monotonic() + 20
        opened = sum(connected.acquire(timeout=max(deadline - time.monotonic(), 0.01)) for _ in range(streams))
        started = time.monotonic()
        try:
            status = httpx.get(f"{config.api_url}/users/me", headers=candidates[0].headers, timeout=45).status_code
        except httpx.TimeoutException:
            status = 0
        first_s = time.monotonic() - started
        latencies = []
        for _ in range(20 if status == 200 else 0):  # an API that is down is not timed twenty times over
            began = time.monotonic()
            httpx.get(f"{config.api_url}/users/me", headers=candidates[0].headers, timeout=45)
            latencies.append(time.monotonic() - began)
        dsn = config.database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
        database_connections = float(row[0]) if row else float("nan")
        redis_connections = len(redis_client.client_list()) - redis_before
        stop.set()
        return {
            "opened": opened,
            "status": status,
            "first_s": first_s,
            "p50_ms": percentile(latencies, 0.5) * 1000,
            "database_connections": database_connections,
            "redis_connections": redis_connections,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=30)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    result = run(args.streams)
    block = (
        f"`.venv/bin/python -m bench.streams --streams {args.streams}` ({machine()}; one uvicorn process, "
        "database pool 10 + 10 overflow)\n\n"
        "| streams open | GET /users/me | first answer s | then p50 ms | database connections | Redis connections |\n"
        "|---|---|---|---|---|---|\n"
        f"| {result['opened']:.0f} of {args.streams} | {result['status']:.0f} | {result['first_s']:.2f} | "
        f"{result['p50_ms']:.1f} | {result['database_connections']:.0f} | +{result['redis_connections']:.0f} |"
    )
    print(block)
    if args.write:
        write_block("streams", block)


if __name__ == "__main__":
    main()
