"""The floor and questioning API: reads, actions, refusals in the one JSON error shape."""

from collections.abc import Callable

import pytest
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from hdnd.accounts.models import User
from hdnd.meetings.models import (
    AgendaItem,
    Meeting,
    Participant,
    Question,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.meetings.services import speaking
from hdnd.petitions.tests.api_support import Api, assert_error

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


@pytest.fixture
def item(session: Meeting) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=session, position=1, title="Ngân sách", status="current"
    )


def _api(client: Client, login: Login, user: User) -> Api:
    login(client, user)
    return Api(client)


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
    assert_error(follow_up, 400, "invalid")
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


FLOOR_OPERATIONS = {
    ("get", "/api/v1/council-meetings/{meeting_id}/speakers/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/speakers/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/speakers/add/"),
    ("get", "/api/v1/council-meetings/{meeting_id}/speakers/log/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/floor/grant/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/floor/end/"),
    ("post", "/api/v1/speech-requests/{request_id}/withdraw/"),
    ("post", "/api/v1/speech-requests/{request_id}/move/"),
    ("get", "/api/v1/council-meetings/{meeting_id}/questions/"),
    ("post", "/api/v1/council-meetings/{meeting_id}/questions/"),
    ("post", "/api/v1/questions/{question_id}/call/"),
    ("post", "/api/v1/questions/{question_id}/answer/"),
    ("post", "/api/v1/questions/{question_id}/withdraw/"),
}


def test_the_floor_is_in_the_schema_without_warnings() -> None:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = [
        message
        for message in GENERATOR_STATS._warn_cache
        if "api/floor.py" in message or "Floor" in message or "Speech" in message
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
    assert components["QuestionStatusEnum"]["enum"] == [
        "registered",
        "asked",
        "answered",
        "withdrawn",
    ]
