"""Personas and a small city for petition tests.

On top of the root personas (city_staff, commune_officer, outsider, delegate_user):
- agency_a / responder_a: the Department of Construction and its responder;
- agency_b / responder_b: the Department of Transport — the other-agency persona who must
  not see agency A's petitions;
- committee / committee_member: the urban committee, in charge of transport and building;
- standing_member: a member of the standing committee;
- cycle: the 3rd session of term XVII; meeting: a voter-contact meeting held before it.
"""

import datetime as dt
from typing import Any

import pytest

from hdnd.accounts.models import Role, User
from hdnd.councils.models import Agency, Committee, Council, Term
from hdnd.petitions.models import (
    ContactMeeting,
    DayCounting,
    DeadlineRule,
    FieldCommittee,
    RouteKind,
    SessionCycle,
)
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf


def _staff(council: Council, role: str, **extra: Any) -> User:
    assignment = factories.RoleAssignmentFactory(council=council, role=role, **extra)
    factories.add_totp_device(assignment.user)
    return assignment.user


@pytest.fixture
def term(city_council: Council) -> Term:
    return factories.TermFactory(council=city_council)


@pytest.fixture
def cycle(term: Term) -> SessionCycle:
    return pf.SessionCycleFactory(term=term, number=3, name="Kỳ họp thứ ba")


@pytest.fixture
def next_cycle(term: Term) -> SessionCycle:
    return pf.SessionCycleFactory(
        term=term, number=4, name="Kỳ họp thứ tư", session_date=dt.date(2026, 12, 8)
    )


@pytest.fixture
def meeting(cycle: SessionCycle) -> ContactMeeting:
    return pf.ContactMeetingFactory(cycle=cycle)


@pytest.fixture
def agency_a(city_council: Council) -> Agency:
    return factories.AgencyFactory(council=city_council, name="Sở Xây dựng")


@pytest.fixture
def agency_b(city_council: Council) -> Agency:
    return factories.AgencyFactory(council=city_council, name="Sở Giao thông vận tải")


@pytest.fixture
def responder_a(city_council: Council, agency_a: Agency) -> User:
    return _staff(city_council, Role.AGENCY_RESPONDER, agency=agency_a)


@pytest.fixture
def responder_b(city_council: Council, agency_b: Agency) -> User:
    return _staff(city_council, Role.AGENCY_RESPONDER, agency=agency_b)


@pytest.fixture
def committee(city_council: Council) -> Committee:
    committee = factories.CommitteeFactory(council=city_council, name="Ban Đô thị")
    for code in ("giao-thong", "quy-hoach-xay-dung"):
        FieldCommittee.objects.create(
            council=city_council,
            field=pf.field(code),
            committee=committee,
            valid_from=dt.date(2026, 1, 1),
        )
    return committee


@pytest.fixture
def committee_member(city_council: Council, committee: Committee) -> User:
    return factories.RoleAssignmentFactory(
        council=city_council, role=Role.COMMITTEE_MEMBER, committee=committee
    ).user


@pytest.fixture
def standing_member(city_council: Council) -> User:
    return _staff(city_council, Role.STANDING_COMMITTEE)


@pytest.fixture
def deadline_rules(city_council: Council) -> dict[str, DeadlineRule]:
    """60 calendar days for central items (QĐ 33/2017 as amended), 30 for the city's own
    agencies, 15 working days for re-supervision."""
    return {
        RouteKind.CENTRAL: pf.DeadlineRuleFactory(
            council=city_council, route=RouteKind.CENTRAL, days=60
        ),
        RouteKind.OWN_AGENCY: pf.DeadlineRuleFactory(
            council=city_council, route=RouteKind.OWN_AGENCY, days=30
        ),
        RouteKind.REOPENED: pf.DeadlineRuleFactory(
            council=city_council,
            route=RouteKind.REOPENED,
            days=15,
            counting=DayCounting.WORKING,
        ),
    }
