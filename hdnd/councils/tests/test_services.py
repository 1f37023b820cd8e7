import datetime as dt

import pytest

from hdnd.core.errors import Conflict, DomainError
from hdnd.core.models import AuditEvent
from hdnd.councils.models import CommitteeRole, Membership, Position
from hdnd.councils.services.agencies import add_agency_official, create_agency
from hdnd.councils.services.committees import (
    add_committee_seat,
    add_group_member,
    create_committee,
    create_delegate_group,
)
from hdnd.councils.services.memberships import add_membership, change_position, end_membership
from hdnd.councils.services.people import create_person, update_person
from hdnd.councils.services.terms import create_term
from hdnd.testing import factories

D = dt.date


@pytest.fixture
def term(city_council):
    return factories.TermFactory(council=city_council)


@pytest.fixture
def person(db):
    return factories.PersonFactory(full_name="Trần Thị Hoà")


def test_it_creates_a_person_with_a_normalised_and_folded_name(city_staff):
    person = create_person(actor=city_staff, full_name="  Trần   Thị Hoà ")
    assert person.full_name == "Trần Thị Hòa"
    assert person.search_text == "tran thi hoa"
    event = AuditEvent.objects.get(action="councils.person.create")
    assert event.actor == city_staff


def test_it_refuses_an_empty_name(city_staff):
    with pytest.raises(DomainError) as error:
        create_person(actor=city_staff, full_name="   ")
    assert "full_name" in error.value.fields


def test_it_keeps_contact_values_out_of_the_audit_trail(city_staff, person):
    update_person(actor=city_staff, person=person, phone="0912345678")
    event = AuditEvent.objects.get(action="councils.person.update")
    assert "0912345678" not in str(event.changes)


def test_it_refuses_a_term_that_overlaps_another(city_staff, city_council, term):
    with pytest.raises(Conflict) as error:
        create_term(
            actor=city_staff,
            council=city_council,
            name="Khóa thử",
            start_date=D(2030, 1, 1),
            end_date=D(2035, 1, 1),
        )
    assert "Khóa XVII" in error.value.message


def test_it_refuses_a_term_that_ends_before_it_starts(city_staff, city_council):
    with pytest.raises(DomainError):
        create_term(
            actor=city_staff,
            council=city_council,
            name="Khóa ngược",
            start_date=D(2040, 1, 1),
            end_date=D(2039, 1, 1),
        )


def test_it_creates_adjacent_terms(city_staff, city_council, term):
    previous = create_term(
        actor=city_staff,
        council=city_council,
        name="Khóa XVI",
        number=16,
        start_date=D(2021, 6, 1),
        end_date=term.start_date,
    )
    assert previous.pk


def test_it_adds_a_membership_and_audits_it(city_staff, city_council, term, person):
    membership = add_membership(
        actor=city_staff, person=person, council=city_council, term=term, start_date=term.start_date
    )
    assert membership.position == Position.DELEGATE
    event = AuditEvent.objects.get(action="councils.membership.create")
    assert event.council == city_council
    assert event.object_id == str(membership.pk)


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        (D(2026, 3, 15), None, True),  # same period
        (D(2027, 1, 1), D(2027, 6, 1), True),  # inside the existing one
        (D(2026, 1, 1), D(2026, 3, 15), True),  # starts before the term
        (D(2028, 1, 1), None, False),  # after the first one ended
    ],
)
def test_it_refuses_overlapping_memberships_of_one_person(
    city_staff, city_council, term, person, start, end, refused
):
    first = add_membership(
        actor=city_staff, person=person, council=city_council, term=term, start_date=term.start_date
    )
    end_membership(actor=city_staff, membership=first, end_date=D(2027, 12, 31))
    if refused:
        with pytest.raises(DomainError):
            add_membership(
                actor=city_staff,
                person=person,
                council=city_council,
                term=term,
                start_date=start,
                end_date=end,
            )
    else:
        add_membership(
            actor=city_staff, person=person, council=city_council, term=term, start_date=start
        )
        assert Membership.objects.filter(person=person).count() == 2


def test_it_says_why_a_duplicate_membership_is_refused(city_staff, city_council, term, person):
    add_membership(
        actor=city_staff, person=person, council=city_council, term=term, start_date=term.start_date
    )
    with pytest.raises(Conflict) as error:
        add_membership(
            actor=city_staff,
            person=person,
            council=city_council,
            term=term,
            start_date=term.start_date,
        )
    assert "Trần Thị Hòa" in error.value.message or "Trần Thị Hoà" in error.value.message


def test_it_refuses_a_term_of_another_council(city_staff, commune_a, term, person):
    with pytest.raises(DomainError):
        add_membership(
            actor=city_staff,
            person=person,
            council=commune_a,
            term=term,
            start_date=term.start_date,
        )


def test_it_allows_one_chair_at_a_time(city_staff, city_council, term):
    chair = factories.PersonFactory()
    add_membership(
        actor=city_staff,
        person=chair,
        council=city_council,
        term=term,
        start_date=term.start_date,
        position=Position.CHAIR,
    )
    with pytest.raises(Conflict):
        add_membership(
            actor=city_staff,
            person=factories.PersonFactory(),
            council=city_council,
            term=term,
            start_date=term.start_date,
            position=Position.CHAIR,
        )


def test_it_keeps_history_when_the_position_changes(city_staff, city_council, term, person):
    membership = add_membership(
        actor=city_staff, person=person, council=city_council, term=term, start_date=term.start_date
    )
    new = change_position(
        actor=city_staff, membership=membership, position=Position.VICE_CHAIR, on_date=D(2027, 1, 1)
    )
    membership.refresh_from_db()
    assert membership.end_date == D(2026, 12, 31)
    assert new.position == Position.VICE_CHAIR
    assert new.start_date == D(2027, 1, 1)


def test_it_ends_committee_seats_with_the_membership(city_staff, city_council, term, person):
    membership = add_membership(
        actor=city_staff, person=person, council=city_council, term=term, start_date=term.start_date
    )
    committee = create_committee(actor=city_staff, council=city_council, name="Ban Đô thị")
    seat = add_committee_seat(
        actor=city_staff,
        committee=committee,
        membership=membership,
        role=CommitteeRole.HEAD,
        start_date=term.start_date,
    )
    end_membership(actor=city_staff, membership=membership, end_date=D(2028, 1, 1))
    seat.refresh_from_db()
    assert seat.end_date == D(2028, 1, 1)


def test_it_allows_one_committee_head(city_staff, city_council, term):
    committee = create_committee(actor=city_staff, council=city_council, name="Ban Pháp chế")
    for index in range(2):
        membership = factories.MembershipFactory(term=term)
        if index == 0:
            add_committee_seat(
                actor=city_staff,
                committee=committee,
                membership=membership,
                role=CommitteeRole.HEAD,
                start_date=term.start_date,
            )
        else:
            with pytest.raises(Conflict):
                add_committee_seat(
                    actor=city_staff,
                    committee=committee,
                    membership=membership,
                    role=CommitteeRole.HEAD,
                    start_date=term.start_date,
                )


def test_it_refuses_a_committee_seat_for_another_councils_delegate(city_staff, commune_a, term):
    committee = factories.CommitteeFactory(council=commune_a)
    with pytest.raises(DomainError):
        add_committee_seat(
            actor=city_staff,
            committee=committee,
            membership=factories.MembershipFactory(term=term),
            role=CommitteeRole.MEMBER,
            start_date=term.start_date,
        )


def test_it_refuses_a_duplicate_committee_name_whatever_the_accents(city_staff, city_council):
    create_committee(actor=city_staff, council=city_council, name="Ban Văn hóa – Xã hội")
    with pytest.raises(Conflict):
        create_committee(actor=city_staff, council=city_council, name="Ban Văn hoá – Xã hội")


def test_it_adds_group_members_of_the_same_term_only(city_staff, city_council, term):
    group = create_delegate_group(actor=city_staff, term=term, name="Tổ đại biểu số 1")
    add_group_member(
        actor=city_staff,
        group=group,
        membership=factories.MembershipFactory(term=term),
        role="leader",
    )
    other_term = factories.TermFactory(
        council=city_council, name="Khóa XVI", start_date=D(2021, 6, 1), end_date=D(2026, 3, 14)
    )
    with pytest.raises(DomainError):
        add_group_member(
            actor=city_staff,
            group=group,
            membership=factories.MembershipFactory(term=other_term),
            role="member",
        )


def test_it_builds_an_agency_tree_with_one_head(city_staff, city_council):
    ubnd = create_agency(
        actor=city_staff, council=city_council, name="UBND thành phố Hà Nội", kind="ubnd"
    )
    department = create_agency(
        actor=city_staff, council=city_council, name="Sở Xây dựng", kind="department", parent=ubnd
    )
    assert department.search_text == "so xay dung"
    add_agency_official(
        actor=city_staff,
        agency=department,
        person=factories.PersonFactory(),
        title="Giám đốc",
        start_date=D(2026, 1, 1),
        is_head=True,
    )
    with pytest.raises(Conflict):
        add_agency_official(
            actor=city_staff,
            agency=department,
            person=factories.PersonFactory(),
            title="Giám đốc",
            start_date=D(2026, 2, 1),
            is_head=True,
        )


def test_it_refuses_a_parent_agency_of_another_council(city_staff, city_council, commune_a):
    ubnd = factories.AgencyFactory(council=commune_a, kind="ubnd")
    with pytest.raises(DomainError):
        create_agency(
            actor=city_staff, council=city_council, name="Sở Y tế", kind="department", parent=ubnd
        )
