"""Worker latencies: answer scoring with the evaluation model, and expression analysis per 640x480 frame
(DeepFace's default analyze path vs ours), side by side in one run.

Run: .venv/bin/python -m bench.workers [--answers 12] [--frames 30] [--sustained-seconds 30] [--only-sustained]
"""

import argparse
import os
import platform
import statistics
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import cv2
import numpy as np

from bench.common import percentile
from core.local_llm import LocalChatModel
from core.model_files import ModelFiles
from core.rubric import default_rubric
from infra.config import StackConfig
from workers.pipelines.expression import ExpressionAnalyzer, write_generated_deepface_home
from workers.pipelines.scoring import parse_score, score_grammar, scoring_messages

ANSWERS = [
    "An index is a B-tree that lets the database find rows without a full scan; I add one for frequent filters "
    "and joins after reading the plan, since every index slows writes.",
    "I would use an idempotency key stored with the result in one transaction so that a retry returns the same "
    "result instead of charging twice.",
    "I'm not sure, maybe you could restart the server and see if it works better after that.",
]


def bench_scoring(models: ModelFiles, count: int) -> list[float]:
    model = LocalChatModel(models.evaluation_llm)
    latencies = []
    for i in range(count):
        answer = ANSWERS[i % len(ANSWERS)]
        messages = scoring_messages(
            question="Explain your approach.", rubric=default_rubric("technical"), answer=answer, language="en"
        )
        started = time.perf_counter()
        parse_score(
            model.complete(messages, max_tokens=350, grammar=score_grammar(default_rubric("technical"))), answer
        )
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _frame() -> np.ndarray:
    import skimage.data

    face = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)  # 512x512
    frame = np.full((480, 640, 3), 90, np.uint8)
    small = cv2.resize(face, (400, 400))
    frame[40:440, 120:520] = small
    return frame


def bench_expression(models: ModelFiles, frames: int) -> dict[str, list[float]]:
    frame = _frame()
    ours = ExpressionAnalyzer(deepface_home=models.deepface_home, fer_weights=models.fer_expression)
    ours_full = ExpressionAnalyzer(
        deepface_home=models.deepface_home, fer_weights=models.fer_expression, detection_width=frame.shape[1]
    )
    # DeepFace's emotion weights cannot be downloaded here; its timing does not depend on weight values.
    home = write_generated_deepface_home(Path(tempfile.mkdtemp()) / "deepface", models.deepface_home)
    os.environ["DEEPFACE_HOME"] = str(home)
    from deepface import DeepFace

    def deepface_default() -> None:
        DeepFace.analyze(frame, actions=["emotion"], detector_backend="opencv", enforce_detection=False, silent=True)

    variants = {
        "deepface_analyze_default": deepface_default,
        "ours_full_res_detection": lambda: ours_full.analyze(frame),
        "ours_320px_detection": lambda: ours.analyze(frame),
    }
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for fn in variants.values():  # warm-up
        fn()
    for _ in range(frames):  # interleaved, so that machine noise hits all alike
        for name, fn in variants.items():
            started = time.perf_counter()
            fn()
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def sustained_expression(models: ModelFiles, seconds: float) -> float:
    """Frames per second that one worker process's analyzer keeps up back to back (one thread, as shipped)."""
    frame = _frame()
    analyzer = ExpressionAnalyzer(deepface_home=models.deepface_home, fer_weights=models.fer_expression)
    analyzer.analyze(frame)  # warm-up
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        analyzer.analyze(frame)
        count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=12)
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--sustained-seconds", type=float, default=30)
    parser.add_argument("--only-sustained", action="store_true", help="skip scoring and the per-frame comparison")
    args = parser.parse_args()
    models = ModelFiles(StackConfig().models_dir)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"llama-cpp-python {version('llama-cpp-python')}, deepface {version('deepface')}, "
        f"tensorflow {version('tensorflow')}, opencv {cv2.__version__}"
    )
    if args.sustained_seconds > 0:
        fps = sustained_expression(models, args.sustained_seconds)
        print(
            f"\nexpression sustained for {args.sustained_seconds:.0f} s, one thread: {fps:.1f} frames/s "
            f"= {fps * 2:.0f} candidates at one frame every 2 s"
        )
    if args.only_sustained:
        return
    scoring = bench_scoring(models, args.answers)
    print(
        f"\nscoring ({models.evaluation_llm.name}, {args.answers} answers): "
        f"p50 {statistics.median(scoring):.0f} ms, p95 {percentile(scoring, 0.95):.0f} ms"
    )
    expression = bench_expression(models, args.frames)
    base = statistics.median(expression["deepface_analyze_default"])
    print(f"\nexpression per 640x480 frame ({args.frames} frames each, interleaved):")
    for name, values in expression.items():
        median = statistics.median(values)
        print(
            f"  {name:<26} median {median:6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms  "
            f"ratio to DeepFace default {median / base:.2f}"
        )


if __name__ == "__main__":
    main()
