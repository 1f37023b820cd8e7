"""factory_boy factories for tests. Test setup may write directly; the code under test
goes through services."""

import datetime as dt

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import Role, RoleAssignment, User
from hdnd.councils.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    AgencyOfficial,
    Committee,
    Constituency,
    Council,
    CouncilLevel,
    DelegateGroup,
    Membership,
    Person,
    Position,
    Term,
    UnitKind,
    UnitLevel,
)
from hdnd.lib.vietnamese import fold


class ProvinceUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("code", "level")

    code = "01"
    name = "Thành phố Hà Nội"
    codename = "ha_noi"
    kind = UnitKind.CENTRAL_CITY
    level = UnitLevel.PROVINCE
    search_text = factory.LazyAttribute(lambda unit: fold(unit.name))


class CommuneUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Phường Thử Nghiệm {n}")
    kind = UnitKind.WARD
    level = UnitLevel.COMMUNE
    parent = factory.SubFactory(ProvinceUnitFactory)
    search_text = factory.LazyAttribute(lambda unit: fold(unit.name))


class CityCouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("unit",)

    unit = factory.SubFactory(ProvinceUnitFactory)
    level = CouncilLevel.PROVINCE
    name = factory.LazyAttribute(lambda council: f"Hội đồng nhân dân {council.unit.name}")
    search_text = factory.LazyAttribute(lambda council: fold(council.name))


class CommuneCouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    unit = factory.SubFactory(CommuneUnitFactory)
    level = CouncilLevel.COMMUNE
    parent = factory.SubFactory(CityCouncilFactory)
    name = factory.LazyAttribute(lambda council: f"Hội đồng nhân dân {council.unit.name}")
    search_text = factory.LazyAttribute(lambda council: fold(council.name))


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    council = factory.SubFactory(CityCouncilFactory)
    number = 17
    name = "Khóa XVII"
    start_date = dt.date(2026, 3, 15)
    end_date = dt.date(2031, 3, 14)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    gender = "male"
    search_text = factory.LazyAttribute(lambda person: fold(person.full_name))


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency

    term = factory.SubFactory(TermFactory)
    council = factory.LazyAttribute(lambda constituency: constituency.term.council)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda constituency: f"Đơn vị bầu cử số {constituency.number}")
    seats = 4


def _list_in_directory(obj: object, create: bool, extracted: object, **kwargs: object) -> None:
    # What the services do when they add a seat or a post.
    if create:
        Person.objects.filter(pk=obj.person_id).update(in_directory=True)  # type: ignore[attr-defined]


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    listed = factory.PostGeneration(_list_in_directory)

    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory)
    council = factory.LazyAttribute(lambda membership: membership.term.council)
    position = Position.DELEGATE
    start_date = factory.LazyAttribute(lambda membership: membership.term.start_date)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    council = factory.SubFactory(CityCouncilFactory)
    name = factory.Sequence(lambda n: f"Ban Thử nghiệm {n}")
    search_text = factory.LazyAttribute(lambda committee: fold(committee.name))


class DelegateGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegateGroup

    term = factory.SubFactory(TermFactory)
    council = factory.LazyAttribute(lambda group: group.term.council)
    name = factory.Sequence(lambda n: f"Tổ đại biểu số {n + 1}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    council = factory.SubFactory(CityCouncilFactory)
    kind = AgencyKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    search_text = factory.LazyAttribute(lambda agency: fold(agency.name))


class AgencyOfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyOfficial
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    person = factory.SubFactory(PersonFactory)
    title = "Giám đốc"
    start_date = dt.date(2026, 1, 1)
    listed = factory.PostGeneration(_list_in_directory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-du-dai-2026")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save(update_fields=["password"])


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    council = factory.SubFactory(CityCouncilFactory)
    role = Role.OFFICE_STAFF
    start_date = dt.date(2026, 1, 1)


def add_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)
