"""Questioning: topics, questions to a named respondent, follow-ups and debate, the chair
calling and recording answers, and the summary exports."""

import datetime as dt
import io
from typing import Any

import docx
import openpyxl
import pytest
import time_machine
from django.db import IntegrityError, transaction

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError, PermissionDenied
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.meetings.access import participant_of
from hdnd.meetings.models import (
    Meeting,
    MeetingStatus,
    Participant,
    Question,
    QuestionStatus,
    QuestionTopic,
)
from hdnd.meetings.queries.questioning import flat_rows, questioning_blocks
from hdnd.meetings.queries.questioning_export import questioning_docx, questioning_xlsx
from hdnd.meetings.services import questioning
from hdnd.meetings.services.common import NotAllowedNow
from hdnd.testing import factories, petition_factories

pytestmark = pytest.mark.django_db


def _participant(user: User, meeting: Meeting) -> Participant:
    found = participant_of(user, meeting)
    assert found is not None
    return found


@pytest.fixture
def topic(session: Meeting, chair: User, respondent: User) -> QuestionTopic:
    return questioning.add_topic(
        meeting_id=session.pk,
        actor=chair,
        title="Quản lý trật tự xây dựng",
        respondent_ids=[_participant(respondent, session).pk],
    )


def _ask(user: User, meeting: Meeting, respondent: User, **extra: Any) -> Question:
    return questioning.register_question(
        meeting_id=meeting.pk,
        actor=user,
        text=extra.pop("text", "Vì sao công trình vi phạm chưa được xử lý?"),
        respondent_id=_participant(respondent, meeting).pk,
        **extra,
    )


def test_the_office_adds_a_topic_with_respondents(
    session: Meeting, city_staff: User, respondent: User
) -> None:
    topic = questioning.add_topic(
        meeting_id=session.pk,
        actor=city_staff,
        title="  Ô nhiễm môi trường  ",
        respondent_ids=[_participant(respondent, session).pk],
    )
    assert topic.title == "Ô nhiễm môi trường"
    assert list(topic.respondents.all()) == [_participant(respondent, session)]
    assert topic.position == 1


def test_a_delegate_cannot_add_a_topic(session: Meeting, delegate: User) -> None:
    with pytest.raises(PermissionDenied):
        questioning.add_topic(meeting_id=session.pk, actor=delegate, title="Chủ đề")


def test_only_respondents_answer_on_a_topic(session: Meeting, chair: User, delegate: User) -> None:
    with pytest.raises(DomainError) as refused:
        questioning.add_topic(
            meeting_id=session.pk,
            actor=chair,
            title="Chủ đề",
            respondent_ids=[_participant(delegate, session).pk],
        )
    assert "respondents" in refused.value.fields
    assert not QuestionTopic.objects.exists()


def test_a_topic_links_flagged_petitions_of_the_same_council(
    session: Meeting, chair: User, commune_a: Any
) -> None:
    cycle = petition_factories.SessionCycleFactory(term=session.term)
    flagged = petition_factories.PetitionFactory(raised_in=cycle, is_questioning_topic=True)
    unflagged = petition_factories.PetitionFactory(raised_in=cycle)
    elsewhere = petition_factories.PetitionFactory(
        raised_in__term__council=commune_a, is_questioning_topic=True
    )
    topic = questioning.add_topic(
        meeting_id=session.pk, actor=chair, title="Kiến nghị cử tri", petition_ids=[flagged.pk]
    )
    assert list(topic.petitions.all()) == [flagged]
    for petition in (unflagged, elsewhere):
        with pytest.raises(DomainError) as refused:
            questioning.edit_topic(
                topic_id=topic.pk,
                actor=chair,
                title="Kiến nghị cử tri",
                respondent_ids=[],
                petition_ids=[petition.pk],
            )
        assert "petitions" in refused.value.fields
    assert list(topic.petitions.all()) == [flagged]


def test_a_delegate_registers_a_question_in_advance(
    session: Meeting, topic: QuestionTopic, delegate: User, respondent: User
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.PLANNED)
    question = _ask(delegate, session, respondent, topic_id=topic.pk)
    assert question.asker == _participant(delegate, session)
    assert question.status == QuestionStatus.REGISTERED
    assert question.registered_live is False
    assert question.topic == topic


def test_a_question_during_the_meeting_is_registered_live(
    session: Meeting, delegate: User, respondent: User
) -> None:
    question = _ask(delegate, session, respondent)
    assert question.registered_live is True


def test_the_office_registers_for_a_delegate(
    session: Meeting, city_staff: User, delegate: User, respondent: User
) -> None:
    question = _ask(city_staff, session, respondent, asker_id=_participant(delegate, session).pk)
    assert question.asker == _participant(delegate, session)


def test_the_office_needs_a_delegate_to_ask_for(
    session: Meeting, city_staff: User, respondent: User, guest: User
) -> None:
    with pytest.raises(PermissionDenied):
        _ask(city_staff, session, respondent)
    with pytest.raises(PermissionDenied):
        _ask(city_staff, session, respondent, asker_id=_participant(guest, session).pk)


def test_a_delegate_cannot_register_for_another(
    session: Meeting, delegate: User, other_delegate: User, respondent: User
) -> None:
    with pytest.raises(PermissionDenied):
        _ask(delegate, session, respondent, asker_id=_participant(other_delegate, session).pk)


def test_guests_and_respondents_cannot_register_questions(
    session: Meeting, guest: User, respondent: User
) -> None:
    for user in (guest, respondent):
        with pytest.raises(PermissionDenied) as refused:
            _ask(user, session, respondent)
        assert "Khách mời" in refused.value.message
    assert not Question.objects.exists()


def test_a_question_goes_to_a_respondent(
    session: Meeting, delegate: User, other_delegate: User
) -> None:
    with pytest.raises(DomainError) as refused:
        _ask(delegate, session, other_delegate)
    assert "respondent" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        questioning.register_question(meeting_id=session.pk, actor=delegate, text="Câu hỏi")
    assert "respondent" in refused.value.fields


def test_the_respondent_must_answer_on_the_topic(
    session: Meeting, topic: QuestionTopic, delegate: User, city_council: Any
) -> None:
    other = Participant.objects.create(
        meeting=session,
        person=factories.PersonFactory(full_name="Giám đốc Sở khác"),
        role="respondent",
    )
    with pytest.raises(DomainError) as refused:
        questioning.register_question(
            meeting_id=session.pk,
            actor=delegate,
            text="Câu hỏi",
            respondent_id=other.pk,
            topic_id=topic.pk,
        )
    assert "respondent" in refused.value.fields


def test_empty_or_long_text_is_refused(session: Meeting, delegate: User, respondent: User) -> None:
    for text in ("   ", "x" * 5001):
        with pytest.raises(DomainError) as refused:
            _ask(delegate, session, respondent, text=text)
        assert "text" in refused.value.fields


def test_a_follow_up_needs_a_parent(session: Meeting, delegate: User, respondent: User) -> None:
    with pytest.raises(DomainError) as refused:
        _ask(delegate, session, respondent, kind="follow_up")
    assert "follows" in refused.value.fields
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(
            meeting=session,
            kind="debate",
            asker=_participant(delegate, session),
            respondent=_participant(respondent, session),
            text="Tranh luận",
        )


def test_a_question_follows_nothing(session: Meeting, delegate: User, respondent: User) -> None:
    first = _ask(delegate, session, respondent)
    with pytest.raises(DomainError) as refused:
        _ask(delegate, session, respondent, follows_id=first.pk)
    assert "follows" in refused.value.fields


def test_follow_ups_and_debate_link_to_the_question_they_follow(
    session: Meeting,
    topic: QuestionTopic,
    delegate: User,
    other_delegate: User,
    chair: User,
    respondent: User,
) -> None:
    question = _ask(delegate, session, respondent, topic_id=topic.pk)
    with pytest.raises(NotAllowedNow):
        questioning.register_question(
            meeting_id=session.pk,
            actor=delegate,
            text="Tái chất vấn",
            kind="follow_up",
            follows_id=question.pk,
        )
    questioning.call_question(question_id=question.pk, actor=chair)
    follow_up = questioning.register_question(
        meeting_id=session.pk,
        actor=delegate,
        text="Đề nghị nói rõ thời hạn xử lý",
        kind="follow_up",
        follows_id=question.pk,
    )
    debate = questioning.register_question(
        meeting_id=session.pk,
        actor=other_delegate,
        text="Tôi chưa đồng tình",
        kind="debate",
        follows_id=question.pk,
    )
    assert follow_up.follows == question
    assert follow_up.topic == topic
    assert follow_up.respondent == question.respondent
    assert debate.follows == question
    [block] = questioning_blocks(session)
    assert block.topic == topic
    assert [node.question for node in block.questions] == [question]
    assert [node.question for node in block.questions[0].follow_ups] == [follow_up, debate]
    assert block.count == 3


def test_calling_and_answering_times_the_answer(
    session: Meeting, delegate: User, chair: User, respondent: User
) -> None:
    question = _ask(delegate, session, respondent)
    start = dt.datetime(2026, 7, 1, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        questioning.call_question(
            question_id=question.pk, actor=chair, expected_version=question.version
        )
    question.refresh_from_db()
    assert question.status == QuestionStatus.ASKED
    assert question.asked_at == start
    with time_machine.travel(start + dt.timedelta(minutes=4, seconds=5), tick=False):
        questioning.record_answer(
            question_id=question.pk,
            actor=chair,
            answer="Sở sẽ xử lý dứt điểm trong quý III.",
            expected_version=question.version,
        )
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answer_seconds == 245
    assert question.answer == "Sở sẽ xử lý dứt điểm trong quý III."


def test_the_answer_text_is_optional(
    session: Meeting, delegate: User, chair: User, respondent: User
) -> None:
    question = _ask(delegate, session, respondent)
    questioning.call_question(question_id=question.pk, actor=chair)
    answered = questioning.record_answer(question_id=question.pk, actor=chair)
    assert answered.status == QuestionStatus.ANSWERED
    assert answered.answer == ""


def test_one_question_runs_at_a_time(
    session: Meeting, delegate: User, other_delegate: User, chair: User, respondent: User
) -> None:
    first = _ask(delegate, session, respondent)
    second = _ask(other_delegate, session, respondent)
    questioning.call_question(question_id=first.pk, actor=chair)
    with pytest.raises(NotAllowedNow):
        questioning.call_question(question_id=second.pk, actor=chair)
    with pytest.raises(NotAllowedNow):
        questioning.record_answer(question_id=second.pk, actor=chair)
    questioning.record_answer(question_id=first.pk, actor=chair)
    questioning.call_question(question_id=second.pk, actor=chair)


def test_a_stale_version_is_refused(
    session: Meeting, delegate: User, chair: User, respondent: User
) -> None:
    question = _ask(delegate, session, respondent)
    questioning.call_question(question_id=question.pk, actor=chair, expected_version=1)
    with pytest.raises(StaleVersion):
        questioning.record_answer(question_id=question.pk, actor=chair, expected_version=1)


def test_a_delegate_cannot_call_or_answer(
    session: Meeting, delegate: User, chair: User, respondent: User
) -> None:
    question = _ask(delegate, session, respondent)
    with pytest.raises(PermissionDenied):
        questioning.call_question(question_id=question.pk, actor=delegate)
    questioning.call_question(question_id=question.pk, actor=chair)
    with pytest.raises(PermissionDenied):
        questioning.record_answer(question_id=question.pk, actor=respondent)


def test_withdrawing_a_question(
    session: Meeting, delegate: User, other_delegate: User, chair: User, respondent: User
) -> None:
    question = _ask(delegate, session, respondent)
    with pytest.raises(PermissionDenied):
        questioning.withdraw_question(question_id=question.pk, actor=other_delegate)
    questioning.withdraw_question(question_id=question.pk, actor=delegate)
    question.refresh_from_db()
    assert question.status == QuestionStatus.WITHDRAWN
    with pytest.raises(NotAllowedNow):
        questioning.call_question(question_id=question.pk, actor=chair)
    asked = _ask(delegate, session, respondent)
    questioning.call_question(question_id=asked.pk, actor=chair)
    with pytest.raises(NotAllowedNow):
        questioning.withdraw_question(question_id=asked.pk, actor=delegate)


def test_the_chair_orders_the_questions(
    session: Meeting, delegate: User, other_delegate: User, chair: User, respondent: User
) -> None:
    first = _ask(delegate, session, respondent)
    second = _ask(other_delegate, session, respondent)
    third = _ask(chair, session, respondent)
    questioning.move_question(question_id=third.pk, actor=chair, move="top")
    questioning.move_question(question_id=first.pk, actor=chair, move="down")
    order = list(
        Question.objects.filter(status="registered")
        .order_by("position")
        .values_list("pk", flat=True)
    )
    assert order == [third.pk, second.pk, first.pk]
    with pytest.raises(PermissionDenied):
        questioning.move_question(question_id=first.pk, actor=delegate, move="up")


def test_every_change_is_recorded_and_announced(
    session: Meeting,
    delegate: User,
    chair: User,
    respondent: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sent: list[Any] = []
    monkeypatch.setattr(
        "hdnd.meetings.live.publish", lambda meeting_id, topics: sent.append(topics)
    )
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(delegate, session, respondent)
        questioning.call_question(question_id=question.pk, actor=chair)
        questioning.record_answer(question_id=question.pk, actor=chair)
    assert sent == [("questions",)] * 3
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "meeting.questioning.register",
        "meeting.questioning.call",
        "meeting.questioning.answer",
    } <= actions


# The exports.


@pytest.fixture
def answered(
    session: Meeting, topic: QuestionTopic, delegate: User, chair: User, respondent: User
) -> Question:
    question = _ask(delegate, session, respondent, topic_id=topic.pk, text="=Câu hỏi về cấp phép")
    start = dt.datetime(2026, 7, 1, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        questioning.call_question(question_id=question.pk, actor=chair)
    with time_machine.travel(start + dt.timedelta(seconds=125), tick=False):
        questioning.record_answer(question_id=question.pk, actor=chair, answer="Đã cấp phép.")
    questioning.register_question(
        meeting_id=session.pk,
        actor=delegate,
        text="Tái chất vấn về thời hạn",
        kind="follow_up",
        follows_id=question.pk,
    )
    return question


def test_the_xlsx_summary_lists_each_question_by_topic(
    session: Meeting, answered: Question
) -> None:
    cycle = petition_factories.SessionCycleFactory(term=session.term)
    flagged = petition_factories.PetitionFactory(
        raised_in=cycle, is_questioning_topic=True, title="Ngập úng đường Nguyễn Trãi"
    )
    assert answered.topic is not None
    answered.topic.petitions.add(flagged)
    workbook = openpyxl.load_workbook(io.BytesIO(questioning_xlsx(session)))
    sheet = workbook.active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert session.title in str(rows[0][0])
    header = rows[2]
    assert header[:6] == [
        "STT",
        "Nhóm vấn đề",
        "Loại",
        "Người chất vấn",
        "Người trả lời",
        "Nội dung chất vấn",
    ]
    question_row, follow_up_row = rows[3], rows[4]
    assert question_row[0] == "1"
    assert question_row[1] == "Quản lý trật tự xây dựng"
    assert question_row[2] == "Chất vấn"
    assert question_row[3] == "Trần Văn Đại Biểu 1"
    assert "Phạm Văn Giám Đốc" in str(question_row[4])
    # Typed text is never a formula.
    assert question_row[5] == "=Câu hỏi về cấp phép"
    assert question_row[7] == "Đã trả lời"
    assert question_row[10] == "2 phút 05 giây"
    assert question_row[11] == "Đã cấp phép."
    assert question_row[12] == f"{flagged.code} ({flagged.title})"
    assert follow_up_row[0] == "1.1"
    assert not follow_up_row[12]  # the petitions are on the question that opens the topic
    assert follow_up_row[2] == "Tái chất vấn"
    assert follow_up_row[7] == "Đã đăng ký"


def test_the_docx_summary_has_a_table_per_topic(session: Meeting, answered: Question) -> None:
    document = docx.Document(io.BytesIO(questioning_docx(session)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "1. Quản lý trật tự xây dựng" in text
    assert "Người trả lời: Phạm Văn Giám Đốc (Giám đốc Sở Xây dựng)." in text
    table = document.tables[-2]  # the last is the signature block
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0][:3] == ["STT", "Loại", "Người chất vấn"]
    assert cells[1][2] == "Trần Văn Đại Biểu 1"
    assert cells[1][5] == "Đã trả lời"
    assert cells[1][6] == "2 phút 05 giây"
    assert cells[2][1] == "Tái chất vấn"


def test_the_summary_of_a_meeting_without_questions(session: Meeting) -> None:
    document = docx.Document(io.BytesIO(questioning_docx(session)))
    assert any("Không có câu hỏi" in one.text for one in document.paragraphs)
    assert flat_rows(questioning_blocks(session)) == []


def test_the_petition_page_says_where_it_was_taken_up(
    session: Meeting, topic: QuestionTopic, city_staff: User, client: Any, login: Any
) -> None:
    cycle = petition_factories.SessionCycleFactory(term=session.term)
    flagged = petition_factories.PetitionFactory(raised_in=cycle, is_questioning_topic=True)
    topic.petitions.add(flagged)
    login(client, city_staff)
    page = client.get(f"/petitions/p/{flagged.pk}/").content.decode()
    assert f'href="/public/meetings/{session.pk}/"' in page
    assert "Quản lý trật tự xây dựng" in page
    # A closed meeting's questioning is not told there.
    Meeting.objects.filter(pk=session.pk).update(is_closed=True)
    page = client.get(f"/petitions/p/{flagged.pk}/").content.decode()
    assert f'href="/public/meetings/{session.pk}/"' not in page
