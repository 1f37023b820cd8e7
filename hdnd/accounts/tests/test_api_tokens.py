"""API tokens: how the API accepts or refuses them, /api/v1/me/, and the page where a
council's system administrators create and revoke them."""

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.test import Client

from hdnd.accounts.access import access_api_token, access_council_tokens
from hdnd.accounts.models import ApiScope, ApiToken, Role
from hdnd.accounts.tokens import create_api_token, revoke_api_token
from hdnd.core.errors import NotFound, PermissionDenied
from hdnd.core.models import AuditEvent
from hdnd.testing import factories

# Messages are asserted in English, the language of the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hanoi


@pytest.fixture(autouse=True)
def _now(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def make_token(council: Any, actor: Any, **kwargs: Any) -> tuple[ApiToken, str]:
    kwargs.setdefault("scopes", [ApiScope.DIRECTORY_READ])
    return create_api_token(actor=actor, council=council, name="Cổng xã", **kwargs)


def api_get(client: Client, url: str, raw: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {raw}"} if raw is not None else {}
    return client.get(url, headers=headers)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    return body["error"]


# The API and its tokens


def test_a_valid_token_reads_the_directory_and_records_its_use(
    client: Client, city_council: Any, city_staff: Any
) -> None:
    token, raw = make_token(city_council, city_staff)
    assert api_get(client, "/api/v1/councils/", raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == NOW


def test_only_a_hash_of_the_secret_is_stored(city_council: Any, city_staff: Any) -> None:
    token, raw = make_token(city_council, city_staff)
    secret = raw.split("_", 2)[2]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())


@pytest.mark.parametrize(
    "header",
    [
        "Bearer abc",
        "Bearer hdnd_short_x",
        "Bearer hdnd_abcd1234_" + "x" * 10,
        "Bearer too many parts",
        "Bearer",
        "Bearer hdnd_abcd1234_" + "é" * 40,
    ],
)
def test_a_malformed_token_is_a_401(client: Client, city_council: Any, header: str) -> None:
    response = client.get("/api/v1/councils/", headers={"Authorization": header})
    error = assert_error(response, 401, "authentication_failed")
    assert error["message"]


def test_an_unknown_token_is_a_401(client: Client, city_council: Any, city_staff: Any) -> None:
    _token, raw = make_token(city_council, city_staff)
    forged = raw[:-4] + ("aaaa" if not raw.endswith("aaaa") else "bbbb")
    assert_error(api_get(client, "/api/v1/councils/", forged), 401, "authentication_failed")
    unknown = "hdnd_zzzzzzzz_" + "a" * 43
    error = assert_error(
        api_get(client, "/api/v1/councils/", unknown), 401, "authentication_failed"
    )
    assert error["message"] == "The API token is malformed, unknown, expired or revoked."


def test_a_revoked_token_is_a_401(client: Client, city_council: Any, city_staff: Any) -> None:
    token, raw = make_token(city_council, city_staff)
    revoke_api_token(actor=city_staff, token=token)
    assert_error(api_get(client, "/api/v1/me/", raw), 401, "authentication_failed")


def test_an_expired_token_is_a_401(
    client: Client, city_council: Any, city_staff: Any, time_machine: Any
) -> None:
    _token, raw = make_token(city_council, city_staff, expires_at=NOW + dt.timedelta(days=1))
    assert api_get(client, "/api/v1/me/", raw).status_code == 200
    time_machine.move_to(NOW + dt.timedelta(days=1), tick=False)
    assert_error(api_get(client, "/api/v1/me/", raw), 401, "authentication_failed")


def test_a_token_without_the_scope_is_a_403(
    client: Client, city_council: Any, city_staff: Any
) -> None:
    _token, raw = make_token(city_council, city_staff, scopes=[])
    error = assert_error(api_get(client, "/api/v1/units/", raw), 403, "missing_scope")
    assert error["message"] == "This API token does not have the scope “directory:read”."
    # Who am I needs no scope.
    assert api_get(client, "/api/v1/me/", raw).status_code == 200


def test_another_authorization_scheme_is_not_a_token(client: Client, db: None) -> None:
    response = client.get("/api/v1/me/", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_error(response, 401, "not_authenticated")


# Who am I


def test_me_describes_a_token(client: Client, city_council: Any, city_staff: Any) -> None:
    token, raw = make_token(city_council, city_staff, expires_at=NOW + dt.timedelta(days=30))
    body = api_get(client, "/api/v1/me/", raw).json()
    assert body == {
        "kind": "token",
        "user": None,
        "roles": [],
        "token": {
            "name": "Cổng xã",
            "prefix": token.prefix,
            "council": {"id": city_council.pk, "name": city_council.name},
            "scopes": ["directory:read"],
            "expires_at": "2026-12-20T10:00:00+07:00",
        },
    }


def test_me_describes_a_signed_in_person_and_their_roles(
    client: Client, login: Callable[[Client, Any], Client], commune_officer: Any, commune_a: Any
) -> None:
    body = login(client, commune_officer).get("/api/v1/me/").json()
    assert body["kind"] == "user"
    assert body["token"] is None
    assert body["user"]["username"] == commune_officer.username
    assert body["roles"] == [
        {
            "council": {"id": commune_a.pk, "name": commune_a.name},
            "role": "commune_officer",
            "role_label": "Commune officer",
            "committee_id": None,
            "agency_id": None,
            "start_date": "2026-01-01",
            "end_date": None,
        }
    ]


def test_me_leaves_out_ended_roles(
    client: Client, login: Callable[[Client, Any], Client], delegate_user: Any, commune_b: Any
) -> None:
    factories.RoleAssignmentFactory(
        user=delegate_user,
        council=commune_b,
        role=Role.DELEGATE,
        start_date=dt.date(2021, 1, 1),
        end_date=dt.date(2026, 1, 1),
    )
    body = login(client, delegate_user).get("/api/v1/me/").json()
    assert [role["role"] for role in body["roles"]] == ["delegate"]


def test_me_needs_a_caller(client: Client, db: None) -> None:
    assert_error(client.get("/api/v1/me/"), 401, "not_authenticated")


def test_the_schema_documents_me_and_the_token_scheme(client: Client, db: None) -> None:
    schema = yaml.safe_load(client.get("/api/schema/").content)
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert me["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/Me"
    )
    assert me["responses"]["401"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/Error"
    )
    scheme = schema["components"]["securitySchemes"]["apiToken"]
    assert scheme == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "hdnd_<prefix>_<secret>",
        "description": "A council's API token, made by its system administrators.",
    }


# The token page


def tokens_url(council: Any) -> str:
    return f"/councils/{council.pk}/tokens/"


@pytest.fixture
def admin_client(
    client: Client, login: Callable[[Client, Any], Client], system_admin: Any
) -> Client:
    return login(client, system_admin)


def test_a_system_administrator_creates_a_token_and_sees_it_once(
    admin_client: Client, city_council: Any, system_admin: Any
) -> None:
    response = admin_client.post(
        tokens_url(city_council),
        {"name": "Cổng thông tin điện tử", "scopes": ["directory:read"], "expires_on": ""},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["created_secret"]
    assert secret.startswith("hdnd_")
    assert secret in response.content.decode()
    token = ApiToken.objects.get(council=city_council)
    assert token.name == "Cổng thông tin điện tử"
    assert token.scopes == ["directory:read"]
    assert token.created_by == system_admin
    assert token.expires_at is None
    assert AuditEvent.objects.filter(action="accounts.api_token.create").count() == 1

    # The new token works, and the page never shows it again.
    other = Client()
    assert api_get(other, "/api/v1/me/", secret).json()["token"]["prefix"] == token.prefix
    page = admin_client.get(tokens_url(city_council))
    assert secret not in page.content.decode()
    assert token.prefix in page.content.decode()


def test_an_expiry_date_means_the_end_of_that_day_in_hanoi(
    admin_client: Client, city_council: Any
) -> None:
    admin_client.post(
        tokens_url(city_council),
        {"name": "Tạm thời", "scopes": ["directory:read"], "expires_on": "2026-12-31"},
    )
    token = ApiToken.objects.get(council=city_council)
    assert token.expires_at == dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)
    assert "End of 31/12/2026" in admin_client.get(tokens_url(city_council)).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "scopes": ["directory:read"]}, "name"),
        ({"name": "Không phạm vi"}, "scopes"),
        ({"name": "Lạ", "scopes": ["everything"]}, "scopes"),
        (
            {"name": "Quá khứ", "scopes": ["directory:read"], "expires_on": "2026-11-19"},
            "expires_on",
        ),
        (
            {"name": "Sai ngày", "scopes": ["directory:read"], "expires_on": "31/02/2026"},
            "expires_on",
        ),
    ],
)
def test_a_bad_form_creates_nothing_and_says_why(
    admin_client: Client, city_council: Any, data: dict[str, Any], field: str
) -> None:
    response = admin_client.post(tokens_url(city_council), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not response.context["created_secret"]
    assert not ApiToken.objects.exists()


def test_a_system_administrator_revokes_a_token(
    admin_client: Client, city_council: Any, system_admin: Any
) -> None:
    token, raw = make_token(city_council, system_admin)
    response = admin_client.post(f"{tokens_url(city_council)}{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == tokens_url(city_council)
    token.refresh_from_db()
    assert token.revoked_at == NOW
    assert_error(api_get(Client(), "/api/v1/me/", raw), 401, "authentication_failed")
    page = admin_client.get(tokens_url(city_council)).content.decode()
    assert "Revoked" in page
    assert f"{token.pk}/revoke/" not in page


def test_revoking_needs_a_post(admin_client: Client, city_council: Any, system_admin: Any) -> None:
    token, _raw = make_token(city_council, system_admin)
    assert admin_client.get(f"{tokens_url(city_council)}{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_of_another_council_cannot_be_revoked_from_this_page(
    admin_client: Client, city_council: Any, commune_a: Any, system_admin: Any
) -> None:
    token, _raw = make_token(commune_a, system_admin)
    response = admin_client.post(f"{tokens_url(city_council)}{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_lists_only_this_councils_tokens(
    admin_client: Client, city_council: Any, commune_a: Any, system_admin: Any
) -> None:
    mine, _raw = make_token(city_council, system_admin)
    theirs, _raw = make_token(commune_a, system_admin)
    page = admin_client.get(tokens_url(city_council)).content.decode()
    assert mine.prefix in page
    assert theirs.prefix not in page


@pytest.mark.parametrize("persona", ["city_staff", "delegate_user", "commune_officer", "outsider"])
def test_people_without_the_admin_role_may_not_manage_tokens(
    client: Client,
    login: Callable[[Client, Any], Client],
    city_council: Any,
    request: pytest.FixtureRequest,
    persona: str,
) -> None:
    user = request.getfixturevalue(persona)
    token, _raw = make_token(city_council, user)
    signed_in = login(client, user)
    assert signed_in.get(tokens_url(city_council)).status_code == 403
    create = {"name": "X", "scopes": ["directory:read"]}
    assert signed_in.post(tokens_url(city_council), create).status_code == 403
    assert signed_in.post(f"{tokens_url(city_council)}{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("council_name", ["commune_a", "city_council"])
def test_an_officer_of_another_commune_is_refused_the_token_page(
    client: Client,
    login: Callable[[Client, Any], Client],
    outsider: Any,
    system_admin: Any,
    request: pytest.FixtureRequest,
    council_name: str,
) -> None:
    council = request.getfixturevalue(council_name)
    token, _raw = make_token(council, system_admin)
    signed_in = login(client, outsider)
    page = signed_in.get(tokens_url(council))
    assert page.status_code == 403
    assert token.prefix not in page.content.decode()
    create = {"name": "X", "scopes": ["directory:read"]}
    assert signed_in.post(tokens_url(council), create).status_code == 403
    assert signed_in.post(f"{tokens_url(council)}{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("council_name", ["commune_a", "city_council"])
def test_access_refuses_an_officer_of_another_commune_the_tokens(
    outsider: Any,
    system_admin: Any,
    request: pytest.FixtureRequest,
    council_name: str,
) -> None:
    council = request.getfixturevalue(council_name)
    token, _raw = make_token(council, system_admin)
    with pytest.raises(PermissionDenied):
        access_council_tokens(user=outsider, council_id=council.pk)
    with pytest.raises(PermissionDenied):
        access_api_token(user=outsider, council_id=council.pk, token_id=token.pk)


def test_the_administrator_of_another_commune_manages_only_its_own_tokens(
    client: Client,
    login: Callable[[Client, Any], Client],
    city_council: Any,
    commune_a: Any,
    commune_b: Any,
) -> None:
    assignment = factories.RoleAssignmentFactory(council=commune_b, role=Role.SYSTEM_ADMIN)
    factories.add_totp_device(assignment.user)
    signed_in = login(client, assignment.user)
    assert signed_in.get(tokens_url(commune_b)).status_code == 200
    assert signed_in.get(tokens_url(commune_a)).status_code == 403
    assert signed_in.get(tokens_url(city_council)).status_code == 403


def test_access_finds_a_token_only_under_its_own_council(
    superuser: Any, city_council: Any, commune_a: Any
) -> None:
    token, _raw = make_token(commune_a, superuser)
    found = access_api_token(user=superuser, council_id=commune_a.pk, token_id=token.pk)
    assert found == token
    with pytest.raises(NotFound):
        access_api_token(user=superuser, council_id=city_council.pk, token_id=token.pk)
    with pytest.raises(NotFound):
        access_council_tokens(user=superuser, council_id=999999)


def test_a_system_administrator_of_the_city_does_not_manage_a_communes_tokens(
    admin_client: Client, commune_a: Any
) -> None:
    assert admin_client.get(tokens_url(commune_a)).status_code == 403


def test_the_admin_of_a_commune_manages_its_tokens(
    client: Client, login: Callable[[Client, Any], Client], commune_a: Any
) -> None:
    assignment = factories.RoleAssignmentFactory(council=commune_a, role=Role.SYSTEM_ADMIN)
    factories.add_totp_device(assignment.user)
    assert login(client, assignment.user).get(tokens_url(commune_a)).status_code == 200


def test_a_superuser_manages_any_councils_tokens(
    client: Client, login: Callable[[Client, Any], Client], superuser: Any, commune_b: Any
) -> None:
    signed_in = login(client, superuser)
    response = signed_in.post(tokens_url(commune_b), {"name": "Xã B", "scopes": ["directory:read"]})
    assert response.status_code == 200
    assert ApiToken.objects.get().council == commune_b


def test_an_unknown_council_is_a_404(admin_client: Client, db: None) -> None:
    assert admin_client.get("/councils/999999/tokens/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, city_council: Any) -> None:
    response = client.get(tokens_url(city_council))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_second_factor_is_required_first(
    client: Client, system_admin: Any, city_council: Any
) -> None:
    client.force_login(system_admin)  # password only, no code yet
    response = client.get(tokens_url(city_council))
    assert response.status_code == 302
    assert "/accounts/verify/" in response["Location"]


def test_the_token_page_has_a_capitalised_heading_and_a_checkbox_per_scope(
    admin_client: Client, city_council: Any
) -> None:
    page = admin_client.get(tokens_url(city_council)).content.decode()
    assert "<h1>API tokens</h1>" in page
    assert '<li aria-current="page">API tokens</li>' in page
    checkboxes = re.findall(r'<input type="checkbox" name="scopes"[^>]*>', page)
    assert len(checkboxes) == len(ApiScope.choices) > 1
    # With a choice to make, nothing is ticked for the administrator.
    assert not any("checked" in checkbox for checkbox in checkboxes)
    assert '<div class="checkbox">' in page


def test_revoking_a_token_asks_for_confirmation_first(
    admin_client: Client, city_council: Any, system_admin: Any
) -> None:
    token, _ = make_token(city_council, system_admin)
    token.name = "Cổng \"xã\" <A> & 'B'"
    token.save(update_fields=["name"])

    page = admin_client.get(tokens_url(city_council)).content.decode()

    [form] = re.findall(r'<form class="cell-action"[^>]*>', page)
    assert 'onsubmit="return confirm(' in form
    assert "Revoke the token" in form
    # The name is escaped for JavaScript inside the attribute: nothing in it ends either.
    assert "Cổng \\u0022xã\\u0022 \\u003CA\\u003E \\u0026 \\u0027B\\u0027" in form
