"""Written consultations: the members asked are frozen at the opening, one answer each
(changeable until the close or the deadline), the tally counts on ALL members asked."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError, PermissionDenied
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Council, Membership
from hdnd.meetings import access as meeting_access
from hdnd.meetings.models import (
    Consultation,
    ConsultationChoice,
    ConsultationResponse,
    ConsultationStatus,
)
from hdnd.meetings.queries import consultations as queries
from hdnd.meetings.services import consultations as services
from hdnd.meetings.services.common import NotAllowedNow
from hdnd.testing.meeting_fixtures import MEMBER_COUNT


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def in_days(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def prepare(council: Council, actor: User, *, deadline: dt.datetime | None = None) -> Consultation:
    return services.create_consultation(
        council_id=council.pk,
        title="Lấy ý kiến về điều chỉnh dự toán",
        question="Đồng ý điều chỉnh dự toán chi đầu tư công năm 2027?",
        deadline=deadline or in_days(7),
        actor=actor,
    )


@pytest.fixture
def consultation(
    city_council: Council, members: list[Membership], city_staff: User
) -> Consultation:
    return prepare(city_council, city_staff)


@pytest.fixture
def opened(consultation: Consultation, city_staff: User) -> Consultation:
    return services.open_consultation(
        consultation_id=consultation.pk, expected_version=consultation.version, actor=city_staff
    )


def seat_user(seat: Membership) -> User:
    return User.objects.get(person=seat.person)


def test_opening_freezes_the_members_in_force(
    opened: Consultation, members: list[Membership], city_staff: User
) -> None:
    assert opened.status == ConsultationStatus.OPEN
    assert opened.total_members == MEMBER_COUNT
    # A seat ending later does not change the base of the percentages.
    Membership.objects.filter(pk=members[-1].pk).update(end_date=timezone.localdate())
    opened.refresh_from_db()
    assert queries.tally(opened).total_members == MEMBER_COUNT


def test_a_draft_needs_a_future_deadline_and_a_question(
    city_council: Council, members: list[Membership], city_staff: User
) -> None:
    with pytest.raises(DomainError) as refused:
        services.create_consultation(
            council_id=city_council.pk,
            title="",
            question=" ",
            deadline=in_days(-1),
            actor=city_staff,
        )
    assert set(refused.value.fields) == {"title", "question", "deadline"}
    assert not Consultation.objects.exists()


def test_members_answer_once_and_may_change_until_closed(
    opened: Consultation, delegate: User, city_staff: User
) -> None:
    first = services.answer_consultation(
        consultation_id=opened.pk, user=delegate, choice=ConsultationChoice.AGREE
    )
    changed = services.answer_consultation(
        consultation_id=opened.pk,
        user=delegate,
        choice=ConsultationChoice.OTHER,
        comment="Đề nghị giảm 10%",
    )
    assert changed.pk == first.pk
    assert ConsultationResponse.objects.get().choice == ConsultationChoice.OTHER
    opened.refresh_from_db()
    services.close_consultation(
        consultation_id=opened.pk, expected_version=opened.version, actor=city_staff, early=True
    )
    with pytest.raises(NotAllowedNow):
        services.answer_consultation(
            consultation_id=opened.pk, user=delegate, choice=ConsultationChoice.AGREE
        )
    assert ConsultationResponse.objects.get().choice == ConsultationChoice.OTHER


def test_the_database_holds_one_answer_per_member(opened: Consultation, delegate: User) -> None:
    response = services.answer_consultation(
        consultation_id=opened.pk, user=delegate, choice=ConsultationChoice.AGREE
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationResponse.objects.create(
            consultation=opened,
            membership=response.membership,
            choice=ConsultationChoice.DISAGREE,
            responded_at=timezone.now(),
        )


def test_another_opinion_needs_a_comment(
    opened: Consultation, delegate: User, members: list[Membership]
) -> None:
    with pytest.raises(DomainError) as refused:
        services.answer_consultation(
            consultation_id=opened.pk, user=delegate, choice=ConsultationChoice.OTHER, comment=" "
        )
    assert "comment" in refused.value.fields
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationResponse.objects.create(
            consultation=opened,
            membership=members[1],
            choice=ConsultationChoice.OTHER,
            responded_at=timezone.now(),
        )


def test_answers_stop_at_the_deadline(opened: Consultation, delegate: User) -> None:
    with time_machine.travel(opened.deadline + dt.timedelta(minutes=1)):
        assert not queries.accepts_answers(opened)
        with pytest.raises(NotAllowedNow):
            services.answer_consultation(
                consultation_id=opened.pk, user=delegate, choice=ConsultationChoice.AGREE
            )
    assert not ConsultationResponse.objects.exists()


def test_only_members_answer(
    opened: Consultation, guest: User, city_staff: User, outsider: User
) -> None:
    for user in (guest, city_staff, outsider):
        with pytest.raises(PermissionDenied):
            services.answer_consultation(
                consultation_id=opened.pk, user=user, choice=ConsultationChoice.AGREE
            )


def test_a_draft_takes_no_answers_and_a_stale_open_is_refused(
    consultation: Consultation, delegate: User, city_staff: User
) -> None:
    with pytest.raises(NotAllowedNow):
        services.answer_consultation(
            consultation_id=consultation.pk, user=delegate, choice=ConsultationChoice.AGREE
        )
    with pytest.raises(StaleVersion):
        services.open_consultation(
            consultation_id=consultation.pk,
            expected_version=consultation.version + 1,
            actor=city_staff,
        )


def test_closing_tallies_on_all_the_members_asked(
    opened: Consultation, members: list[Membership], city_staff: User
) -> None:
    answers = [ConsultationChoice.AGREE] * 6 + [ConsultationChoice.DISAGREE] * 2
    for seat, choice in zip(members, answers, strict=False):
        services.answer_consultation(consultation_id=opened.pk, user=seat_user(seat), choice=choice)
    services.answer_consultation(
        consultation_id=opened.pk,
        user=seat_user(members[8]),
        choice=ConsultationChoice.OTHER,
        comment="Cần thêm thông tin",
    )
    missing = queries.members_not_answered(opened)
    assert [seat.pk for seat in missing] == [members[9].pk]
    opened.refresh_from_db()
    closed = services.close_consultation(
        consultation_id=opened.pk, expected_version=opened.version, actor=city_staff, early=True
    )
    assert closed.status == ConsultationStatus.CLOSED
    tally = queries.tally(closed)
    assert tally.total_members == 10
    assert tally.count(ConsultationChoice.AGREE) == 6
    assert tally.count(ConsultationChoice.DISAGREE) == 2
    assert tally.count(ConsultationChoice.OTHER) == 1
    assert tally.not_answered == 1
    assert [one.percent for one in tally.choices] == [
        Decimal("60.00"),
        Decimal("20.00"),
        Decimal("10.00"),
    ]
    assert tally.not_answered_percent == Decimal("10.00")
    with pytest.raises(NotAllowedNow):
        services.close_consultation(
            consultation_id=closed.pk, expected_version=None, actor=city_staff
        )


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(0, 0, "0.00"), (1, 3, "33.33"), (2, 3, "66.67"), (1, 8, "12.50"), (7, 7, "100.00")],
)
def test_percentages_round_half_up(count: int, total: int, expected: str) -> None:
    assert queries.percent(count, total) == Decimal(expected)


def test_results_are_the_offices_until_closed(
    opened: Consultation, delegate: User, city_staff: User
) -> None:
    assert meeting_access.may_see_results(city_staff, opened)
    assert not meeting_access.may_see_results(delegate, opened)
    opened.refresh_from_db()
    closed = services.close_consultation(
        consultation_id=opened.pk, expected_version=opened.version, actor=city_staff, early=True
    )
    assert meeting_access.may_see_results(delegate, closed)


def test_who_has_not_answered_is_listed_as_official_lists_are(
    city_council: Council, members: list[Membership], city_staff: User
) -> None:
    from hdnd.lib.vietnamese import collation_key
    from hdnd.testing import factories

    # Given names that code-point order would misplace (Đ after Z, "Ánh" after "Anh").
    term = members[0].term
    for name in ("Đỗ Văn Đức", "Phạm Thị Ánh", "Lê Văn Anh", "Vũ Thị Dung"):
        factories.MembershipFactory(term=term, person__full_name=name)
    draft = prepare(city_council, city_staff)
    opened = services.open_consultation(
        consultation_id=draft.pk, expected_version=draft.version, actor=city_staff
    )
    names = [seat.person.full_name for seat in queries.members_not_answered(opened)]
    expected = sorted(
        names, key=lambda name: (collation_key(name.rsplit(" ", 1)[-1]), collation_key(name))
    )
    assert names == expected
    assert names.index("Lê Văn Anh") < names.index("Phạm Thị Ánh") < names.index("Vũ Thị Dung")
    assert names.index("Vũ Thị Dung") < names.index("Đỗ Văn Đức")


def test_closing_before_the_deadline_while_members_have_not_answered_needs_a_say_so(
    opened: Consultation, city_staff: User
) -> None:
    assert queries.closes_early(opened)
    with pytest.raises(NotAllowedNow):
        services.close_consultation(
            consultation_id=opened.pk, expected_version=opened.version, actor=city_staff
        )
    opened.refresh_from_db()
    assert opened.status == ConsultationStatus.OPEN
    closed = services.close_consultation(
        consultation_id=opened.pk, expected_version=opened.version, actor=city_staff, early=True
    )
    assert closed.status == ConsultationStatus.CLOSED
    event = AuditEvent.objects.filter(action="consultation.close").get()
    assert event.changes["early"] is True
    # Closed: nothing is left to confirm.
    assert not queries.closes_early(closed)
