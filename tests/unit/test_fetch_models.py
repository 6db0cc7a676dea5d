"""The production model fetcher verifies what it downloads (served here by a loopback HTTP server)."""

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.fetch_models import Download, fetch

pytestmark = pytest.mark.unit

PAYLOAD = b"GGUF" + bytes(range(256)) * 64


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(PAYLOAD)))
        self.end_headers()
        self.wfile.write(PAYLOAD)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/model.gguf"
    server.shutdown()


def test_a_matching_download_is_kept(server_url: str, tmp_path: Path) -> None:
    digest = hashlib.sha256(PAYLOAD).hexdigest()
    assert fetch(Download("question", server_url, "m/model.gguf", digest), tmp_path) == digest
    assert (tmp_path / "m" / "model.gguf").read_bytes() == PAYLOAD


def test_a_mismatching_download_is_discarded(server_url: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="checksum mismatch"):
        fetch(Download("question", server_url, "model.gguf", "0" * 64), tmp_path)
    assert list(tmp_path.iterdir()) == []
