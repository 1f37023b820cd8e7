"""The city council: terms, constituencies, delegates, committees, delegate groups,
the Khóa XVI history, and the People's Committee with its departments."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hdnd.councils.demo.data import (
    CITY_COMMITTEE_DEPUTIES,
    CITY_COMMITTEE_MEMBERS,
    CITY_COMMITTEES,
    CITY_DELEGATES,
    CITY_DEPARTMENTS,
    CITY_HISTORY_REELECTED,
    CITY_HISTORY_RETIRED,
    CITY_OCCUPATION_TEMPLATES,
    CITY_OCCUPATIONS,
    CITY_PEOPLES_COMMITTEE,
    CITY_SEATS,
    CITY_TERM_XVI,
    CITY_TERM_XVII,
    CITY_VICE_CHAIRS,
    COMMITTEE_MEMBER_COMMITTEE,
    AgencySpec,
)
from hdnd.councils.demo.people import lower_kind
from hdnd.councils.demo.run import DemoRun, new_agency, new_term
from hdnd.councils.models import (
    Agency,
    AgencyOfficial,
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Constituency,
    DelegateGroup,
    GroupMember,
    GroupRole,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.lib.vietnamese import fold


@dataclass
class CityRefs:
    """City records the demo accounts attach to."""

    vice_chair: Person
    delegate: Person
    committee_member: Person
    committees: dict[str, Committee]
    agencies: dict[str, Agency]


def create_city(demo: DemoRun) -> CityRefs:
    demo.progress(_("City council: terms and constituencies"))
    term_xvi, term_xvii = _create_city_terms(demo)
    constituencies = _create_constituencies(demo, term_xvii)
    demo.progress(_("City council: delegates, committees and delegate groups"))
    plan = _plan_city_seats()
    memberships = _create_city_delegates(demo, term_xvii, constituencies, plan)
    committees = _create_city_committees(demo, memberships, plan)
    _create_city_groups(demo, term_xvii, constituencies, memberships)
    _create_city_history(demo, term_xvi, memberships)
    demo.progress(_("City council: agencies"))
    agencies = _create_city_agencies(demo)
    seats = list(zip(memberships, plan, strict=True))
    return CityRefs(
        vice_chair=next(m.person for m, seat in seats if seat.position == Position.VICE_CHAIR),
        # An ordinary delegate: outside the standing committee and without a committee seat.
        delegate=next(
            m.person
            for m, seat in seats
            if seat.position == Position.DELEGATE and not seat.committee
        ),
        committee_member=next(
            m.person
            for m, seat in seats
            if seat.committee == COMMITTEE_MEMBER_COMMITTEE and seat.role == CommitteeRole.MEMBER
        ),
        committees=committees,
        agencies=agencies,
    )


def _create_city_terms(demo: DemoRun) -> tuple[Term, Term]:
    term_xvi, term_xvii = demo.save(
        [new_term(demo.city, CITY_TERM_XVI), new_term(demo.city, CITY_TERM_XVII)]
    )
    return term_xvi, term_xvii


def _create_constituencies(demo: DemoRun, term: Term) -> list[Constituency]:
    """31 constituencies, each covering a few neighbouring communes (by code order)."""
    seats = list(CITY_SEATS)
    demo.rng.shuffle(seats)
    constituencies = demo.save(
        [
            Constituency(
                council=demo.city,
                term=term,
                number=number,
                name=f"Đơn vị bầu cử số {number}",
                seats=count,
            )
            for number, count in enumerate(seats, start=1)
        ]
    )
    unit_ids = list(
        demo.city.unit.children.filter(valid_until__isnull=True)
        .order_by("code")
        .values_list("id", flat=True)
    )
    through = Constituency.units.through
    links = []
    for index, constituency in enumerate(constituencies):
        start = round(index * len(unit_ids) / len(constituencies))
        end = round((index + 1) * len(unit_ids) / len(constituencies))
        links += [
            through(constituency_id=constituency.pk, administrativeunit_id=unit_id)
            for unit_id in unit_ids[start:end]
        ]
    demo.save(links)
    return constituencies


@dataclass(frozen=True)
class _Seat:
    """One city delegate's place: position, committee and role there, full-time or not."""

    position: Position
    committee: str = ""
    role: str = ""
    full_time: bool = False

    @property
    def birth_years(self) -> tuple[int, int]:
        # Leaders are usually in their fifties; other delegates span a generation.
        if self.position != Position.DELEGATE:
            return (1966, 1976)
        return (1970, 1986) if self.full_time else (1966, 1992)


def _plan_city_seats() -> list[_Seat]:
    """Chair, vice-chairs, committee heads (the standing members), deputies, members, the rest.

    The first deputy of each committee works full-time, as the law allows.
    """
    plan = [_Seat(Position.CHAIR, full_time=True)]
    plan += [_Seat(Position.VICE_CHAIR, full_time=True)] * CITY_VICE_CHAIRS
    names = [name for name, _field in CITY_COMMITTEES]
    plan += [
        _Seat(Position.STANDING_MEMBER, name, CommitteeRole.HEAD, full_time=True) for name in names
    ]
    for name in names:
        plan += [
            _Seat(Position.DELEGATE, name, CommitteeRole.DEPUTY, full_time=index == 0)
            for index in range(CITY_COMMITTEE_DEPUTIES)
        ]
    for name in names:
        plan += [_Seat(Position.DELEGATE, name, CommitteeRole.MEMBER)] * CITY_COMMITTEE_MEMBERS
    plan += [_Seat(Position.DELEGATE)] * (CITY_DELEGATES - len(plan))
    return plan


def _city_occupation(demo: DemoRun, seat: _Seat, unique: Iterator[str], communes: list[str]) -> str:
    if seat.position == Position.CHAIR:
        return "Phó Bí thư Thành ủy, Chủ tịch HĐND thành phố Hà Nội"
    if seat.position == Position.VICE_CHAIR:
        return "Phó Chủ tịch HĐND thành phố Hà Nội"
    if seat.role == CommitteeRole.HEAD:
        return f"Trưởng {seat.committee} HĐND thành phố Hà Nội"
    if seat.role == CommitteeRole.DEPUTY and seat.full_time:
        return f"Phó Trưởng {seat.committee} HĐND thành phố Hà Nội"
    occupation = next(unique, None)
    if occupation is not None:
        return occupation
    commune = demo.rng.choice(communes)
    departments = [spec.name for spec in CITY_DEPARTMENTS if spec.name.startswith("Sở ")]
    return demo.rng.choice(CITY_OCCUPATION_TEMPLATES).format(
        department=demo.rng.choice(departments) + " thành phố Hà Nội",
        commune=lower_kind(commune),
        place=commune.split(" ", 1)[1],
    )


def _create_city_delegates(
    demo: DemoRun, term: Term, constituencies: list[Constituency], plan: list[_Seat]
) -> list[Membership]:
    """125 delegates, each elected in one constituency: exactly its seats."""
    slots = [c for c in constituencies for _seat in range(c.seats)]
    demo.rng.shuffle(slots)
    communes = list(demo.city.unit.children.order_by("code").values_list("name", flat=True))
    unique = list(CITY_OCCUPATIONS)
    demo.rng.shuffle(unique)
    remaining_unique = iter(unique)
    people = demo.save(
        [
            demo.people.person(
                occupation=_city_occupation(demo, seat, remaining_unique, communes),
                born=seat.birth_years,
            )
            for seat in plan
        ]
    )
    return demo.save(
        [
            Membership(
                person=person,
                council=demo.city,
                term=term,
                constituency=constituency,
                position=seat.position,
                is_full_time=seat.full_time,
                start_date=term.start_date,
            )
            for person, seat, constituency in zip(people, plan, slots, strict=True)
        ]
    )


def _create_city_committees(
    demo: DemoRun, memberships: list[Membership], plan: list[_Seat]
) -> dict[str, Committee]:
    committees = {
        name: Committee(council=demo.city, name=name, field_of_work=work, search_text=fold(name))
        for name, work in CITY_COMMITTEES
    }
    demo.save(list(committees.values()))
    demo.save(
        [
            CommitteeSeat(
                committee=committees[seat.committee],
                membership=membership,
                role=seat.role,
                is_full_time=seat.full_time,
                start_date=membership.start_date,
            )
            for membership, seat in zip(memberships, plan, strict=True)
            if seat.committee
        ]
    )
    return committees


def _create_city_groups(
    demo: DemoRun, term: Term, constituencies: list[Constituency], memberships: list[Membership]
) -> None:
    """One delegate group per constituency; the highest-ranked delegate leads it."""
    groups = demo.save(
        [
            DelegateGroup(
                council=demo.city,
                term=term,
                name=f"Tổ đại biểu số {constituency.number}",
                constituency=constituency,
            )
            for constituency in constituencies
        ]
    )
    members = []
    for group, constituency in zip(groups, constituencies, strict=True):
        # Memberships are in rank order (chair first), so the first is the leader.
        elected = [m for m in memberships if m.constituency_id == constituency.pk]
        roles = [GroupRole.LEADER, GroupRole.DEPUTY] + [GroupRole.MEMBER] * (len(elected) - 2)
        members += [
            GroupMember(group=group, membership=membership, role=role)
            for membership, role in zip(elected, roles, strict=True)
        ]
    demo.save(members)


def _create_city_history(demo: DemoRun, term: Term, current: list[Membership]) -> None:
    """Khóa XVI seats that ended with the term: some re-elected delegates, some who left."""
    reelected = [m.person for m in demo.rng.sample(current[:60], CITY_HISTORY_REELECTED)]
    retired = demo.save(
        [
            demo.people.person(occupation="Nghỉ hưu", born=(1955, 1966))
            for _index in range(CITY_HISTORY_RETIRED)
        ]
    )
    positions = [Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER]
    demo.save(
        [
            Membership(
                person=person,
                council=demo.city,
                term=term,
                position=positions[index] if index < len(positions) else Position.DELEGATE,
                is_full_time=index < len(positions),
                start_date=term.start_date,
                end_date=term.end_date,
                end_reason="Hết nhiệm kỳ",
            )
            for index, person in enumerate(retired + reelected)
        ]
    )


def _create_city_agencies(demo: DemoRun) -> dict[str, Agency]:
    """The city People's Committee and the departments under it, each with a head and deputy."""
    ubnd = new_agency(demo, demo.city, CITY_PEOPLES_COMMITTEE, parent=None)
    demo.save([ubnd])
    departments = [new_agency(demo, demo.city, spec, parent=ubnd) for spec in CITY_DEPARTMENTS]
    demo.save(departments)
    specs = [CITY_PEOPLES_COMMITTEE, *CITY_DEPARTMENTS]
    agencies = [ubnd, *departments]
    _create_officials(demo, list(zip(agencies, specs, strict=True)), start=dt.date(2025, 7, 1))
    return {agency.name: agency for agency in agencies}


def _create_officials(
    demo: DemoRun, agencies: list[tuple[Agency, AgencySpec]], *, start: dt.date
) -> None:
    officials = []
    for agency, spec in agencies:
        for title, is_head in [(spec.head_title, True), (spec.deputy_title, False)]:
            person = demo.people.person(occupation=f"{title}, {agency.name}", born=(1965, 1985))
            officials.append(
                AgencyOfficial(
                    agency=agency, person=person, title=title, is_head=is_head, start_date=start
                )
            )
    demo.save([official.person for official in officials])
    demo.save(officials)
