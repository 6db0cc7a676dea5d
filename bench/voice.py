"""The offline voices: real-time factor, time to first audio, CPU per minute of speech.

    .venv/bin/python -m bench.voice [--repeats 3] [--write]

Each interviewer line of a 10-question interview (greeting, questions, closing) is synthesised through the agent's
own `tts.TTS` plugins, as `PreparedLines` asks for them: Piper `en_US-joe-medium` (one ONNX Runtime thread, as the
agent runs it) and espeak-ng for Korean. Time to first audio is from the request to the first audio frame; the
real-time factor and CPU are over whole lines (CPU: user + system time of this process, Piper's thread included,
and of the espeak-ng processes).
"""

import argparse
import asyncio
import os
import statistics
import time

from livekit.agents import tts

from agent.espeak_tts import EspeakTTS
from agent.piper_tts import PiperEngine, PiperTTS
from bench.common import machine, percentile, write_block
from core.model_files import ModelFiles
from infra.config import StackConfig

LINES_EN = [
    "Hello, and welcome. I am your interviewer for the Backend Engineer position. I will ask you 10 questions. "
    "Take your time with each answer; when you have finished, pause or press Done.",
    *(
        f"Question {n}: how do you approach {topic} in a service that many teams depend on?"
        for n, topic in enumerate(
            ["caching", "indexes", "queues", "retries", "testing", "logging", "deployments", "code review", "APIs"],
            start=1,
        )
    ),
    "Tell me about a time you disagreed with a teammate and how you resolved it.",
    "That was the last question. Thank you for your time! Your report is being prepared.",
]
LINES_KO = [
    "안녕하세요, 백엔드 개발자 포지션 면접을 진행하겠습니다. 질문은 10개입니다.",
    "최근에 진행한 프로젝트에서 가장 어려웠던 기술적 문제는 무엇이었나요?",
    "마지막 질문이었습니다. 수고하셨습니다! 결과 리포트를 준비하고 있습니다.",
]


def cpu_seconds() -> float:
    """This process and its finished children (espeak-ng runs as one per line)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


async def measure(voice: tts.TTS, lines: list[str], repeats: int) -> dict[str, float]:
    first: list[float] = []
    audio_s = synth_s = 0.0
    cpu_before = cpu_seconds()
    for _ in range(repeats):
        for text in lines:
            started = time.monotonic()
            got_first = False
            async with voice.synthesize(text) as stream:
                async for event in stream:
                    if not got_first:
                        first.append(time.monotonic() - started)
                        got_first = True
                    audio_s += event.frame.duration
            synth_s += time.monotonic() - started
    cpu_s = cpu_seconds() - cpu_before
    return {
        "first_p50": statistics.median(first),
        "first_p95": percentile(first, 0.95),
        "rtf": synth_s / audio_s,
        "cpu_per_min": cpu_s / audio_s * 60,
        "audio_s": audio_s,
        "lines": len(first),
    }


async def main_async(args: argparse.Namespace) -> str:
    piper = PiperTTS(PiperEngine(ModelFiles(StackConfig().models_dir).piper_voice, intra_op_threads=1))
    results = {
        "Piper joe (en)": await measure(piper, LINES_EN, args.repeats),
        "espeak-ng (ko)": await measure(EspeakTTS(language="ko"), LINES_KO, args.repeats),
    }
    rows = [
        f"`.venv/bin/python -m bench.voice --repeats {args.repeats} --write` ({machine()}; the lines of a "
        "10-question interview, each synthesised whole as the agent prepares them)",
        "",
        "| voice | first audio p50 / p95 ms | real-time factor | CPU s per minute of speech | lines (audio s) |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        rows.append(
            f"| {name} | {r['first_p50'] * 1000:.0f} / {r['first_p95'] * 1000:.0f} | {r['rtf']:.3f} | "
            f"{r['cpu_per_min']:.1f} | {r['lines']:.0f} ({r['audio_s']:.0f}) |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    args = parser.parse_args()
    markdown = asyncio.run(main_async(args))
    print(markdown)
    if args.write:
        write_block("voice", markdown)


if __name__ == "__main__":
    main()
