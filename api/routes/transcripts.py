"""Writing transcript segments over HTTP. The live interview's agent stores what was said straight into the
database (core.interview_store); this endpoint is for admins (scripted tests and benchmarks), so that a
candidate cannot write, rewrite or add answers that the interview never heard."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from api.deps import BrokerDep, RedisDep, SessionDep, require_roles
from api.schemas import TranscriptCreate, TranscriptPublic
from api.services import transcripts
from api.services.access import get_visible_interview
from core.tables import Role, User

router = APIRouter(tags=["transcripts"])
TranscriptWriter = Annotated[
    User,
    Depends(
        require_roles(
            Role.admin,
            detail="Only the interview itself (or an admin) writes transcripts; answers are recorded from the live "
            "interview.",
        )
    ),
]


@router.post("/transcripts", response_model=TranscriptPublic, status_code=status.HTTP_201_CREATED)
def create_transcript(
    segment: TranscriptCreate,
    response: Response,
    session: SessionDep,
    user: TranscriptWriter,
    broker: BrokerDep,
    redis_client: RedisDep,
) -> TranscriptPublic:
    """Admins only. Stores one segment; the same (interview_id, order, speaker) again answers 200 with the stored
    row. A candidate segment with `is_answer_end` and a `question_id` queues `evaluation.score_answer`."""
    interview = get_visible_interview(session, user, segment.interview_id)
    stored, created = transcripts.store_segment(
        session=session, interview=interview, segment=segment, broker=broker, redis_client=redis_client
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return TranscriptPublic.model_validate(stored, from_attributes=True)
