"""End of an answer → the interviewer's next words, with LiveKit's turn detector and with the silence rule alone.

    .venv/bin/python -m bench.turns [--rounds 2] [--write]

Two agent workers on one stack, identical but for AGENT_TURN_DETECTOR (follow-ups off, so the next line is always
the next question); interviews alternate between them, so both see the same machine load. The scripted candidate
listens to each question to its end, then answers with the Piper voice (a human-like sentence melody: the detector
judges the voice). Two sets of answers:
  finished  a complete sentence, then silence: the candidate's last audio sample → the first voiced audio frame of
            the next question received;
  thinking  "I would start with the" … a 2.5 s pause … "index on the column.", cut out of the whole sentence so
            the voice is mid-sentence at the pause: a premature end is the next question's card arriving during the
            pause (the answer was cut in two);
  barge-in  the candidate starts answering 1 s into a question: from their first audio sample to the last voiced
            frame of the interviewer's voice that reached them.
"""

import argparse
import asyncio
import functools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from livekit import api as lkapi

from bench.agent import Api, heard_after, listened, next_prompt
from bench.common import bench_stack, machine, percentile, write_block
from core.model_files import ModelFiles
from infra import services
from infra.candidate_sim import SAMPLE_RATE, natural_speech
from infra.config import StackConfig
from infra.process import ManagedProcess, free_port

FINISHED = [
    "I would add an index on the customer column and measure the query again.",
    "We moved the reports to a queue so the web requests stay fast.",
    "I write the tests first and then I refactor the code in small steps.",
    "I talk to the person directly and we agree on what done means.",
]
THINKING = [
    ("I would start with the", "index on the column that we filter by."),
    ("First I would look at the logs and", "then I would check the slowest requests."),
    ("Um, so the main thing is", "that we cache the results for a minute."),
]
BARGE_IN = [
    "I would put a token bucket in front of every client and keep the counts in Redis.",
    "I would start with the requirements and then look at the data structures.",
]
PAUSE_S = 2.5
MODES = {"turn detector": "true", "silence rule": "false"}


@dataclass
class Results:
    finished: list[float] = field(default_factory=list)  # last sample → next question heard (s)
    thinking: int = 0
    premature: int = 0
    barge_in: list[float] = field(default_factory=list)  # candidate's first sample → interviewer silent (s)


@functools.lru_cache(maxsize=1)
def _whisper() -> Any:
    """Loaded once: it finds where each pause goes."""
    from faster_whisper import WhisperModel

    return WhisperModel(str(ModelFiles(StackConfig().models_dir).whisper_base), device="cpu", compute_type="int8")


@functools.lru_cache(maxsize=16)
def pause_answer(first: str, rest: str) -> tuple[np.ndarray, float]:
    """The whole sentence spoken at once, then cut after `first`'s last word with PAUSE_S of silence put in: the
    voice is mid-sentence there, as a person's is when they stop to think (a sentence synthesised on its own ends
    with a falling, finished melody). Returns the clip and the offset of the second part, in seconds."""
    whole = natural_speech(f"{first} {rest}")
    model = _whisper()
    audio = whole[:: SAMPLE_RATE // 16_000].astype(np.float32) / 32768.0
    segments, _ = model.transcribe(audio, language="en", word_timestamps=True, beam_size=1)
    words = [word for segment in segments for word in (segment.words or [])]
    cut_s = words[len(first.split()) - 1].end
    cut = int(cut_s * SAMPLE_RATE)
    silence = np.zeros(int(SAMPLE_RATE * PAUSE_S), dtype=np.int16)
    return np.concatenate([whole[:cut], silence, whole[cut:]]), cut_s + PAUSE_S


async def dispatch(config: StackConfig, agent_name: str, room: str, interview_id: int) -> None:
    url = config.livekit_url.replace("ws://", "http://")
    async with lkapi.LiveKitAPI(url, config.livekit_api_key, config.livekit_api_secret) as lk:
        await lk.agent_dispatch.create_dispatch(
            lkapi.CreateAgentDispatchRequest(
                agent_name=agent_name, room=room, metadata=json.dumps({"interview_id": interview_id})
            )
        )


async def interview(api: Api, config: StackConfig, agent_name: str, posting_id: int, results: Results) -> None:
    interview_id = await asyncio.to_thread(api.interview, posting_id)
    grant = await asyncio.to_thread(api.join, interview_id)  # the API's own dispatch goes unanswered here
    await dispatch(config, agent_name, grant["room"], interview_id)
    candidate = api.joined_candidate(interview_id, grant)
    await candidate.connect()
    try:
        message = await next_prompt(candidate, "question")
        await listened(candidate, message)
        for text in FINISHED:
            spoken_at = await candidate.say(text, natural=True)
            message = await next_prompt(candidate, "question", "closing")
            if (heard := await heard_after(candidate, spoken_at)) is not None:
                results.finished.append(heard)
            await listened(candidate, message)
        for first, rest in THINKING:
            clip, rest_offset_s = pause_answer(first, rest)
            started = time.monotonic()
            done_at = await candidate.play(clip)
            results.thinking += 1
            message = await next_prompt(candidate, "question", "closing")
            # A card before the second part began is an answer cut in two.
            if message.first_chunk_at < min(started + rest_offset_s, done_at):
                results.premature += 1
            await listened(candidate, message)
        for text in BARGE_IN:
            message = await next_prompt(candidate, "question", "closing") if message.kind != "question" else message
            if message.kind == "closing":
                break
            if await candidate.voice_heard(message.first_chunk_at - 0.5) is None:
                continue
            await asyncio.sleep(1.0)
            speaking = asyncio.create_task(candidate.say(text, natural=True))
            await asyncio.sleep(0.05)
            barged_at = candidate.last_clip_started_at
            await speaking
            done_at = await candidate.control("done")
            if (last := candidate.last_voice_before(done_at)) is not None and last > barged_at:
                results.barge_in.append(last - barged_at)
            message = await next_prompt(candidate, "question", "closing")
            await listened(candidate, message)
    finally:
        await candidate.disconnect()


def start_agent(config: StackConfig, name: str, detector: str) -> ManagedProcess:
    env = {
        "AGENT_NAME": name,
        "AGENT_TURN_DETECTOR": detector,
        "AGENT_FOLLOW_UPS_ENABLED": "false",
        "AGENT_REJOIN_GRACE_S": "1",
    }
    process = services.agent_process(config, env, name=name, health_port=free_port())
    process.start()
    process.wait_ready()
    return process


async def main_async(args: argparse.Namespace) -> str:
    results = {mode: Results() for mode in MODES}
    for text in (*FINISHED, *BARGE_IN):
        natural_speech(text)
    for first, rest in THINKING:
        pause_answer(first, rest)  # cached: no synthesis inside the measured loops
    with bench_stack(["postgres", "redis", "livekit", "llm", "api"]) as stack:
        config = stack.config
        agents = {mode: start_agent(config, f"turns-{i}", flag) for i, (mode, flag) in enumerate(MODES.items())}
        try:
            api = Api(config.api_url)
            await asyncio.to_thread(api.sign_up, config)
            posting_id = await asyncio.to_thread(api.posting, len(FINISHED) + len(THINKING) + len(BARGE_IN))
            for round_ in range(args.rounds):
                for mode, agent in agents.items():
                    print(f"round {round_ + 1}: {mode}", flush=True)
                    await interview(api, config, agent.name, posting_id, results[mode])
        finally:
            for agent in agents.values():
                agent.stop()
    return report(results, args)


def ms(values: list[float], q: float | None = None) -> str:
    if not values:
        return "-"
    return f"{percentile(values, q if q is not None else 0.5) * 1000:.0f}"


def report(results: dict[str, Results], args: argparse.Namespace) -> str:
    lines = [
        f"`.venv/bin/python -m bench.turns --rounds {args.rounds} --write` ({machine()}; per mode {args.rounds} "
        f"interviews of {len(FINISHED)} finished answers and {len(THINKING)} answers with a {PAUSE_S} s thinking "
        "pause, spoken with the Piper voice; Whisper recognition; follow-ups off)",
        "",
        "| end of turn | last word → next question heard p50 / p95 ms (n) | thinking pauses taken for an end | "
        "barge-in: candidate's first sample → interviewer silent p50 / p95 ms (n) |",
        "|---|---|---|---|",
    ]
    for mode, result in results.items():
        lines.append(
            f"| {mode} | {ms(result.finished)} / {ms(result.finished, 0.95)} ({len(result.finished)}) | "
            f"{result.premature} of {result.thinking} | {ms(result.barge_in)} / {ms(result.barge_in, 0.95)} "
            f"({len(result.barge_in)}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    args = parser.parse_args()
    markdown = asyncio.run(main_async(args))
    print(markdown)
    if args.write:
        write_block("turns", markdown)


if __name__ == "__main__":
    main()
