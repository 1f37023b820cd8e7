"""The questioning page, the questions panel and the exports: what each persona sees and
may do."""

import io
from collections.abc import Callable

import docx
import openpyxl
import pytest
from django.test import Client

from hdnd.accounts.models import User
from hdnd.meetings.models import Meeting, Participant, Question, QuestionTopic
from hdnd.meetings.services import questioning
from hdnd.testing import factories

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]
HTMX = {"HX-Request": "true"}


def _participant(user: User, meeting: Meeting) -> Participant:
    return Participant.objects.get(meeting=meeting, person=user.person)


def test_the_outsider_sees_nothing(
    client: Client, login: Login, session: Meeting, outsider: User
) -> None:
    login(client, outsider)
    for address in (
        f"/meetings/{session.pk}/questioning/",
        f"/meetings/{session.pk}/panels/questions/",
        f"/meetings/{session.pk}/questioning/export.xlsx",
        f"/meetings/{session.pk}/questioning/export.docx",
    ):
        assert client.get(address).status_code == 404, address


def test_the_office_adds_a_topic_and_a_delegate_registers_a_question(
    client: Client,
    login: Login,
    session: Meeting,
    city_staff: User,
    delegate: User,
    respondent: User,
) -> None:
    respondent_id = _participant(respondent, session).pk
    login(client, city_staff)
    response = client.post(
        f"/meetings/{session.pk}/questioning/topics/",
        {"title": "Trật tự đô thị", "respondents": [respondent_id]},
    )
    assert response.status_code == 302
    topic = QuestionTopic.objects.get()

    login(client, delegate)
    page = client.get(f"/meetings/{session.pk}/questioning/").content.decode()
    assert "Trật tự đô thị" in page
    assert f"/meetings/{session.pk}/questioning/questions/" in page
    assert "/questioning/topics/" not in page
    response = client.post(
        f"/meetings/{session.pk}/questioning/questions/",
        {"topic": topic.pk, "respondent": respondent_id, "text": "Vì sao chậm xử lý?"},
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.asker == _participant(delegate, session)
    assert question.topic == topic


def test_a_refused_question_keeps_what_was_typed(
    client: Client, login: Login, session: Meeting, delegate: User, respondent: User
) -> None:
    other_topic = QuestionTopic.objects.create(meeting=session, title="Chủ đề khác")
    other = Participant.objects.create(
        meeting=session,
        person=factories.PersonFactory(full_name="Ông B"),
        role="respondent",
    )
    other_topic.respondents.set([other])
    login(client, delegate)
    response = client.post(
        f"/meetings/{session.pk}/questioning/questions/",
        {
            "topic": other_topic.pk,
            "respondent": _participant(respondent, session).pk,
            "text": "Nội dung dài đã gõ",
        },
    )
    assert response.status_code == 400
    assert "Nội dung dài đã gõ" in response.content.decode()
    assert not Question.objects.exists()


def test_a_guest_cannot_register_questions(
    client: Client, login: Login, session: Meeting, guest: User, respondent: User
) -> None:
    login(client, guest)
    page = client.get(f"/meetings/{session.pk}/questioning/").content.decode()
    assert f"/meetings/{session.pk}/questioning/questions/" not in page
    response = client.post(
        f"/meetings/{session.pk}/questioning/questions/",
        {"respondent": _participant(respondent, session).pk, "text": "Câu hỏi của khách"},
    )
    assert response.status_code == 403
    assert not Question.objects.exists()


def test_the_chair_calls_answers_and_a_delegate_follows_up(
    client: Client,
    login: Login,
    session: Meeting,
    chair: User,
    delegate: User,
    respondent: User,
) -> None:
    question = questioning.register_question(
        meeting_id=session.pk,
        actor=delegate,
        text="Vì sao chậm cấp phép?",
        respondent_id=_participant(respondent, session).pk,
    )
    login(client, delegate)
    response = client.post(f"/meetings/questions/{question.pk}/call/")
    assert response.status_code == 403

    login(client, chair)
    panel = client.get(f"/meetings/{session.pk}/panels/questions/", headers=HTMX)
    assert f"/meetings/questions/{question.pk}/call/" in panel.content.decode()
    response = client.post(
        f"/meetings/questions/{question.pk}/call/", {"version": question.version}, headers=HTMX
    )
    assert response.status_code == 200
    assert f"/meetings/questions/{question.pk}/answer/" in response.content.decode()
    response = client.post(
        f"/meetings/questions/{question.pk}/answer/", {"answer": "Đã xử lý."}, headers=HTMX
    )
    question.refresh_from_db()
    assert question.status == "answered"
    assert question.answer == "Đã xử lý."

    login(client, delegate)
    page = client.get(f"/meetings/{session.pk}/questioning/").content.decode()
    assert f"/meetings/questions/{question.pk}/follow-up/" in page
    response = client.post(
        f"/meetings/questions/{question.pk}/follow-up/",
        {"kind": "follow_up", "text": "Đề nghị nói rõ thời hạn"},
    )
    assert response.status_code == 302
    follow_up = Question.objects.get(follows=question)
    assert follow_up.kind == "follow_up"
    page = client.get(f"/meetings/{session.pk}/questioning/").content.decode()
    assert "Đề nghị nói rõ thời hạn" in page


def test_the_exports_download(
    client: Client, login: Login, session: Meeting, delegate: User, respondent: User
) -> None:
    questioning.register_question(
        meeting_id=session.pk,
        actor=delegate,
        text="Câu hỏi xuất file",
        respondent_id=_participant(respondent, session).pk,
    )
    login(client, delegate)
    response = client.get(f"/meetings/{session.pk}/questioning/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert "Câu hỏi xuất file" in [
        cell for row in sheet.iter_rows(values_only=True) for cell in row
    ]

    response = client.get(f"/meetings/{session.pk}/questioning/export.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Câu hỏi xuất file" in texts
