import datetime as dt

import pytest

from hdnd.accounts import services
from hdnd.accounts.models import Role, RoleAssignment
from hdnd.core.errors import DomainError
from hdnd.core.models import AuditEvent
from hdnd.testing import factories

# Messages are asserted in English, the language of the msgids.
pytestmark = pytest.mark.usefixtures("in_english")

START = dt.date(2026, 3, 15)


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(is_superuser=True)


@pytest.fixture
def someone(db):
    return factories.UserFactory()


def _assign(actor, user, council, role, **extra):
    return services.assign_role(
        actor=actor, user=user, council=council, role=role, start_date=START, **extra
    )


def test_it_gives_a_role_and_audits_it(admin_user, someone, city_council):
    assignment = _assign(admin_user, someone, city_council, Role.OFFICE_STAFF)
    event = AuditEvent.objects.get(action="accounts.role.assign")
    assert event.actor == admin_user
    assert event.council == city_council
    assert event.object_id == str(assignment.pk)
    assert event.changes["role"] == [None, "office_staff"]


def test_it_gives_a_committee_member_their_committee(admin_user, someone, city_council):
    committee = factories.CommitteeFactory(council=city_council)
    assignment = _assign(
        admin_user, someone, city_council, Role.COMMITTEE_MEMBER, committee=committee
    )
    assert assignment.committee == committee


def test_it_gives_an_agency_responder_their_agency(admin_user, someone, city_council):
    agency = factories.AgencyFactory(council=city_council)
    assignment = _assign(admin_user, someone, city_council, Role.AGENCY_RESPONDER, agency=agency)
    assert assignment.agency == agency


def test_it_gives_a_commune_officer_a_commune_role(admin_user, someone, commune_a):
    assert _assign(admin_user, someone, commune_a, Role.COMMUNE_OFFICER).council == commune_a


# (case, role, extra arguments as a function of the two councils, expected error, message)
BROKEN_RULES = [
    (
        "responder without agency",
        Role.AGENCY_RESPONDER,
        lambda city, commune: {},
        services.AgencyRequired,
        "choose the agency",
    ),
    (
        "agency of another council",
        Role.AGENCY_RESPONDER,
        lambda city, commune: {"agency": factories.AgencyFactory(council=commune)},
        services.OutsideCouncil,
        "belongs to another council",
    ),
    (
        "agency for another role",
        Role.OFFICE_STAFF,
        lambda city, commune: {"agency": factories.AgencyFactory(council=city)},
        services.NotForThisRole,
        "Only agency responders",
    ),
    (
        "committee member without committee",
        Role.COMMITTEE_MEMBER,
        lambda city, commune: {},
        services.CommitteeRequired,
        "choose the committee",
    ),
    (
        "committee of another council",
        Role.COMMITTEE_MEMBER,
        lambda city, commune: {"committee": factories.CommitteeFactory(council=commune)},
        services.OutsideCouncil,
        "belongs to another council",
    ),
    (
        "committee for another role",
        Role.DELEGATE,
        lambda city, commune: {"committee": factories.CommitteeFactory(council=city)},
        services.NotForThisRole,
        "Only committee members",
    ),
    (
        "commune officer of the city council",
        Role.COMMUNE_OFFICER,
        lambda city, commune: {},
        services.RoleNeedsCommuneCouncil,
        "commune-level councils only",
    ),
    (
        "ends before it starts",
        Role.OFFICE_STAFF,
        lambda city, commune: {"end_date": START - dt.timedelta(days=1)},
        services.RoleDatesOutOfOrder,
        "on or after its start date",
    ),
    (
        "unknown role",
        "mayor",
        lambda city, commune: {},
        services.UnknownRole,
        "Unknown role",
    ),
]


@pytest.mark.parametrize(
    ("role", "extra", "error", "message"),
    [case[1:] for case in BROKEN_RULES],
    ids=[case[0] for case in BROKEN_RULES],
)
def test_it_refuses_a_role_that_breaks_a_rule(
    admin_user, someone, city_council, commune_a, role, extra, error, message
):
    with pytest.raises(error) as caught:
        _assign(admin_user, someone, city_council, role, **extra(city_council, commune_a))
    assert isinstance(caught.value, DomainError)
    assert message in caught.value.message
    assert not RoleAssignment.objects.filter(user=someone).exists()
    assert not AuditEvent.objects.filter(action="accounts.role.assign").exists()


def test_it_refuses_the_same_role_twice_in_a_council(admin_user, someone, city_council):
    _assign(admin_user, someone, city_council, Role.OFFICE_STAFF)
    with pytest.raises(services.RoleAlreadyHeld) as caught:
        _assign(admin_user, someone, city_council, Role.OFFICE_STAFF)
    assert someone.username in caught.value.message
    assert caught.value.status == 409


def test_it_refuses_a_role_overlapping_one_that_ends_later(admin_user, someone, city_council):
    services.assign_role(
        actor=admin_user,
        user=someone,
        council=city_council,
        role=Role.OFFICE_STAFF,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    with pytest.raises(services.RoleAlreadyHeld):
        _assign(admin_user, someone, city_council, Role.OFFICE_STAFF)


def test_it_allows_the_same_role_in_another_council_or_after_the_first_ended(
    admin_user, someone, city_council, commune_a
):
    first = _assign(admin_user, someone, city_council, Role.OFFICE_STAFF)
    _assign(admin_user, someone, commune_a, Role.OFFICE_STAFF)
    services.end_role(actor=admin_user, assignment=first, end_date=dt.date(2026, 6, 30))
    again = services.assign_role(
        actor=admin_user,
        user=someone,
        council=city_council,
        role=Role.OFFICE_STAFF,
        start_date=dt.date(2026, 7, 1),
    )
    assert again.pk != first.pk


def test_it_ends_a_role_and_audits_it(admin_user, someone, city_council):
    assignment = _assign(admin_user, someone, city_council, Role.OFFICE_STAFF)
    ended = services.end_role(
        actor=admin_user, assignment=assignment, end_date=dt.date(2026, 12, 31)
    )
    assert ended.end_date == dt.date(2026, 12, 31)
    event = AuditEvent.objects.get(action="accounts.role.end")
    assert event.council == city_council
    assert event.changes == {"end_date": [None, "2026-12-31"]}


def test_it_refuses_to_end_a_role_before_it_started(admin_user, someone, city_council):
    assignment = _assign(admin_user, someone, city_council, Role.OFFICE_STAFF)
    with pytest.raises(services.RoleDatesOutOfOrder):
        services.end_role(actor=admin_user, assignment=assignment, end_date=dt.date(2026, 1, 1))


def test_it_refuses_to_end_a_role_again_later(admin_user, someone, city_council):
    assignment = _assign(admin_user, someone, city_council, Role.OFFICE_STAFF)
    services.end_role(actor=admin_user, assignment=assignment, end_date=dt.date(2026, 6, 30))
    with pytest.raises(services.RoleAlreadyEnded) as caught:
        services.end_role(actor=admin_user, assignment=assignment, end_date=dt.date(2026, 7, 31))
    assert "30/06/2026" in caught.value.message
    assert AuditEvent.objects.filter(action="accounts.role.end").count() == 1
