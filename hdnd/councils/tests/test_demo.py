import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import SECOND_FACTOR_ROLES, Role, RoleAssignment, User
from hdnd.core.models import AuditEvent
from hdnd.councils.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_totp_key
from hdnd.councils.demo.data import CITY_TERM_XVI
from hdnd.councils.demo.load import load_demo
from hdnd.councils.demo.people import PersonMaker
from hdnd.councils.management.commands.demo_logins import current_code
from hdnd.councils.models import (
    Agency,
    AgencyOfficial,
    Committee,
    CommitteeRole,
    CommitteeSeat,
    Constituency,
    Council,
    CouncilLevel,
    DelegateGroup,
    GroupRole,
    Membership,
    Person,
    Position,
)

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@pytest.fixture
def demo() -> Council:
    call_command("load_units", "--province", "01", stdout=StringIO())
    call_command("load_demo", outside_debug=True, stdout=StringIO())
    return Council.objects.get(unit__code="01", level=CouncilLevel.PROVINCE)


def _count_by(queryset, field):
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id"))}


def test_the_city_council_has_125_delegates_in_31_constituencies(demo):
    current = Membership.objects.filter(
        council=demo, term__number=17, end_date__isnull=True
    ).select_related("constituency")
    assert current.count() == 125
    constituencies = Constituency.objects.filter(council=demo, term__number=17)
    assert constituencies.count() == 31
    assert constituencies.aggregate(total=Sum("seats"))["total"] == 125
    elected = _count_by(current, "constituency_id")
    assert all(elected[c.pk] == c.seats for c in constituencies)
    assert all(c.units.exists() for c in constituencies)
    assert current.filter(position=Position.CHAIR).count() == 1
    assert current.filter(position=Position.VICE_CHAIR).count() == 3
    assert current.filter(position=Position.STANDING_MEMBER).count() == 4
    assert current.filter(is_full_time=True).exists()
    assert not Person.objects.filter(search_text="").exists()


def test_the_city_council_has_committees_groups_agencies_and_history(demo):
    committees = Committee.objects.filter(council=demo)
    assert sorted(committees.values_list("name", flat=True)) == [
        "Ban Kinh tế – Ngân sách",
        "Ban Pháp chế",
        "Ban Văn hóa – Xã hội",
        "Ban Đô thị",
    ]
    for committee in committees:
        seats = CommitteeSeat.objects.filter(committee=committee)
        assert seats.filter(role=CommitteeRole.HEAD).count() == 1
        assert seats.filter(role=CommitteeRole.DEPUTY).count() == 2
        assert seats.filter(role=CommitteeRole.MEMBER).count() == 8
    groups = DelegateGroup.objects.filter(council=demo, term__number=17)
    assert groups.count() == 31
    for group in groups:
        assert group.members.filter(role=GroupRole.LEADER).count() == 1
        assert group.members.filter(role=GroupRole.DEPUTY).count() == 1
    ubnd = Agency.objects.get(council=demo, kind="ubnd")
    assert ubnd.children.count() >= 19
    assert AgencyOfficial.objects.filter(agency__council=demo, is_head=True).count() == 21
    ended = Membership.objects.filter(council=demo, term__number=16)
    assert ended.exists()
    assert set(ended.values_list("end_date", flat=True)) == {CITY_TERM_XVI.end}


def test_every_commune_council_of_hanoi_has_delegates_committees_and_agencies(demo):
    communes = Council.objects.filter(parent=demo)
    assert communes.count() == 126
    delegates = _count_by(Membership.objects.filter(council__parent=demo), "council_id")
    assert len(delegates) == 126
    assert all(15 <= count <= 30 for count in delegates.values())
    chairs = Membership.objects.filter(council__parent=demo, position=Position.CHAIR)
    assert chairs.count() == 126
    assert Committee.objects.filter(council__parent=demo).count() == 2 * 126
    assert Agency.objects.filter(council__parent=demo, kind="ubnd").count() == 126
    economy = Agency.objects.get(council__unit__code="00070", name__startswith="Phòng Kinh tế")
    assert economy.name == "Phòng Kinh tế, Hạ tầng và Đô thị phường Hoàn Kiếm"


def test_every_role_has_a_demo_account_and_staff_have_a_confirmed_device(demo):
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assert RoleAssignment.objects.filter(user=user, role=account.role).exists()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if account.role in SECOND_FACTOR_ROLES:
            assert device is not None
            assert device.key == demo_totp_key(user.username)
            assert device.verify_token(current_code(device))
        else:
            assert device is None
    admin = User.objects.get(username="quantri")
    assert admin.is_staff and admin.is_superuser
    commune_officer = RoleAssignment.objects.get(user__username="phuong_hoankiem")
    assert commune_officer.council.unit.code == "00070"


def test_the_delegate_account_is_an_ordinary_delegate_and_the_standing_one_a_leader(demo):
    delegate = User.objects.get(username="daibieu")
    assert delegate.person is not None
    seat = delegate.person.memberships.get(council=demo, term__number=17)
    assert seat.position == Position.DELEGATE
    assert not CommitteeSeat.objects.filter(membership=seat).exists()

    standing = User.objects.get(username="thuongtruc")
    assert standing.person is not None
    seat = standing.person.memberships.get(council=demo, term__number=17)
    assert seat.position in {Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER}
    assert standing.person != delegate.person


@pytest.mark.usefixtures("demo")
def test_a_second_load_creates_nothing_and_the_logins_list_every_account():
    models = [Person, Membership, Committee, Agency, AgencyOfficial, User, TOTPDevice]
    before = [model.objects.count() for model in models]
    assert load_demo().already_loaded
    call_command("load_demo", outside_debug=True, stdout=StringIO())
    assert [model.objects.count() for model in models] == before
    assert AuditEvent.objects.filter(action="councils.demo.load").count() == 1

    out = StringIO()
    call_command("demo_logins", stdout=out)

    output = out.getvalue()
    assert "http://127.0.0.1:8000" in output
    for account in DEMO_ACCOUNTS:
        assert account.username in output


def test_made_up_people_are_the_same_on_every_run():
    first = PersonMaker(random.Random(2026)).person(occupation="")
    again = PersonMaker(random.Random(2026)).person(occupation="")
    assert (first.full_name, first.birth_date, first.email) == (
        again.full_name,
        again.birth_date,
        again.email,
    )
    assert len(first.full_name.split(" ")) == 3


def test_it_refuses_to_load_the_demo_outside_development(db, settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
