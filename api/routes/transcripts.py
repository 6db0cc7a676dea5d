from fastapi import APIRouter, HTTPException, Response, status

from api.deps import BrokerDep, CurrentUser, RedisDep, SessionDep
from api.schemas import TranscriptCreate, TranscriptPublic
from api.services import transcripts
from api.services.access import get_visible_interview
from core.tables import Role

router = APIRouter(tags=["transcripts"])


@router.post("/transcripts", response_model=TranscriptPublic, status_code=status.HTTP_201_CREATED)
def create_transcript(
    segment: TranscriptCreate,
    response: Response,
    session: SessionDep,
    user: CurrentUser,
    broker: BrokerDep,
    redis_client: RedisDep,
) -> TranscriptPublic:
    """Stores one segment. Sending the same (interview_id, order, speaker) again answers 200 with the stored row.
    A candidate segment with `is_answer_end` and a `question_id` queues `evaluation.score_answer`."""
    interview = get_visible_interview(session, user, segment.interview_id)
    if user.role == Role.recruiter:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Recruiters observe interviews; they do not add transcripts.")
    stored, created = transcripts.store_segment(
        session=session, interview=interview, segment=segment, broker=broker, redis_client=redis_client
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return TranscriptPublic.model_validate(stored, from_attributes=True)
