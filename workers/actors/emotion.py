"""emotion.analyze_frame: one sampled video frame → an expression sample. Only with the candidate's consent."""

import logging

import dramatiq
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import jobs
from core.db import get_engine
from core.tables import EmotionSample, Interview
from workers.models import get_expression_analyzer
from workers.pipelines.expression import decode_frame
from workers.settings import get_worker_settings

logger = logging.getLogger(__name__)
NAME, QUEUE = jobs.ANALYZE_FRAME


@dramatiq.actor(actor_name=NAME, queue_name=QUEUE, max_retries=2, min_backoff=500, time_limit=60_000)
def analyze_frame(interview_id: int, t_ms: int, image: str) -> None:
    settings = get_worker_settings()
    if not settings.expression_analysis_enabled:
        return
    with Session(get_engine(settings.database_url)) as session:
        interview = session.get(Interview, interview_id)
        if interview is None or not interview.emotion_consent:
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
        expression = get_expression_analyzer().analyze(frame)
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
