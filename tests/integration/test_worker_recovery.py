"""A worker killed with SIGKILL in the middle of a message: another worker gets it within 15 s, one result row."""

import os
import re
import signal
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from core.db import get_engine
from core.tables import AnswerEvaluation
from infra import services
from infra.config import StackConfig
from infra.process import ManagedProcess
from infra.stack import Stack, worker_ping
from tests.integration.conftest import People, create_screening_interview, wait_for

pytestmark = pytest.mark.integration

LONG_ANSWER = (
    "I would start by measuring where the time goes, with tracing on the slow endpoint and the database's query "
    "statistics. If a query scans a large table I add an index that matches its filter and sort order, and I check "
    "the plan again. If the same data is read far more often than it changes, a cache in front of it helps, with a "
    "clear rule for invalidation. Finally I load test the change on staging before it goes out."
)


def _replace_workers(stack: Stack, config: StackConfig, log_name: str, preload: str) -> ManagedProcess:
    for process in [p for p in stack.running if p.name == "workers"]:
        process.stop()
        stack.running.remove(process)
    fresh = services.workers_process(config, worker_ping(config), {"WORKER_PRELOAD": preload})
    fresh.log_path = config.logs_dir / log_name
    stack._run(fresh)
    return fresh


def _log_time(log_path: Path, answer_id: int) -> float | None:
    pattern = re.compile(rf"^\[(\S+ \S+)\].*scoring answer {answer_id} ", re.MULTILINE)
    match = pattern.search(log_path.read_text(errors="replace"))
    return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp() if match else None


def test_sigkill_mid_message_is_redelivered_within_15_s(
    api_url: str, people: People, stack: Stack, stack_config: StackConfig
) -> None:
    # Scoring workers only load the evaluation model (as a deployment's evaluation/report workers do).
    first = _replace_workers(stack, stack_config, "workers-first.log", '["evaluation"]')
    interview = create_screening_interview(api_url, people, ["A page of the app is slow. What do you do?"])
    plan_id = httpx.get(f"{api_url}/interviews/{interview['id']}/questions", headers=people.candidate.headers).json()[
        0
    ]["id"]
    segment = {
        "interview_id": interview["id"],
        "speaker": "User",
        "text": LONG_ANSWER,
        "order": 1,
        "question_id": plan_id,
        "is_answer_end": True,
    }
    assert httpx.post(f"{api_url}/transcripts", headers=people.admin.headers, json=segment).status_code == 201
    answer_id = httpx.get(
        f"{api_url}/interviews/{interview['id']}/evaluations", headers=people.candidate.headers
    ).json()[0]["id"]

    wait_for(lambda: _log_time(first.log_path, answer_id), timeout_s=60, interval_s=0.05)
    assert first.process is not None
    os.killpg(first.process.pid, signal.SIGKILL)  # the main process and its worker child, mid-message
    killed_at = time.time()
    first.process.wait()
    stack.running.remove(first)

    second = _replace_workers(stack, stack_config, "workers-second.log", '["evaluation"]')
    picked_up_at = wait_for(lambda: _log_time(second.log_path, answer_id), timeout_s=60, interval_s=0.1)
    redelivery_s = picked_up_at - killed_at
    print(f"\nredelivered {redelivery_s:.1f} s after SIGKILL (heartbeat timeout 5 s)")
    assert redelivery_s <= 15

    def scored() -> bool:
        with Session(get_engine(stack_config.database_url)) as session:
            rows = session.exec(select(AnswerEvaluation).where(AnswerEvaluation.interview_question_id == plan_id)).all()
        assert len(rows) == 1
        return rows[0].status != "pending"

    wait_for(scored, timeout_s=120)
    # Later tests get a worker for every queue again.
    _replace_workers(stack, stack_config, "workers.log", '["evaluation", "expression"]')
