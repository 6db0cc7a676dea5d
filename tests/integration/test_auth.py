"""Registration, sign-in (username or email), tokens, and the 429 after repeated failures."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
import redis

from core.settings import DEV_JWT_SECRET
from infra.config import StackConfig
from tests.integration.conftest import People, register_and_sign_in

pytestmark = pytest.mark.integration


def _body(**overrides: object) -> dict[str, object]:
    name = f"user_{uuid.uuid4().hex[:8]}"
    return {"email": f"{name}@example.com", "username": name, "password": "long-enough-pw", **overrides}


def test_register_then_sign_in_by_username_and_by_email(api_url: str) -> None:
    body = _body(full_name="Ada Lovelace")
    created = httpx.post(f"{api_url}/register", json=body)
    assert created.status_code == 202
    assert "password" not in created.text and "hash" not in created.text
    for login in (body["username"], str(body["email"]).upper()):
        token = httpx.post(f"{api_url}/token", data={"username": login, "password": body["password"]})
        assert token.status_code == 200
        assert token.json()["token_type"] == "bearer"
        me = httpx.get(f"{api_url}/users/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        assert me.json()["username"] == body["username"] and me.json()["role"] == "candidate"


def test_token_claims_are_hs256_with_exp_iat_sub(api_url: str, people: People, stack_config: StackConfig) -> None:
    token = people.candidate.headers["Authorization"].removeprefix("Bearer ")
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, stack_config.jwt_secret, algorithms=["HS256"])
    assert claims["sub"] == str(people.candidate.id)
    assert claims["exp"] > claims["iat"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"password": "short"}, "password"),
        ({"role": "admin"}, "role"),
        ({"email": "not-an-email"}, "email"),
        ({"username": "a b"}, "username"),
        ({"password": "é" * 40}, "password"),  # 80 bytes: more than bcrypt reads
    ],
)
def test_bad_registrations_get_field_messages(api_url: str, override: dict[str, object], field: str) -> None:
    response = httpx.post(f"{api_url}/register", json=_body(**override))
    assert response.status_code == 422
    assert any(field in error["loc"] for error in response.json()["detail"])


def test_a_duplicate_username_or_email_is_not_revealed(api_url: str) -> None:
    # The same answer as a fresh sign-up (docs/security.md); the repeat creates nothing.
    body = _body()
    first = httpx.post(f"{api_url}/register", json=body)
    for repeat in ({**body, "email": "other@example.com"}, {**body, "username": "someone_else"}):
        again = httpx.post(f"{api_url}/register", json=repeat)
        assert (again.status_code, again.json()) == (first.status_code, first.json()) == (202, first.json())
    assert (
        httpx.post(f"{api_url}/token", data={"username": "someone_else", "password": "long-enough-pw"}).status_code
        == 401
    )


def test_forged_expired_and_missing_tokens_are_refused(api_url: str, people: People, stack_config: StackConfig) -> None:
    now = datetime.now(UTC)
    admin_claims = {"sub": str(people.admin.id), "iat": now, "exp": now + timedelta(hours=1)}
    forged = jwt.encode(admin_claims, "wrong-secret-" * 4)
    # The stack runs on its own generated secret: the published development one mints nothing.
    published = jwt.encode(admin_claims, DEV_JWT_SECRET)
    expired = jwt.encode(
        {"sub": str(people.candidate.id), "iat": now - timedelta(hours=2), "exp": now - timedelta(hours=1)},
        stack_config.jwt_secret,
    )
    for token in (forged, published, expired):
        assert httpx.get(f"{api_url}/users/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert httpx.get(f"{api_url}/users/me").status_code == 401


def test_repeated_failures_for_one_account_get_429(api_url: str, stack_config: StackConfig) -> None:
    person = register_and_sign_in(api_url, "candidate")
    statuses = [
        httpx.post(f"{api_url}/token", data={"username": person.username, "password": "wrong-password"}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    # Even the right password waits until the window passes: the limit protects the account.
    blocked = httpx.post(f"{api_url}/token", data={"username": person.username, "password": "correct-horse-battery"})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    redis.Redis.from_url(stack_config.redis_url).delete(f"login-fail:account:{person.username.lower()}")


def test_repeated_failures_from_one_client_get_429(api_url: str, stack_config: StackConfig) -> None:
    client_key = "login-fail:client:127.0.0.1"
    store = redis.Redis.from_url(stack_config.redis_url)
    store.delete(client_key)  # failures of other tests from this address
    try:
        statuses = [
            httpx.post(f"{api_url}/token", data={"username": f"nobody{i}", "password": "x"}).status_code
            for i in range(21)
        ]
        assert statuses[:20] == [401] * 20
        assert statuses[20] == 429
    finally:
        store.delete(client_key)  # later tests sign in from the same address
