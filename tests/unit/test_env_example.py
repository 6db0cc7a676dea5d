"""Every setting the code reads is documented in .env.example, and every variable there is read by something."""

import re

import pytest

from agent.settings import AgentSettings
from api.settings import ApiSettings
from infra.config import REPO_ROOT, StackConfig
from workers.settings import WorkerSettings

pytestmark = pytest.mark.unit

# Read with os.environ rather than a settings object: the admin CLI's password.
READ_DIRECTLY = {"ADMIN_PASSWORD"}


def _documented() -> set[str]:
    text = (REPO_ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def _read_by_code() -> set[str]:
    names: set[str] = set(READ_DIRECTLY)
    # Variables that docker-compose.yml interpolates are read by the deployment.
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (REPO_ROOT / "docker-compose.yml").read_text()))
    for settings in (ApiSettings, AgentSettings, WorkerSettings, StackConfig):
        names |= {field.upper() for field in settings.model_fields}
    return names


def test_every_setting_is_documented() -> None:
    assert _read_by_code() - _documented() == set()


def test_every_documented_variable_is_read() -> None:
    assert _documented() - _read_by_code() == set()
