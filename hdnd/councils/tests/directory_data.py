"""Small builders for the directory page tests: a term in force today, delegates with
their committee and group seats, agencies with officials."""

import datetime as dt
from typing import Any

from django.utils import timezone

from hdnd.councils.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    AgencyOfficial,
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Council,
    DelegateGroup,
    GroupMember,
    GroupRole,
    Membership,
    Person,
    Term,
    UnitKind,
    UnitLevel,
)
from hdnd.lib.vietnamese import fold
from hdnd.testing import factories


def term_in_force(council: Council, **extra: Any) -> Term:
    """A term that started 200 days ago, so that it is current whatever today is."""
    start = timezone.localdate() - dt.timedelta(days=200)
    values = {
        "council": council,
        "name": "Khóa XVII",
        "start_date": start,
        "end_date": start.replace(year=start.year + 5),
        **extra,
    }
    return factories.TermFactory(**values)


def person(name: str, **extra: Any) -> Person:
    return factories.PersonFactory(full_name=name, search_text=fold(name), **extra)


def seat(term: Term, name: str, **extra: Any) -> Membership:
    """A delegate's seat in force in `term`."""
    return factories.MembershipFactory(term=term, person=person(name), **extra)


def committee(council: Council, name: str) -> Committee:
    return factories.CommitteeFactory(council=council, name=name, search_text=fold(name))


def committee_seat(
    committee: Committee, membership: Membership, role: str = CommitteeRole.MEMBER
) -> CommitteeSeat:
    return CommitteeSeat.objects.create(
        committee=committee, membership=membership, role=role, start_date=membership.start_date
    )


def group(term: Term, name: str) -> DelegateGroup:
    return factories.DelegateGroupFactory(term=term, name=name)


def group_member(
    group: DelegateGroup, membership: Membership, role: str = GroupRole.MEMBER
) -> GroupMember:
    return GroupMember.objects.create(group=group, membership=membership, role=role)


def agency(
    council: Council, name: str, *, kind: str = AgencyKind.DEPARTMENT, **extra: Any
) -> Agency:
    return factories.AgencyFactory(
        council=council, name=name, kind=kind, search_text=fold(name), **extra
    )


def official(agency: Agency, name: str, title: str, *, is_head: bool = False) -> AgencyOfficial:
    return factories.AgencyOfficialFactory(
        agency=agency,
        person=person(name),
        title=title,
        is_head=is_head,
        start_date=timezone.localdate() - dt.timedelta(days=100),
    )


def commune_unit(
    province: AdministrativeUnit, name: str, kind: str = UnitKind.WARD
) -> AdministrativeUnit:
    return factories.CommuneUnitFactory(
        parent=province, name=name, kind=kind, search_text=fold(name)
    )


def former_district(
    province: AdministrativeUnit, name: str, code: str, successor: AdministrativeUnit
) -> AdministrativeUnit:
    district = AdministrativeUnit.objects.create(
        code=code,
        name=name,
        kind=UnitKind.URBAN_DISTRICT,
        level=UnitLevel.DISTRICT,
        parent=province,
        valid_until=dt.date(2025, 6, 30),
        search_text=fold(name),
    )
    district.succession_out.create(successor=successor, effective_date=dt.date(2025, 7, 1))
    return district
