"""The routing table page, the routing panel on the petition page, and the routing actions
as the office uses them; who may see and do what."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Committee, Council
from hdnd.petitions.models import (
    CompetenceLevel,
    DeadlineRule,
    FieldCommittee,
    Petition,
    PetitionStatus,
    RouteKind,
    RoutingRule,
    SessionCycle,
)
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


@pytest.fixture(autouse=True)
def _today(time_machine: Any, settings: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False)
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def routed(city_council: Council, agency_a: Agency) -> RoutingRule:
    return pf.RoutingRuleFactory(
        council=city_council, field=pf.field("giao-thong"), agency=agency_a
    )


def routing_url(council: Council) -> str:
    return reverse("petitions:routing", args=[council.pk])


# The routing table page.


def test_the_office_sees_the_routing_table_and_its_history(
    client: Client, login: Login, city_staff: User, routed: RoutingRule, committee: Committee
) -> None:
    RoutingRule.objects.create(
        council=routed.council,
        field=routed.field,
        level=CompetenceLevel.COMMUNE,
        agency=routed.agency,
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    login(client, city_staff)
    body = client.get(routing_url(routed.council)).content.decode()
    assert "Sở Xây dựng" in body
    assert "Ban Đô thị" in body
    assert "31/12/2025" in body  # the closed row, in the history


def test_the_office_routes_a_field_to_another_agency(
    client: Client, login: Login, city_staff: User, routed: RoutingRule, agency_b: Agency
) -> None:
    login(client, city_staff)
    response = client.post(
        routing_url(routed.council),
        {
            "form": "rule",
            "rule-field": routed.field_id,
            "rule-level": "city",
            "rule-agency": agency_b.pk,
            "rule-note": "",
        },
    )
    assert response.status_code == 302
    current = RoutingRule.objects.get(council=routed.council, valid_until__isnull=True)
    assert current.agency == agency_b


def test_a_refused_rule_shows_the_form_again_with_the_message(
    client: Client, login: Login, city_staff: User, routed: RoutingRule
) -> None:
    login(client, city_staff)
    response = client.post(
        routing_url(routed.council),
        {
            "form": "rule",
            "rule-field": routed.field_id,
            "rule-level": "city",
            "rule-agency": routed.agency_id,
        },
    )
    assert response.status_code == 200
    assert "already says this" in response.content.decode()
    assert RoutingRule.objects.count() == 1


def test_the_office_puts_a_committee_in_charge(
    client: Client, login: Login, city_staff: User, city_council: Council
) -> None:
    committee = factories.CommitteeFactory(council=city_council, name="Ban Văn hóa - Xã hội")
    login(client, city_staff)
    response = client.post(
        routing_url(city_council),
        {
            "form": "committee",
            "committee-field": pf.field("y-te").pk,
            "committee-committee": committee.pk,
        },
    )
    assert response.status_code == 302
    assert FieldCommittee.objects.get(council=city_council).committee == committee


@pytest.mark.parametrize("persona", ["outsider", "responder_b", "delegate_user", "anonymous"])
def test_only_the_office_opens_the_routing_table(
    client: Client, login: Login, city_council: Council, persona: str, request: Any
) -> None:
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    assert client.get(routing_url(city_council)).status_code == 403
    response = client.post(routing_url(city_council), {"form": "rule"})
    assert response.status_code == 403
    assert not RoutingRule.objects.exists()


def test_the_routing_table_page_makes_a_fixed_number_of_queries(
    client: Client,
    login: Login,
    city_staff: User,
    city_council: Council,
    agency_a: Agency,
    committee: Committee,
    django_assert_max_num_queries: Any,
) -> None:
    login(client, city_staff)
    url = routing_url(city_council)
    pf.RoutingRuleFactory(council=city_council, field=pf.field("y-te"), agency=agency_a)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for code in ("dat-dai", "giao-duc", "moi-truong", "dien-nuoc"):
        pf.RoutingRuleFactory(
            council=city_council,
            field=pf.field(code),
            agency=factories.AgencyFactory(council=city_council),
            valid_until=dt.date(2026, 2, 1),
        )
        pf.RoutingRuleFactory(
            council=city_council,
            field=pf.field(code),
            agency=factories.AgencyFactory(council=city_council),
            valid_from=dt.date(2026, 2, 2),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# The panel on the petition page.


def detail(petition: Petition) -> str:
    return reverse("petitions:detail", args=[petition.pk])


def test_the_panel_offers_the_office_the_proposed_agency(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    routed: RoutingRule,
    agency_b: Agency,
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, field=routed.field)
    login(client, city_staff)
    response = client.get(detail(petition))
    body = response.content.decode()
    assert "The routing table proposes Sở Xây dựng." in body
    assert f'<option value="{routed.agency_id}" selected>Sở Xây dựng</option>' in body
    assert reverse("petitions:petition_assign", args=[petition.pk]) in body
    assert reverse("petitions:petition_transfer", args=[petition.pk]) in body
    # A petition being consolidated cannot be re-routed yet.
    assert reverse("petitions:petition_reroute", args=[petition.pk]) not in body


def test_the_panel_shows_working_days_left_and_history_but_no_forms_to_a_responder(
    client: Client,
    login: Login,
    responder_a: User,
    cycle: SessionCycle,
    agency_a: Agency,
) -> None:
    rule = pf.DeadlineRuleFactory(council=cycle.council, days=20, counting="working")
    petition = pf.PetitionFactory(
        raised_in=cycle,
        field=pf.field(),
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        deadline_rule=rule,
        assigned_on=dt.date(2026, 2, 27),
        due_on=dt.date(2026, 3, 27),
    )
    petition.routes.create(agency=agency_a, role="lead", started_on=dt.date(2026, 2, 27))
    login(client, responder_a)
    body = client.get(detail(petition)).content.decode()
    assert "19 working days left" in body
    assert "Routing history" in body
    assert "<form" not in body.split('id="routing-heading"')[1].split("</section>")[0]


# The actions.


def action_url(name: str, petition: Petition) -> str:
    return reverse(f"petitions:petition_{name}", args=[petition.pk])


def test_the_office_assigns_from_the_panel(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    routed: RoutingRule,
    agency_b: Agency,
    deadline_rules: dict[str, DeadlineRule],
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, field=routed.field)
    login(client, city_staff)
    response = client.post(
        action_url("assign", petition),
        {
            "assign-version": petition.version,
            "assign-lead_agency": routed.agency_id,
            "assign-coordinating_agencies": [agency_b.pk],
            "assign-reason": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail(petition)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ASSIGNED
    assert petition.due_on == dt.date(2026, 4, 1)
    page = client.get(detail(petition)).content.decode()
    assert "The petition is sent to the agency." in page
    assert "30 days left" in page


def test_a_stale_form_is_shown_again_with_the_message(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle, agency_a: Agency
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, field=pf.field())
    Petition.objects.filter(pk=petition.pk).update(version=5)
    login(client, city_staff)
    response = client.post(
        action_url("forward", petition),
        {"forward-version": 1, "forward-reference": "77/HĐND-VP"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else changed this record" in body
    assert "77/HĐND-VP" in body  # nothing typed is lost
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CONSOLIDATING


def test_a_refused_transition_is_shown_on_the_action_page(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle, agency_a: Agency
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, field=pf.field())
    login(client, city_staff)
    response = client.post(
        action_url("reroute", petition),
        {
            "reroute-version": petition.version,
            "reroute-lead_agency": agency_a.pk,
            "reroute-reason": "x",
        },
    )
    assert response.status_code == 200
    assert "This cannot be done while the petition is" in response.content.decode()


def test_the_office_moves_a_petition_to_a_commune(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    commune_a: Council,
    commune_b: Council,
) -> None:
    term = factories.TermFactory(council=commune_a)
    pf.SessionCycleFactory(term=term, session_date=dt.date(2026, 6, 1))
    petition = pf.PetitionFactory(raised_in=cycle, field=pf.field())
    login(client, city_staff)
    form = client.get(action_url("transfer", petition)).content.decode()
    assert commune_a.name in form
    assert commune_b.name in form
    response = client.post(
        action_url("transfer", petition),
        {
            "transfer-version": petition.version,
            "transfer-to_council": commune_a.pk,
            "transfer-reason": "Thẩm quyền phường",
        },
    )
    assert response.status_code == 302
    successor = Petition.objects.get(predecessor=petition)
    assert successor.council == commune_a
    with translation.override("en"):
        page = client.get(detail(petition)).content.decode()
    assert successor.code in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("responder_b", 404), ("responder_a", 403), ("delegate_user", 403)],
)
def test_only_the_office_acts_on_a_petition(
    client: Client,
    login: Login,
    cycle: SessionCycle,
    agency_a: Agency,
    agency_b: Agency,
    persona: str,
    status: int,
    request: Any,
) -> None:
    petition = pf.PetitionFactory(
        raised_in=cycle, field=pf.field(), status=PetitionStatus.ASSIGNED, lead_agency=agency_a
    )
    login(client, request.getfixturevalue(persona))
    for name in ("assign", "reroute", "classify", "forward", "transfer", "escalate"):
        assert client.get(action_url(name, petition)).status_code == status
    response = client.post(
        action_url("reroute", petition),
        {
            "reroute-version": petition.version,
            "reroute-lead_agency": agency_b.pk,
            "reroute-reason": "x",
        },
    )
    assert response.status_code == status
    escalation = client.post(
        action_url("escalate", petition),
        {"escalate-version": petition.version, "escalate-reason": "x"},
    )
    assert escalation.status_code == status
    petition.refresh_from_db()
    assert petition.lead_agency == agency_a
    assert petition.escalated_on is None


def test_the_standalone_form_says_when_the_action_is_not_possible(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle, status=PetitionStatus.RESOLVED)
    login(client, city_staff)
    body = client.get(action_url("assign", petition)).content.decode()
    assert "This cannot be done while the petition is" in body
    assert "disabled" in body


def test_the_deadline_rules_page_lists_and_replaces_rules(
    client: Client,
    login: Login,
    city_staff: User,
    city_council: Council,
    deadline_rules: dict[str, DeadlineRule],
) -> None:
    login(client, city_staff)
    url = reverse("petitions:deadline_rules", args=[city_council.pk])
    assert "15 working days" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "route": RouteKind.OWN_AGENCY,
            "days": 20,
            "counting": "working",
            "remind_days_before": 3,
            "escalate_days_after": 5,
            "legal_basis": "Quy chế 2026",
        },
    )
    assert response.status_code == 302
    current = DeadlineRule.objects.get(
        council=city_council, route=RouteKind.OWN_AGENCY, valid_until__isnull=True
    )
    assert (current.days, current.counting) == (20, "working")
    page = client.get(url).content.decode()
    assert "Quy chế 2026" in page
    assert "01/03/2026" in page  # the old rule's last day, in the history


@pytest.mark.parametrize("persona", ["outsider", "responder_a", "standing_member"])
def test_only_the_office_changes_deadline_rules(
    client: Client, login: Login, city_council: Council, persona: str, request: Any
) -> None:
    login(client, request.getfixturevalue(persona))
    url = reverse("petitions:deadline_rules", args=[city_council.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"route": "own_agency", "days": 5, "counting": "calendar"}).status_code
        == 403
    )
    assert not DeadlineRule.objects.exists()


# Escalating to the standing committee by hand.


@pytest.fixture
def overdue(cycle: SessionCycle, agency_a: Agency, deadline_rules: Any) -> Petition:
    return pf.PetitionFactory(
        raised_in=cycle,
        field=pf.field(),
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency_a,
        assigned_on=dt.date(2026, 1, 20),
        due_on=dt.date(2026, 2, 19),
    )


def test_the_deadlines_panel_offers_the_office_to_escalate(
    client: Client,
    login: Login,
    city_staff: User,
    standing_member: User,
    cycle: SessionCycle,
    overdue: Petition,
) -> None:
    login(client, city_staff)
    body = client.get(detail(overdue)).content.decode()
    panel = body.split('id="routing-heading"')[1].split("</section>")[0]
    assert action_url("escalate", overdue) in panel
    assert "Escalate to the standing committee" in panel
    assert 'name="escalate-reason"' in panel
    # Not before the petition is sent to an agency.
    waiting = pf.PetitionFactory(raised_in=cycle, field=pf.field())
    assert action_url("escalate", waiting) not in client.get(detail(waiting)).content.decode()
    # The standing committee reads the page but does not escalate to itself.
    login(client, standing_member)
    assert action_url("escalate", overdue) not in client.get(detail(overdue)).content.decode()


def test_the_office_escalates_from_the_panel(
    client: Client, login: Login, city_staff: User, standing_member: User, overdue: Petition
) -> None:
    login(client, city_staff)
    response = client.post(
        action_url("escalate", overdue),
        {"escalate-version": overdue.version, "escalate-reason": "Sở không phản hồi."},
    )
    assert response.status_code == 302
    assert response["Location"] == detail(overdue)
    overdue.refresh_from_db()
    assert overdue.escalated_on == dt.date(2026, 3, 2)
    page = client.get(detail(overdue)).content.decode()
    assert "The petition is escalated to the standing committee, who are notified." in page
    assert "Escalated on" in page
    assert "Escalated to the standing committee by the office: Sở không phản hồi." in page
    # Escalated for this deadline: the panel no longer offers it.
    assert action_url("escalate", overdue) not in page
    assert standing_member.petition_notifications.filter(petition=overdue).count() == 1


def test_an_escalation_without_a_reason_shows_the_form_again(
    client: Client, login: Login, city_staff: User, overdue: Petition
) -> None:
    login(client, city_staff)
    response = client.post(
        action_url("escalate", overdue),
        {"escalate-version": overdue.version, "escalate-reason": ""},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    overdue.refresh_from_db()
    assert overdue.escalated_on is None


def test_escalating_again_is_refused_politely_keeping_the_reason(
    client: Client, login: Login, city_staff: User, overdue: Petition
) -> None:
    login(client, city_staff)
    data = {"escalate-version": overdue.version, "escalate-reason": "Lần đầu"}
    assert client.post(action_url("escalate", overdue), data).status_code == 302
    # The form sent again, with the petition's new version: refused for this deadline.
    overdue.refresh_from_db()
    again = client.post(
        action_url("escalate", overdue),
        {"escalate-version": overdue.version, "escalate-reason": "Lần hai"},
    )
    assert again.status_code == 200
    body = again.content.decode()
    assert "already escalated to the standing committee on 02/03/2026" in body
    assert "Lần hai" in body
    assert "disabled" in body
    assert overdue.events.filter(kind="escalated").count() == 1


def test_the_escalation_page_says_when_it_is_not_possible(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    answered = pf.PetitionFactory(raised_in=cycle, status=PetitionStatus.ANSWERED)
    login(client, city_staff)
    body = client.get(action_url("escalate", answered)).content.decode()
    assert "This cannot be done while the petition is" in body
    assert "disabled" in body


def test_another_communes_officer_cannot_escalate(
    client: Client, login: Login, commune_officer: User, overdue: Petition
) -> None:
    login(client, commune_officer)
    response = client.post(
        action_url("escalate", overdue),
        {"escalate-version": overdue.version, "escalate-reason": "x"},
    )
    assert response.status_code == 404
    overdue.refresh_from_db()
    assert overdue.escalated_on is None
