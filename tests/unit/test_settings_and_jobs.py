import pytest
from pydantic import ValidationError

from core import jobs
from core.settings import CoreSettings

pytestmark = pytest.mark.unit


def test_production_refuses_the_development_livekit_secret() -> None:
    with pytest.raises(ValidationError, match="LIVEKIT_API_SECRET"):
        CoreSettings(_env_file=None, environment="production")  # type: ignore[call-arg]


def test_production_accepts_a_real_secret() -> None:
    settings = CoreSettings(_env_file=None, environment="production", livekit_api_secret="x" * 40)  # type: ignore[call-arg]
    assert settings.environment == "production"


def test_production_refuses_load_test_rooms() -> None:
    from agent.settings import AgentSettings

    secret = "x" * 40
    with pytest.raises(ValidationError, match="AGENT_LOAD_TEST_ROOMS"):
        AgentSettings(_env_file=None, environment="production", livekit_api_secret=secret, agent_load_test_rooms=True)  # type: ignore[call-arg]
    assert AgentSettings(_env_file=None, agent_load_test_rooms=True).agent_load_test_rooms  # type: ignore[call-arg]


def test_livekit_http_url_follows_the_websocket_scheme() -> None:
    remote = CoreSettings(_env_file=None, livekit_url="wss://lk.example:443", livekit_api_secret="x" * 40)  # type: ignore[call-arg]
    assert remote.livekit_http_url == "https://lk.example:443"
    assert CoreSettings(_env_file=None, livekit_url="ws://127.0.0.1:7880").livekit_http_url == "http://127.0.0.1:7880"  # type: ignore[call-arg]


def test_job_messages_carry_names_queues_and_ids_only() -> None:
    message = jobs.build_message(jobs.SCORE_ANSWER, answer_id=7)
    assert message.actor_name == "evaluation.score_answer"
    assert message.queue_name == "evaluation"
    assert message.kwargs == {"answer_id": 7}
    assert message.args == ()


def test_every_job_goes_to_a_known_queue() -> None:
    for job in (jobs.PING, jobs.SCORE_ANSWER, jobs.ANALYZE_FRAME, jobs.GENERATE_REPORT):
        assert job[1] in jobs.QUEUES
