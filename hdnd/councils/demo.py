"""The deterministic demo dataset: Hanoi's city council and its 126 commune councils,
with terms, delegates, committees, delegate groups and agencies, and one account per role.

The places and agencies are real; the people are made up. The demo accounts share one
published password and fixed TOTP keys: this is for demonstrations and tests only, and
must never be loaded into a production database.

Load it after `load_units`. Each stage is one function; everything is written with
bulk_create in one transaction, and a second run sees the demo is there and stops.
"""

import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from hdnd.accounts.models import SECOND_FACTOR_ROLES, Role, RoleAssignment, User
from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError
from hdnd.councils.models import (
    Agency,
    AgencyKind,
    AgencyOfficial,
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Constituency,
    Council,
    CouncilLevel,
    DelegateGroup,
    Gender,
    GroupMember,
    GroupRole,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.lib.vietnamese import fold

SEED = 2026
# Published on purpose: the demo is meant to be opened by anyone who runs it.
DEMO_PASSWORD = "hdnd-demo-2026"  # noqa: S105
DEMO_EMAIL_DOMAIN = "hanoi.example"  # RFC 2606: never a real mailbox
CITY_UNIT_CODE = "01"
HOAN_KIEM_UNIT_CODE = "00070"
COMMUNES_PER_BATCH = 25

M = TypeVar("M", bound=models.Model)
Progress = Callable[[str], None]


class DemoUnitsMissing(DomainError):
    code = "demo_units_missing"


@dataclass(frozen=True)
class TermSpec:
    number: int | None
    name: str
    start: dt.date
    end: dt.date


CITY_TERM_XVI = TermSpec(16, "Khóa XVI", dt.date(2021, 6, 1), dt.date(2026, 3, 14))
CITY_TERM_XVII = TermSpec(17, "Khóa XVII", dt.date(2026, 3, 15), dt.date(2031, 3, 14))
COMMUNE_TERM = TermSpec(None, "Nhiệm kỳ 2026–2031", dt.date(2026, 3, 15), dt.date(2031, 3, 14))

# 31 constituencies electing 125 delegates: 10 × 5 + 12 × 4 + 9 × 3 seats.
CITY_SEATS = (5,) * 10 + (4,) * 12 + (3,) * 9
CITY_DELEGATES = 125
CITY_VICE_CHAIRS = 3
CITY_HISTORY_REELECTED = 12
CITY_HISTORY_RETIRED = 8

CITY_COMMITTEES = (
    ("Ban Kinh tế – Ngân sách", "Kinh tế, ngân sách, tài chính, đầu tư"),
    ("Ban Đô thị", "Quy hoạch, xây dựng, giao thông, tài nguyên và môi trường đô thị"),
    ("Ban Văn hóa – Xã hội", "Giáo dục, y tế, văn hóa, lao động và an sinh xã hội"),
    ("Ban Pháp chế", "Thi hành pháp luật, quốc phòng, an ninh, xây dựng chính quyền"),
)
CITY_COMMITTEE_DEPUTIES = 2
CITY_COMMITTEE_MEMBERS = 8
COMMUNE_COMMITTEES = (
    ("Ban Pháp chế", "Thi hành pháp luật, an ninh, trật tự, xây dựng chính quyền"),
    ("Ban Kinh tế – Xã hội", "Kinh tế, ngân sách, văn hóa, xã hội"),
)
COMMUNE_COMMITTEE_MEMBERS = 3
COMMUNE_DELEGATES = (15, 30)


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: AgencyKind
    head_title: str
    deputy_title: str


_DIRECTOR = ("Giám đốc", "Phó Giám đốc")
_CHAIR = ("Chủ tịch", "Phó Chủ tịch")
CITY_PEOPLES_COMMITTEE = AgencySpec(
    "UBND", "Ủy ban nhân dân thành phố Hà Nội", AgencyKind.PEOPLES_COMMITTEE, *_CHAIR
)
CITY_DEPARTMENTS = (
    AgencySpec(
        "VP-UBND",
        "Văn phòng UBND thành phố",
        AgencyKind.DEPARTMENT,
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
    ),
    AgencySpec("SNV", "Sở Nội vụ", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("STP", "Sở Tư pháp", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("STC", "Sở Tài chính", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SCT", "Sở Công Thương", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SNNMT", "Sở Nông nghiệp và Môi trường", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SXD", "Sở Xây dựng", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SKHCN", "Sở Khoa học và Công nghệ", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SGDDT", "Sở Giáo dục và Đào tạo", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SYT", "Sở Y tế", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SVHTT", "Sở Văn hóa và Thể thao", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SDL", "Sở Du lịch", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SDTTG", "Sở Dân tộc và Tôn giáo", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec("SQHKT", "Sở Quy hoạch – Kiến trúc", AgencyKind.DEPARTMENT, *_DIRECTOR),
    AgencySpec(
        "TTTP",
        "Thanh tra thành phố",
        AgencyKind.DEPARTMENT,
        "Chánh Thanh tra",
        "Phó Chánh Thanh tra",
    ),
    AgencySpec("CATP", "Công an thành phố Hà Nội", AgencyKind.OTHER, *_DIRECTOR),
    AgencySpec(
        "BCHQS",
        "Bộ Chỉ huy Quân sự thành phố Hà Nội",
        AgencyKind.OTHER,
        "Chỉ huy trưởng",
        "Phó Chỉ huy trưởng",
    ),
    AgencySpec(
        "BQLKCN",
        "Ban Quản lý các khu công nghiệp và chế xuất Hà Nội",
        AgencyKind.OTHER,
        "Trưởng ban",
        "Phó Trưởng ban",
    ),
    AgencySpec(
        "DPTTH", "Đài Phát thanh và Truyền hình Hà Nội", AgencyKind.PUBLIC_SERVICE, *_DIRECTOR
    ),
    AgencySpec(
        "QDTPT", "Quỹ Đầu tư phát triển thành phố Hà Nội", AgencyKind.PUBLIC_SERVICE, *_DIRECTOR
    ),
)
AGENCY_RESPONDER_AGENCY = "Sở Xây dựng"
COMMITTEE_MEMBER_COMMITTEE = "Ban Đô thị"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role


# One account per role. Where each one works is decided in `_create_accounts`.
DEMO_ACCOUNTS = (
    DemoAccount("vanphong", Role.OFFICE_STAFF),
    DemoAccount("thuongtruc", Role.STANDING_COMMITTEE),
    DemoAccount("ban_dothi", Role.COMMITTEE_MEMBER),
    DemoAccount("daibieu", Role.DELEGATE),
    DemoAccount("so_xaydung", Role.AGENCY_RESPONDER),
    DemoAccount("phuong_hoankiem", Role.COMMUNE_OFFICER),
    DemoAccount("baucu", Role.ELECTION_OFFICER),
    DemoAccount("quantri", Role.SYSTEM_ADMIN),
)
SUPERUSER_ROLES = {Role.SYSTEM_ADMIN}


def demo_totp_key(username: str) -> str:
    """A fixed key per demo account, so the secret printed by demo_logins stays valid."""
    seed = f"hdnd-demo:{username}".encode()
    return hashlib.sha1(seed, usedforsecurity=False).hexdigest()


# Names and people

FAMILY_NAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Phan", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trịnh", 1),
    ("Đào", 1),
    ("Lương", 1),
    ("Tạ", 1),
    ("Chu", 1),
)
MIDDLE_NAMES = {
    Gender.MALE: (
        "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Mạnh", "Tiến", "Ngọc",
        "Thanh", "Duy", "Anh", "Trọng", "Việt", "Đình", "Hồng", "Kim",
    ),
    Gender.FEMALE: (
        "Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Thúy", "Hồng", "Phương",
        "Kim", "Bích", "Diệu", "Hải", "Lan", "Mai",
    ),
}  # fmt: skip
GIVEN_NAMES = {
    Gender.MALE: (
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Hưng", "Huy",
        "Khánh", "Kiên", "Lâm", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn", "Thắng",
        "Thành", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Hoàng", "Tâm", "Thịnh", "Toàn",
        "Quyết", "Đông", "Hà", "Khôi", "Phúc", "Lộc", "Nghĩa",
    ),
    Gender.FEMALE: (
        "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền",
        "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
        "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Hồng", "Thu", "Lệ",
    ),
}  # fmt: skip
# Faker's vi_VN streets are from all over the country; these are Hanoi's.
HANOI_STREETS = (
    "Đinh Tiên Hoàng", "Lê Thái Tổ", "Hàng Bài", "Tràng Thi", "Lý Thường Kiệt", "Quang Trung",
    "Bà Triệu", "Trần Hưng Đạo", "Điện Biên Phủ", "Kim Mã", "Đội Cấn", "Hoàng Hoa Thám",
    "Nguyễn Chí Thanh", "Láng Hạ", "Giảng Võ", "Xã Đàn", "Tây Sơn", "Giải Phóng",
    "Minh Khai", "Bạch Mai", "Lạc Long Quân", "Âu Cơ", "Nghi Tàm", "Cầu Giấy", "Xuân Thủy",
    "Trần Duy Hưng", "Phạm Hùng", "Lê Văn Lương", "Nguyễn Trãi", "Quang Trung (Hà Đông)",
    "Nguyễn Văn Cừ", "Ngọc Lâm", "Nguyễn Văn Linh", "Phạm Văn Đồng", "Hồ Tùng Mậu",
    "Lê Trọng Tấn", "Chùa Bộc", "Thái Hà", "Kim Liên", "Tam Trinh",
)  # fmt: skip
MINORITY_ETHNICITIES = ("Mường", "Tày", "Dao", "Thái", "Nùng")
PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "086", "088", "035", "038")


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


# The load


@dataclass
class DemoReport:
    already_loaded: bool = False
    created: Counter[str] = field(default_factory=Counter)


@dataclass
class _Demo:
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


def city_council() -> Council | None:
    return (
        Council.objects.filter(
            level=CouncilLevel.PROVINCE,
            unit__code=CITY_UNIT_CODE,
            unit__valid_until__isnull=True,
        )
        .select_related("unit")
        .first()
    )


def demo_is_loaded(city: Council) -> bool:
    return Term.objects.filter(council=city, start_date=CITY_TERM_XVII.start).exists()


def load_demo(*, progress: Progress | None = None) -> DemoReport:
    city = city_council()
    if city is None:
        raise DemoUnitsMissing(_("Load the administrative units first: manage.py load_units"))
    if demo_is_loaded(city):
        return DemoReport(already_loaded=True)
    demo = _Demo(city=city, progress=progress or (lambda message: None))
    with transaction.atomic():
        refs = _create_city(demo)
        communes = _create_commune_councils(demo)
        demo.progress(_("Demo accounts"))
        _create_accounts(demo, refs)
        record_event(
            actor=None,
            action="councils.demo.load",
            council=city,
            summary=_("Demo dataset loaded: %(people)d people in %(councils)d councils")
            % {"people": demo.created["person"], "councils": 1 + communes},
            changes=dict(sorted(demo.created.items())),
        )
    return DemoReport(created=demo.created)


# The city council


@dataclass
class _CityRefs:
    """City records the demo accounts attach to."""

    vice_chair: Person
    delegate: Person
    committee_member: Person
    committees: dict[str, Committee]
    agencies: dict[str, Agency]


def _create_city(demo: _Demo) -> _CityRefs:
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
    return _CityRefs(
        vice_chair=memberships[1].person,
        delegate=next(m.person for m, seat in zip(memberships, plan, strict=True) if not seat.role),
        committee_member=next(
            m.person
            for m, seat in zip(memberships, plan, strict=True)
            if seat.committee == COMMITTEE_MEMBER_COMMITTEE and seat.role == CommitteeRole.MEMBER
        ),
        committees=committees,
        agencies=agencies,
    )


def _term(council: Council, spec: TermSpec) -> Term:
    return Term(
        council=council,
        number=spec.number,
        name=spec.name,
        start_date=spec.start,
        end_date=spec.end,
    )


def _create_city_terms(demo: _Demo) -> tuple[Term, Term]:
    term_xvi, term_xvii = demo.save(
        [_term(demo.city, CITY_TERM_XVI), _term(demo.city, CITY_TERM_XVII)]
    )
    return term_xvi, term_xvii


def _create_constituencies(demo: _Demo, term: Term) -> list[Constituency]:
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


CITY_OCCUPATIONS = (
    "Bí thư Thành đoàn Hà Nội",
    "Chủ tịch Liên đoàn Lao động thành phố Hà Nội",
    "Chủ tịch Hội Liên hiệp Phụ nữ thành phố Hà Nội",
    "Chủ tịch Hội Nông dân thành phố Hà Nội",
    "Chủ tịch Hội Cựu chiến binh thành phố Hà Nội",
    "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội",
    "Phó Chánh án Tòa án nhân dân thành phố Hà Nội",
    "Phó Viện trưởng Viện kiểm sát nhân dân thành phố Hà Nội",
    "Phó Giám đốc Công an thành phố Hà Nội",
    "Phó Chỉ huy trưởng Bộ Chỉ huy Quân sự thành phố Hà Nội",
    "Giám đốc Bệnh viện Đa khoa Xanh Pôn",
    "Phó Giám đốc Bệnh viện Bạch Mai",
    "Hiệu trưởng Trường Đại học Thủ đô Hà Nội",
    "Giảng viên Trường Đại học Bách khoa Hà Nội",
    "Giảng viên Trường Đại học Quốc gia Hà Nội",
    "Chủ tịch Hiệp hội Doanh nghiệp nhỏ và vừa thành phố Hà Nội",
    "Luật sư, Đoàn Luật sư thành phố Hà Nội",
    "Nghệ sĩ nhân dân, Nhà hát Chèo Hà Nội",
    "Tổng Biên tập Báo Hà Nội mới",
    "Chủ tịch Liên minh Hợp tác xã thành phố Hà Nội",
)
CITY_OCCUPATION_TEMPLATES = (
    "Giám đốc {department}",
    "Phó Giám đốc {department}",
    "Bí thư Đảng ủy {commune}",
    "Chủ tịch UBND {commune}",
    "Chủ tịch HĐND {commune}",
    "Hiệu trưởng Trường Trung học phổ thông {place}",
    "Bác sĩ, Trung tâm Y tế khu vực {place}",
    "Giám đốc Công ty cổ phần Đầu tư {place}",
    "Chủ nhiệm Hợp tác xã nông nghiệp {place}",
)


def _city_occupation(demo: _Demo, seat: _Seat, unique: Iterator[str], communes: list[str]) -> str:
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
    demo: _Demo, term: Term, constituencies: list[Constituency], plan: list[_Seat]
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
    demo: _Demo, memberships: list[Membership], plan: list[_Seat]
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
    demo: _Demo, term: Term, constituencies: list[Constituency], memberships: list[Membership]
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


def _create_city_history(demo: _Demo, term: Term, current: list[Membership]) -> None:
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


def _create_city_agencies(demo: _Demo) -> dict[str, Agency]:
    """The city People's Committee and the departments under it, each with a head and deputy."""
    ubnd = _agency(demo, demo.city, CITY_PEOPLES_COMMITTEE, parent=None)
    demo.save([ubnd])
    departments = [_agency(demo, demo.city, spec, parent=ubnd) for spec in CITY_DEPARTMENTS]
    demo.save(departments)
    specs = [CITY_PEOPLES_COMMITTEE, *CITY_DEPARTMENTS]
    agencies = [ubnd, *departments]
    _create_officials(demo, list(zip(agencies, specs, strict=True)), start=dt.date(2025, 7, 1))
    return {agency.name: agency for agency in agencies}


def _agency(
    demo: _Demo,
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


def _create_officials(
    demo: _Demo, agencies: list[tuple[Agency, AgencySpec]], *, start: dt.date
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


# The commune councils


COMMUNE_OCCUPATIONS = (
    "Bí thư Chi bộ {hamlet}",
    "Trưởng {hamlet}",
    "Giáo viên Trường Tiểu học {place}",
    "Giáo viên Trường Trung học cơ sở {place}",
    "Hiệu trưởng Trường Mầm non {place}",
    "Trạm trưởng Trạm Y tế {commune}",
    "Chủ tịch Hội Nông dân {commune}",
    "Chủ tịch Hội Cựu chiến binh {commune}",
    "Chủ tịch Hội Liên hiệp Phụ nữ {commune}",
    "Bí thư Đoàn Thanh niên {commune}",
    "Trưởng Công an {commune}",
    "Chỉ huy trưởng Ban Chỉ huy quân sự {commune}",
    "Công chức Văn phòng HĐND và UBND {commune}",
    "Chủ nhiệm Hợp tác xã {place}",
    "Kinh doanh, {place}",
    "Bác sĩ, Trung tâm Y tế khu vực {place}",
)


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

    def save(self, demo: _Demo) -> None:
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


def _commune_councils(demo: _Demo) -> list[Council]:
    return list(
        Council.objects.filter(parent=demo.city, unit__valid_until__isnull=True)
        .select_related("unit")
        .order_by("unit__code")
    )


def _batched(items: list[Council], size: int) -> Iterator[list[Council]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _create_commune_councils(demo: _Demo) -> int:
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


def _plan_commune(demo: _Demo, batch: _CommuneBatch, council: Council, people: PersonMaker) -> None:
    term = _term(council, COMMUNE_TERM)
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
            "", f"Trung tâm Phục vụ hành chính công {where}", AgencyKind.PUBLIC_SERVICE, *_DIRECTOR
        ),
    ]


def _plan_commune_agencies(
    demo: _Demo, batch: _CommuneBatch, council: Council, people: PersonMaker
) -> None:
    """The commune People's Committee with its chair and vice-chair, and its offices."""
    where = lower_kind(council.unit.name)
    ubnd_spec = AgencySpec("", f"Ủy ban nhân dân {where}", AgencyKind.PEOPLES_COMMITTEE, *_CHAIR)
    mailbox = "ubnd." + council.unit.codename.replace("_", "")
    ubnd = _agency(demo, council, ubnd_spec, parent=None, place=where, mailbox=mailbox)
    batch.peoples_committees.append(ubnd)
    posts = [(ubnd, ubnd_spec.head_title, True), (ubnd, ubnd_spec.deputy_title, False)]
    for spec in _commune_offices(council.unit.name):
        office = _agency(demo, council, spec, parent=ubnd, place=where)
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


# Demo accounts


def _create_accounts(demo: _Demo, refs: _CityRefs) -> None:
    hoan_kiem = Council.objects.get(
        unit__code=HOAN_KIEM_UNIT_CODE, unit__valid_until__isnull=True, parent=demo.city
    )
    linked_people = {
        Role.STANDING_COMMITTEE: refs.vice_chair,
        Role.DELEGATE: refs.delegate,
        Role.COMMITTEE_MEMBER: refs.committee_member,
    }
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow part of creating users
    users = []
    for account in DEMO_ACCOUNTS:
        person = linked_people.get(account.role)
        gender = demo.rng.choice([Gender.FEMALE, Gender.MALE])
        family, middle, given = (
            person.full_name.split(" ", 2) if person else demo.people.name(gender)
        )
        users.append(
            User(
                username=account.username,
                email=f"{account.username}@{DEMO_EMAIL_DOMAIN}",
                first_name=given,
                last_name=f"{family} {middle}",
                password=password,
                person=person,
                is_staff=account.role in SUPERUSER_ROLES,
                is_superuser=account.role in SUPERUSER_ROLES,
            )
        )
    demo.save(users)
    start = CITY_TERM_XVII.start
    demo.save(
        [
            RoleAssignment(
                user=user,
                council=hoan_kiem if account.role == Role.COMMUNE_OFFICER else demo.city,
                role=account.role,
                committee=refs.committees[COMMITTEE_MEMBER_COMMITTEE]
                if account.role == Role.COMMITTEE_MEMBER
                else None,
                agency=refs.agencies[AGENCY_RESPONDER_AGENCY]
                if account.role == Role.AGENCY_RESPONDER
                else None,
                start_date=start,
            )
            for account, user in zip(DEMO_ACCOUNTS, users, strict=True)
        ]
    )
    demo.save(
        [
            TOTPDevice(user=user, name="demo", key=demo_totp_key(user.username), confirmed=True)
            for account, user in zip(DEMO_ACCOUNTS, users, strict=True)
            if account.role in SECOND_FACTOR_ROLES
        ]
    )
