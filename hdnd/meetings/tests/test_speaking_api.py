"""The floor and questioning API: reads, actions, refusals in the one JSON error shape
(in Vietnamese, the tests' language); the floor's operations in the schema."""

from collections.abc import Callable

import pytest
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from hdnd.accounts.models import ApiScope, User
from hdnd.meetings.models import (
    AgendaItem,
    Meeting,
    Participant,
    Question,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.services import speaking
from hdnd.petitions.tests.api_support import Api, assert_error, token_api

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


@pytest.fixture
def item(session: Meeting) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=session, position=1, title="Ngân sách", status="current"
    )


def _api(client: Client, login: Login, user: User) -> Api:
    login(client, user)
    return Api(client, {"Accept-Language": "vi"})


def _participant(user: User, meeting: Meeting) -> Participant:
    return Participant.objects.get(meeting=meeting, person=user.person)


def test_a_delegate_asks_and_reads_the_queue(
    client: Client, login: Login, session: Meeting, item: AgendaItem, delegate: User
) -> None:
    api = _api(client, login, delegate)
    response = api.post(
        f"council-meetings/{session.pk}/speakers/", {"kind": "speech", "note": "Đầu tư công"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "waiting"
    assert body["speaker"]["name"] == "Trần Văn Đại Biểu 1"
    assert body["limit_seconds"] == session.speech_limit_seconds

    queue = api.get(f"council-meetings/{session.pk}/speakers/").json()
    assert queue["agenda_item_id"] == item.pk
    assert queue["speaker"] is None
    assert [one["id"] for one in queue["waiting"]] == [body["id"]]

    again = api.post(f"council-meetings/{session.pk}/speakers/", {"kind": "debate"})
    assert_error(again, 409, "not_allowed_now")

    withdrawn = api.post(f"speech-requests/{body['id']}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"


def test_a_delegate_cannot_grant_the_floor(
    client: Client, login: Login, session: Meeting, item: AgendaItem, delegate: User
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    api = _api(client, login, delegate)
    assert_error(
        api.post(f"council-meetings/{session.pk}/floor/grant/", {"request_id": speech.pk}),
        403,
        "permission_denied",
    )
    assert_error(api.post(f"council-meetings/{session.pk}/floor/end/"), 403, "permission_denied")
    assert_error(
        api.post(f"speech-requests/{speech.pk}/move/", {"move": "top"}), 403, "permission_denied"
    )


def test_the_chair_grants_and_ends_the_floor(
    client: Client,
    login: Login,
    session: Meeting,
    item: AgendaItem,
    chair: User,
    delegate: User,
    other_delegate: User,
) -> None:
    first = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    second = speaking.request_speech(meeting_id=session.pk, actor=other_delegate, kind="speech")
    api = _api(client, login, chair)
    granted = api.post(f"council-meetings/{session.pk}/floor/grant/", {})
    assert granted.status_code == 200
    assert granted.json()["id"] == first.pk
    floor = api.get(f"council-meetings/{session.pk}/speakers/").json()
    assert floor["speaker"]["id"] == first.pk
    assert floor["seconds_left"] <= first.limit_seconds

    refused = api.post(f"council-meetings/{session.pk}/floor/grant/", {"request_id": second.pk})
    assert_error(refused, 409, "not_allowed_now")
    moved = api.post(
        f"council-meetings/{session.pk}/floor/grant/",
        {"request_id": second.pk, "end_current": True},
    )
    assert moved.json()["status"] == "speaking"
    ended = api.post(f"council-meetings/{session.pk}/floor/end/")
    assert ended.json()["status"] == "done"
    log = api.get(f"council-meetings/{session.pk}/speakers/log/").json()
    assert [one["id"] for one in log] == [first.pk, second.pk]
    assert all(one["over_limit"] is False for one in log)
    assert all(one["duration_seconds"] is not None for one in log)


def test_the_chair_adds_a_guest(
    client: Client, login: Login, session: Meeting, item: AgendaItem, chair: User, guest: User
) -> None:
    api = _api(client, login, chair)
    response = api.post(
        f"council-meetings/{session.pk}/speakers/add/",
        {"participant_id": _participant(guest, session).pk, "kind": "speech", "limit_seconds": 90},
    )
    assert response.status_code == 201
    assert response.json()["limit_seconds"] == 90


def test_bad_input_answers_400_never_500(
    client: Client, login: Login, session: Meeting, item: AgendaItem, chair: User
) -> None:
    api = _api(client, login, chair)
    assert_error(
        api.post(f"council-meetings/{session.pk}/speakers/", {"kind": "x"}), 400, "invalid"
    )
    assert_error(api.post(f"council-meetings/{session.pk}/speakers/", raw="[1"), 400, "parse_error")
    assert_error(
        api.post(f"council-meetings/{session.pk}/speakers/add/", {"participant_id": "a"}),
        400,
        "invalid",
    )
    assert_error(api.get("council-meetings/abc/speakers/"), 404, "not_found")
    assert_error(api.get("council-meetings/99999999/speakers/"), 404, "not_found")
    assert_error(api.post("speech-requests/99999999/withdraw/"), 404, "not_found")


def test_the_outsider_sees_nothing(
    client: Client, login: Login, session: Meeting, item: AgendaItem, outsider: User, delegate: User
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    api = _api(client, login, outsider)
    assert_error(api.get(f"council-meetings/{session.pk}/speakers/"), 404, "not_found")
    assert_error(api.get(f"council-meetings/{session.pk}/questions/"), 404, "not_found")
    assert_error(api.post(f"speech-requests/{speech.pk}/withdraw/"), 404, "not_found")
    assert SpeechRequest.objects.get().status == SpeechStatus.WAITING


def test_questions_are_registered_called_and_answered(
    client: Client,
    login: Login,
    session: Meeting,
    delegate: User,
    chair: User,
    respondent: User,
    guest: User,
) -> None:
    respondent_id = _participant(respondent, session).pk
    api = _api(client, login, delegate)
    created = api.post(
        f"council-meetings/{session.pk}/questions/",
        {"text": "Vì sao chậm cấp phép?", "respondent_id": respondent_id},
    )
    assert created.status_code == 201, created.json()
    question = created.json()
    assert question["registered_live"] is True
    follow_up = api.post(
        f"council-meetings/{session.pk}/questions/", {"text": "Tái chất vấn", "kind": "follow_up"}
    )
    # The refusal names the body's key, not the service's parameter.
    assert set(assert_error(follow_up, 400, "invalid")["fields"]) == {"follows_id"}
    not_a_respondent = api.post(
        f"council-meetings/{session.pk}/questions/",
        {"text": "Hỏi khách mời", "respondent_id": _participant(guest, session).pk},
    )
    assert set(assert_error(not_a_respondent, 400, "invalid")["fields"]) == {"respondent_id"}
    assert_error(api.post(f"questions/{question['id']}/call/", {}), 403, "permission_denied")

    api = _api(client, login, chair)
    called = api.post(
        f"questions/{question['id']}/call/", {"expected_version": question["version"]}
    )
    assert called.json()["status"] == "asked"
    stale = api.post(
        f"questions/{question['id']}/answer/", {"expected_version": question["version"]}
    )
    assert_error(stale, 409, "stale_version")
    answered = api.post(f"questions/{question['id']}/answer/", {"answer": "Đã cấp."})
    assert answered.json()["status"] == "answered"
    assert answered.json()["answer_seconds"] is not None

    api = _api(client, login, guest)
    refused = api.post(
        f"council-meetings/{session.pk}/questions/",
        {"text": "Câu hỏi của khách", "respondent_id": respondent_id},
    )
    assert_error(refused, 403, "permission_denied")
    listed = api.get(f"council-meetings/{session.pk}/questions/").json()
    assert [one["id"] for one in listed] == [question["id"]]
    assert Question.objects.count() == 1


# A speaker's time limit.


def test_the_chair_changes_a_speakers_limit_before_and_during_the_speech(
    client: Client, login: Login, session: Meeting, item: AgendaItem, chair: User, delegate: User
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    api = _api(client, login, chair)
    response = api.post(f"speech-requests/{speech.pk}/limit/", {"limit_seconds": 420})
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == speech.pk
    assert response.json()["limit_seconds"] == 420
    assert response.json()["status"] == "waiting"
    assert SpeechRequest.objects.get(pk=speech.pk).limit_seconds == 420

    speaking.grant_floor(meeting_id=session.pk, actor=chair, request_id=speech.pk)
    longer = api.post(f"speech-requests/{speech.pk}/limit/", {"limit_seconds": 600})
    assert longer.status_code == 200
    assert longer.json()["status"] == "speaking"
    assert SpeechRequest.objects.get(pk=speech.pk).limit_seconds == 600


def test_the_office_changes_a_limit_too(
    client: Client,
    login: Login,
    session: Meeting,
    item: AgendaItem,
    city_staff: User,
    delegate: User,
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    api = _api(client, login, city_staff)
    response = api.post(f"speech-requests/{speech.pk}/limit/", {"limit_seconds": 60})
    assert response.status_code == 200
    assert SpeechRequest.objects.get(pk=speech.pk).limit_seconds == 60


def test_a_delegate_cannot_change_even_their_own_limit(
    client: Client, login: Login, session: Meeting, item: AgendaItem, delegate: User
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    refused = _api(client, login, delegate).post(
        f"speech-requests/{speech.pk}/limit/", {"limit_seconds": 900}
    )
    error = assert_error(refused, 403, "permission_denied")
    assert error["message"] == "Chỉ chủ tọa hoặc Văn phòng HĐND mới được điều hành cuộc họp."
    assert SpeechRequest.objects.get(pk=speech.pk).limit_seconds == speech.limit_seconds


def test_a_limit_is_refused_to_the_anonymous_tokens_and_the_outsider(
    client: Client,
    login: Login,
    session: Meeting,
    item: AgendaItem,
    city_staff: User,
    delegate: User,
    outsider: User,
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    url = f"speech-requests/{speech.pk}/limit/"
    anonymous = Api(client, {"Accept-Language": "vi"}).post(url, {"limit_seconds": 60})
    error = assert_error(anonymous, 401, "not_authenticated")
    assert error["message"] == "Vui lòng đăng nhập hoặc gửi mã truy cập API hợp lệ."
    token = token_api(client, session.council, city_staff, [ApiScope.PETITIONS_WRITE])
    assert_error(token.post(url, {"limit_seconds": 60}), 403, "missing_scope")
    assert_error(_api(client, login, outsider).post(url, {"limit_seconds": 60}), 404, "not_found")
    assert SpeechRequest.objects.get(pk=speech.pk).limit_seconds == speech.limit_seconds


def test_a_bad_limit_is_a_400_and_an_unknown_request_a_404(
    client: Client, login: Login, session: Meeting, item: AgendaItem, chair: User, delegate: User
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    api = _api(client, login, chair)
    url = f"speech-requests/{speech.pk}/limit/"
    for body in (
        {},
        {"limit_seconds": speaking.MIN_LIMIT_SECONDS - 1},
        {"limit_seconds": speaking.MAX_LIMIT_SECONDS + 1},
        {"limit_seconds": "mười phút"},
        {"limit_seconds": None},
    ):
        error = assert_error(api.post(url, body), 400, "invalid")
        assert error["message"] == "Dữ liệu gửi lên không hợp lệ."
        assert set(error["fields"]) == {"limit_seconds"}, body
    assert_error(api.post(url, raw="{"), 400, "parse_error")
    assert SpeechRequest.objects.get(pk=speech.pk).limit_seconds == speech.limit_seconds
    for unknown in ("99999999", "abc", "1e3", str(2**63)):
        missing = api.post(f"speech-requests/{unknown}/limit/", {"limit_seconds": 60})
        error = assert_error(missing, 404, "not_found")
        assert error["message"] == "Lượt đăng ký phát biểu này không tồn tại."


def test_the_limit_of_a_finished_speech_is_a_409(
    client: Client, login: Login, session: Meeting, item: AgendaItem, chair: User, delegate: User
) -> None:
    speech = speaking.request_speech(meeting_id=session.pk, actor=delegate, kind="speech")
    speaking.grant_floor(meeting_id=session.pk, actor=chair, request_id=speech.pk)
    speaking.end_speech(meeting_id=session.pk, actor=chair)
    refused = _api(client, login, chair).post(
        f"speech-requests/{speech.pk}/limit/", {"limit_seconds": 60}
    )
    assert_error(refused, 409, "not_allowed_now")
    assert SpeechRequest.objects.get(pk=speech.pk).limit_seconds == speech.limit_seconds


FLOOR_OPERATIONS = {
    ("get", "/api/v1/council-meetings/{meeting_id}/speakers/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/speakers/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/speakers/add/"),
    ("get", "/api/v1/council-meetings/{meeting_id}/speakers/log/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/floor/grant/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/floor/end/"),
    ("post", "/api/v1/speech-requests/{request_id}/withdraw/"),
    ("post", "/api/v1/speech-requests/{request_id}/move/"),
    ("post", "/api/v1/speech-requests/{request_id}/limit/"),
    ("get", "/api/v1/council-meetings/{meeting_id}/questioning-topics/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/questioning-topics/"),
    ("put", "/api/v1/questioning-topics/{topic_id}/"),
    ("get", "/api/v1/council-meetings/{meeting_id}/questions/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/questions/"),
    ("post", "/api/v1/questions/{question_id}/call/"),
    ("post", "/api/v1/questions/{question_id}/answer/"),
    ("post", "/api/v1/questions/{question_id}/withdraw/"),
    ("post", "/api/v1/questions/{question_id}/move/"),
}


def test_the_floor_is_in_the_schema_without_warnings() -> None:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = [
        message
        for message in GENERATOR_STATS._warn_cache
        if "api/floor/" in message
        or "Floor" in message
        or "Speech" in message
        or "Question" in message
    ]
    assert warnings == []
    found = {
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if (method, path) in FLOOR_OPERATIONS
    }
    assert found == FLOOR_OPERATIONS
    for method, path in FLOOR_OPERATIONS:
        operation = schema["paths"][path][method]
        assert operation["tags"] == ["meetings"]
        for status, response in operation["responses"].items():
            if str(status).startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (path, status)
    components = schema["components"]["schemas"]
    assert components["SpeechKindEnum"]["enum"] == ["speech", "debate"]
    limit = components["SpeechLimitRequest"]["properties"]["limit_seconds"]
    assert (limit["minimum"], limit["maximum"]) == (
        speaking.MIN_LIMIT_SECONDS,
        speaking.MAX_LIMIT_SECONDS,
    )
    topic = components["QuestionTopic"]["properties"]
    assert topic["petitions"]["items"]["$ref"] == "#/components/schemas/QuestionTopicPetition"
    assert set(components["QuestionTopicUpdateRequest"]["required"]) == {
        "title",
        "respondent_ids",
        "petition_ids",
    }
    assert components["QuestionStatusEnum"]["enum"] == [
        "registered",
        "asked",
        "answered",
        "withdrawn",
    ]
