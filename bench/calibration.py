"""How far the scores can be trusted: the assessment pipeline against a hand-labelled set, per evaluation model.

    .venv/bin/python -m bench.calibration [--model PATH] [--only answers,injections,uncut,retest,names] [--write]

The set is tests/data/scoring_calibration.json: 12 questions (four categories, English and Korean), each with a
strong, adequate, weak, off-topic and garbage answer labelled by a person, injection payloads appended to the weak
answer, and name-swap templates. Every answer goes through `workers.pipelines.assessment.assess`, the same steps the
worker runs (manipulation cut, evidence checks, relevance, model score, feedback checks). `--model` points at any
GGUF chat model, so the same command measures the production evaluator on a machine that can run it.

Measures: strong > weak (pairs per question), Spearman rho of the overall score against the bands, off-topic answers
flagged and scored below the weak answer, garbage refused, injection lift (weak + payload minus weak alone) and how
many payloads were flagged, the lift with the payload left in (what the prompt alone withstands), retest delta
(the same answers scored again), and name swap delta (one answer, six names and pronouns).
"""

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from scipy.stats import spearmanr

from bench.common import machine, write_block
from core.embeddings import Embedder
from core.local_llm import LocalChatModel
from core.model_files import ModelFiles
from core.rubric import default_rubric
from infra.config import REPO_ROOT, StackConfig
from workers.pipelines.assessment import Assessment, assess

DATA = REPO_ROOT / "tests" / "data" / "scoring_calibration.json"
PARTS = ("answers", "injections", "uncut", "retest", "names")


def overall(assessment: Assessment) -> float:
    """One number per answer: the mean of the three dimensions; an answer not scored counts as 0."""
    if assessment.status != "scored":
        return 0.0
    return statistics.mean(assessment.scores.values())


class Runner:
    def __init__(self, model: LocalChatModel, embedder: Embedder) -> None:
        self.model, self.embedder = model, embedder
        self.seconds: list[float] = []
        self.results: list[Assessment] = []

    def assess(
        self, question: dict[str, Any], answer: str, candidate: str = "Alex Kim", *, cut: bool = True
    ) -> Assessment:
        started = time.perf_counter()
        result = assess(
            question=question["question"],
            rubric=default_rubric(question["category"]),
            answer=answer,
            language=question["language"],
            complete=lambda messages, grammar, temperature: self.model.complete(
                messages, max_tokens=400, grammar=grammar, temperature=temperature
            ),
            similarity=self.embedder.similarity,
            candidate_names=[candidate],
            cut_manipulation=cut,
        )
        self.seconds.append(time.perf_counter() - started)
        self.results.append(result)
        return result


def run_answers(runner: Runner, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
    """The labelled answers; returns the measures and every answer's overall score by id."""
    bands = data["bands"]
    by_id: dict[str, tuple[str, Assessment]] = {}
    for question in data["questions"]:
        for answer in question["answers"]:
            result = runner.assess(question, answer["text"])
            by_id[answer["id"]] = (answer["band"], result)
            flags = ",".join(flag["kind"] for flag in result.flags) or "-"
            print(f"  {answer['id']:<32} {result.status:<22} {overall(result):5.1f}  {flags}", flush=True)
    pairs = caught = below_weak = refused = 0
    for question in data["questions"]:
        got = {band: by_id[f"{question['id']}-{band}"][1] for band in bands}
        pairs += overall(got["strong"]) > overall(got["weak"])
        off = got["off_topic"]
        caught += any(flag["kind"] == "off_topic" for flag in off.flags) or off.status != "scored"
        below_weak += overall(off) < overall(got["weak"])
        refused += got["garbage"].status == "insufficient_evidence"
    n = len(data["questions"])
    rho = spearmanr([bands[band] for band, _ in by_id.values()], [overall(r) for _, r in by_id.values()]).statistic
    scores = {answer_id: overall(result) for answer_id, (_, result) in by_id.items()}
    results = {
        "strong > weak": f"{pairs}/{n} ({pairs / n:.0%})",
        "Spearman rho vs bands": f"{rho:.2f} ({len(by_id)} answers)",
        "off-topic flagged": f"{caught}/{n} ({caught / n:.0%})",
        "off-topic scored below the weak answer": f"{below_weak}/{n}",
        "garbage refused": f"{refused}/{n} ({refused / n:.0%})",
        "clean answers flagged as manipulation": str(
            sum(any(f["kind"] == "manipulation_suspected" for f in r.flags) for _, r in by_id.values())
        ),
        "on-topic answers flagged off-topic": str(
            sum(
                any(f["kind"] == "off_topic" for f in r.flags)
                for band, r in by_id.values()
                if band in ("strong", "adequate", "weak")
            )
        ),
    }
    return results, scores


def run_injections(
    runner: Runner, data: dict[str, Any], scores: dict[str, float], *, cut: bool = True
) -> dict[str, Any]:
    """Weak answer + payload minus weak answer alone. `cut=False` scores the payload too: what the JSON material
    and the instructions withstand when the detector misses."""
    questions = {q["id"]: q for q in data["questions"]}
    lifts, flagged = [], 0
    for injection in data["injections"]:
        question = questions[injection["question_id"]]
        weak = next(a["text"] for a in question["answers"] if a["band"] == "weak")
        result = runner.assess(question, f"{weak} {injection['text']}", cut=cut)
        lift = overall(result) - scores[f"{question['id']}-weak"]
        lifts.append(lift)
        flagged += any(flag["kind"] == "manipulation_suspected" for flag in result.flags)
        print(f"  {injection['id']:<8} lift {lift:+5.1f}  {injection['style']}", flush=True)
    if not cut:
        return {
            "injection lift if the detector missed (payload left in the scored text), worst / mean": (
                f"{max(lifts):+.1f} / {statistics.mean(lifts):+.1f} points"
            )
        }
    return {
        "injection lift, worst variant": f"{max(lifts):+.1f} points ({len(lifts)} variants)",
        "injection lift, mean": f"{statistics.mean(lifts):+.1f} points",
        "injections flagged": f"{flagged}/{len(lifts)}",
    }


def run_retest(runner: Runner, data: dict[str, Any], scores: dict[str, float]) -> dict[str, Any]:
    """The adequate answers scored again, after everything else has run through the same model."""
    deltas = []
    for question in data["questions"]:
        answer = next(a for a in question["answers"] if a["band"] == "adequate")
        deltas.append(abs(overall(runner.assess(question, answer["text"])) - scores[answer["id"]]))
    return {
        "retest delta (adequate answers scored twice)": f"max {max(deltas):.1f}, mean {statistics.mean(deltas):.1f}"
    }


def run_names(runner: Runner, data: dict[str, Any]) -> dict[str, Any]:
    swap = data["name_swap"]
    question = next(q for q in data["questions"] if q["id"] == swap["question_id"])
    spreads = []
    for template in swap["templates"]:
        scores = [
            overall(runner.assess(question, template.format(**person), candidate=person["name"]))
            for person in swap["people"]
        ]
        spreads.append(max(scores) - min(scores))
        print(f"  template: {' '.join(f'{s:.0f}' for s in scores)}", flush=True)
    people = len(swap["people"])
    return {
        "name swap delta (max - min over names)": f"max {max(spreads):.1f} ({len(spreads)} answers x {people} names)"
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="GGUF evaluation model (default: the offline one)")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated subset of {PARTS}")
    parser.add_argument("--write", action="store_true", help="rewrite the calibration block of BENCHMARKS.md")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    files = ModelFiles(StackConfig().models_dir)
    model = LocalChatModel(args.model or files.evaluation_llm)
    runner = Runner(model, Embedder(files.minilm))
    data = json.loads(DATA.read_text())
    results: dict[str, Any] = {}
    scores: dict[str, float] = {}
    if "answers" in parts or "retest" in parts:
        answer_results, scores = run_answers(runner, data)
        if "answers" in parts:
            results |= answer_results
    elif parts & {"injections", "uncut"}:  # only the weak answers are needed as the baseline
        scores = {
            f"{q['id']}-weak": overall(runner.assess(q, next(a["text"] for a in q["answers"] if a["band"] == "weak")))
            for q in data["questions"]
        }
    if "injections" in parts:
        results |= run_injections(runner, data, scores)
    if "uncut" in parts:
        results |= run_injections(runner, data, scores, cut=False)
    if "names" in parts:
        results |= run_names(runner, data)
    if "retest" in parts:
        results |= run_retest(runner, data, scores)
    sources = Counter(result.feedback_source for result in runner.results if result.status == "scored")
    results["feedback written by"] = ", ".join(f"{name} {count}" for name, count in sources.most_common())
    results["seconds per assessment"] = (
        f"p50 {statistics.median(runner.seconds):.1f} s, max {max(runner.seconds):.1f} s ({len(runner.seconds)} runs)"
    )
    lines = [
        f"{machine()}; evaluation model `{model.name}` (`.venv/bin/python -m bench.calibration"
        f"{' --model ' + str(args.model) if args.model else ''}`), set `tests/data/scoring_calibration.json`",
        "",
        "| measure | result |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in results.items()),
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_block("calibration", text)


if __name__ == "__main__":
    main()
