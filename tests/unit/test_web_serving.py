"""The API serves the built web app, falls back to index.html for client routes, and never leaks other files."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings

pytestmark = pytest.mark.unit


def _client(dist: Path) -> TestClient:
    return TestClient(create_app(ApiSettings(_env_file=None, web_dist_dir=dist)))  # type: ignore[call-arg]


def _dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<div id=root></div>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("do not serve")
    return dist


def test_index_assets_and_client_routes(tmp_path: Path) -> None:
    client = _client(_dist(tmp_path))
    assert client.get("/").text == "<div id=root></div>"
    assert client.get("/app/interviews/3/report").text == "<div id=root></div>"
    assert client.get("/assets/app.js").text == "console.log(1)"
    assert client.get("/health").json() == {"status": "ok"}


def test_paths_outside_the_build_are_not_served(tmp_path: Path) -> None:
    client = _client(_dist(tmp_path))
    response = client.get("/..%2Fsecret.txt")
    assert "do not serve" not in response.text
    assert client.get("/assets/missing.js").status_code == 404


def test_without_a_build_the_root_says_how_to_build_it(tmp_path: Path) -> None:
    response = _client(tmp_path / "nowhere").get("/")
    assert response.status_code == 200
    assert "web app not built" in response.json()["detail"]
