"""A request body Django will not read for its size (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by
default) or its number of fields gets the API's JSON error shape, in the caller's
language, on every path under /api/ — never Django's HTML 400 page — and changes nothing."""

import json
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.test import Client, RequestFactory

from hdnd.accounts.models import ApiScope, User
from hdnd.core.middleware_errors import DomainErrorMiddleware
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import Petition, PetitionStatus, SessionCycle, VoterItem
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

LIMIT = 2_621_440  # Django's default DATA_UPLOAD_MAX_MEMORY_SIZE


def big_import(count: int = 1000) -> dict[str, Any]:
    """A JSON import of `count` items just over the limit: what a system sends when it
    batches too much text."""
    text = "Cử tri đề nghị sửa chữa đường giao thông nông thôn. " * 50
    body = {
        "source_system": "ihanoi",
        "items": [{"source_id": f"S-{n}", "text": text} for n in range(count)],
    }
    assert len(json.dumps(body).encode()) > LIMIT
    return body


@pytest.fixture
def system(city_council: Council, city_staff: User) -> Api:
    scopes = [ApiScope.PETITIONS_READ, ApiScope.PETITIONS_WRITE]
    return token_api(Client(), city_council, city_staff, scopes)


def test_an_oversized_json_import_is_a_json_413(system: Api, city_council: Council) -> None:
    response = system.post(f"councils/{city_council.pk}/petitions/import/", big_import())

    assert response["Content-Type"] == "application/json"
    error = assert_error(response, 413, "request_too_large")
    assert error["message"] == (
        "The request body is larger than the 2.5 MB the server accepts: send the data in "
        "several smaller requests."
    )
    assert not VoterItem.objects.exists()


def test_the_message_names_the_limit_in_force_as_the_caller_writes_numbers(
    city_council: Council, city_staff: User, settings: Any
) -> None:
    api = token_api(Client(), city_council, city_staff, [ApiScope.PETITIONS_WRITE])
    path = f"councils/{city_council.pk}/petitions/import/"
    api.headers["Accept-Language"] = "vi"
    error = assert_error(api.post(path, big_import()), 413, "request_too_large")
    assert "2,5 MB" in error["message"]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    error = assert_error(api.post(path, big_import()), 413, "request_too_large")
    assert "2 MB" in error["message"]


def test_a_person_sending_an_oversized_action_gets_the_json_error(
    client: Client, login: Any, city_staff: User, cycle: SessionCycle, agency_a: Agency
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, field=pf.field("giao-thong"))
    api = Api(login(client, city_staff))
    body = {"expected_version": 1, "lead_agency": agency_a.pk, "reason": "x" * (LIMIT + 1)}

    response = api.post(f"petitions/{petition.pk}/assign/", body)

    assert_error(response, 413, "request_too_large")
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.CONSOLIDATING


def test_an_oversized_form_body_gets_the_json_error_too(
    client: Client, login: Any, city_staff: User, cycle: SessionCycle
) -> None:
    login(client, city_staff)
    response = client.post(
        f"/api/v1/councils/{cycle.council_id}/meetings/",
        {"notes": "x" * (LIMIT + 1)},
        headers={"Accept-Language": "en"},
    )
    assert response["Content-Type"] == "application/json"
    assert_error(response, 413, "request_too_large")


def test_too_many_form_fields_are_a_json_400(
    client: Client, login: Any, city_staff: User, cycle: SessionCycle
) -> None:
    login(client, city_staff)
    response = client.post(
        f"/api/v1/councils/{cycle.council_id}/meetings/",
        {f"field{n}": "x" for n in range(1100)},
        headers={"Accept-Language": "en"},
    )
    error = assert_error(response, 400, "invalid")
    assert error["message"] == "The request has more fields or files than the server accepts."


@pytest.mark.parametrize(
    ("exception", "status", "code"),
    [
        (RequestDataTooBig("too big"), 413, "request_too_large"),
        (TooManyFieldsSent("too many"), 400, "invalid"),
    ],
)
def test_a_plain_view_under_the_api_answers_the_same_way(
    exception: Exception, status: int, code: str
) -> None:
    """Views that are not DRF's (the API's catch-all, any later one) are covered by the
    error middleware; pages keep Django's own handling."""
    middleware = DomainErrorMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/api/v1/anything/", headers={"Accept-Language": "en"})
    response = middleware.process_exception(request, exception)
    assert response is not None
    assert response.status_code == status
    assert json.loads(response.content)["error"]["code"] == code
    page = RequestFactory().post("/petitions/1/")
    assert middleware.process_exception(page, exception) is None
