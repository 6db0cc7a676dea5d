"""Organisations and how recruiters join them: sign-up makes candidates only and gives away no accounts, admins
create organisations, invitations are one-time and expire, role changes keep recruiters inside an organisation."""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import redis
from sqlalchemy import text
from sqlmodel import Session, select

from core.db import get_engine
from core.tables import Invitation
from infra.config import StackConfig
from tests.integration.conftest import (
    REGISTER_LIMIT_FOR_TESTS,
    People,
    create_organisation,
    invite,
    recruiter_in,
    register_and_sign_in,
)

pytestmark = pytest.mark.integration
PASSWORD = "long-enough-pw"


def _signup(**overrides: object) -> dict[str, object]:
    name = f"user_{uuid.uuid4().hex[:8]}"
    return {"email": f"{name}@example.com", "username": name, "password": PASSWORD, **overrides}


def _signs_in(api_url: str, login: object, password: str = PASSWORD) -> bool:
    return httpx.post(f"{api_url}/token", data={"username": login, "password": password}).status_code == 200


def test_signing_up_as_a_recruiter_is_refused_with_a_sentence(api_url: str) -> None:
    body = _signup(role="recruiter")
    response = httpx.post(f"{api_url}/register", json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "role"] and "invitation" in error["msg"]
    assert not _signs_in(api_url, body["username"])  # nothing was created


def test_register_answers_the_same_whether_or_not_the_account_exists(api_url: str) -> None:
    body = _signup()
    first = httpx.post(f"{api_url}/register", json=body)
    taken_username = httpx.post(f"{api_url}/register", json={**body, "email": "x" + str(body["email"])})
    taken_email = httpx.post(
        f"{api_url}/register", json={**body, "username": f"{body['username']}_2", "password": "another-password"}
    )
    assert first.status_code == taken_username.status_code == taken_email.status_code == 202
    assert first.json() == taken_username.json() == taken_email.json()
    assert first.json()["detail"].endswith(".")
    assert _signs_in(api_url, body["username"])  # the first registration made the account...
    assert not _signs_in(api_url, f"{body['username']}_2", "another-password")  # ...the repeats changed nothing
    me = httpx.post(f"{api_url}/token", data={"username": body["email"], "password": PASSWORD})
    role = httpx.get(f"{api_url}/users/me", headers={"Authorization": f"Bearer {me.json()['access_token']}"})
    assert role.json()["role"] == "candidate" and role.json()["organisation_id"] is None


def test_sign_ups_from_one_address_are_limited(api_url: str, stack_config: StackConfig) -> None:
    key = "register:client:127.0.0.1"
    store = redis.Redis.from_url(stack_config.redis_url)
    store.delete(key)
    try:
        assert httpx.post(f"{api_url}/register", json=_signup()).status_code == 202
        assert int(store.get(key) or 0) == 1 and 0 < store.ttl(key) <= 3600  # counted, and it expires
        # Bring the counter to the limit rather than sending 100 000 sign-ups (the limit the test stack runs with).
        store.set(key, REGISTER_LIMIT_FOR_TESTS - 1, keepttl=True)
        assert httpx.post(f"{api_url}/register", json=_signup()).status_code == 202  # the last one allowed
        refused = httpx.post(f"{api_url}/register", json=(body := _signup()))
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        assert "Too many sign-ups" in refused.json()["detail"]
        assert not _signs_in(api_url, body["username"])
    finally:
        store.delete(key)  # later tests sign up from the same address


def test_admins_create_and_list_organisations(api_url: str, people: People) -> None:
    name = f"Acme {uuid.uuid4().hex[:8]}"
    created = create_organisation(api_url, people.admin, name)
    assert created["name"] == name
    again = httpx.post(f"{api_url}/organisations", headers=people.admin.headers, json={"name": name.upper()})
    assert again.status_code == 409 and "already exists" in again.json()["detail"]
    blank = httpx.post(f"{api_url}/organisations", headers=people.admin.headers, json={"name": "  "})
    assert blank.status_code == 422
    listed = httpx.get(f"{api_url}/organisations", params={"limit": 200}, headers=people.admin.headers).json()
    ids = [organisation["id"] for organisation in listed]
    assert {people.recruiter.organisation_id, people.other_recruiter.organisation_id} <= set(ids)
    own = httpx.get(f"{api_url}/organisations", headers=people.recruiter.headers).json()
    assert [organisation["id"] for organisation in own] == [people.recruiter.organisation_id]
    for person in (people.recruiter, people.candidate):
        refused = httpx.post(f"{api_url}/organisations", headers=person.headers, json={"name": f"x{uuid.uuid4()}"})
        assert refused.status_code == 403
    assert httpx.get(f"{api_url}/organisations", headers=people.candidate.headers).status_code == 403
    assert httpx.get(f"{api_url}/organisations").status_code == 401


def test_the_three_recruiters_sit_in_two_organisations(people: People) -> None:
    assert people.recruiter.organisation_id == people.same_org_recruiter.organisation_id is not None
    assert people.other_recruiter.organisation_id not in (None, people.recruiter.organisation_id)


def test_an_invitation_makes_one_recruiter_once(api_url: str, people: People, stack_config: StackConfig) -> None:
    organisation_id = people.recruiter.organisation_id
    assert organisation_id is not None
    email = f"Invitee_{uuid.uuid4().hex[:8]}@Example.com"
    issued = invite(api_url, people.admin, organisation_id, email)
    token = issued["token"]
    assert issued["accept_path"] == f"/app/invitations/{token}" and issued["email"] == email.lower()
    assert datetime.fromisoformat(issued["expires_at"]) - datetime.now(UTC) > timedelta(hours=71)
    with Session(get_engine(stack_config.database_url)) as session:
        stored = session.get(Invitation, issued["id"])
        assert stored is not None and stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        row = session.execute(text("SELECT * FROM invitations WHERE id = :id"), {"id": issued["id"]}).one()
        assert token not in {str(value) for value in row}  # only the hash is kept

    shown = httpx.get(f"{api_url}/invitations/{token}")
    assert shown.status_code == 200
    own = httpx.get(f"{api_url}/organisations/{organisation_id}", headers=people.recruiter.headers).json()
    assert shown.json()["organisation_name"] == own["name"] and shown.json()["email"] == email.lower()

    username = f"invitee_{uuid.uuid4().hex[:8]}"
    accept = {"username": username, "password": PASSWORD, "full_name": "New Recruiter"}
    accepted = httpx.post(f"{api_url}/invitations/{token}/accept", json=accept)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["role"] == "recruiter" and accepted.json()["organisation_id"] == organisation_id
    assert accepted.json()["email"] == email.lower()
    assert _signs_in(api_url, username)

    again = httpx.post(f"{api_url}/invitations/{token}/accept", json={**accept, "username": f"{username}_2"})
    assert again.status_code == 409 and "already been used" in again.json()["detail"]
    assert httpx.get(f"{api_url}/invitations/{token}").status_code == 409
    listed = httpx.get(f"{api_url}/organisations/{organisation_id}/invitations", headers=people.recruiter.headers)
    entry = next(item for item in listed.json() if item["id"] == issued["id"])
    assert entry["accepted_at"] is not None and "token" not in entry


def test_expired_and_unknown_invitations_are_refused(api_url: str, people: People, stack_config: StackConfig) -> None:
    assert people.recruiter.organisation_id is not None
    issued = invite(api_url, people.admin, people.recruiter.organisation_id, f"late_{uuid.uuid4().hex[:8]}@example.com")
    with Session(get_engine(stack_config.database_url)) as session:
        stored = session.exec(select(Invitation).where(Invitation.id == issued["id"])).one()
        stored.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        session.add(stored)
        session.commit()
    accept = {"username": f"late_{uuid.uuid4().hex[:8]}", "password": PASSWORD}
    expired = httpx.post(f"{api_url}/invitations/{issued['token']}/accept", json=accept)
    assert expired.status_code == 410 and "expired" in expired.json()["detail"]
    assert httpx.get(f"{api_url}/invitations/{issued['token']}").status_code == 410
    assert not _signs_in(api_url, accept["username"])
    unknown = httpx.post(f"{api_url}/invitations/{uuid.uuid4().hex}/accept", json=accept)
    assert unknown.status_code == 404 and "not valid" in unknown.json()["detail"]


def test_a_taken_username_leaves_the_invitation_usable(api_url: str, people: People) -> None:
    assert people.recruiter.organisation_id is not None
    token = invite(api_url, people.recruiter, people.recruiter.organisation_id, f"i_{uuid.uuid4().hex[:8]}@x.org")[
        "token"
    ]
    taken = httpx.post(
        f"{api_url}/invitations/{token}/accept", json={"username": people.candidate.username, "password": PASSWORD}
    )
    assert taken.status_code == 409 and "already exists" in taken.json()["detail"]
    short = httpx.post(f"{api_url}/invitations/{token}/accept", json={"username": "someone_new", "password": "x"})
    assert short.status_code == 422
    fresh = httpx.post(
        f"{api_url}/invitations/{token}/accept", json={"username": f"r_{uuid.uuid4().hex[:8]}", "password": PASSWORD}
    )
    assert fresh.status_code == 201


def test_only_the_organisation_and_admins_invite(api_url: str, people: People) -> None:
    own, other = people.recruiter.organisation_id, people.other_recruiter.organisation_id
    body = {"email": "someone@example.com"}
    colleague = httpx.post(
        f"{api_url}/organisations/{own}/invitations", headers=people.same_org_recruiter.headers, json=body
    )
    assert colleague.status_code == 201
    for person, organisation_id, expected in (
        (people.recruiter, other, 404),  # another organisation: as if it did not exist
        (people.other_recruiter, own, 404),
        (people.candidate, own, 403),
        (people.admin, other, 201),
        (people.admin, 2_000_000_000, 404),
    ):
        url = f"{api_url}/organisations/{organisation_id}/invitations"
        assert httpx.post(url, headers=person.headers, json=body).status_code == expected, (person.username, url)
    assert httpx.post(f"{api_url}/organisations/{own}/invitations", json=body).status_code == 401
    listing = f"{api_url}/organisations/{own}/invitations"
    assert httpx.get(listing, headers=people.other_recruiter.headers).status_code == 404
    assert httpx.get(f"{api_url}/organisations/{own}", headers=people.other_recruiter.headers).status_code == 404
    bad_email = httpx.post(
        f"{api_url}/organisations/{own}/invitations", headers=people.admin.headers, json={"email": "x"}
    )
    assert bad_email.status_code == 422


def test_making_someone_a_recruiter_needs_an_organisation(api_url: str, people: People) -> None:
    person = register_and_sign_in(api_url, "candidate")
    url = f"{api_url}/users/{person.id}"
    bare = httpx.patch(url, json={"role": "recruiter"}, headers=people.admin.headers)
    assert bare.status_code == 422 and "organisation" in bare.json()["detail"][0]["msg"]
    missing = httpx.patch(
        url, json={"role": "recruiter", "organisation_id": 2_000_000_000}, headers=people.admin.headers
    )
    assert missing.status_code == 422 and missing.json()["detail"][0]["msg"] == "No organisation with this id."
    assert httpx.get(f"{api_url}/users/me", headers=person.headers).json()["role"] == "candidate"  # unchanged

    organisation_id = people.other_recruiter.organisation_id
    promoted = httpx.patch(
        url, json={"role": "recruiter", "organisation_id": organisation_id}, headers=people.admin.headers
    )
    assert promoted.status_code == 200 and promoted.json()["organisation_id"] == organisation_id
    assert httpx.get(f"{api_url}/organisations", headers=person.headers).json()[0]["id"] == organisation_id
    moved = httpx.patch(url, json={"organisation_id": people.recruiter.organisation_id}, headers=people.admin.headers)
    assert moved.status_code == 200 and moved.json()["organisation_id"] == people.recruiter.organisation_id

    demoted = httpx.patch(url, json={"role": "candidate"}, headers=people.admin.headers)
    assert demoted.status_code == 200 and demoted.json()["organisation_id"] is None
    stray = httpx.patch(url, json={"organisation_id": organisation_id}, headers=people.admin.headers)
    assert stray.status_code == 422 and "Only recruiters" in stray.json()["detail"][0]["msg"]


def test_a_recruiter_invited_by_a_colleague_sees_the_organisations_postings(api_url: str, people: People) -> None:
    assert people.recruiter.organisation_id is not None
    newcomer = recruiter_in(api_url, people.same_org_recruiter, people.recruiter.organisation_id)
    posting = httpx.post(
        f"{api_url}/job-postings", headers=people.recruiter.headers, json={"title": "Platform Engineer"}, timeout=60
    ).json()
    assert posting["organisation_id"] == people.recruiter.organisation_id
    assert httpx.get(f"{api_url}/job-postings/{posting['id']}", headers=newcomer.headers).status_code == 200
