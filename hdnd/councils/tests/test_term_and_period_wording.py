"""How terms and open-ended periods read in Vietnamese: a term's name and years appear once,
and a seat or role that has not ended runs "đến nay", not "đến …"."""

import datetime as dt

import pytest
from django.utils import translation

from hdnd.accounts import services as account_services
from hdnd.accounts.models import Role
from hdnd.core.errors import Conflict, DomainError
from hdnd.core.models import AuditEvent
from hdnd.councils.models import Term
from hdnd.councils.services.memberships import add_membership
from hdnd.councils.services.terms import create_term
from hdnd.testing import factories

D = dt.date


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Khóa XVII", "Khóa XVII (2026–2031)"),
        ("Nhiệm kỳ 2026–2031", "Nhiệm kỳ 2026–2031"),
        ("Nhiệm kỳ 2026-2031", "Nhiệm kỳ 2026-2031"),
        ("Nhiệm kỳ 2021–2026", "Nhiệm kỳ 2021–2026 (2026–2031)"),
    ],
)
def test_a_term_shows_its_years_once(name, shown):
    term = Term(name=name, start_date=D(2026, 3, 15), end_date=D(2031, 3, 14))
    assert str(term) == shown


def test_a_term_of_another_council_is_named_without_a_second_khoa(
    city_staff, city_council, commune_a
):
    other_term = factories.TermFactory(council=commune_a, name="Khóa I", number=1)
    person = factories.PersonFactory()
    with translation.override("vi"), pytest.raises(DomainError) as error:
        add_membership(
            actor=city_staff,
            person=person,
            council=city_council,
            term=other_term,
            start_date=other_term.start_date,
        )
    assert error.value.message == "Khóa I thuộc một HĐND khác."


def test_the_audit_summary_of_a_new_term_names_it_once(city_staff, city_council):
    with translation.override("vi"):
        term = create_term(
            actor=city_staff,
            council=city_council,
            name="Khóa XVII",
            start_date=D(2026, 3, 15),
            end_date=D(2031, 3, 14),
        )
    event = AuditEvent.objects.get(action="councils.term.create", object_id=str(term.pk))
    assert event.summary == "Đã tạo Khóa XVII (2026–2031)"


def test_an_overlapping_seat_that_has_not_ended_runs_to_the_present(city_staff, city_council):
    term = factories.TermFactory(council=city_council)
    person = factories.PersonFactory(full_name="Lê Văn Hòa")
    add_membership(
        actor=city_staff, person=person, council=city_council, term=term, start_date=D(2026, 3, 15)
    )
    with translation.override("vi"), pytest.raises(Conflict) as error:
        add_membership(
            actor=city_staff,
            person=person,
            council=city_council,
            term=term,
            start_date=D(2027, 1, 1),
        )
    assert "từ 15/03/2026 đến nay" in error.value.message
    assert "…" not in error.value.message

    with translation.override("en"), pytest.raises(Conflict) as error:
        add_membership(
            actor=city_staff,
            person=person,
            council=city_council,
            term=term,
            start_date=D(2027, 1, 1),
        )
    assert "from 15/03/2026 to the present" in error.value.message


def test_a_role_held_without_an_end_runs_to_the_present(city_council):
    admin = factories.UserFactory(is_superuser=True)
    someone = factories.UserFactory()
    assignment = {
        "actor": admin,
        "user": someone,
        "council": city_council,
        "role": Role.OFFICE_STAFF,
        "start_date": D(2026, 3, 15),
    }
    account_services.assign_role(**assignment)
    with translation.override("vi"), pytest.raises(account_services.RoleAlreadyHeld) as error:
        account_services.assign_role(**assignment)
    assert "từ 15/03/2026 đến nay" in error.value.message
