"""Bad input and races found in review: each answered with a clear refusal, never a 500."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hdnd.accounts.models import Role
from hdnd.core.errors import Conflict
from hdnd.councils.access import can_view_person_contact
from hdnd.councils.models import Committee
from hdnd.councils.services.committees import create_committee
from hdnd.testing import factories


@pytest.mark.parametrize("code", ["%00", "00070%00", "abc", "1" * 40])
def test_a_malformed_unit_code_is_a_404(client, db, code):
    assert client.get(f"/directory/units/{code}/").status_code == 404
    assert client.get(f"/directory/units/{code}/former/").status_code == 404


def test_load_units_refuses_an_unknown_province(db):
    with pytest.raises(CommandError):
        call_command("load_units", "--province", "99", stdout=StringIO())


def test_a_concurrent_duplicate_committee_is_a_conflict_not_a_crash(city_staff, city_council):
    # Another request inserted the same name a moment ago (its folded form not yet compared).
    Committee.objects.create(council=city_council, name="Ban Đô thị", search_text="stale")
    with pytest.raises(Conflict):
        create_committee(actor=city_staff, council=city_council, name="Ban Đô thị")


def test_a_delegate_does_not_see_other_delegates_contact_details(city_council):
    term = factories.TermFactory(council=city_council)
    colleague = factories.MembershipFactory(term=term).person
    delegate = factories.RoleAssignmentFactory(council=city_council, role=Role.DELEGATE).user
    office = factories.RoleAssignmentFactory(council=city_council, role=Role.OFFICE_STAFF).user
    assert not can_view_person_contact(user=delegate, person=colleague)
    assert can_view_person_contact(user=office, person=colleague)


def test_the_memberships_filter_does_not_confirm_people_outside_the_directory(
    client, login, city_staff
):
    hidden = factories.PersonFactory()
    login(client, city_staff)
    response = client.get("/api/v1/memberships/", {"person": hidden.pk})
    assert response.status_code == 400
    assert "person" in response.json()["error"]["fields"]


def test_an_officials_private_facts_stay_off_the_person_page(client, city_council):
    official = factories.AgencyOfficialFactory(
        agency=factories.AgencyFactory(council=city_council),
        person=factories.PersonFactory(occupation="Bí mật", ethnicity="Tày"),
    )
    page = client.get(f"/directory/people/{official.person_id}/")
    assert page.status_code == 200
    assert "Bí mật" not in page.text
    assert "Tày" not in page.text
