"""Interview latencies and capacity: the real agent in real rooms with scripted candidates (espeak-ng speech).

    .venv/bin/python -m bench.agent [--stt deepgram whisper] [--interviews 3] [--questions 16]
                                    [--capacity 1 5 10 20 25] [--capacity-seconds 30] [--write]

For each STT and voice (Deepgram's protocols through infra/fake_deepgram.py, and offline Whisper + Piper), against
one stack; the candidate listens to each question to its end before answering, as a person would:
  turns      "done" → next question visible to the candidate (first chunk received) and heard (first voiced audio
             frame received), implicit end of speech (last audio sample sent) → the agent's next message and its
             first audio, and candidate join (connect) → first audio of the greeting;
  follow-up  with the shipped settings (first words within 2.5 s or none): end of answer → first words of the
             streamed follow-up (the agent's own measure, from the moment it decided the answer was over, and the
             candidate's, from the last audio sample), and how often one was asked;
  capacity   N concurrent interviews, each candidate answering and pressing "done" in a loop; "done" → next
             question p50/p95, and the agent's CPU and memory (worker and job processes) per interview.
The scripted candidates, the fake Deepgram server, livekit-server and the LLM server run on the same 2 cores as the
agent (the Dramatiq workers do not run), so the capacity numbers are a lower bound for an agent host whose SFU and
STT live elsewhere.
"""

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil

from bench.common import bench_stack, machine, percentile, write_block
from infra import services
from infra.candidate_sim import AgentMessage, ScriptedCandidate, espeak_speech
from infra.config import REPO_ROOT, StackConfig
from infra.fake_deepgram import FakeDeepgram, serve
from infra.process import ManagedProcess, free_port
from infra.stack import Stack

DEEPGRAM_KEY = "bench-deepgram-key"
SHORT_ANSWER = "I would measure it first and then fix the slowest part."
RUBRIC = {"criteria": [{"name": "Relevance", "description": "on topic", "weight": 1.0}], "expected_points": []}
TOPICS = ["caching", "indexes", "queues", "retries", "testing", "logging", "deployments", "code review", "APIs"]


@dataclass
class Api:
    url: str
    candidate: dict[str, str] = field(default_factory=dict)
    recruiter: dict[str, str] = field(default_factory=dict)
    admin: dict[str, str] = field(default_factory=dict)

    def sign_in_admin(self, config: StackConfig) -> None:
        """An admin made with the API's CLI: only the interview (or an admin) may write transcripts."""
        name, password = f"bench_admin_{time.time_ns()}", "bench-admin-password-1"
        subprocess.run(
            [sys.executable, "-m", "api.cli", "create-admin", "--email", f"{name}@example.com", "--username", name],
            cwd=REPO_ROOT,
            env={**os.environ, **config.service_env(), "ADMIN_PASSWORD": password},
            check=True,
            capture_output=True,
        )
        token = httpx.post(f"{self.url}/token", data={"username": name, "password": password}, timeout=30)
        self.admin = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def sign_up(self, config: StackConfig) -> None:
        """A candidate who signs up, and a recruiter of a new organisation who joins through an admin's invitation
        (recruiters cannot sign up)."""
        if not self.admin:
            self.sign_in_admin(config)
        stamp, password = time.time_ns(), "bench-password-1"
        candidate = f"bench_candidate_{stamp}"
        body = {"email": f"{candidate}@example.com", "username": candidate, "password": password}
        httpx.post(f"{self.url}/register", json=body, timeout=30).raise_for_status()
        self.candidate = self._sign_in(candidate, password)
        organisation = self._post("/organisations", {"name": f"Bench {stamp}"}, self.admin)
        recruiter = f"bench_recruiter_{stamp}"
        invitation = self._post(
            f"/organisations/{organisation['id']}/invitations", {"email": f"{recruiter}@example.com"}, self.admin
        )
        self._post(f"/invitations/{invitation['token']}/accept", {"username": recruiter, "password": password}, {})
        self.recruiter = self._sign_in(recruiter, password)

    def _post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        response = httpx.post(f"{self.url}{path}", json=body, headers=headers, timeout=30)
        response.raise_for_status()
        return dict(response.json())

    def _sign_in(self, username: str, password: str) -> dict[str, str]:
        token = httpx.post(f"{self.url}/token", data={"username": username, "password": password}, timeout=30)
        token.raise_for_status()
        return {"Authorization": f"Bearer {token.json()['access_token']}"}

    def posting(self, questions: int) -> int:
        ids = []
        for i in range(questions):
            body = {
                "content": f"Question {i + 1}: how do you approach {TOPICS[i % len(TOPICS)]}?",
                "category": "technical",
                "difficulty": "medium",
                "rubric_json": RUBRIC,
            }
            ids.append(httpx.post(f"{self.url}/questions", headers=self.recruiter, json=body, timeout=60).json()["id"])
        body = {"title": "Backend Engineer", "company": "Bench", "question_ids": ids}
        return int(httpx.post(f"{self.url}/job-postings", headers=self.recruiter, json=body, timeout=60).json()["id"])

    def interview(self, posting_id: int) -> int:
        body = {"position": "Backend Engineer", "job_posting_id": posting_id, "mode": "screening"}
        response = httpx.post(f"{self.url}/interviews", headers=self.candidate, json=body, timeout=60)
        response.raise_for_status()
        return int(response.json()["id"])

    def join(self, interview_id: int) -> dict[str, Any]:
        response = httpx.post(f"{self.url}/interviews/{interview_id}/join", headers=self.candidate, timeout=60)
        response.raise_for_status()
        return dict(response.json())

    def joined_candidate(self, interview_id: int, grant: dict[str, Any]) -> ScriptedCandidate:
        """The candidate of this grant, steering the interview through the API as the page does."""
        control_url = f"{self.url}/interviews/{interview_id}/control"
        return ScriptedCandidate(
            grant["url"], grant["token"], camera=False, control_url=control_url, api_headers=self.candidate
        )


async def next_prompt(candidate: ScriptedCandidate, *kinds: str, timeout_s: float = 120) -> AgentMessage:
    deadline = time.monotonic() + timeout_s
    while True:
        message = await candidate.next_prompt(max(deadline - time.monotonic(), 0.1))
        if message.kind in kinds:
            return message


async def heard_after(candidate: ScriptedCandidate, since: float, timeout_s: float = 30) -> float | None:
    """Seconds from `since` to the first voiced audio frame of the agent that the candidate received."""
    at = await candidate.voice_heard(since, timeout_s)
    return None if at is None else at - since


async def listened(candidate: ScriptedCandidate, message: AgentMessage) -> None:
    """Lets the line whose card this is play to its end (a candidate who talks over it stops it)."""
    if message.kind != "closing":
        await candidate.heard_silence(since=message.first_chunk_at - 0.5)


async def joined(api: Api, interview_id: int) -> tuple[ScriptedCandidate, float | None]:
    """Connected, greeted and the first question heard; returns the candidate and connect → greeting's first audio."""
    grant = await asyncio.to_thread(api.join, interview_id)
    candidate = api.joined_candidate(interview_id, grant)
    started = time.monotonic()
    await candidate.connect()
    greeting = await heard_after(candidate, started)
    first = await next_prompt(candidate, "question")
    await listened(candidate, first)
    return candidate, greeting


@dataclass
class Turns:
    join_to_first: list[float] = field(default_factory=list)
    done_to_next: list[float] = field(default_factory=list)
    done_to_audio: list[float] = field(default_factory=list)
    silence_to_next: list[float] = field(default_factory=list)
    silence_to_audio: list[float] = field(default_factory=list)
    follow_up_client: list[float] = field(default_factory=list)
    follow_up_agent: list[float] = field(default_factory=list)
    follow_up_asked: int = 0
    follow_up_tried: int = 0


async def measure_turns(api: Api, posting_id: int, interviews: int, turns: Turns) -> None:
    """Answers alternate: one ends with "done", the next with silence (then a follow-up may come: it is answered and
    ended with "done"). Every "done" that leads to the next question counts as a turn."""
    for _ in range(interviews):
        interview_id = await asyncio.to_thread(api.interview, posting_id)
        candidate, join_s = await joined(api, interview_id)
        if join_s is not None:
            turns.join_to_first.append(join_s)
        try:
            turn = 0
            while True:
                spoken_at = await candidate.say(SHORT_ANSWER)
                if turn % 2 == 0:
                    message = await done_turn(candidate, turns)
                else:
                    turns.follow_up_tried += 1
                    message = await next_prompt(candidate, "question", "follow_up", "closing")
                    turns.silence_to_next.append(message.first_chunk_at - spoken_at)
                    if (audio_s := await heard_after(candidate, spoken_at)) is not None:
                        turns.silence_to_audio.append(audio_s)
                    if message.kind == "follow_up":
                        turns.follow_up_asked += 1
                        turns.follow_up_client.append(message.first_chunk_at - spoken_at)
                        await listened(candidate, message)
                        await candidate.say(SHORT_ANSWER)
                        message = await done_turn(candidate, turns)
                    else:
                        await listened(candidate, message)
                turn += 1
                if message.kind == "closing":
                    break
        finally:
            await candidate.disconnect()


async def done_turn(candidate: ScriptedCandidate, turns: Turns) -> AgentMessage:
    """Presses "done"; records when the next line's card arrives and when its voice is heard; listens to it."""
    sent = await candidate.control("done")
    message = await next_prompt(candidate, "question", "closing")
    turns.done_to_next.append(message.first_chunk_at - sent)
    if (audio_s := await heard_after(candidate, sent)) is not None:
        turns.done_to_audio.append(audio_s)
    await listened(candidate, message)
    return message


def agent_latencies(log_text: str, name: str) -> list[float]:
    values = []
    for line in log_text.splitlines():
        if f'"latency {name}: ' in line:
            values.append(float(json.loads(line)["message"].split(": ")[1].removesuffix(" ms")) / 1000)
    return values


def tree(process: ManagedProcess) -> list[psutil.Process]:
    assert process.process is not None
    root = psutil.Process(process.process.pid)
    return [root, *root.children(recursive=True)]


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """CPU seconds so far per process id."""
    used: dict[int, float] = {}
    for p in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = p.cpu_times()
            used[p.pid] = times.user + times.system
    return used


def rss_mb(processes: list[psutil.Process]) -> float:
    total = 0
    for p in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total / 2**20


@dataclass
class Level:
    interviews: int
    done_to_next: list[float]
    done_to_audio: list[float]
    cpu_percent: float
    rss_mb: float
    idle_rss_mb: float
    failed: int
    ended_before_done: int


async def measure_level(api: Api, posting_id: int, agent: ManagedProcess, n: int, seconds: float) -> Level:
    idle_rss = rss_mb(tree(agent))
    ids = [await asyncio.to_thread(api.interview, posting_id) for _ in range(n)]
    results = await asyncio.gather(*(joined(api, i) for i in ids), return_exceptions=True)
    candidates = [r[0] for r in results if not isinstance(r, BaseException)]
    failed = n - len(candidates)
    latencies: list[float] = []
    audio: list[float] = []
    early = [0]
    cpu_before, wall_before = cpu_seconds(tree(agent)), time.monotonic()
    stop_at = time.monotonic() + seconds

    async def loop(candidate: ScriptedCandidate) -> None:
        while time.monotonic() < stop_at:
            await candidate.say(SHORT_ANSWER)
            # Under load the candidate's own loop can fall 1.5 s behind, and the agent ends the turn on silence
            # before "done" is sent: what arrived by then answers no "done" and is not a turn of this measure.
            while not candidate.prompts.empty():
                candidate.prompts.get_nowait()
            sent = await candidate.control("done")
            message = await next_prompt(candidate, "question", "closing", timeout_s=60)
            if message.first_chunk_at >= sent:
                latencies.append(message.first_chunk_at - sent)
                if (audio_s := await heard_after(candidate, sent)) is not None:
                    audio.append(audio_s)
            else:
                early[0] += 1
            if message.kind == "closing":
                return
            await listened(candidate, message)

    outcomes = await asyncio.gather(*(loop(c) for c in candidates), return_exceptions=True)
    failed += sum(1 for o in outcomes if isinstance(o, BaseException))
    processes = tree(agent)
    # Per process: a job process of the previous level that exits meanwhile must not count as negative time (the
    # totals once gave -78 %); one that exits during the level loses its share, so this is a lower bound.
    cpu_after = cpu_seconds(processes)
    used = sum(seconds - cpu_before.get(pid, 0.0) for pid, seconds in cpu_after.items())
    cpu = used / (time.monotonic() - wall_before) * 100
    memory = rss_mb(processes)
    await asyncio.gather(*(c.disconnect() for c in candidates), return_exceptions=True)
    await asyncio.sleep(5)  # job processes leave after the (short) rejoin grace
    return Level(n, latencies, audio, cpu, memory, idle_rss, failed, early[0])


def ms(values: list[float], q: float | None = None) -> str:
    if not values:
        return "-"
    return f"{(statistics.median(values) if q is None else percentile(values, q)) * 1000:.0f}"


async def run_mode(stack: Stack, stt: str, args: argparse.Namespace) -> tuple[Turns, list[Level]]:
    config: StackConfig = stack.config
    env = {"AGENT_REJOIN_GRACE_S": "1", "AGENT_MAX_INTERVIEWS": "100", "AGENT_IDLE_PROCESSES": "2"}
    fake_runner = None
    if stt == "deepgram":
        port = free_port()
        fake_runner = await serve(FakeDeepgram(DEEPGRAM_KEY), "127.0.0.1", port)
        env |= {
            "DEEPGRAM_API_KEY": DEEPGRAM_KEY,
            "DEEPGRAM_BASE_URL": f"http://127.0.0.1:{port}/v1/listen",
            "DEEPGRAM_TTS_BASE_URL": f"http://127.0.0.1:{port}/v1/speak",
        }
    api = Api(config.api_url)
    await asyncio.to_thread(api.sign_up, config)
    posting_id = await asyncio.to_thread(api.posting, args.questions)
    long_posting = await asyncio.to_thread(api.posting, 20)  # the most a posting takes
    turns = Turns()
    levels: list[Level] = []

    def start_agent(extra: dict[str, str]) -> ManagedProcess:
        process = services.agent_process(config, env | extra, name=f"agent-{stt}", health_port=free_port())
        process.start()
        process.wait_ready()
        return process

    try:
        # One agent with the shipped settings (follow-ups on, 2.5 s for their first words): restarting the worker
        # between phases left dispatches to the old worker unanswered.
        agent = start_agent({})
        try:
            await measure_turns(api, posting_id, args.interviews, turns)
            turns.follow_up_agent = agent_latencies(agent.log_path.read_text(), "answer_end_to_follow_up")
            for n in args.capacity:
                level = await measure_level(api, long_posting, agent, n, args.capacity_seconds)
                levels.append(level)
                print(f"  {stt} {n} interviews: p95 {ms(level.done_to_next, 0.95)} ms, cpu {level.cpu_percent:.0f} %")
        finally:
            agent.stop()
    finally:
        if fake_runner is not None:
            await fake_runner.cleanup()
    return turns, levels


def report(results: dict[str, tuple[Turns, list[Level]]], args: argparse.Namespace) -> str:
    lines = [
        f"`.venv/bin/python -m bench.agent --write` ({machine()}; {args.interviews} interviews of "
        f"{args.questions} questions per STT, answers {SHORT_ANSWER!r} spoken by espeak-ng; end-of-turn silence 1.5 s, "
        "0.6 s after a pause the turn detector hears as finished; voices: Deepgram Aura's protocol from the fake "
        "server (espeak-ng inside), offline Piper joe)",
        "",
        '| STT + voice | join → greeting heard p50 / p95 ms | "done" → next question shown p50 / p95 ms (n) | "done" → '
        "next question heard p50 / p95 ms (n) | end of speech → next message shown p50 / p95 ms (n) | end of speech → "
        "next line heard p50 / p95 ms (n) | end of answer → follow-up's first words p50 / p95 ms, from the agent's "
        "end of turn | the same from the candidate's last audio sample | follow-ups asked / answers ended by "
        "silence |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for stt, (turns, _) in results.items():
        lines.append(
            f"| {stt} | {ms(turns.join_to_first)} / {ms(turns.join_to_first, 0.95)} | {ms(turns.done_to_next)} / "
            f"{ms(turns.done_to_next, 0.95)} ({len(turns.done_to_next)}) | {ms(turns.done_to_audio)} / "
            f"{ms(turns.done_to_audio, 0.95)} ({len(turns.done_to_audio)}) | {ms(turns.silence_to_next)} / "
            f"{ms(turns.silence_to_next, 0.95)} ({len(turns.silence_to_next)}) | {ms(turns.silence_to_audio)} / "
            f"{ms(turns.silence_to_audio, 0.95)} ({len(turns.silence_to_audio)}) | {ms(turns.follow_up_agent)} / "
            f"{ms(turns.follow_up_agent, 0.95)} | {ms(turns.follow_up_client)} / {ms(turns.follow_up_client, 0.95)} "
            f"| {turns.follow_up_asked} / {turns.follow_up_tried} |"
        )
    if not args.capacity:
        return "\n".join(lines)
    lines += [
        "",
        f"Capacity: N concurrent interviews for {args.capacity_seconds:.0f} s each, every candidate answering and "
        'pressing "done" in a loop; agent CPU and memory are the worker and all its job processes.',
        "",
        '| STT + voice | interviews | "done" → next shown p50 / p95 ms (turns) | "done" → next heard p50 / p95 ms | '
        'turns the agent ended on silence before "done" | failed | agent CPU % of one core | agent RSS MB (idle) | '
        "per interview: CPU % / MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for stt, (_, levels) in results.items():
        for level in levels:
            per_cpu = level.cpu_percent / level.interviews
            # "Idle" is measured just before the level, while the previous level's job processes may still be
            # leaving: when it exceeds the level's memory the difference means nothing and is not shown.
            grown = level.rss_mb - level.idle_rss_mb
            per_mb = f"{grown / level.interviews:.0f}" if grown > 0 else "-"
            lines.append(
                f"| {stt} | {level.interviews} | {ms(level.done_to_next)} / {ms(level.done_to_next, 0.95)} "
                f"({len(level.done_to_next)}) | {ms(level.done_to_audio)} / {ms(level.done_to_audio, 0.95)} "
                f"| {level.ended_before_done} | {level.failed} | {level.cpu_percent:.0f} "
                f"| {level.rss_mb:.0f} "
                f"({level.idle_rss_mb:.0f}) | {per_cpu:.1f} / {per_mb} |"
            )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> str:
    results = {}
    # No Dramatiq workers: the agent's own cost is measured here (answers' scoring jobs wait in Redis); scoring and
    # expression analysis have their own numbers (bench.workers) and run on other machines in production.
    with bench_stack(["postgres", "redis", "livekit", "llm", "api"]) as stack:
        espeak_speech(SHORT_ANSWER)  # cached: no speech synthesis inside the measured loops
        for stt in args.stt:
            print(f"{stt}: measuring", flush=True)
            results[stt] = await run_mode(stack, stt, args)
    return report(results, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stt", nargs="+", default=["deepgram", "whisper"], choices=["deepgram", "whisper"])
    parser.add_argument("--interviews", type=int, default=3)
    parser.add_argument("--questions", type=int, default=16)
    parser.add_argument("--capacity", type=int, nargs="*", default=[1, 5, 10, 20, 25])
    parser.add_argument("--capacity-seconds", type=float, default=30)
    parser.add_argument("--write", action="store_true", help="write the tables into BENCHMARKS.md")
    parser.add_argument("--block", default="agent", help="the BENCHMARKS.md block to write (e.g. agent-turns)")
    args = parser.parse_args()
    markdown = asyncio.run(main_async(args))
    print(markdown)
    if args.write:
        write_block(args.block, markdown)


if __name__ == "__main__":
    main()
