"""Download the production models where the internet is reachable (the compose `models` service runs this).

    python -m infra.fetch_models --target /models [--only question evaluation whisper voice deepface]

Hugging Face serves the sha256 of every large (LFS) file in the X-Linked-Etag header of the resolve URL; each GGUF
is verified against it. DeepFace's weights come from a GitHub release that publishes no checksum: the pinned
sha256 below is checked when set, otherwise the digest is printed and written to the manifest for you to pin.
The Haar cascades come from Debian's opencv-data (installed in the image) with the same checks as infra.models.
"""

import argparse
import hashlib
import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from core.model_files import ModelFiles
from infra.models import install_haar_cascades


@dataclass(frozen=True)
class Download:
    key: str
    url: str
    target: str  # relative to the models folder
    sha256: str | None = None  # None: taken from Hugging Face's X-Linked-Etag, or printed for pinning


HF = "https://huggingface.co/{repo}/resolve/main/{file}"
DOWNLOADS = [
    Download(
        "question",
        HF.format(repo="bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", file="Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"),
        "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
    ),
    Download(
        "evaluation",
        HF.format(repo="TheBloke/SOLAR-10.7B-Instruct-v1.0-GGUF", file="solar-10.7b-instruct-v1.0.Q8_0.gguf"),
        "solar-10.7b-instruct-v1.0.Q8_0.gguf",
    ),
    # The agent's offline speech recognition, used when no DEEPGRAM_API_KEY is set.
    *(
        Download("whisper", HF.format(repo="Systran/faster-whisper-base", file=name), f"faster-whisper-base/{name}")
        for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
    ),
    # The agent's offline English voice (Piper), used when no DEEPGRAM_API_KEY is set.
    *(
        Download(
            "voice",
            HF.format(repo="rhasspy/piper-voices", file=f"en/en_US/joe/medium/en_US-joe-medium.{suffix}"),
            f"piper/en_US-joe-medium.{suffix}",
            sha256,
        )
        for suffix, sha256 in (
            ("onnx", "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"),
            ("onnx.json", None),
        )
    ),
    Download(
        "deepface",
        "https://github.com/serengil/deepface_models/releases/download/v1.0/facial_expression_model_weights.h5",
        "deepface/.deepface/weights/facial_expression_model_weights.h5",
    ),
]


def published_sha256(url: str) -> str | None:
    request = urllib.request.Request(url, method="HEAD")
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        response = opener.open(request, timeout=30)
        headers = response.headers
    except urllib.error.HTTPError as redirect:  # the resolve URL answers 302 with the headers we need
        headers = redirect.headers
    etag = (headers.get("X-Linked-Etag") or "").strip('"')
    return etag if len(etag) == 64 else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(download: Download, root: Path) -> str:
    target = root / download.target
    expected = download.sha256 or (published_sha256(download.url) if "huggingface.co" in download.url else None)
    if target.is_file() and expected and _sha256(target) == expected:
        print(f"  {download.target}: present, sha256 verified")
        return expected
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    digest = hashlib.sha256()
    print(f"  downloading {download.url}", flush=True)
    with urllib.request.urlopen(download.url, timeout=60) as response, partial.open("wb") as out:
        while block := response.read(1 << 22):
            digest.update(block)
            out.write(block)
    actual = digest.hexdigest()
    if expected and actual != expected:
        partial.unlink()
        raise SystemExit(f"checksum mismatch for {download.target}: expected {expected}, got {actual}")
    partial.replace(target)
    print(f"  {download.target}: sha256 {actual} {'verified' if expected else '(no published checksum: pin it)'}")
    return actual


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", type=Path, required=True)
    parser.add_argument("--only", nargs="*", choices=sorted({d.key for d in DOWNLOADS}))
    args = parser.parse_args()
    chosen = [d for d in DOWNLOADS if not args.only or d.key in args.only]
    manifest = {d.target: fetch(d, args.target) for d in chosen}
    install_haar_cascades(ModelFiles(args.target))
    (args.target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    print(f"models ready in {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
