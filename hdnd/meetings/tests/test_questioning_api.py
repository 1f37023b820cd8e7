"""The questioning API: topics (listed with their respondents and voter petitions, added
and edited by the chair or the office, linking only flagged petitions of the meeting's
council) and the chair reordering registered questions. Errors in the one JSON shape, in
Vietnamese."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hdnd.accounts.models import ApiScope, User
from hdnd.councils.api.common import MAX_ID
from hdnd.councils.models import Council
from hdnd.meetings.access import participant_of
from hdnd.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    Participant,
    Question,
    QuestionStatus,
    QuestionTopic,
)
from hdnd.meetings.services import questioning
from hdnd.petitions.models import Petition
from hdnd.petitions.tests.api_support import Api, assert_error, token_api
from hdnd.testing import petition_factories

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]

PETITIONS_REFUSED = "Chỉ gắn kiến nghị cử tri của HĐND này đã được đưa vào nội dung chất vấn."
RUN_REFUSED = "Chỉ chủ tọa hoặc Văn phòng HĐND mới được điều hành cuộc họp."


def _api(client: Client, login: Login, user: User) -> Api:
    login(client, user)
    return Api(client, {"Accept-Language": "vi"})


def _participant(user: User, meeting: Meeting) -> Participant:
    found = participant_of(user, meeting)
    assert found is not None
    return found


@pytest.fixture
def flagged(session: Meeting) -> Petition:
    cycle = petition_factories.SessionCycleFactory(term=session.term)
    return petition_factories.PetitionFactory(
        raised_in=cycle, is_questioning_topic=True, title="Ngập úng đường Nguyễn Trãi"
    )


@pytest.fixture
def unflagged(flagged: Petition) -> Petition:
    return petition_factories.PetitionFactory(raised_in=flagged.raised_in)


@pytest.fixture
def elsewhere(commune_a: Council) -> Petition:
    """Flagged, but a petition of another council."""
    return petition_factories.PetitionFactory(
        raised_in__term__council=commune_a, is_questioning_topic=True
    )


@pytest.fixture
def topic(session: Meeting, chair: User, respondent: User, flagged: Petition) -> QuestionTopic:
    return questioning.add_topic(
        meeting_id=session.pk,
        actor=chair,
        title="Quản lý trật tự xây dựng",
        respondent_ids=[_participant(respondent, session).pk],
        petition_ids=[flagged.pk],
    )


# Listing topics.


def test_a_reader_lists_topics_with_respondents_and_petitions(
    client: Client,
    login: Login,
    session: Meeting,
    topic: QuestionTopic,
    chair: User,
    delegate: User,
    respondent: User,
    flagged: Petition,
) -> None:
    questioning.add_topic(meeting_id=session.pk, actor=chair, title="Ô nhiễm môi trường")
    response = _api(client, login, delegate).get(
        f"council-meetings/{session.pk}/questioning-topics/"
    )
    assert response.status_code == 200
    first, second = response.json()
    assert first == {
        "id": topic.pk,
        "title": "Quản lý trật tự xây dựng",
        "position": 1,
        "agenda_item_id": None,
        "respondents": [
            {
                "participant_id": _participant(respondent, session).pk,
                "name": "Phạm Văn Giám Đốc",
                "role": "respondent",
                "title": "Giám đốc Sở Xây dựng",
            }
        ],
        "petitions": [
            {"id": flagged.pk, "code": flagged.code, "title": "Ngập úng đường Nguyễn Trãi"}
        ],
    }
    assert (second["title"], second["position"]) == ("Ô nhiễm môi trường", 2)
    assert second["respondents"] == [] and second["petitions"] == []


def test_the_list_of_topics_costs_the_same_queries_for_more_topics(
    client: Client,
    login: Login,
    session: Meeting,
    topic: QuestionTopic,
    chair: User,
    delegate: User,
    respondent: User,
    flagged: Petition,
) -> None:
    api = _api(client, login, delegate)
    url = f"council-meetings/{session.pk}/questioning-topics/"
    api.get(url)  # Warm the session and the caches.
    with CaptureQueriesContext(connection) as one:
        assert api.get(url).status_code == 200
    for index in range(3):
        questioning.add_topic(
            meeting_id=session.pk,
            actor=chair,
            title=f"Chủ đề {index}",
            respondent_ids=[_participant(respondent, session).pk],
            petition_ids=[flagged.pk],
        )
    with CaptureQueriesContext(connection) as four:
        assert len(api.get(url).json()) == 4
    assert len(four) == len(one)


def test_the_outsider_and_the_anonymous_see_no_topic(
    client: Client, login: Login, session: Meeting, topic: QuestionTopic, outsider: User
) -> None:
    url = f"council-meetings/{session.pk}/questioning-topics/"
    assert_error(Api(client, {"Accept-Language": "vi"}).get(url), 401, "not_authenticated")
    assert_error(_api(client, login, outsider).get(url), 404, "not_found")
    assert_error(_api(client, login, outsider).get("council-meetings/x/questioning-topics/"), 404)


# Adding a topic.


def test_the_chair_adds_a_topic_with_respondents_and_flagged_petitions(
    client: Client,
    login: Login,
    session: Meeting,
    chair: User,
    respondent: User,
    flagged: Petition,
) -> None:
    item = AgendaItem.objects.create(meeting=session, position=1, title="Chất vấn")
    respondent_id = _participant(respondent, session).pk
    response = _api(client, login, chair).post(
        f"council-meetings/{session.pk}/questioning-topics/",
        {
            "title": "  Quy hoạch đô thị  ",
            "respondent_ids": [respondent_id],
            "petition_ids": [flagged.pk],
            "agenda_item_id": item.pk,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Quy hoạch đô thị"
    assert body["agenda_item_id"] == item.pk
    assert [one["participant_id"] for one in body["respondents"]] == [respondent_id]
    assert body["petitions"] == [{"id": flagged.pk, "code": flagged.code, "title": flagged.title}]
    saved = QuestionTopic.objects.get(pk=body["id"])
    assert saved.meeting_id == session.pk and saved.title == "Quy hoạch đô thị"
    assert list(saved.respondents.values_list("id", flat=True)) == [respondent_id]
    assert list(saved.petitions.all()) == [flagged]


def test_the_office_adds_a_topic_with_only_a_title(
    client: Client, login: Login, session: Meeting, city_staff: User
) -> None:
    response = _api(client, login, city_staff).post(
        f"council-meetings/{session.pk}/questioning-topics/", {"title": "Giáo dục"}
    )
    assert response.status_code == 201
    assert response.json()["respondents"] == [] and response.json()["petitions"] == []
    assert QuestionTopic.objects.get().title == "Giáo dục"


def test_unflagged_and_other_councils_petitions_are_refused(
    client: Client,
    login: Login,
    session: Meeting,
    chair: User,
    flagged: Petition,
    unflagged: Petition,
    elsewhere: Petition,
) -> None:
    api = _api(client, login, chair)
    url = f"council-meetings/{session.pk}/questioning-topics/"
    for petition in (unflagged, elsewhere):
        refused = api.post(url, {"title": "Kiến nghị", "petition_ids": [flagged.pk, petition.pk]})
        error = assert_error(refused, 400, "invalid")
        assert error["message"] == PETITIONS_REFUSED
        assert error["fields"] == {"petition_ids": [PETITIONS_REFUSED]}
    unknown = api.post(url, {"title": "Kiến nghị", "petition_ids": [MAX_ID]})
    assert assert_error(unknown, 400, "invalid")["fields"] == {"petition_ids": [PETITIONS_REFUSED]}
    assert not QuestionTopic.objects.exists()


def test_a_respondent_must_be_an_invited_official(
    client: Client, login: Login, session: Meeting, chair: User, delegate: User
) -> None:
    refused = _api(client, login, chair).post(
        f"council-meetings/{session.pk}/questioning-topics/",
        {"title": "Chủ đề", "respondent_ids": [_participant(delegate, session).pk]},
    )
    error = assert_error(refused, 400, "invalid")
    assert set(error["fields"]) == {"respondent_ids"}
    assert error["message"].startswith("Vui lòng chọn người trả lời chất vấn")
    assert not QuestionTopic.objects.exists()


def test_adding_a_topic_is_refused_to_delegates_tokens_and_the_outsider(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    delegate: User,
    guest: User,
    outsider: User,
) -> None:
    url = f"council-meetings/{session.pk}/questioning-topics/"
    body = {"title": "Chủ đề"}
    for user in (delegate, guest):
        error = assert_error(_api(client, login, user).post(url, body), 403, "permission_denied")
        assert error["message"] == RUN_REFUSED
    assert_error(_api(client, login, outsider).post(url, body), 404, "not_found")
    client.logout()
    assert_error(Api(client).post(url, body), 401, "not_authenticated")
    token = token_api(client, session.council, city_staff, [ApiScope.PETITIONS_WRITE])
    assert_error(token.post(url, body), 403, "missing_scope")
    assert not QuestionTopic.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": "Chủ đề", "respondent_ids": "1"}, "respondent_ids"),
        ({"title": "Chủ đề", "respondent_ids": ["một"]}, "respondent_ids"),
        ({"title": "Chủ đề", "petition_ids": [0]}, "petition_ids"),
        ({"title": "Chủ đề", "petition_ids": [MAX_ID + 1]}, "petition_ids"),
        ({"title": "Chủ đề", "petition_ids": list(range(1, 502))}, "petition_ids"),
        ({"title": "Chủ đề", "agenda_item_id": "abc"}, "agenda_item_id"),
    ],
)
def test_bad_topic_input_is_a_400_naming_the_field(
    client: Client, login: Login, session: Meeting, chair: User, body: Any, field: str
) -> None:
    response = _api(client, login, chair).post(
        f"council-meetings/{session.pk}/questioning-topics/", body
    )
    error = assert_error(response, 400, "invalid")
    assert error["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert set(error["fields"]) == {field}
    assert not QuestionTopic.objects.exists()


def test_a_blank_title_and_another_meetings_item_are_refused(
    client: Client, login: Login, session: Meeting, chair: User
) -> None:
    api = _api(client, login, chair)
    url = f"council-meetings/{session.pk}/questioning-topics/"
    blank = assert_error(api.post(url, {"title": "   "}), 400, "invalid")
    assert blank["fields"] == {"title": ["Trường này không được bỏ trống."]}
    other = Meeting.objects.create(
        council=session.council,
        term=session.term,
        kind=session.kind,
        number=2,
        title="Kỳ họp thứ hai",
        starts_on=session.starts_on,
        ends_on=session.ends_on,
    )
    item = AgendaItem.objects.create(meeting=other, position=1, title="Khác")
    foreign = assert_error(api.post(url, {"title": "Chủ đề", "agenda_item_id": item.pk}), 400)
    assert set(foreign["fields"]) == {"agenda_item_id"}
    assert not QuestionTopic.objects.exists()


def test_no_topic_is_added_once_the_meeting_has_ended(
    client: Client, login: Login, session: Meeting, chair: User
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.ENDED)
    refused = _api(client, login, chair).post(
        f"council-meetings/{session.pk}/questioning-topics/", {"title": "Chủ đề"}
    )
    error = assert_error(refused, 409, "not_allowed_now")
    assert error["message"] == "Cuộc họp đã kết thúc: phần chất vấn đã đóng."
    assert not QuestionTopic.objects.exists()


def test_adding_to_an_unknown_meeting_is_a_404(client: Client, login: Login, chair: User) -> None:
    api = _api(client, login, chair)
    for meeting_id in ("99999999", "abc", str(MAX_ID + 1)):
        response = api.post(f"council-meetings/{meeting_id}/questioning-topics/", {"title": "x"})
        assert_error(response, 404, "not_found")


# Editing a topic.


def test_the_chair_edits_a_topic_replacing_its_lists(
    client: Client,
    login: Login,
    session: Meeting,
    topic: QuestionTopic,
    chair: User,
    flagged: Petition,
) -> None:
    second = petition_factories.PetitionFactory(
        raised_in=flagged.raised_in, is_questioning_topic=True
    )
    response = _api(client, login, chair).put(
        f"questioning-topics/{topic.pk}/",
        {"title": "Trật tự xây dựng đô thị", "respondent_ids": [], "petition_ids": [second.pk]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == topic.pk and body["title"] == "Trật tự xây dựng đô thị"
    assert body["respondents"] == []
    assert [one["id"] for one in body["petitions"]] == [second.pk]
    topic.refresh_from_db()
    assert topic.title == "Trật tự xây dựng đô thị"
    assert not topic.respondents.exists()
    assert list(topic.petitions.all()) == [second]


def test_editing_keeps_the_topic_when_a_petition_is_refused(
    client: Client,
    login: Login,
    session: Meeting,
    topic: QuestionTopic,
    city_staff: User,
    flagged: Petition,
    unflagged: Petition,
    elsewhere: Petition,
) -> None:
    api = _api(client, login, city_staff)
    for petition in (unflagged, elsewhere):
        refused = api.put(
            f"questioning-topics/{topic.pk}/",
            {"title": "Đổi tên", "respondent_ids": [], "petition_ids": [petition.pk]},
        )
        error = assert_error(refused, 400, "invalid")
        assert error["fields"] == {"petition_ids": [PETITIONS_REFUSED]}
    topic.refresh_from_db()
    assert topic.title == "Quản lý trật tự xây dựng"
    assert list(topic.petitions.all()) == [flagged]
    assert topic.respondents.count() == 1


def test_an_edit_names_every_list(
    client: Client, login: Login, session: Meeting, topic: QuestionTopic, chair: User
) -> None:
    refused = _api(client, login, chair).put(
        f"questioning-topics/{topic.pk}/", {"title": "Chỉ đổi tên"}
    )
    error = assert_error(refused, 400, "invalid")
    assert set(error["fields"]) == {"respondent_ids", "petition_ids"}
    assert error["fields"]["petition_ids"] == ["Trường này là bắt buộc."]
    topic.refresh_from_db()
    assert topic.title == "Quản lý trật tự xây dựng"


def test_editing_is_refused_to_delegates_the_outsider_and_unknown_topics(
    client: Client,
    login: Login,
    session: Meeting,
    topic: QuestionTopic,
    city_staff: User,
    delegate: User,
    outsider: User,
) -> None:
    url = f"questioning-topics/{topic.pk}/"
    body = {"title": "Đổi tên", "respondent_ids": [], "petition_ids": []}
    error = assert_error(_api(client, login, delegate).put(url, body), 403, "permission_denied")
    assert error["message"] == RUN_REFUSED
    assert_error(_api(client, login, outsider).put(url, body), 404, "not_found")
    token = token_api(client, session.council, city_staff, [ApiScope.PETITIONS_WRITE])
    assert_error(token.put(url, body), 403, "missing_scope")
    api = _api(client, login, city_staff)
    for unknown in ("99999999", "abc", str(MAX_ID + 1)):
        missing = assert_error(api.put(f"questioning-topics/{unknown}/", body), 404, "not_found")
        assert missing["message"] == "Nội dung chất vấn này không tồn tại."
    assert_error(api.get(url), 405)
    topic.refresh_from_db()
    assert topic.title == "Quản lý trật tự xây dựng"


def test_no_topic_is_edited_once_the_meeting_has_ended(
    client: Client, login: Login, session: Meeting, topic: QuestionTopic, chair: User
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.ENDED)
    refused = _api(client, login, chair).put(
        f"questioning-topics/{topic.pk}/",
        {"title": "Đổi tên", "respondent_ids": [], "petition_ids": []},
    )
    assert_error(refused, 409, "not_allowed_now")
    topic.refresh_from_db()
    assert topic.title == "Quản lý trật tự xây dựng"


# Moving questions.


@pytest.fixture
def questions(
    session: Meeting, delegate: User, other_delegate: User, respondent: User
) -> list[Question]:
    return [
        questioning.register_question(
            meeting_id=session.pk,
            actor=asker,
            text=text,
            respondent_id=_participant(respondent, session).pk,
        )
        for asker, text in (
            (delegate, "Vì sao chậm cấp phép?"),
            (other_delegate, "Khi nào xử lý vi phạm?"),
            (delegate, "Kế hoạch năm sau thế nào?"),
        )
    ]


def _order(session: Meeting) -> list[int]:
    return list(
        Question.objects.filter(meeting=session, status=QuestionStatus.REGISTERED)
        .order_by("position", "id")
        .values_list("id", flat=True)
    )


def test_the_chair_moves_a_question_to_the_top_then_down(
    client: Client, login: Login, session: Meeting, chair: User, questions: list[Question]
) -> None:
    first, second, third = questions
    api = _api(client, login, chair)
    moved = api.post(
        f"questions/{third.pk}/move/", {"move": "top", "expected_version": third.version}
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["id"] == third.pk
    assert moved.json()["version"] == third.version + 1
    assert _order(session) == [third.pk, first.pk, second.pk]
    down = api.post(f"questions/{third.pk}/move/", {"move": "down"})
    assert down.status_code == 200
    assert _order(session) == [first.pk, third.pk, second.pk]
    up = api.post(f"questions/{second.pk}/move/", {"move": "up"})
    assert up.json()["position"] < Question.objects.get(pk=third.pk).position
    assert _order(session) == [first.pk, second.pk, third.pk]


def test_the_office_moves_questions_too(
    client: Client, login: Login, session: Meeting, city_staff: User, questions: list[Question]
) -> None:
    first, second, third = questions
    response = _api(client, login, city_staff).post(f"questions/{second.pk}/move/", {"move": "up"})
    assert response.status_code == 200
    assert _order(session) == [second.pk, first.pk, third.pk]


def test_moving_is_refused_to_the_asker_tokens_and_the_outsider(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    delegate: User,
    outsider: User,
    questions: list[Question],
) -> None:
    url = f"questions/{questions[2].pk}/move/"
    error = assert_error(_api(client, login, delegate).post(url, {"move": "top"}), 403)
    assert error["code"] == "permission_denied" and error["message"] == RUN_REFUSED
    assert_error(_api(client, login, outsider).post(url, {"move": "top"}), 404, "not_found")
    client.logout()
    assert_error(Api(client).post(url, {"move": "top"}), 401, "not_authenticated")
    token = token_api(client, session.council, city_staff, [ApiScope.PETITIONS_WRITE])
    assert_error(token.post(url, {"move": "top"}), 403, "missing_scope")
    assert _order(session) == [one.pk for one in questions]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "move"),
        ({"move": "bottom"}, "move"),
        ({"move": ["top"]}, "move"),
        ({"move": "top", "expected_version": 0}, "expected_version"),
        ({"move": "top", "expected_version": "v1"}, "expected_version"),
        ({"move": "top", "expected_version": 2**31}, "expected_version"),
    ],
)
def test_a_bad_move_is_a_400(
    client: Client,
    login: Login,
    session: Meeting,
    chair: User,
    questions: list[Question],
    body: Any,
    field: str,
) -> None:
    response = _api(client, login, chair).post(f"questions/{questions[2].pk}/move/", body)
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {field}
    assert _order(session) == [one.pk for one in questions]


def test_a_stale_version_or_a_called_question_is_a_409(
    client: Client, login: Login, session: Meeting, chair: User, questions: list[Question]
) -> None:
    first, second, third = questions
    api = _api(client, login, chair)
    stale = api.post(
        f"questions/{third.pk}/move/", {"move": "top", "expected_version": third.version + 1}
    )
    error = assert_error(stale, 409, "stale_version")
    assert error["message"].startswith("Người khác đã thay đổi bản ghi này sau khi bạn mở.")
    questioning.call_question(question_id=first.pk, actor=chair)
    called = assert_error(api.post(f"questions/{first.pk}/move/", {"move": "down"}), 409)
    assert called["code"] == "not_allowed_now"
    assert called["message"].startswith("Câu hỏi này hiện ở trạng thái")
    assert _order(session) == [second.pk, third.pk]


def test_moving_an_unknown_question_is_a_404(
    client: Client, login: Login, session: Meeting, chair: User
) -> None:
    api = _api(client, login, chair)
    for unknown in ("99999999", "abc", str(MAX_ID + 1)):
        error = assert_error(api.post(f"questions/{unknown}/move/", {"move": "up"}), 404)
        assert error["code"] == "not_found"
        assert error["message"] == "Câu hỏi này không tồn tại."


def test_a_row_of_a_hidden_meeting_answers_as_an_unknown_id(
    client: Client,
    login: Login,
    outsider: User,
    session: Meeting,
    delegate: User,
    topic: QuestionTopic,
    questions: list[Question],
) -> None:
    from hdnd.meetings.services import speaking

    item = AgendaItem.objects.create(meeting=session, title="Báo cáo kinh tế - xã hội", position=1)
    speech = speaking.request_speech(
        meeting_id=session.pk, actor=delegate, kind="speech", agenda_item_id=item.pk
    )
    api = _api(client, login, outsider)
    for hidden, unknown, text in (
        (
            f"questions/{questions[0].pk}/move/",
            "questions/99999999/move/",
            "Câu hỏi này không tồn tại.",
        ),
        (
            f"speech-requests/{speech.pk}/withdraw/",
            "speech-requests/99999999/withdraw/",
            None,
        ),
        (f"questioning-topics/{topic.pk}/", "questioning-topics/99999999/", None),
    ):
        method = "put" if hidden.startswith("questioning-topics") else "post"
        seen = api.send(method, hidden, {"move": "up", "title": "x"})
        missing = api.send(method, unknown, {"move": "up", "title": "x"})
        assert seen.status_code == missing.status_code == 404
        assert seen.json()["error"]["message"] == missing.json()["error"]["message"]
        if text is not None:
            assert seen.json()["error"]["message"] == text
