"""Load-test rooms: a demo interview for rooms whose dispatch names no interview (`lk perf agent-load-test`).

With `AGENT_LOAD_TEST_ROOMS=true` (refused in production) the agent runs the whole voice interview there: it speaks
the greeting and the questions, listens to whoever publishes audio, ends turns as in a real interview, and stores
nothing. So a load test exercises voices, listening and turn-taking, not only dispatch. lk's participant echoes the
agent's own voice back 5 s later, so there the lines are not interruptible: each question is heard whole, its echo
is the "answer", and the silence after it ends the turn.
"""

import itertools
from datetime import UTC, datetime
from typing import Any

from agent.store import InterviewSnapshot, PlanItem
from core.tables import InterviewStatus, QuestionSource, Speaker

DEMO_QUESTIONS = (
    "Tell me about a project you are proud of.",
    "How do you make a slow service faster?",
    "How do you handle a disagreement with a teammate?",
)


def demo_snapshot(room_name: str) -> InterviewSnapshot:
    return InterviewSnapshot(
        id=0,
        status=InterviewStatus.live,
        candidate_id=0,
        room_name=room_name,
        position="load test",
        language="en",
        emotion_consent=False,
        start_time=datetime.now(UTC),
        plan=[
            PlanItem(id=n, content=text, order=n, source=QuestionSource.bank, parent_id=None, answered=False)
            for n, text in enumerate(DEMO_QUESTIONS, start=1)
        ],
    )


class DemoStore:
    """Writes nothing; hands out ids so the interview runs as it would."""

    def __init__(self) -> None:
        self._ids = itertools.count(1000)
        self.completed = False

    async def mark_live(self) -> datetime:
        return datetime.now(UTC)

    async def mark_asked(self, question_id: int) -> None:
        return None

    async def save_segment(self, speaker: Speaker, text: str, *, question_id: int | None, **_: Any) -> int:
        return next(self._ids)

    async def set_segment_end(self, segment_id: int, end_ms: int) -> None:
        return None

    async def end_answer(self, question_id: int) -> int:
        return 0

    async def add_follow_up(self, parent_id: int, content: str) -> int:
        return next(self._ids)

    async def set_content(self, question_id: int, content: str) -> None:
        return None

    async def complete(self) -> None:
        self.completed = True

    async def queue_frame(self, t_ms: int, image_b64: str) -> None:
        return None
