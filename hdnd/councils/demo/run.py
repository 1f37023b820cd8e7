"""What every stage of the load shares: the seeded generators, and the term and agency
records both the city and the communes are built from."""

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models
from faker import Faker

from hdnd.councils.demo.data import DEMO_EMAIL_DOMAIN, HANOI_STREETS, SEED, AgencySpec, TermSpec
from hdnd.councils.demo.people import PersonMaker
from hdnd.councils.models import Agency, AgencyKind, Council, Term
from hdnd.lib.vietnamese import fold

M = TypeVar("M", bound=models.Model)
Progress = Callable[[str], None]


@dataclass
class DemoRun:
    """What every stage needs: the seeded generators, the city council, the counts."""

    city: Council
    progress: Progress
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    faker: Faker = field(default_factory=lambda: _seeded_faker(SEED))
    created: Counter[str] = field(default_factory=Counter)
    people: PersonMaker = field(init=False)

    def __post_init__(self) -> None:
        self.people = PersonMaker(self.rng)

    def save(self, objects: Sequence[M]) -> list[M]:
        """bulk_create, counting by model. Unsaved parents must have been saved first."""
        items = list(objects)
        if items:
            model = type(items[0])
            model._default_manager.bulk_create(items)
            self.created[model._meta.model_name or model.__name__] += len(items)
        return items

    def address(self, place: str = "") -> str:
        street = f"Số {self.rng.randint(1, 199)} {self.faker.random_element(HANOI_STREETS)}"
        return ", ".join(part for part in (street, place, "Hà Nội") if part)


def _seeded_faker(seed: int) -> Faker:
    faker = Faker("vi_VN")
    faker.seed_instance(seed)
    return faker


def new_term(council: Council, spec: TermSpec) -> Term:
    return Term(
        council=council,
        number=spec.number,
        name=spec.name,
        start_date=spec.start,
        end_date=spec.end,
    )


def new_agency(
    demo: DemoRun,
    council: Council,
    spec: AgencySpec,
    *,
    parent: Agency | None,
    place: str = "",
    mailbox: str = "",
) -> Agency:
    mailbox = mailbox or spec.code.lower().replace("-", "")
    is_peoples_committee = spec.kind == AgencyKind.PEOPLES_COMMITTEE
    return Agency(
        council=council,
        parent=parent,
        kind=spec.kind,
        code=spec.code,
        name=spec.name,
        short_name=spec.name.replace("Ủy ban nhân dân", "UBND") if is_peoples_committee else "",
        email=f"{mailbox}@{DEMO_EMAIL_DOMAIN}" if mailbox else "",
        phone=f"024 3{demo.rng.randrange(10**3):03d} {demo.rng.randrange(10**4):04d}",
        address=demo.address(place),
        search_text=fold(spec.name),
    )
