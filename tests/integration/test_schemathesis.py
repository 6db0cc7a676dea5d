"""A bounded schemathesis run over the OpenAPI schema: bad input of any shape never gets a 500."""

import subprocess
import sys

import pytest
import redis

from infra.config import REPO_ROOT, StackConfig
from tests.integration.conftest import People, Person

pytestmark = [pytest.mark.integration, pytest.mark.fuzz]

# The SSE stream never ends by design, so it is exercised by its own tests instead of the fuzzer.
EXCLUDED = r"/events$"


def _fuzz(api_url: str, person: Person, seed: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{api_url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "12",
            "--max-time",
            "120",
            "--seed",
            str(seed),
            # One worker: with two, hypothesis builds lambda descriptions (ast.parse) in two threads at once and
            # CPython 3.11 aborts the run with "SystemError: AST constructor recursion depth mismatch".
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--exclude-path-regex",
            EXCLUDED,
            "--header",
            f"Authorization: {person.headers['Authorization']}",
        ],
        capture_output=True,
        text=True,
        timeout=400,
    )


@pytest.mark.parametrize("role", ["candidate", "recruiter"])
def test_no_input_gets_a_server_error(api_url: str, people: People, stack_config: StackConfig, role: str) -> None:
    person = people.other_candidate if role == "candidate" else people.other_recruiter
    try:
        result = _fuzz(api_url, person, seed=7 if role == "candidate" else 11)
    finally:
        # The fuzzer's failed sign-ins count against this client address; later tests sign in from it too.
        store = redis.Redis.from_url(stack_config.redis_url)
        for key in store.scan_iter("login-fail:*"):
            store.delete(key)
    report = REPO_ROOT / "test-artifacts" / f"schemathesis-{role}.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"see {report}\n" + result.stdout[-6000:]
