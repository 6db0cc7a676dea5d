"""Admins manage accounts over the API: list, change roles, deactivate; nobody else may, and no admin can lock
themselves out."""

import httpx
import pytest

from tests.integration.conftest import People, register_and_sign_in

pytestmark = pytest.mark.integration


def test_only_admins_list_users(api_url: str, people: People) -> None:
    listed = httpx.get(f"{api_url}/users", headers=people.admin.headers)
    assert listed.status_code == 200
    by_id = {user["id"]: user for user in listed.json()}
    assert by_id[people.candidate.id]["role"] == "candidate" and by_id[people.candidate.id]["is_active"] is True
    assert "password_hash" not in by_id[people.candidate.id]
    recruiters = httpx.get(f"{api_url}/users", params={"role": "recruiter"}, headers=people.admin.headers).json()
    assert {user["role"] for user in recruiters} == {"recruiter"}
    for person in (people.candidate, people.recruiter):
        refused = httpx.get(f"{api_url}/users", headers=person.headers)
        assert refused.status_code == 403 and "admin" in refused.json()["detail"]
    assert httpx.get(f"{api_url}/users").status_code == 401


def test_an_admin_promotes_deactivates_and_reactivates_a_user(api_url: str, people: People) -> None:
    person = register_and_sign_in(api_url, "candidate")
    assert httpx.get(f"{api_url}/questions", headers=person.headers).status_code == 403

    change = {"role": "recruiter", "organisation_id": people.recruiter.organisation_id}
    promoted = httpx.patch(f"{api_url}/users/{person.id}", json=change, headers=people.admin.headers)
    assert promoted.status_code == 200 and promoted.json()["role"] == "recruiter"
    assert httpx.get(f"{api_url}/questions", headers=person.headers).status_code == 200  # the new role applies at once

    off = httpx.patch(f"{api_url}/users/{person.id}", json={"is_active": False}, headers=people.admin.headers)
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert httpx.get(f"{api_url}/users/me", headers=person.headers).status_code == 401
    httpx.patch(f"{api_url}/users/{person.id}", json={"is_active": True}, headers=people.admin.headers)
    assert httpx.get(f"{api_url}/users/me", headers=person.headers).status_code == 200


def test_bad_changes_get_clear_errors(api_url: str, people: People) -> None:
    own = httpx.patch(f"{api_url}/users/{people.admin.id}", json={"role": "candidate"}, headers=people.admin.headers)
    assert own.status_code == 409 and "own admin role" in own.json()["detail"]
    assert (
        httpx.patch(f"{api_url}/users/{people.admin.id}", json={"is_active": False}, headers=people.admin.headers)
    ).status_code == 409
    bad_role = httpx.patch(
        f"{api_url}/users/{people.candidate.id}", json={"role": "boss"}, headers=people.admin.headers
    )
    assert bad_role.status_code == 422
    missing = httpx.patch(f"{api_url}/users/2147483647", json={"role": "recruiter"}, headers=people.admin.headers)
    assert missing.status_code == 404 and missing.json()["detail"] == "No such user."
    by_recruiter = httpx.patch(
        f"{api_url}/users/{people.candidate.id}", json={"role": "admin"}, headers=people.recruiter.headers
    )
    assert by_recruiter.status_code == 403
