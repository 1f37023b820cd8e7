"""The resolutions API: the office records a resolution with its signed PDF (multipart),
publishes it; readers list and read them with the poll's result and download the file —
unpublished ones only the meeting's participants and the office. Errors in the one JSON
shape, in Vietnamese; the operations in the schema without warnings."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.api.common import MAX_ID
from hdnd.meetings.models import AgendaItem, Meeting, Resolution
from hdnd.meetings.services.records import publish_resolution, record_resolution
from hdnd.meetings.tests.test_records_minutes import _closed_named_poll
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
from hdnd.petitions.tests.test_signatures_pdf import Pki, make_pki, signed_pdf, unsigned_pdf
from hdnd.voting.models import Choice, Poll, PollKind, PollStatus

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]

NOT_A_PDF = "Tệp này không phải văn bản PDF, dù tên tệp ghi như vậy."
PREPARE_REFUSED = "Chỉ cán bộ Văn phòng HĐND mới được chuẩn bị cuộc họp này."
NO_RESOLUTION = "Nghị quyết này không tồn tại."


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture
def trusted(settings: Any, tmp_path: Path, pki: Pki) -> None:
    path = tmp_path / "trusted-ca.pem"
    path.write_bytes(pki.ca_pem)
    settings.PETITIONS_SIGNATURE_TRUST_ROOTS = str(path)


@pytest.fixture
def item(session: Meeting) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=session, position=1, title="Nghị quyết về kế hoạch đầu tư công"
    )


@pytest.fixture
def passed_poll(session: Meeting, item: AgendaItem) -> Poll:
    return _closed_named_poll(session, item, [Choice.YES] * 7 + [Choice.NO], title="Lần 1")


def _api(client: Client, login: Login, user: User) -> Api:
    login(client, user)
    return Api(client, {"Accept-Language": "vi"})


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    """A multipart POST, as a browser or an office system sends a file."""
    return client.post(f"/api/v1/{url}", data, headers={"Accept-Language": "vi"})


def _pdf(name: str = "nghi-quyet-01.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or unsigned_pdf(), content_type="application/pdf")


def _content(response: Any) -> bytes:
    """The body of a file response (streamed)."""
    return b"".join(response.streaming_content)


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "number": "01/2026/NQ-HĐND",
        "title": "Kế hoạch đầu tư công năm 2027",
        "adopted_on": timezone.localdate().isoformat(),
        **extra,
    }


def _recorded(
    session: Meeting,
    actor: User,
    *,
    number: str = "02/2026/NQ-HĐND",
    file: bool = True,
    data: bytes | None = None,
) -> Resolution:
    return record_resolution(
        meeting_id=session.pk,
        number=number,
        title="Biên chế công chức năm 2027",
        adopted_on=timezone.localdate(),
        file=ContentFile(data or unsigned_pdf(), name="nq.pdf") if file else None,
        actor=actor,
    )


# Recording.


def test_the_office_records_a_resolution_with_its_signed_pdf(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    passed_poll: Poll,
    item: AgendaItem,
    pki: Pki,
    trusted: None,
) -> None:
    login(client, city_staff)
    signed = signed_pdf(pki)
    response = _post(
        client,
        f"council-meetings/{session.pk}/resolutions/",
        _form(poll_id=passed_poll.pk, file=_pdf(data=signed)),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    resolution = Resolution.objects.get()
    assert body["id"] == resolution.pk
    assert (body["number"], body["title"]) == ("01/2026/NQ-HĐND", "Kế hoạch đầu tư công năm 2027")
    assert body["adopted_on"] == timezone.localdate().isoformat()
    assert body["agenda_item_id"] == item.pk
    assert body["poll"]["id"] == passed_poll.pk
    assert body["poll"]["kind"] == PollKind.MOTION
    assert body["poll"]["passed"] is True
    result = body["result"]
    assert (result["total_members"], result["required_votes"], result["voted"]) == (10, 6, 8)
    assert result["passed"] is True
    assert result["subjects"][0]["counts"]["yes"] == 7
    assert result["subjects"][0]["percentages"]["yes"] == "70.00"
    assert body["has_file"] is True
    assert body["signature_status"] == "valid"
    assert body["signature_details"]
    assert body["published"] is False and body["published_at"] is None
    assert body["file_url"] == f"/api/v1/resolutions/{resolution.pk}/file/"
    assert resolution.meeting_id == session.pk and resolution.poll_id == passed_poll.pk
    assert resolution.file.read() == signed


def test_a_resolution_without_a_poll_or_a_file(
    client: Client, login: Login, session: Meeting, city_staff: User, item: AgendaItem
) -> None:
    login(client, city_staff)
    response = _post(
        client, f"council-meetings/{session.pk}/resolutions/", _form(agenda_item_id=item.pk)
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["poll"] is None and body["result"] is None
    assert body["has_file"] is False and body["file_url"] is None
    assert body["signature_status"] == "not_checked"
    assert Resolution.objects.get().agenda_item == item


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("nghi-quyet.pdf", b"MZ\x90\x00 not a pdf", NOT_A_PDF),
        ("nghi-quyet.docx", None, "Vui lòng tải lên tệp PDF (.pdf)."),
        ("nghi-quyet", None, "Vui lòng tải lên tệp PDF (.pdf)."),
    ],
)
def test_a_file_that_is_not_a_pdf_is_a_400_in_vietnamese(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    name: str,
    data: bytes | None,
    message: str,
) -> None:
    login(client, city_staff)
    response = _post(
        client, f"council-meetings/{session.pk}/resolutions/", _form(file=_pdf(name, data))
    )
    error = assert_error(response, 400, "invalid")
    assert error["message"] == message
    assert error["fields"] == {"file": [message]}
    assert not Resolution.objects.exists()


def test_a_file_over_the_limit_is_refused(
    client: Client, login: Login, session: Meeting, city_staff: User, settings: Any
) -> None:
    settings.MEETINGS_MAX_UPLOAD_MB = 1
    big = _pdf(data=unsigned_pdf() + b"\n%" + b"0" * (1024 * 1024))
    login(client, city_staff)
    response = _post(client, f"council-meetings/{session.pk}/resolutions/", _form(file=big))
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {"file"}
    assert "1 MB" in error["message"]
    assert not Resolution.objects.exists()


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"number": None, "title": None, "adopted_on": None}, {"number", "title", "adopted_on"}),
        ({"number": "x" * 81}, {"number"}),
        ({"title": "x" * 501}, {"title"}),
        ({"adopted_on": "21/11/2026"}, {"adopted_on"}),
        ({"poll_id": "một"}, {"poll_id"}),
        ({"poll_id": str(MAX_ID + 1)}, {"poll_id"}),
        ({"poll_id": "99999999"}, {"poll_id"}),
        ({"agenda_item_id": "0"}, {"agenda_item_id"}),
        ({"agenda_item_id": "99999999"}, {"agenda_item_id"}),
        ({"file": "không phải tệp"}, {"file"}),
    ],
)
def test_bad_input_is_a_400_naming_the_fields(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    change: dict[str, Any],
    fields: set[str],
) -> None:
    form = {key: value for key, value in _form(**change).items() if value is not None}
    login(client, city_staff)
    response = _post(client, f"council-meetings/{session.pk}/resolutions/", form)
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == fields
    assert not Resolution.objects.exists()


def test_another_meetings_poll_or_item_is_a_400(
    client: Client, login: Login, session: Meeting, city_staff: User
) -> None:
    other = Meeting.objects.create(
        council=session.council,
        term=session.term,
        kind=session.kind,
        number=2,
        title="Kỳ họp thứ hai",
        starts_on=session.starts_on,
        ends_on=session.ends_on,
    )
    other_item = AgendaItem.objects.create(meeting=other, position=1, title="Khác")
    poll = Poll.objects.create(
        meeting=other, kind=PollKind.MOTION, title="Khác", status=PollStatus.CLOSED, passed=True
    )
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/resolutions/"
    refused = assert_error(_post(client, url, _form(poll_id=poll.pk)), 400, "invalid")
    assert refused["fields"] == {"poll_id": ["Cuộc biểu quyết này không thuộc cuộc họp này."]}
    refused = assert_error(_post(client, url, _form(agenda_item_id=other_item.pk)), 400)
    assert refused["fields"] == {
        "agenda_item_id": ["Nội dung chương trình này không thuộc cuộc họp này."]
    }
    assert not Resolution.objects.exists()


def test_the_service_refuses_a_future_date_and_a_duplicate_number(
    client: Client, login: Login, session: Meeting, city_staff: User
) -> None:
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/resolutions/"
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = assert_error(_post(client, url, _form(adopted_on=tomorrow)), 400, "invalid")
    assert future["fields"] == {"adopted_on": ["Ngày thông qua không được sau ngày hôm nay."]}
    _recorded(session, city_staff, number="01/2026/NQ-HĐND")
    duplicate = assert_error(_post(client, url, _form()), 400, "invalid")
    assert duplicate["message"] == "Cuộc họp này đã có nghị quyết số 01/2026/NQ-HĐND."
    assert set(duplicate["fields"]) == {"number"}
    assert Resolution.objects.count() == 1


def test_a_poll_that_failed_or_is_open_or_is_taken_is_a_409(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    item: AgendaItem,
    passed_poll: Poll,
) -> None:
    failed = _closed_named_poll(session, item, [Choice.YES] * 5, title="Lần 2")
    open_poll = Poll.objects.create(
        meeting=session,
        sitting=session.current_sitting,
        kind=PollKind.MOTION,
        title="Đang biểu quyết",
        status=PollStatus.OPEN,
        opened_at=timezone.now(),
    )
    record_resolution(
        meeting_id=session.pk,
        number="05/2026/NQ-HĐND",
        title="Đã ghi",
        adopted_on=timezone.localdate(),
        poll_id=passed_poll.pk,
        actor=city_staff,
    )
    login(client, city_staff)
    url = f"council-meetings/{session.pk}/resolutions/"
    refused = assert_error(_post(client, url, _form(poll_id=failed.pk)), 409, "not_allowed_now")
    assert refused["message"] == (
        "Cuộc biểu quyết này không được thông qua nên không thể thông qua nghị quyết."
    )
    assert_error(_post(client, url, _form(poll_id=open_poll.pk)), 409, "not_allowed_now")
    assert_error(_post(client, url, _form(poll_id=passed_poll.pk)), 409, "not_allowed_now")
    assert Resolution.objects.count() == 1


def test_recording_is_refused_to_the_chair_delegates_tokens_and_the_outsider(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    chair: User,
    delegate: User,
    outsider: User,
) -> None:
    url = f"council-meetings/{session.pk}/resolutions/"
    for user in (chair, delegate):
        login(client, user)
        error = assert_error(_post(client, url, _form(file=_pdf())), 403, "permission_denied")
        assert error["message"] == PREPARE_REFUSED
    login(client, outsider)
    assert_error(_post(client, url, _form(file=_pdf())), 404, "not_found")
    client.logout()
    assert_error(_post(client, url, _form(file=_pdf())), 401, "not_authenticated")
    token = token_api(client, session.council, city_staff, [ApiScope.PETITIONS_WRITE])
    assert_error(token.post(url, {}), 403, "person_required")
    assert_error(
        _post(client, "council-meetings/99999999/resolutions/", _form()), 401, "not_authenticated"
    )
    login(client, city_staff)
    for unknown in ("99999999", "abc", str(MAX_ID + 1)):
        missing = _post(client, f"council-meetings/{unknown}/resolutions/", _form())
        assert_error(missing, 404, "not_found")
    assert not Resolution.objects.exists()


def test_a_json_body_is_refused_with_the_error_shape(
    client: Client, login: Login, session: Meeting, city_staff: User
) -> None:
    api = _api(client, login, city_staff)
    response = api.post(f"council-meetings/{session.pk}/resolutions/", _form())
    assert_error(response, 415, "unsupported_media_type")
    assert not Resolution.objects.exists()


# Listing and reading.


def test_participants_and_the_office_list_every_resolution(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    delegate: User,
    guest: User,
) -> None:
    first = _recorded(session, city_staff, number="01/2026/NQ-HĐND")
    publish_resolution(resolution_id=first.pk, actor=city_staff)
    second = _recorded(session, city_staff, number="02/2026/NQ-HĐND", file=False)
    for user in (city_staff, delegate, guest):
        response = _api(client, login, user).get(f"council-meetings/{session.pk}/resolutions/")
        assert response.status_code == 200
        rows = response.json()
        assert [row["id"] for row in rows] == [first.pk, second.pk]
        assert [row["published"] for row in rows] == [True, False]
        assert [row["has_file"] for row in rows] == [True, False]
        assert "result" not in rows[0] and "signature_details" not in rows[0]


def test_other_readers_of_the_council_see_only_published_resolutions(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    delegate_user: User,
) -> None:
    published = _recorded(session, city_staff, number="01/2026/NQ-HĐND")
    publish_resolution(resolution_id=published.pk, actor=city_staff)
    draft = _recorded(session, city_staff, number="02/2026/NQ-HĐND")
    api = _api(client, login, delegate_user)
    rows = api.get(f"council-meetings/{session.pk}/resolutions/").json()
    assert [row["id"] for row in rows] == [published.pk]
    assert api.get(f"resolutions/{published.pk}/").status_code == 200
    for url in (f"resolutions/{draft.pk}/", f"resolutions/{draft.pk}/file/"):
        error = assert_error(api.get(url), 404, "not_found")
        assert error["message"] == NO_RESOLUTION


def test_a_participant_reads_one_resolution(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    delegate: User,
    passed_poll: Poll,
) -> None:
    resolution = record_resolution(
        meeting_id=session.pk,
        number="03/2026/NQ-HĐND",
        title="Phí tham quan",
        adopted_on=timezone.localdate(),
        poll_id=passed_poll.pk,
        file=ContentFile(unsigned_pdf(), name="nq-03.pdf"),
        actor=city_staff,
    )
    response = _api(client, login, delegate).get(f"resolutions/{resolution.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == "03/2026/NQ-HĐND"
    assert body["poll"] == {
        "id": passed_poll.pk,
        "title": "Lần 1",
        "kind": "motion",
        "closed_at": body["poll"]["closed_at"],
        "passed": True,
    }
    assert body["result"]["voted"] == 8
    assert body["signature_status"] == "unsigned"
    assert body["published"] is False


def test_the_outsider_the_anonymous_and_tokens_read_nothing(
    client: Client, login: Login, session: Meeting, city_staff: User, outsider: User
) -> None:
    resolution = _recorded(session, city_staff)
    publish_resolution(resolution_id=resolution.pk, actor=city_staff)
    urls = (
        f"council-meetings/{session.pk}/resolutions/",
        f"resolutions/{resolution.pk}/",
        f"resolutions/{resolution.pk}/file/",
    )
    anonymous = Api(client, {"Accept-Language": "vi"})
    for url in urls:
        assert_error(anonymous.get(url), 401, "not_authenticated")
    token = token_api(client, session.council, city_staff, [ApiScope.PETITIONS_READ])
    for url in urls:
        assert_error(token.get(url), 403, "person_required")
    api = _api(client, login, outsider)
    for url in urls:
        assert_error(api.get(url), 404, "not_found")


def test_unknown_resolutions_are_a_404(client: Client, login: Login, city_staff: User) -> None:
    api = _api(client, login, city_staff)
    for unknown in ("99999999", "abc", "-1", str(MAX_ID + 1)):
        for url in (f"resolutions/{unknown}/", f"resolutions/{unknown}/file/"):
            error = assert_error(api.get(url), 404, "not_found")
            assert error["message"] == NO_RESOLUTION
        assert_error(api.post(f"resolutions/{unknown}/publish/"), 404, "not_found")


# Publishing.


def test_the_office_publishes_a_resolution_once(
    client: Client, login: Login, session: Meeting, city_staff: User
) -> None:
    resolution = _recorded(session, city_staff)
    api = _api(client, login, city_staff)
    response = api.post(f"resolutions/{resolution.pk}/publish/")
    assert response.status_code == 200, response.json()
    assert response.json()["published"] is True
    resolution.refresh_from_db()
    assert resolution.published_at is not None
    assert response.json()["published_at"] is not None
    again = api.post(f"resolutions/{resolution.pk}/publish/")
    assert again.status_code == 200
    assert Resolution.objects.get().published_at == resolution.published_at


def test_publishing_without_the_signed_file_is_a_409(
    client: Client, login: Login, session: Meeting, city_staff: User
) -> None:
    resolution = _recorded(session, city_staff, file=False)
    refused = _api(client, login, city_staff).post(f"resolutions/{resolution.pk}/publish/")
    error = assert_error(refused, 409, "not_allowed_now")
    assert error["message"] == "Vui lòng đính kèm nghị quyết đã ký trước khi công khai."
    assert Resolution.objects.get().published_at is None


def test_publishing_is_refused_to_the_chair_delegates_tokens_and_the_outsider(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    chair: User,
    delegate: User,
    delegate_user: User,
    outsider: User,
) -> None:
    resolution = _recorded(session, city_staff)
    url = f"resolutions/{resolution.pk}/publish/"
    for user in (chair, delegate):
        error = assert_error(_api(client, login, user).post(url), 403, "permission_denied")
        assert error["message"] == PREPARE_REFUSED
    # A reader who may not see the unpublished resolution is not told it exists.
    assert_error(_api(client, login, delegate_user).post(url), 404, "not_found")
    assert_error(_api(client, login, outsider).post(url), 404, "not_found")
    client.logout()
    assert_error(Api(client).post(url), 401, "not_authenticated")
    token = token_api(client, session.council, city_staff, [ApiScope.PETITIONS_WRITE])
    assert_error(token.post(url), 403, "person_required")
    assert Resolution.objects.get().published_at is None


# Downloading.


def test_a_participant_downloads_the_file_as_uploaded(
    client: Client, login: Login, session: Meeting, city_staff: User, delegate: User
) -> None:
    data = unsigned_pdf()
    resolution = _recorded(session, city_staff, data=data)
    login(client, delegate)
    response = client.get(f"/api/v1/resolutions/{resolution.pk}/file/", HTTP_ACCEPT="*/*")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert _content(response) == data
    pdf = client.get(f"/api/v1/resolutions/{resolution.pk}/file/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200
    assert _content(pdf) == data


def test_a_published_file_is_read_by_the_councils_readers(
    client: Client, login: Login, session: Meeting, city_staff: User, delegate_user: User
) -> None:
    resolution = _recorded(session, city_staff)
    publish_resolution(resolution_id=resolution.pk, actor=city_staff)
    login(client, delegate_user)
    response = client.get(f"/api/v1/resolutions/{resolution.pk}/file/")
    assert response.status_code == 200
    assert _content(response).startswith(b"%PDF-")


def test_a_resolution_without_a_file_has_nothing_to_download(
    client: Client, login: Login, session: Meeting, city_staff: User
) -> None:
    resolution = _recorded(session, city_staff, file=False)
    response = _api(client, login, city_staff).get(f"resolutions/{resolution.pk}/file/")
    error = assert_error(response, 404, "not_found")
    assert error["message"] == "Nghị quyết này chưa có tệp."


# The schema.

RESOLUTION_OPERATIONS = {
    ("get", "/api/v1/council-meetings/{meeting_id}/resolutions/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/resolutions/"),
    ("get", "/api/v1/resolutions/{resolution_id}/"),
    ("post", "/api/v1/resolutions/{resolution_id}/publish/"),
    ("get", "/api/v1/resolutions/{resolution_id}/file/"),
}


def test_the_schema_describes_the_resolutions_without_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(path))
    # Warnings of other modules are theirs.
    assert "meetings/api/records.py" not in capsys.readouterr().err
    schema = yaml.safe_load(path.read_text())
    for method, url in RESOLUTION_OPERATIONS:
        operation = schema["paths"][url][method]
        assert operation["tags"] == ["meetings"]
        assert operation["operationId"].startswith("council_meetings_resolutions_")
        for status, response in operation["responses"].items():
            if str(status).startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (url, status)
    record = schema["paths"]["/api/v1/council-meetings/{meeting_id}/resolutions/"]["post"]
    assert set(record["requestBody"]["content"]) == {"multipart/form-data"}
    download = schema["paths"]["/api/v1/resolutions/{resolution_id}/file/"]["get"]
    assert "application/pdf" in download["responses"]["200"]["content"]
