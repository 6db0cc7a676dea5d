"""The agent's audio path per interview, by the length of the frames it reads from LiveKit (`AGENT_AUDIO_FRAME_MS`).

    .venv/bin/python -m bench.audio_path [--frame-ms 10 50] [--rooms 5] [--rounds 3] [--seconds 30] [--write]

N scripted candidates talk in N rooms (an answer spoken by espeak-ng, 2 s of silence, again). For each frame length
a listener process joins every room and runs what an interview's job process runs on the candidate's microphone:
`agent.speech.CandidateSpeech`, i.e. LiveKit's audio stream, the silero VAD and Deepgram's streaming STT (against
infra/fake_deepgram.py, in this process). Its CPU time (Python, LiveKit's native threads and ONNX together) is read
over a window after a warm-up. Frame lengths alternate round by round, so that machine noise hits all alike; the
events each listener heard (starts and ends of speech, final utterances) show that the pipeline still works.
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
from collections import Counter
from typing import Any

import psutil
from livekit import api, rtc

from bench.agent import DEEPGRAM_KEY
from bench.agent import SHORT_ANSWER as ANSWER
from bench.common import bench_stack, machine, write_block
from infra.candidate_sim import ScriptedCandidate, espeak_speech
from infra.fake_deepgram import FakeDeepgram, serve
from infra.process import free_port

WARM_UP_S = 4.0


def token(key: str, secret: str, room: str, identity: str) -> str:
    grants = api.VideoGrants(room_join=True, room=room)
    return api.AccessToken(key, secret).with_identity(identity).with_grants(grants).to_jwt()


# The listener: one process, one room connection per interview.


async def listen(url: str, tokens: list[str], frame_ms: int, seconds: float, deepgram_url: str) -> dict[str, int]:
    import aiohttp
    from livekit.plugins import deepgram, silero

    from agent.speech import CandidateSpeech, SpeechEnded, SpeechStarted, Utterance

    vad_model = silero.VAD.load()
    http = aiohttp.ClientSession()
    counts: Counter[str] = Counter()
    speeches: list[CandidateSpeech] = []
    rooms: list[rtc.Room] = []

    async def drain(speech: CandidateSpeech) -> None:
        while True:
            event = await speech.events.get()
            if isinstance(event, SpeechStarted):
                counts["speech_started"] += 1
            elif isinstance(event, SpeechEnded):
                counts["speech_ended"] += 1
            elif isinstance(event, Utterance) and event.final:
                counts["utterances"] += 1

    tasks = []
    for room_token in tokens:
        room = rtc.Room()
        tracks: asyncio.Queue[rtc.RemoteAudioTrack] = asyncio.Queue()

        def on_track(track: rtc.Track, *_: Any, queue: asyncio.Queue[rtc.RemoteAudioTrack] = tracks) -> None:
            if isinstance(track, rtc.RemoteAudioTrack):
                queue.put_nowait(track)

        room.on("track_subscribed", on_track)
        await room.connect(url, room_token)
        rooms.append(room)
        track = await asyncio.wait_for(tracks.get(), 30)
        recognizer = deepgram.STT(api_key=DEEPGRAM_KEY, base_url=deepgram_url, http_session=http, language="en-US")
        speech = CandidateSpeech(track, vad_model=vad_model, recognizer=recognizer, language="en", frame_ms=frame_ms)
        speech.start()
        speeches.append(speech)
        tasks.append(asyncio.create_task(drain(speech)))
    print("ready", flush=True)
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()
    for speech in speeches:
        with contextlib.suppress(Exception):
            await speech.aclose()
    for room in rooms:
        await room.disconnect()
    await http.close()
    return dict(counts)


# The benchmark.


async def talk(candidate: ScriptedCandidate, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await candidate.say(ANSWER)
        await asyncio.sleep(2.0)


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


async def one_listener(args: argparse.Namespace, tokens: list[str], frame_ms: int, deepgram_url: str) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.audio_path",
        "--listen",
        args.url,
        "--frame-ms",
        str(frame_ms),
        "--seconds",
        str(WARM_UP_S + args.seconds),
        "--deepgram-url",
        deepgram_url,
    ]
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=os.environ | {"LIVEKIT_TOKENS": json.dumps(tokens)},
    )
    assert process.stdout is not None
    while (line := await asyncio.wait_for(process.stdout.readline(), 120)) != b"ready\n":
        if not line:
            raise RuntimeError(f"the listener for {frame_ms} ms frames exited before it was ready")
    await asyncio.sleep(WARM_UP_S)
    watched = psutil.Process(process.pid)
    cpu_before, wall_before = cpu_seconds(watched), time.monotonic()
    await asyncio.sleep(args.seconds - 1)
    cpu = (cpu_seconds(watched) - cpu_before) / (time.monotonic() - wall_before)
    output, _ = await process.communicate()
    counts = json.loads(output.decode().strip().splitlines()[-1])
    return {"cpu": cpu, "counts": counts}


async def measure(args: argparse.Namespace, key: str, secret: str) -> dict[int, list[dict[str, Any]]]:
    espeak_speech(ANSWER)
    port = free_port()
    fake_runner = await serve(FakeDeepgram(DEEPGRAM_KEY), "127.0.0.1", port)
    names = [f"bench-audio-{n}" for n in range(args.rooms)]
    candidates = [
        ScriptedCandidate(args.url, token(key, secret, name, f"candidate-{n}"), camera=False)
        for n, name in enumerate(names)
    ]
    stop = asyncio.Event()
    results: dict[int, list[dict[str, Any]]] = {frame_ms: [] for frame_ms in args.frame_ms}
    try:
        for candidate in candidates:
            await candidate.connect()
        talkers = [asyncio.create_task(talk(c, stop)) for c in candidates]
        tokens = [token(key, secret, name, "listener") for name in names]
        for round_number in range(args.rounds):
            order = args.frame_ms if round_number % 2 == 0 else list(reversed(args.frame_ms))
            for frame_ms in order:
                result = await one_listener(args, tokens, frame_ms, f"http://127.0.0.1:{port}/v1/listen")
                results[frame_ms].append(result)
                print(
                    f"  round {round_number + 1}, {frame_ms} ms frames: {result['cpu'] * 100:.1f} % of a core, "
                    f"{result['counts']}",
                    flush=True,
                )
        stop.set()
        for task in talkers:
            task.cancel()
    finally:
        await asyncio.gather(*(c.disconnect() for c in candidates), return_exceptions=True)
        await fake_runner.cleanup()
    return results


def report(results: dict[int, list[dict[str, Any]]], args: argparse.Namespace) -> str:
    baseline = args.frame_ms[0]
    per_interview = {
        frame_ms: statistics.median(r["cpu"] for r in runs) / args.rooms for frame_ms, runs in results.items()
    }
    lines = [
        f"{machine()}; {args.rooms} rooms, {args.rounds} rounds of {args.seconds:.0f} s per frame length, alternating "
        f"(`.venv/bin/python -m bench.audio_path --frame-ms {' '.join(map(str, args.frame_ms))} --rooms {args.rooms} "
        f"--rounds {args.rounds} --seconds {args.seconds:.0f}`)",
        "",
        "| frame ms | CPU % of one core per interview (median of rounds) | vs "
        f"{baseline} ms | speech starts / ends / final utterances heard (all rounds) |",
        "|---|---|---|---|",
    ]
    for frame_ms, runs in results.items():
        heard = Counter[str]()
        for run in runs:
            heard.update(run["counts"])
        share = per_interview[frame_ms]
        lines.append(
            f"| {frame_ms} | {share * 100:.2f} | {share / per_interview[baseline]:.2f} "
            f"| {heard['speech_started']} / {heard['speech_ended']} / {heard['utterances']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frame-ms", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--rooms", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--write", action="store_true", help="rewrite the audio-path block of BENCHMARKS.md")
    parser.add_argument("--listen", metavar="URL", help=argparse.SUPPRESS)  # the listener process
    parser.add_argument("--deepgram-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.listen:
        counts = asyncio.run(
            listen(
                args.listen, json.loads(os.environ["LIVEKIT_TOKENS"]), args.frame_ms[0], args.seconds, args.deepgram_url
            )
        )
        print(json.dumps(counts), flush=True)
        return
    with bench_stack(["livekit"]) as stack:
        config = stack.config
        args.url = config.livekit_url
        results = asyncio.run(measure(args, config.livekit_api_key, config.livekit_api_secret))
    text = report(results, args)
    print(text)
    if args.write:
        write_block("audio-path", text)


if __name__ == "__main__":
    main()
