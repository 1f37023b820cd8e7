"""The agenda: nested order and numbering, moving, one current item at a time, and the
refusals."""

import pytest
from django.db import IntegrityError, transaction

from hdnd.accounts.models import User
from hdnd.core.errors import DomainError
from hdnd.meetings.models import (
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Participant,
    SpeechKind,
    SpeechRequest,
)
from hdnd.meetings.queries.agenda import agenda_rows, current_item
from hdnd.meetings.services import agenda as services
from hdnd.meetings.services.common import NotAllowedNow

pytestmark = pytest.mark.django_db


def numbered(meeting: Meeting) -> list[tuple[str, str]]:
    return [(row.number, row.item.title) for row in agenda_rows(meeting)]


@pytest.fixture
def agenda(session: Meeting, city_staff: User) -> dict[str, AgendaItem]:
    def add(title: str, parent: AgendaItem | None = None) -> AgendaItem:
        return services.add_item(
            meeting_id=session.pk, actor=city_staff, title=title, parent=parent
        )

    items: dict[str, AgendaItem] = {}
    items["A"] = add("Khai mạc")
    items["B"] = add("Kinh tế - xã hội")
    items["B1"] = add("Báo cáo của UBND", items["B"])
    items["B2"] = add("Thẩm tra của Ban", items["B"])
    items["C"] = add("Bế mạc")
    return items


def test_the_agenda_reads_depth_first_with_nested_numbers(
    session: Meeting, agenda: dict[str, AgendaItem]
) -> None:
    assert numbered(session) == [
        ("1", "Khai mạc"),
        ("2", "Kinh tế - xã hội"),
        ("2.1", "Báo cáo của UBND"),
        ("2.2", "Thẩm tra của Ban"),
        ("3", "Bế mạc"),
    ]


def test_moving_swaps_siblings_and_a_position_reorders_them(
    session: Meeting, city_staff: User, agenda: dict[str, AgendaItem]
) -> None:
    services.move_item(item_id=agenda["B2"].pk, actor=city_staff, direction="up")
    assert numbered(session)[2:4] == [("2.1", "Thẩm tra của Ban"), ("2.2", "Báo cáo của UBND")]
    # The first stays first.
    services.move_item(item_id=agenda["A"].pk, actor=city_staff, direction="up")
    assert numbered(session)[0] == ("1", "Khai mạc")
    services.set_item_position(item_id=agenda["C"].pk, actor=city_staff, position=1)
    assert [title for number, title in numbered(session) if "." not in number] == [
        "Bế mạc",
        "Khai mạc",
        "Kinh tế - xã hội",
    ]
    with pytest.raises(DomainError):
        services.set_item_position(item_id=agenda["C"].pk, actor=city_staff, position=4)
    with pytest.raises(DomainError):
        services.move_item(item_id=agenda["C"].pk, actor=city_staff, direction="sideways")


def test_a_new_parent_puts_the_item_last_there_and_cycles_are_refused(
    session: Meeting, city_staff: User, agenda: dict[str, AgendaItem]
) -> None:
    services.update_item(item_id=agenda["C"].pk, actor=city_staff, changes={"parent": agenda["B"]})
    assert numbered(session)[-1] == ("2.3", "Bế mạc")
    with pytest.raises(DomainError) as error:
        services.update_item(
            item_id=agenda["B"].pk, actor=city_staff, changes={"parent": agenda["B1"]}
        )
    assert "parent" in error.value.fields


def test_items_nest_at_most_three_deep(
    session: Meeting, city_staff: User, agenda: dict[str, AgendaItem]
) -> None:
    deep = services.add_item(
        meeting_id=session.pk, actor=city_staff, title="2.1.1", parent=agenda["B1"]
    )
    with pytest.raises(DomainError):
        services.add_item(meeting_id=session.pk, actor=city_staff, title="too deep", parent=deep)


def test_only_one_item_is_current_and_the_previous_one_is_done(
    session: Meeting, chair: User, agenda: dict[str, AgendaItem]
) -> None:
    services.set_current_item(meeting_id=session.pk, item_id=agenda["A"].pk, actor=chair)
    services.set_current_item(meeting_id=session.pk, item_id=agenda["B1"].pk, actor=chair)
    statuses = dict(AgendaItem.objects.filter(meeting=session).values_list("title", "status"))
    assert statuses["Khai mạc"] == ItemStatus.DONE
    assert statuses["Báo cáo của UBND"] == ItemStatus.CURRENT
    assert list(statuses.values()).count(ItemStatus.CURRENT) == 1
    row = current_item(session)
    assert row is not None and row.number == "2.1"
    services.finish_current_item(meeting_id=session.pk, actor=chair)
    assert current_item(session) is None
    with pytest.raises(NotAllowedNow):
        services.finish_current_item(meeting_id=session.pk, actor=chair)


def test_the_database_allows_one_current_item(
    session: Meeting, agenda: dict[str, AgendaItem]
) -> None:
    AgendaItem.objects.filter(pk=agenda["A"].pk).update(status=ItemStatus.CURRENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=agenda["B"].pk).update(status=ItemStatus.CURRENT)


def test_items_are_taken_up_only_while_the_meeting_runs(
    session: Meeting, chair: User, agenda: dict[str, AgendaItem]
) -> None:
    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.PLANNED)
    with pytest.raises(NotAllowedNow):
        services.set_current_item(meeting_id=session.pk, item_id=agenda["A"].pk, actor=chair)


def test_removing_an_item_takes_its_children_unless_something_refers_to_them(
    session: Meeting, city_staff: User, delegate: User, agenda: dict[str, AgendaItem]
) -> None:
    participant = Participant.objects.get(meeting=session, person=delegate.person)
    SpeechRequest.objects.create(
        agenda_item=agenda["B2"], participant=participant, kind=SpeechKind.SPEECH, limit_seconds=60
    )
    with pytest.raises(NotAllowedNow):
        services.remove_item(item_id=agenda["B"].pk, actor=city_staff)
    services.remove_item(item_id=agenda["A"].pk, actor=city_staff)
    assert numbered(session)[0] == ("1", "Kinh tế - xã hội")
    services.set_current_item(meeting_id=session.pk, item_id=agenda["C"].pk, actor=city_staff)
    with pytest.raises(NotAllowedNow):
        services.remove_item(item_id=agenda["C"].pk, actor=city_staff)


def test_an_item_of_another_meeting_or_an_ended_meeting_is_refused(
    session: Meeting, city_staff: User, agenda: dict[str, AgendaItem]
) -> None:
    with pytest.raises(DomainError) as error:
        services.update_item(
            item_id=agenda["A"].pk, actor=city_staff, changes={"title": "", "planned_minutes": 0}
        )
    assert {"title", "planned_minutes"} <= set(error.value.fields)
    Meeting.objects.filter(pk=session.pk).update(status=MeetingStatus.ENDED)
    with pytest.raises(NotAllowedNow):
        services.add_item(meeting_id=session.pk, actor=city_staff, title="Muộn")
