"""The admin for reference data runs the registry's rules and writes the audit trail."""

import pytest
from django.urls import reverse

from hdnd.accounts.models import Role
from hdnd.core.models import AuditEvent
from hdnd.councils.models import Membership, Person
from hdnd.testing import factories


@pytest.fixture
def admin_client(client, login, city_council):
    assignment = factories.RoleAssignmentFactory(council=city_council, role=Role.SYSTEM_ADMIN)
    user = assignment.user
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    factories.add_totp_device(user)
    return login(client, user)


def _membership_form(person, council, term, **extra):
    data = {
        "person": person.pk,
        "council": council.pk,
        "term": term.pk,
        "position": "delegate",
        "start_date": "15/03/2026",
        "end_reason": "",
    }
    data.update(extra)
    return data


def test_the_admin_adds_a_membership_audits_it_and_lists_the_person(admin_client, city_council):
    term = factories.TermFactory(council=city_council)
    person = factories.PersonFactory()
    response = admin_client.post(
        reverse("admin:councils_membership_add"), _membership_form(person, city_council, term)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Membership.objects.filter(person=person).count() == 1
    assert Person.objects.get(pk=person.pk).in_directory
    assert AuditEvent.objects.filter(action="councils.membership.add.admin").exists()


def test_the_admin_refuses_an_overlapping_membership_with_the_reason(admin_client, city_council):
    term = factories.TermFactory(council=city_council)
    existing = factories.MembershipFactory(term=term)
    response = admin_client.post(
        reverse("admin:councils_membership_add"),
        _membership_form(existing.person, city_council, term),
    )
    assert response.status_code == 200
    assert existing.person.full_name in response.text
    assert Membership.objects.filter(person=existing.person).count() == 1


def test_the_admin_keeps_contact_values_out_of_the_trail(admin_client):
    person = factories.PersonFactory(full_name="Lê Thị Lan")
    response = admin_client.post(
        reverse("admin:councils_person_change", args=[person.pk]),
        {
            "full_name": "Lê  Thị Lan",
            "gender": "female",
            "email": "lan@example.vn",
            "phone": "0987654321",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="councils.person.change.admin")
    assert "0987654321" not in str(event.changes)
    assert "lan@example.vn" not in str(event.changes)
    assert Person.objects.get(pk=person.pk).full_name == "Lê Thị Lan"


def test_every_admin_page_renders(admin_client, city_council):
    from django.contrib import admin

    factories.AgencyFactory(council=city_council)
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, info
        if model_admin.has_add_permission(changelist.wsgi_request):
            add = admin_client.get(reverse("admin:{}_{}_add".format(*info)))
            assert add.status_code == 200, info


def test_the_admin_audits_an_agency_and_its_officials(admin_client, city_council):
    person = factories.PersonFactory()
    prefix = "officials"
    response = admin_client.post(
        reverse("admin:councils_agency_add"),
        {
            "council": city_council.pk,
            "kind": "department",
            "name": "Sở  Tư pháp",
            "short_name": "",
            "code": "",
            "email": "",
            "phone": "",
            "address": "",
            "is_active": "on",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-person": person.pk,
            f"{prefix}-0-title": "Giám đốc",
            f"{prefix}-0-is_head": "on",
            f"{prefix}-0-start_date": "01/01/2026",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AuditEvent.objects.filter(action="councils.agency.add.admin").exists()
    assert AuditEvent.objects.filter(action="councils.agencyofficial.save.admin").exists()
    assert Person.objects.get(pk=person.pk).in_directory


def test_the_admin_refuses_a_second_head_of_an_agency(admin_client, city_council):
    agency = factories.AgencyFactory(council=city_council)
    factories.AgencyOfficialFactory(agency=agency, is_head=True)
    prefix = "officials"
    response = admin_client.post(
        reverse("admin:councils_agency_change", args=[agency.pk]),
        {
            "council": city_council.pk,
            "kind": agency.kind,
            "name": agency.name,
            "is_active": "on",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-person": factories.PersonFactory().pk,
            f"{prefix}-0-title": "Giám đốc",
            f"{prefix}-0-is_head": "on",
            f"{prefix}-0-start_date": "01/02/2026",
        },
    )
    assert response.status_code == 200
    assert agency.officials.count() == 1


def test_ending_a_membership_in_the_admin_ends_its_committee_seats(admin_client, city_council):
    import datetime as dt

    from hdnd.councils.models import CommitteeSeat

    term = factories.TermFactory(council=city_council)
    membership = factories.MembershipFactory(term=term)
    seat = CommitteeSeat.objects.create(
        committee=factories.CommitteeFactory(council=city_council),
        membership=membership,
        role="member",
        start_date=term.start_date,
    )
    response = admin_client.post(
        reverse("admin:councils_membership_change", args=[membership.pk]),
        _membership_form(
            membership.person,
            city_council,
            term,
            end_date="30/06/2028",
            end_reason="Chuyển công tác",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    seat.refresh_from_db()
    assert seat.end_date == dt.date(2028, 6, 30)
