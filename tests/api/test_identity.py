"""Identity: register, login, refresh, logout, profile, admin users, the CLI (both engines)."""
import http.client
import json
import time

import pytest
import requests

from conftest import assert_error
from support_identity import (PASSWORD, b64url, decode_claims, login, make_admin, make_jwt,
                              register, run_cli, unique_email)

USER_KEYS = {"id", "email", "full_name", "role", "created_at"}
TOKEN_KEYS = {"access_token", "refresh_token", "token_type", "expires_in"}
PROFILE_KEYS = {"id", "email", "full_name", "phone", "role", "created_at", "stats"}


def fields_of(error):
    return {f["field"] for f in error["details"]["fields"]}


# --- register -------------------------------------------------------------------------------

def test_register_answers_exactly_as_the_spec(api):
    email = unique_email("New")
    r = api.post("/api/v1/auth/register", json={
        "email": f"  {email.upper()} ", "password": "SecurePass123!", "full_name": "John Doe",
        "phone": "+1234567890"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True and body["message"] == "Registration successful"
    data = body["data"]
    assert set(data) == {"user"} | TOKEN_KEYS
    assert set(data["user"]) == USER_KEYS
    assert data["user"]["email"] == email.lower()
    assert data["user"]["role"] == "user"
    assert data["user"]["created_at"].endswith("Z")
    assert data["token_type"] == "bearer" and data["expires_in"] == 1800
    assert r.headers["Cache-Control"] == "no-store"
    claims = decode_claims(data["access_token"])
    assert claims["sub"] == data["user"]["id"] and claims["role"] == "user"
    assert claims["typ"] == "access" and claims["exp"] - claims["iat"] == 1800
    assert {"jti", "iat"} <= set(claims)


def test_register_twice_with_the_same_email_in_any_case_is_409(api):
    email = unique_email()
    register(api, email=email)
    r = api.post("/api/v1/auth/register",
                 json={"email": email.upper(), "password": PASSWORD, "full_name": "Other"})
    assert_error(r, 409, "EMAIL_ALREADY_REGISTERED")


@pytest.mark.parametrize("change, field", [
    ({"email": None}, "email"),
    ({"password": None}, "password"),
    ({"full_name": None}, "full_name"),
    ({"email": 42}, "email"),
    ({"password": 12345678}, "password"),
    ({"full_name": ["A"]}, "full_name"),
    ({"email": "has space@example.com"}, "email"),
    ({"email": "no-domain@"}, "email"),
    ({"email": "nodot@localhost"}, "email"),
    ({"email": "two@@example.com"}, "email"),
    ({"password": "lettersonly"}, "password"),
    ({"password": "12345678"}, "password"),
    ({"password": "short1"}, "password"),
    ({"full_name": ""}, "full_name"),
    ({"full_name": "   "}, "full_name"),
    ({"full_name": "x" * 101}, "full_name"),
    ({"full_name": "Eve \u202enimdA"}, "full_name"),   # bidi override: shows "Eve Admin"
    ({"full_name": "\u200b"}, "full_name"),            # zero-width only
    ({"full_name": "\u3164"}, "full_name"),            # a Hangul filler: blank
    ({"full_name": "Bob\u0085"}, "full_name"),         # C1 control
    ({"phone": "0123456"}, "phone"),
    ({"phone": "+1 234 567"}, "phone"),
    ({"phone": 1234567890}, "phone"),
    ({"role": "admin"}, "role"),
    ({"role": "user"}, "role"),
    ({"is_admin": True}, "is_admin"),
])
def test_register_rejects_bad_fields(api, change, field):
    body = {"email": unique_email(), "password": PASSWORD, "full_name": "Valid Name"}
    for key, value in change.items():
        if value is None:
            body.pop(key)
        else:
            body[key] = value
    error = assert_error(api.post("/api/v1/auth/register", json=body), 400, "VALIDATION_ERROR")
    assert field in fields_of(error)


def test_register_rejects_bodies_that_are_not_one_json_object(api):
    for raw in ["", "{", "[]", "null", '"x"', '{"email": "a@b.co",}']:
        r = api.post("/api/v1/auth/register", data=raw,
                     headers={"Content-Type": "application/json"})
        assert_error(r, 400, "VALIDATION_ERROR")


def test_register_accepts_unicode_names(api):
    data = register(api, full_name="  Zoë Ωmega 山田太郎 🎫 ")
    assert data["user"]["full_name"] == "Zoë Ωmega 山田太郎 🎫"
    profile = api.get("/api/v1/users/profile", token=data["access_token"]).json()["data"]
    assert profile["full_name"] == "Zoë Ωmega 山田太郎 🎫"
    assert profile["phone"] is None


def test_a_ten_kilobyte_password_is_rejected_quickly(api):
    started = time.monotonic()
    r = api.post("/api/v1/auth/register", json={
        "email": unique_email(), "password": "a1" * 5120, "full_name": "Big"})
    error = assert_error(r, 400, "VALIDATION_ERROR")
    assert {"field": "password", "issue": "must be at most 128 characters"} in \
        error["details"]["fields"]
    r = api.post("/api/v1/auth/login", json={"email": unique_email(), "password": "a1" * 5120})
    assert_error(r, 400, "VALIDATION_ERROR")
    assert time.monotonic() - started < 2


# --- login ----------------------------------------------------------------------------------

def test_login_returns_tokens_for_any_case_of_the_email(api):
    email = unique_email()
    register(api, email=email)
    r = api.post("/api/v1/auth/login", json={"email": " " + email.upper(), "password": PASSWORD})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert set(data) == TOKEN_KEYS
    assert data["token_type"] == "bearer" and data["expires_in"] == 1800
    assert r.headers["Cache-Control"] == "no-store"


def test_unknown_email_and_wrong_password_fail_the_same_way(api):
    email = unique_email()
    register(api, email=email)
    wrong = assert_error(api.post("/api/v1/auth/login",
                                  json={"email": email, "password": "wrong1pass"}),
                         401, "AUTH_INVALID_CREDENTIALS")
    unknown = assert_error(api.post("/api/v1/auth/login",
                                    json={"email": unique_email(), "password": "wrong1pass"}),
                           401, "AUTH_INVALID_CREDENTIALS")
    assert wrong == unknown


def test_login_bad_bodies(api):
    assert_error(api.post("/api/v1/auth/login", json={"email": "a@b.co"}), 400, "VALIDATION_ERROR")
    assert_error(api.post("/api/v1/auth/login", json={"email": "a@b.co", "password": 5}), 400,
                 "VALIDATION_ERROR")
    assert_error(api.post("/api/v1/auth/login",
                          json={"email": "a@b.co", "password": "x1234567", "remember": True}),
                 400, "VALIDATION_ERROR")


def test_login_with_a_non_json_content_type_is_415(api):
    r = api.post("/api/v1/auth/login", data='{"email":"a@b.co","password":"abcdefg1"}',
                 headers={"Content-Type": "text/plain"})
    assert_error(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    r = api.post("/api/v1/auth/login", data='{"email": "a@b.co", "password":',
                 headers={"Content-Type": "application/json"})
    assert_error(r, 400, "VALIDATION_ERROR")


# --- refresh and logout ---------------------------------------------------------------------

def test_refresh_rotates_and_answers_like_login(api):
    data = register(api)
    r = api.post("/api/v1/auth/refresh", json={"refresh_token": data["refresh_token"]})
    assert r.status_code == 200, r.text
    fresh = r.json()["data"]
    assert set(fresh) == TOKEN_KEYS
    assert fresh["refresh_token"] != data["refresh_token"]
    assert api.get("/api/v1/users/profile", token=fresh["access_token"]).status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(api):
    data = register(api)
    first = data["refresh_token"]
    second = api.post("/api/v1/auth/refresh", json={"refresh_token": first}).json()["data"]
    third = api.post("/api/v1/auth/refresh",
                     json={"refresh_token": second["refresh_token"]}).json()["data"]
    assert_error(api.post("/api/v1/auth/refresh", json={"refresh_token": first}),
                 401, "AUTH_TOKEN_INVALID")
    # The newest token of that family stops working too.
    assert_error(api.post("/api/v1/auth/refresh", json={"refresh_token": third["refresh_token"]}),
                 401, "AUTH_TOKEN_INVALID")


def test_refresh_with_garbage_or_an_access_token_is_401(api):
    data = register(api)
    for token in ["nope", "0" * 64, data["access_token"]]:
        assert_error(api.post("/api/v1/auth/refresh", json={"refresh_token": token}),
                     401, "AUTH_TOKEN_INVALID")
    assert_error(api.post("/api/v1/auth/refresh", json={}), 400, "VALIDATION_ERROR")
    assert_error(api.post("/api/v1/auth/refresh", json={"refresh_token": None}), 400,
                 "VALIDATION_ERROR")


def test_a_refresh_token_is_not_an_access_token(api):
    data = register(api)
    r = api.get("/api/v1/users/profile", token=data["refresh_token"])
    assert_error(r, 401, "AUTH_TOKEN_INVALID")
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_logout_twice_is_200_and_the_token_is_dead(api):
    data = register(api)
    for _ in range(2):
        r = api.post("/api/v1/auth/logout", json={"refresh_token": data["refresh_token"]})
        assert r.status_code == 200, r.text
        assert r.json()["message"] == "Logged out"
    assert_error(api.post("/api/v1/auth/refresh", json={"refresh_token": data["refresh_token"]}),
                 401, "AUTH_TOKEN_INVALID")
    assert_error(api.post("/api/v1/auth/logout", json={"refresh_token": "f" * 64}),
                 401, "AUTH_TOKEN_INVALID")
    assert_error(api.post("/api/v1/auth/logout", json={"token": "x"}), 400, "VALIDATION_ERROR")


def test_logout_ends_that_session_only(api):
    email = unique_email()
    phone_session = register(api, email=email)
    laptop_session = login(api, email)
    api.post("/api/v1/auth/logout", json={"refresh_token": phone_session["refresh_token"]})
    r = api.post("/api/v1/auth/refresh", json={"refresh_token": laptop_session["refresh_token"]})
    assert r.status_code == 200, r.text


# --- access tokens --------------------------------------------------------------------------

def test_missing_token_is_401_auth_required_with_bearer_challenge(api):
    for path in ["/api/v1/users/profile", "/api/v1/admin/users"]:
        r = api.get(path)
        assert_error(r, 401, "AUTH_REQUIRED")
        assert r.headers["WWW-Authenticate"] == "Bearer"
    r = api.get("/api/v1/users/profile", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_error(r, 401, "AUTH_TOKEN_INVALID")


def test_two_authorization_headers_are_400_on_every_route(api):
    """Authorization is a singleton: with two, a proxy could check one and the server use the
    other, so neither is used, whether both are valid, one is forged or the route is public."""
    token = register(api)["access_token"]
    port = int(api.base.rsplit(":", 1)[1])
    for path in ["/api/v1/users/profile", "/api/v1/events", "/health"]:
        for second in (f"Bearer {token}", "Bearer forged", "Basic dXNlcjpwYXNz"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.putrequest("GET", path)
                conn.putheader("Authorization", f"Bearer {token}")
                conn.putheader("authorization", second)
                conn.endheaders()
                r = conn.getresponse()
                body = json.loads(r.read())
            finally:
                conn.close()
            assert r.status == 400, (path, second, body)
            assert body["error"]["code"] == "VALIDATION_ERROR"
            assert body["error"]["details"]["fields"] == [
                {"field": "Authorization", "issue": "must be sent at most once"}]
    assert api.get("/api/v1/users/profile", token=token).status_code == 200


def test_forged_tokens_are_401_never_403(api):
    data = register(api)
    token = data["access_token"]
    head, payload, signature = token.split(".")
    claims = decode_claims(token)
    as_admin = dict(claims, role="admin")
    forgeries = [
        b64url({"alg": "none", "typ": "JWT"}) + "." + b64url(as_admin) + ".",
        head + "." + b64url(as_admin) + "." + signature,  # changed payload, old signature
        make_jwt(as_admin, secret="not-the-server-secret"),  # wrong key
        make_jwt(as_admin, header={"alg": "HS512", "typ": "JWT"}),  # another algorithm
        make_jwt(dict(claims, typ="refresh")),  # right key, wrong token type
        token[:-2],
    ]
    for forged in forgeries:
        for path in ["/api/v1/users/profile", "/api/v1/admin/users"]:
            assert_error(api.get(path, token=forged), 401, "AUTH_TOKEN_INVALID")


def test_an_expired_access_token_is_auth_token_expired(api):
    data = register(api)
    claims = decode_claims(data["access_token"])
    now = int(time.time())
    expired = make_jwt(dict(claims, iat=now - 3600, exp=now - 1800))
    r = api.get("/api/v1/users/profile", token=expired)
    assert_error(r, 401, "AUTH_TOKEN_EXPIRED")
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_every_answer_of_a_protected_route_is_no_store(api):
    """An answer for one account, or a refusal of a caller, must not be kept by any cache; public
    answers stay cacheable, with or without a token."""
    token = register(api)["access_token"]
    answers = [
        (api.get("/api/v1/users/profile", token=token), 200),
        (api.get("/api/v1/users/profile"), 401),
        (api.get("/api/v1/users/profile", token="not-a-token"), 401),
        (api.get("/api/v1/admin/users", token=token), 403),
        (api.put("/api/v1/users/profile", json={"email": "x@example.com"}, token=token), 400),
        (api.get("/api/v1/users/bookings", token=token), 200),
    ]
    for r, status in answers:
        assert r.status_code == status, r.text
        assert r.headers.get("Cache-Control") == "no-store", (r.request.url, r.headers)
    for tok in (None, token):
        r = api.get("/api/v1/events", token=tok)
        assert r.status_code == 200
        assert "Cache-Control" not in r.headers


# --- profile --------------------------------------------------------------------------------

def test_profile_shows_the_account_and_its_stats(api):
    data = register(api, phone="+4915112345678")
    r = api.get("/api/v1/users/profile", token=data["access_token"])
    assert r.status_code == 200, r.text
    profile = r.json()["data"]
    assert set(profile) == PROFILE_KEYS
    assert profile["id"] == data["user"]["id"]
    assert profile["phone"] == "+4915112345678"
    assert profile["stats"] == {"total_bookings": 0, "upcoming_events": 0, "total_spent": 0}
    assert '"total_spent":0.00' in r.text


def test_profile_update_changes_name_and_phone_and_null_clears_the_phone(api):
    data = register(api, phone="+14155550123")
    user = api.with_token(data["access_token"])
    r = user.put("/api/v1/users/profile", json={"full_name": "  John Smith ", "phone": "+1234567891"})
    assert r.status_code == 200, r.text
    updated = r.json()["data"]
    assert updated["full_name"] == "John Smith" and updated["phone"] == "+1234567891"
    assert set(updated) == PROFILE_KEYS
    cleared = user.put("/api/v1/users/profile", json={"phone": None}).json()["data"]
    assert cleared["phone"] is None and cleared["full_name"] == "John Smith"
    assert user.get("/api/v1/users/profile").json()["data"]["phone"] is None


@pytest.mark.parametrize("body, field", [
    ({"email": "new@example.com"}, "email"),
    ({"role": "admin"}, "role"),
    ({"password": "new1password"}, "password"),
    ({"full_name": ""}, "full_name"),
    ({"full_name": None}, "full_name"),
    ({"full_name": 7}, "full_name"),
    ({"full_name": "y" * 101}, "full_name"),
    ({"full_name": "Ann\u2067a"}, "full_name"),
    ({"full_name": "\u00a0\u200e"}, "full_name"),
    ({"phone": "12"}, "phone"),
    ({"phone": False}, "phone"),
])
def test_profile_update_rejects_anything_else(api, body, field):
    data = register(api)
    user = api.with_token(data["access_token"])
    error = assert_error(user.put("/api/v1/users/profile", json=body), 400, "VALIDATION_ERROR")
    assert field in fields_of(error)
    assert user.get("/api/v1/users/profile").json()["data"]["full_name"] == "Test Person"


# --- admin ----------------------------------------------------------------------------------

def test_non_admins_get_403_on_admin_routes(api):
    user = api.with_token(register(api)["access_token"])
    assert_error(user.get("/api/v1/admin/users"), 403, "AUTH_UNAUTHORIZED")
    assert_error(user.put(f"/api/v1/admin/users/{'0' * 8}-0000-7000-8000-{'0' * 12}/role",
                          json={"role": "admin"}), 403, "AUTH_UNAUTHORIZED")


def test_admin_lists_users_with_pagination_and_email_search(server, api):
    admin = api.with_token(make_admin(server, api)["access_token"])
    tag = unique_email("needle").split("@")[0]
    for i in range(3):
        register(api, email=f"{tag}.{i}@example.com")
        time.sleep(0.003)  # distinct creation instants: the list is newest first
    r = admin.get("/api/v1/admin/users", params={"search": tag.upper(), "per_page": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [u["email"] for u in body["data"]] == [f"{tag}.2@example.com", f"{tag}.1@example.com"]
    assert body["pagination"] == {"page": 1, "per_page": 2, "total": 3, "total_pages": 2,
                                  "has_next": True, "has_prev": False}
    assert set(body["data"][0]) == USER_KEYS | {"phone"}
    assert "password" not in r.text and "hash" not in r.text
    page2 = admin.get("/api/v1/admin/users", params={"search": tag, "per_page": 2, "page": 2})
    assert [u["email"] for u in page2.json()["data"]] == [f"{tag}.0@example.com"]
    past = admin.get("/api/v1/admin/users", params={"search": tag, "page": 9}).json()
    assert past["data"] == [] and past["pagination"]["total"] == 3
    default = admin.get("/api/v1/admin/users").json()["pagination"]
    assert default["per_page"] == 20 and default["total"] >= 4


@pytest.mark.parametrize("params", [{"page": 0}, {"page": -1}, {"page": "x"}, {"per_page": 0},
                                    {"per_page": 101}, {"per_page": "ten"}])
def test_admin_list_rejects_bad_pagination(server, api, params):
    admin = api.with_token(make_admin(server, api)["access_token"])
    error = assert_error(admin.get("/api/v1/admin/users", params=params), 400, "VALIDATION_ERROR")
    assert fields_of(error) <= {"page", "per_page"}


def test_admin_changes_roles_and_the_next_token_carries_it(server, api):
    admin = api.with_token(make_admin(server, api)["access_token"])
    email = unique_email()
    data = register(api, email=email)
    user_id = data["user"]["id"]
    r = admin.put(f"/api/v1/admin/users/{user_id.upper()}/role", json={"role": "admin"})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["role"] == "admin" and r.json()["data"]["id"] == user_id
    # The old access token still says "user" until it is refreshed.
    assert api.get("/api/v1/admin/users", token=data["access_token"]).status_code == 403
    fresh = api.post("/api/v1/auth/refresh",
                     json={"refresh_token": data["refresh_token"]}).json()["data"]
    assert decode_claims(fresh["access_token"])["role"] == "admin"
    assert api.get("/api/v1/admin/users", token=fresh["access_token"]).status_code == 200
    demoted = admin.put(f"/api/v1/admin/users/{user_id}/role", json={"role": "user"})
    assert demoted.json()["data"]["role"] == "user"


def test_admin_role_change_errors(server, api):
    admin = api.with_token(make_admin(server, api)["access_token"])
    user_id = register(api)["user"]["id"]
    missing = "01890000-0000-7000-8000-000000000000"
    for path in [f"/api/v1/admin/users/{missing}/role", "/api/v1/admin/users/not-a-uuid/role"]:
        assert_error(admin.put(path, json={"role": "admin"}), 404, "USER_NOT_FOUND")
    for body in [{"role": "root"}, {"role": 1}, {}, {"role": "admin", "extra": 1}]:
        assert_error(admin.put(f"/api/v1/admin/users/{user_id}/role", json=body), 400,
                     "VALIDATION_ERROR")


# --- command line ---------------------------------------------------------------------------

def test_admin_create_validates_creates_and_promotes(server, api):
    bad = run_cli(server, "admin", "create", "--email", "not-an-email", "--password", PASSWORD,
                  "--name", "X")
    assert bad.returncode == 2 and "--email" in bad.stderr
    missing = run_cli(server, "admin", "create", "--email", unique_email())
    assert missing.returncode == 2 and "--password" in missing.stderr
    weak = run_cli(server, "admin", "create", "--email", unique_email(), "--password", "short",
                   "--name", "X")
    assert weak.returncode == 2 and "--password" in weak.stderr
    assert run_cli(server, "admin", "create").returncode == 2
    assert run_cli(server, "admin").returncode == 2

    email = unique_email("boss")
    created = run_cli(server, "admin", "create", f"--email={email}", "--name", "Boss",
                      env_extra={"EVENTLY_ADMIN_PASSWORD": PASSWORD})
    assert created.returncode == 0, created.stderr
    assert "created admin" in created.stdout
    again = run_cli(server, "admin", "create", "--email", email)
    assert again.returncode == 0 and "already an admin" in again.stdout
    assert decode_claims(login(api, email)["access_token"])["role"] == "admin"

    user_email = unique_email()
    register(api, email=user_email)
    promoted = run_cli(server, "admin", "create", "--email", user_email.upper())
    assert promoted.returncode == 0 and "promoted" in promoted.stdout
    assert decode_claims(login(api, user_email)["access_token"])["role"] == "admin"


def test_seed_demo_creates_the_sandbox_accounts_once(server, api):
    first = run_cli(server, "seed-demo")
    assert first.returncode == 0, first.stderr
    second = run_cli(server, "seed-demo")
    assert second.returncode == 0, second.stderr
    assert "created" not in second.stdout and "exists" in second.stdout
    test_user = login(api, "test@evently.com", "TestPass123!")
    assert decode_claims(test_user["access_token"])["role"] == "user"
    profile = api.get("/api/v1/users/profile", token=test_user["access_token"]).json()["data"]
    assert profile["full_name"] == "Test User"
    admin = login(api, "admin@evently.com", "AdminPass123!")
    assert decode_claims(admin["access_token"])["role"] == "admin"
