"""emotion.analyze_frame: one sampled video frame → an expression sample. Only with the candidate's consent.

The job carries a Redis key, not the image (core/frames.py): the frame is taken out of Redis before it is looked at,
so a failed analysis leaves no face in the dead-letter queue or in the failure log. For the same reason a failure is
not retried: the frame is gone.
"""

import logging

import dramatiq
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import jobs
from core.db import get_engine
from core.frames import take_frame
from core.tables import EmotionSample, Interview
from workers.models import get_expression_analyzer, get_redis
from workers.pipelines.expression import Expression, decode_frame
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)
NAME, QUEUE = jobs.ANALYZE_FRAME


def _consented(session: Session, interview_id: int, *, lock: bool = False) -> bool:
    statement = select(Interview.emotion_consent).where(Interview.id == interview_id)
    # FOR SHARE waits for a withdrawal in progress (which updates the row and deletes the samples in one
    # transaction), so a sample analysed while consent was being withdrawn is never stored after the deletion.
    consent = session.exec(statement.with_for_update(read=True) if lock else statement).first()
    return bool(consent)


def _store(session: Session, interview_id: int, t_ms: int, expression: Expression) -> None:
    if not _consented(session, interview_id, lock=True):
        session.rollback()
        return  # consent was withdrawn while the frame was being analysed
    session.add(
        EmotionSample(
            interview_id=interview_id,
            t_ms=t_ms,
            face_found=expression.face_found,
            dominant=expression.dominant if expression.face_found else "no_face",
            scores=expression.scores,
        )
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same frame was stored by a concurrent delivery


@dramatiq.actor(actor_name=NAME, queue_name=QUEUE, max_retries=0, time_limit=60_000)
def analyze_frame(interview_id: int, t_ms: int, frame_key: str) -> None:
    image = take_frame(get_redis(), frame_key)
    settings = get_worker_settings()
    if image is None or not settings.expression_analysis_enabled:
        return  # expired, taken by an earlier delivery, or analysis is switched off: dropped unseen
    with Session(get_engine(settings.database_url)) as session:
        if not _consented(session, interview_id):
            return  # no consent, no analysis: the frame is dropped unseen
        exists = session.exec(
            select(EmotionSample.id).where(EmotionSample.interview_id == interview_id, EmotionSample.t_ms == t_ms)
        ).first()
        if exists is not None:
            return  # a redelivered message
        try:
            frame = decode_frame(image)
        except ValueError as error:
            logger.error("interview %s frame at %s ms dropped: %s", interview_id, t_ms, error)
            return  # bad input is not retried
        _store(session, interview_id, t_ms, get_expression_analyzer().analyze(frame))
