"""The commune councils: each one's term, delegates, committees and agencies.

Every commune has its own generator, so its data does not shift when another one changes.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hdnd.councils.demo.data import (
    CHAIR_TITLES,
    COMMUNE_COMMITTEE_MEMBERS,
    COMMUNE_COMMITTEES,
    COMMUNE_DELEGATES,
    COMMUNE_OCCUPATIONS,
    COMMUNE_TERM,
    COMMUNES_PER_BATCH,
    DIRECTOR_TITLES,
    SEED,
    AgencySpec,
)
from hdnd.councils.demo.people import PersonMaker, lower_kind
from hdnd.councils.demo.run import DemoRun, new_agency, new_term
from hdnd.councils.models import (
    Agency,
    AgencyKind,
    AgencyOfficial,
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Council,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.lib.vietnamese import fold


@dataclass
class _CommuneBatch:
    """Unsaved records of a batch of communes, saved parents first."""

    terms: list[Term] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    seats: list[CommitteeSeat] = field(default_factory=list)
    peoples_committees: list[Agency] = field(default_factory=list)
    offices: list[Agency] = field(default_factory=list)
    officials: list[AgencyOfficial] = field(default_factory=list)

    def save(self, demo: DemoRun) -> None:
        for records in (
            self.terms,
            self.people,
            self.memberships,
            self.committees,
            self.seats,
            self.peoples_committees,
            self.offices,
            self.officials,
        ):
            demo.save(records)


def _commune_councils(demo: DemoRun) -> list[Council]:
    return list(
        Council.objects.filter(parent=demo.city, unit__valid_until__isnull=True)
        .select_related("unit")
        .order_by("unit__code")
    )


def _batched(items: list[Council], size: int) -> Iterator[list[Council]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def create_commune_councils(demo: DemoRun) -> int:
    """Each commune council's term, delegates, committees and agencies; returns how many."""
    councils = _commune_councils(demo)
    done = 0
    for councils_batch in _batched(councils, COMMUNES_PER_BATCH):
        batch = _CommuneBatch()
        for council in councils_batch:
            # A generator per commune: its data does not shift when another commune changes.
            rng = random.Random(f"{SEED}:{council.unit.code}")
            _plan_commune(demo, batch, council, PersonMaker(rng))
        batch.save(demo)
        done += len(councils_batch)
        demo.progress(
            _("Commune councils: %(done)d/%(total)d") % {"done": done, "total": len(councils)}
        )
    return len(councils)


def _plan_commune(
    demo: DemoRun, batch: _CommuneBatch, council: Council, people: PersonMaker
) -> None:
    term = new_term(council, COMMUNE_TERM)
    batch.terms.append(term)
    memberships = _plan_commune_delegates(batch, council, term, people)
    _plan_commune_committees(batch, council, memberships)
    _plan_commune_agencies(demo, batch, council, people)


def _commune_occupation(people: PersonMaker, unit_name: str) -> str:
    hamlet_word = "Tổ dân phố" if unit_name.startswith("Phường") else "Thôn"
    return people.rng.choice(COMMUNE_OCCUPATIONS).format(
        hamlet=f"{hamlet_word} số {people.rng.randint(1, 30)}",
        commune=lower_kind(unit_name),
        place=unit_name.split(" ", 1)[1],
    )


def _plan_commune_delegates(
    batch: _CommuneBatch, council: Council, term: Term, people: PersonMaker
) -> list[Membership]:
    """Chair and vice-chair full-time, the two committee heads standing members, the rest."""
    count = people.rng.randint(*COMMUNE_DELEGATES)
    positions = [Position.CHAIR, Position.VICE_CHAIR]
    positions += [Position.STANDING_MEMBER] * len(COMMUNE_COMMITTEES)
    positions += [Position.DELEGATE] * (count - len(positions))
    unit_name = council.unit.name
    memberships = []
    for index, position in enumerate(positions):
        if position == Position.CHAIR:
            occupation = f"Chủ tịch HĐND {lower_kind(unit_name)}"
        elif position == Position.VICE_CHAIR:
            occupation = f"Phó Chủ tịch HĐND {lower_kind(unit_name)}"
        else:
            occupation = _commune_occupation(people, unit_name)
        born = (1970, 1985) if index < 2 else (1968, 1998)
        person = people.person(occupation=occupation, born=born)
        batch.people.append(person)
        memberships.append(
            Membership(
                person=person,
                council=council,
                term=term,
                position=position,
                is_full_time=index < 2,
                start_date=term.start_date,
            )
        )
    batch.memberships += memberships
    return memberships


def _plan_commune_committees(
    batch: _CommuneBatch, council: Council, memberships: list[Membership]
) -> None:
    """Each committee: a head (a standing member), a deputy and a few members."""
    heads = [m for m in memberships if m.position == Position.STANDING_MEMBER]
    others = [m for m in memberships if m.position == Position.DELEGATE]
    per_committee = 1 + COMMUNE_COMMITTEE_MEMBERS
    roles = [CommitteeRole.DEPUTY] + [CommitteeRole.MEMBER] * COMMUNE_COMMITTEE_MEMBERS
    for index, (name, work) in enumerate(COMMUNE_COMMITTEES):
        committee = Committee(
            council=council, name=name, field_of_work=work, search_text=fold(name)
        )
        batch.committees.append(committee)
        deputy_and_members = others[index * per_committee : (index + 1) * per_committee]
        seated = [(heads[index], CommitteeRole.HEAD), *zip(deputy_and_members, roles, strict=True)]
        batch.seats += [
            CommitteeSeat(
                committee=committee,
                membership=membership,
                role=role,
                start_date=membership.start_date,
            )
            for membership, role in seated
        ]


def _commune_offices(unit_name: str) -> list[AgencySpec]:
    where = lower_kind(unit_name)
    economy = (
        "Phòng Kinh tế, Hạ tầng và Đô thị" if unit_name.startswith("Phường") else "Phòng Kinh tế"
    )
    head = ("Trưởng phòng", "Phó Trưởng phòng")
    return [
        AgencySpec(
            "",
            f"Văn phòng HĐND và UBND {where}",
            AgencyKind.OFFICE,
            "Chánh Văn phòng",
            "Phó Chánh Văn phòng",
        ),
        AgencySpec("", f"{economy} {where}", AgencyKind.OFFICE, *head),
        AgencySpec("", f"Phòng Văn hóa – Xã hội {where}", AgencyKind.OFFICE, *head),
        AgencySpec(
            "",
            f"Trung tâm Phục vụ hành chính công {where}",
            AgencyKind.PUBLIC_SERVICE,
            *DIRECTOR_TITLES,
        ),
    ]


def _plan_commune_agencies(
    demo: DemoRun, batch: _CommuneBatch, council: Council, people: PersonMaker
) -> None:
    """The commune People's Committee with its chair and vice-chair, and its offices."""
    where = lower_kind(council.unit.name)
    ubnd_spec = AgencySpec(
        "", f"Ủy ban nhân dân {where}", AgencyKind.PEOPLES_COMMITTEE, *CHAIR_TITLES
    )
    mailbox = "ubnd." + council.unit.codename.replace("_", "")
    ubnd = new_agency(demo, council, ubnd_spec, parent=None, place=where, mailbox=mailbox)
    batch.peoples_committees.append(ubnd)
    posts = [(ubnd, ubnd_spec.head_title, True), (ubnd, ubnd_spec.deputy_title, False)]
    for spec in _commune_offices(council.unit.name):
        office = new_agency(demo, council, spec, parent=ubnd, place=where)
        batch.offices.append(office)
        posts.append((office, spec.head_title, True))
    for agency, title, is_head in posts:
        person = people.person(occupation=f"{title}, {agency.name}", born=(1970, 1990))
        batch.people.append(person)
        batch.officials.append(
            AgencyOfficial(
                agency=agency,
                person=person,
                title=title,
                is_head=is_head,
                start_date=dt.date(2025, 7, 1),
            )
        )
