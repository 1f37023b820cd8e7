"""Made-up people, and place names as they read inside a sentence."""

import datetime as dt
import random

from hdnd.councils.demo.data import (
    DEMO_EMAIL_DOMAIN,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    MINORITY_ETHNICITIES,
    PHONE_PREFIXES,
)
from hdnd.councils.models import Gender, Person
from hdnd.lib.vietnamese import fold


class PersonMaker:
    """Made-up Vietnamese people: family, middle and given name, both genders."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.emails: set[str] = set()
        self._families = [name for name, _weight in FAMILY_NAMES]
        self._weights = [weight for _name, weight in FAMILY_NAMES]

    def name(self, gender: str) -> tuple[str, str, str]:
        """(family, middle, given), never the same full name twice."""
        while True:
            family = self.rng.choices(self._families, self._weights)[0]
            middle = self.rng.choice(MIDDLE_NAMES[Gender(gender)])
            given = self.rng.choice(GIVEN_NAMES[Gender(gender)])
            full = f"{family} {middle} {given}"
            if middle != given and full not in self.names:
                self.names.add(full)
                return family, middle, given

    def person(
        self, *, occupation: str, born: tuple[int, int] = (1965, 1995), female_share: float = 0.4
    ) -> Person:
        gender = Gender.FEMALE if self.rng.random() < female_share else Gender.MALE
        family, middle, given = self.name(gender)
        full_name = f"{family} {middle} {given}"
        return Person(
            full_name=full_name,
            gender=gender,
            birth_date=self._birth_date(*born),
            ethnicity="Kinh" if self.rng.random() < 0.94 else self.rng.choice(MINORITY_ETHNICITIES),
            occupation=occupation,
            email=self._email(family, middle, given),
            phone=self._phone(),
            # Every demo person holds a seat or a post.
            in_directory=True,
            search_text=fold(full_name),
        )

    def _birth_date(self, first_year: int, last_year: int) -> dt.date:
        start = dt.date(first_year, 1, 1)
        days = (dt.date(last_year, 12, 31) - start).days
        return start + dt.timedelta(days=self.rng.randrange(days))

    def _email(self, family: str, middle: str, given: str) -> str:
        # The usual office style: given name then initials, "annv" for Nguyễn Văn An.
        base = fold(given).replace(" ", "") + fold(family)[0] + fold(middle)[0]
        local, suffix = base, 1
        while local in self.emails:
            suffix += 1
            local = f"{base}{suffix}"
        self.emails.add(local)
        return f"{local}@{DEMO_EMAIL_DOMAIN}"

    def _phone(self) -> str:
        digits = f"{self.rng.randrange(10**7):07d}"
        return f"{self.rng.choice(PHONE_PREFIXES)}{digits[0]} {digits[1:4]} {digits[4:]}"


def lower_kind(unit_name: str) -> str:
    """'Phường Hoàn Kiếm' → 'phường Hoàn Kiếm', as the name reads inside a sentence."""
    for kind in ("Phường ", "Xã ", "Đặc khu "):
        if unit_name.startswith(kind):
            return kind.lower() + unit_name[len(kind) :]
    return unit_name
