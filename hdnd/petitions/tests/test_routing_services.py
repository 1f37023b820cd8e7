"""Routing services: the routing table, assigning, re-routing, changing the field or level,
and forwarding to central level."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from hdnd.accounts.models import User
from hdnd.core.errors import Conflict, DomainError
from hdnd.core.models import AuditEvent
from hdnd.core.versions import StaleVersion
from hdnd.councils.models import Agency, Committee, Council
from hdnd.petitions.models import (
    AgencyRole,
    CompetenceLevel,
    DeadlineRule,
    EventKind,
    FieldCommittee,
    Notification,
    NotificationKind,
    Petition,
    PetitionRoute,
    PetitionStatus,
    RouteKind,
    RoutingRule,
    SessionCycle,
)
from hdnd.petitions.services.common import TransitionNotAllowed
from hdnd.petitions.services.deadlines import open_row
from hdnd.petitions.services.routing import (
    assign_petition,
    change_classification,
    forward_to_central,
    propose_agency,
    reroute_petition,
    set_field_committee,
    set_routing_rule,
)
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    # 09:00 in Hanoi on Monday 2 March 2026.
    time_machine.move_to(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def routed(city_council: Council, agency_a: Agency) -> RoutingRule:
    """The table sends city-level transport petitions to agency A."""
    return pf.RoutingRuleFactory(
        council=city_council, field=pf.field("giao-thong"), agency=agency_a
    )


def new_petition(cycle: SessionCycle, **extra: Any) -> Petition:
    values: dict[str, Any] = {"raised_in": cycle, "field": pf.field("giao-thong")}
    values.update(extra)
    return pf.PetitionFactory(**values)


def assign(petition: Petition, user: User, lead: Agency, *others: Agency, **extra: Any) -> Petition:
    return assign_petition(
        petition_id=petition.pk,
        expected_version=petition.version,
        lead_agency_id=lead.pk,
        coordinating_agency_ids=[agency.pk for agency in others],
        actor=user,
        **extra,
    )


# The routing table.


def test_the_table_proposes_the_agency_in_force_today(
    cycle: SessionCycle, routed: RoutingRule, agency_a: Agency
) -> None:
    petition = new_petition(cycle)
    assert propose_agency(petition=petition) == routed
    assert propose_agency(petition=new_petition(cycle, level=CompetenceLevel.COMMUNE)) is None
    assert propose_agency(petition=new_petition(cycle, field=None)) is None


def test_changing_a_rule_closes_the_old_row_and_opens_a_new_one(
    city_council: Council, city_staff: User, routed: RoutingRule, agency_b: Agency
) -> None:
    new = set_routing_rule(
        council_id=city_council.pk,
        field_id=routed.field_id,
        level=CompetenceLevel.CITY,
        agency_id=agency_b.pk,
        note="Theo Quyết định 12/QĐ-UBND",
        actor=city_staff,
    )
    routed.refresh_from_db()
    assert routed.agency_id != agency_b.pk
    assert routed.valid_until == TODAY - dt.timedelta(days=1)
    assert new is not None
    assert (new.agency_id, new.valid_from, new.valid_until) == (agency_b.pk, TODAY, None)
    audit = AuditEvent.objects.get(action="petitions.routing_rule.set")
    assert audit.council_id == city_council.pk
    assert audit.actor_id == city_staff.pk


def test_a_rule_replaced_on_the_day_it_started_gives_way_to_the_newer_one(
    city_council: Council, city_staff: User, cycle: SessionCycle, agency_a: Agency, agency_b: Agency
) -> None:
    field = pf.field("giao-thong")
    first = set_routing_rule(
        council_id=city_council.pk,
        field_id=field.pk,
        level=CompetenceLevel.CITY,
        agency_id=agency_a.pk,
        actor=city_staff,
    )
    second = set_routing_rule(
        council_id=city_council.pk,
        field_id=field.pk,
        level=CompetenceLevel.CITY,
        agency_id=agency_b.pk,
        actor=city_staff,
    )
    assert first is not None
    first.refresh_from_db()
    assert first.valid_until == TODAY
    assert propose_agency(petition=new_petition(cycle)) == second


def test_a_field_can_be_taken_out_of_the_table(
    city_council: Council, city_staff: User, routed: RoutingRule, cycle: SessionCycle
) -> None:
    removed = set_routing_rule(
        council_id=city_council.pk,
        field_id=routed.field_id,
        level=CompetenceLevel.CITY,
        agency_id=None,
        actor=city_staff,
    )
    assert removed is None
    assert propose_agency(petition=new_petition(cycle)) is None
    assert RoutingRule.objects.filter(pk=routed.pk, valid_until__isnull=False).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": CompetenceLevel.CENTRAL}, "forwarded, not routed"),
        ({"agency": "other council"}, "agencies of this council"),
        ({"agency": "same"}, "already says this"),
    ],
)
def test_the_table_refuses_what_it_cannot_hold(
    city_council: Council,
    commune_a: Council,
    city_staff: User,
    routed: RoutingRule,
    change: dict[str, Any],
    message: str,
) -> None:
    agency_id: int | None = routed.agency_id
    if change.get("agency") == "other council":
        agency_id = factories.AgencyFactory(council=commune_a).pk
    with pytest.raises(DomainError, match=message):
        set_routing_rule(
            council_id=city_council.pk,
            field_id=routed.field_id,
            level=change.get("level", CompetenceLevel.CITY),
            agency_id=agency_id,
            actor=city_staff,
        )


def test_a_committee_is_put_in_charge_of_a_field_with_history(
    city_council: Council, city_staff: User, committee: Committee
) -> None:
    other = factories.CommitteeFactory(council=city_council, name="Ban Kinh tế - Ngân sách")
    field = pf.field("giao-thong")
    set_field_committee(
        council_id=city_council.pk, field_id=field.pk, committee_id=other.pk, actor=city_staff
    )
    rows = FieldCommittee.objects.filter(council=city_council, field=field).order_by("id")
    assert [(row.committee_id, row.valid_until) for row in rows] == [
        (committee.pk, TODAY - dt.timedelta(days=1)),
        (other.pk, None),
    ]
    with pytest.raises(DomainError, match="already in charge"):
        set_field_committee(
            council_id=city_council.pk, field_id=field.pk, committee_id=other.pk, actor=city_staff
        )
    foreign = factories.CommitteeFactory(council=factories.CommuneCouncilFactory())
    with pytest.raises(DomainError, match="committees"):
        set_field_committee(
            council_id=city_council.pk, field_id=field.pk, committee_id=foreign.pk, actor=city_staff
        )


# Assigning.


def test_assigning_sends_the_petition_to_its_agencies_with_a_deadline(
    cycle: SessionCycle,
    city_staff: User,
    routed: RoutingRule,
    agency_a: Agency,
    agency_b: Agency,
    committee: Committee,
    responder_a: User,
    responder_b: User,
    deadline_rules: dict[str, DeadlineRule],
    django_capture_on_commit_callbacks: Any,
) -> None:
    petition = new_petition(cycle)
    item = pf.VoterItemFactory(
        council=cycle.council, petition=petition, voter_name="Trần Thị Bình", voter_phone="0912"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assigned = assign(petition, city_staff, agency_a, agency_b)
    assigned.refresh_from_db()
    assert assigned.status == PetitionStatus.ASSIGNED
    assert assigned.lead_agency_id == agency_a.pk
    assert list(assigned.coordinating_agencies.all()) == [agency_b]
    assert assigned.committee_id == committee.pk
    assert assigned.deadline_rule == deadline_rules[RouteKind.OWN_AGENCY]
    assert assigned.assigned_on == TODAY
    assert assigned.due_on == dt.date(2026, 4, 1)
    assert assigned.version == petition.version + 1
    routes = {(r.agency_id, r.role, r.proposed_by_rule_id) for r in assigned.routes.all()}
    assert routes == {
        (agency_a.pk, AgencyRole.LEAD, routed.pk),
        (agency_b.pk, AgencyRole.COORDINATING, None),
    }
    event = assigned.events.get(kind=EventKind.ASSIGNED)
    assert event.is_public
    assert "Sở Xây dựng" in event.summary
    for private in (item.voter_name, item.voter_phone):
        assert private not in event.summary
        assert private not in str(event.details)
    notices = Notification.objects.filter(petition=assigned, kind=NotificationKind.ASSIGNED)
    assert [notice.user_id for notice in notices] == [responder_a.pk]
    assert [message.to for message in mail.outbox] == [[responder_a.email]]


def test_assigning_to_another_agency_than_proposed_is_recorded_as_such(
    cycle: SessionCycle, city_staff: User, routed: RoutingRule, agency_b: Agency
) -> None:
    assigned = assign(new_petition(cycle), city_staff, agency_b, reason="Thuộc dự án của Sở GTVT")
    route = assigned.routes.get()
    assert route.proposed_by_rule_id is None
    assert route.reason == "Thuộc dự án của Sở GTVT"
    assert assigned.events.get(kind=EventKind.ASSIGNED).details["follows_proposal"] is False


def test_without_a_deadline_rule_the_petition_is_assigned_without_a_deadline(
    cycle: SessionCycle, city_staff: User, agency_a: Agency
) -> None:
    assigned = assign(new_petition(cycle), city_staff, agency_a)
    assert assigned.due_on is None
    assert assigned.deadline_rule is None


@pytest.mark.parametrize(
    ("setup", "error", "message"),
    [
        ("assigned", TransitionNotAllowed, "cannot be done while"),
        ("no field", DomainError, "field and competence level"),
        ("no level", DomainError, "field and competence level"),
        ("central", TransitionNotAllowed, "forward it to central"),
        ("commune level", TransitionNotAllowed, "commune's council"),
        ("agency of another council", DomainError, "agencies of this council"),
        ("coordinating agency of another council", DomainError, "agencies of this council"),
        ("inactive agency", DomainError, "agencies of this council"),
        ("stale", StaleVersion, "Someone else changed"),
    ],
)
def test_assigning_is_refused_with_a_clear_message(
    cycle: SessionCycle,
    commune_a: Council,
    city_staff: User,
    agency_a: Agency,
    setup: str,
    error: type[Exception],
    message: str,
) -> None:
    petition = new_petition(cycle)
    lead, others = agency_a, []
    version = petition.version
    if setup == "assigned":
        petition = assign(petition, city_staff, agency_a)
        version = petition.version
    elif setup == "no field":
        Petition.objects.filter(pk=petition.pk).update(field=None)
    elif setup == "no level":
        Petition.objects.filter(pk=petition.pk).update(level="")
    elif setup == "central":
        Petition.objects.filter(pk=petition.pk).update(level=CompetenceLevel.CENTRAL)
    elif setup == "commune level":
        Petition.objects.filter(pk=petition.pk).update(level=CompetenceLevel.COMMUNE)
    elif setup == "agency of another council":
        lead = factories.AgencyFactory(council=commune_a)
    elif setup == "coordinating agency of another council":
        others = [factories.AgencyFactory(council=commune_a)]
    elif setup == "inactive agency":
        Agency.objects.filter(pk=agency_a.pk).update(is_active=False)
    elif setup == "stale":
        version -= 1
    with pytest.raises(error, match=message):
        assign_petition(
            petition_id=petition.pk,
            expected_version=version,
            lead_agency_id=lead.pk,
            coordinating_agency_ids=[agency.pk for agency in others],
            actor=city_staff,
        )
    petition.refresh_from_db()
    assert petition.routes.count() == (1 if setup == "assigned" else 0)


def test_a_commune_council_assigns_commune_level_petitions_to_its_own_agencies(
    commune_a: Council, commune_officer: User
) -> None:
    cycle = pf.SessionCycleFactory(term=factories.TermFactory(council=commune_a))
    agency = factories.AgencyFactory(council=commune_a, name="UBND phường Hoàn Kiếm A")
    petition = new_petition(cycle, level=CompetenceLevel.COMMUNE)
    assert assign(petition, commune_officer, agency).status == PetitionStatus.ASSIGNED
    city_level = new_petition(cycle, level=CompetenceLevel.CITY)
    with pytest.raises(TransitionNotAllowed, match="city council"):
        assign(city_level, commune_officer, agency)


# Re-routing.


def test_rerouting_ends_the_old_steps_and_keeps_the_deadline(
    cycle: SessionCycle,
    city_staff: User,
    agency_a: Agency,
    agency_b: Agency,
    responder_b: User,
    deadline_rules: dict[str, DeadlineRule],
    time_machine: Any,
) -> None:
    coordinator = factories.AgencyFactory(council=cycle.council, name="Sở Tài chính")
    petition = assign(new_petition(cycle), city_staff, agency_a, coordinator)
    due_on = petition.due_on
    time_machine.move_to(dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC), tick=False)
    rerouted = reroute_petition(
        petition_id=petition.pk,
        expected_version=petition.version,
        lead_agency_id=agency_b.pk,
        coordinating_agency_ids=[coordinator.pk],
        reason="Sở Giao thông quản lý tuyến đường",
        actor=city_staff,
    )
    assert rerouted.lead_agency_id == agency_b.pk
    assert rerouted.due_on == due_on
    steps = {
        (step.agency_id, step.role): (step.started_on, step.ended_on)
        for step in PetitionRoute.objects.filter(petition=petition)
    }
    assert steps == {
        (agency_a.pk, AgencyRole.LEAD): (TODAY, dt.date(2026, 3, 10)),
        # Unchanged, so still the same open step.
        (coordinator.pk, AgencyRole.COORDINATING): (TODAY, None),
        (agency_b.pk, AgencyRole.LEAD): (dt.date(2026, 3, 10), None),
    }
    event = rerouted.events.get(kind=EventKind.REROUTED)
    assert event.is_public
    assert event.details["reason"] == "Sở Giao thông quản lý tuyến đường"
    assert Notification.objects.filter(
        petition=petition, user=responder_b, kind=NotificationKind.ASSIGNED
    ).exists()


def test_rerouting_may_restart_the_deadline(
    cycle: SessionCycle,
    city_staff: User,
    agency_a: Agency,
    agency_b: Agency,
    deadline_rules: dict[str, DeadlineRule],
    time_machine: Any,
) -> None:
    petition = assign(new_petition(cycle), city_staff, agency_a)
    Petition.objects.filter(pk=petition.pk).update(escalated_on=dt.date(2026, 4, 2))
    time_machine.move_to(dt.datetime(2026, 4, 6, 2, 0, tzinfo=dt.UTC), tick=False)
    rerouted = reroute_petition(
        petition_id=petition.pk,
        expected_version=petition.version,
        lead_agency_id=agency_b.pk,
        reason="Sai thẩm quyền",
        actor=city_staff,
        restart_deadline=True,
    )
    assert rerouted.assigned_on == dt.date(2026, 4, 6)
    assert rerouted.due_on == dt.date(2026, 5, 6)
    assert rerouted.escalated_on is None


@pytest.mark.parametrize(
    ("setup", "error", "message"),
    [
        ("consolidating", TransitionNotAllowed, "cannot be done while"),
        ("no reason", DomainError, "Say why"),
        ("same agencies", DomainError, "already the petition's agencies"),
        ("stale", StaleVersion, "Someone else changed"),
    ],
)
def test_rerouting_is_refused_with_a_clear_message(
    cycle: SessionCycle,
    city_staff: User,
    agency_a: Agency,
    agency_b: Agency,
    setup: str,
    error: type[Exception],
    message: str,
) -> None:
    petition = new_petition(cycle)
    if setup != "consolidating":
        petition = assign(petition, city_staff, agency_a)
    with pytest.raises(error, match=message):
        reroute_petition(
            petition_id=petition.pk,
            expected_version=petition.version - (setup == "stale"),
            lead_agency_id=agency_a.pk if setup == "same agencies" else agency_b.pk,
            reason="" if setup == "no reason" else "Lý do",
            actor=city_staff,
        )


# Field and level.


def test_a_new_field_that_routes_elsewhere_reroutes_the_petition_with_history(
    cycle: SessionCycle,
    city_staff: User,
    routed: RoutingRule,
    agency_a: Agency,
    agency_b: Agency,
    committee: Committee,
) -> None:
    land = pf.field("dat-dai")
    land_committee = factories.CommitteeFactory(council=cycle.council, name="Ban Kinh tế")
    FieldCommittee.objects.create(
        council=cycle.council, field=land, committee=land_committee, valid_from=dt.date(2026, 1, 1)
    )
    land_rule = pf.RoutingRuleFactory(council=cycle.council, field=land, agency=agency_b)
    petition = assign(new_petition(cycle), city_staff, agency_a, agency_b)
    changed = change_classification(
        petition_id=petition.pk,
        expected_version=petition.version,
        field_id=land.pk,
        level=CompetenceLevel.CITY,
        reason="Nội dung về giải phóng mặt bằng",
        actor=city_staff,
    )
    changed.refresh_from_db()
    assert (changed.field_id, changed.lead_agency_id) == (land.pk, agency_b.pk)
    assert changed.committee_id == land_committee.pk
    # Agency B was coordinating; it now leads and coordinates no more.
    assert list(changed.coordinating_agencies.all()) == []
    open_steps = changed.routes.filter(ended_on__isnull=True)
    assert [(s.agency_id, s.role, s.proposed_by_rule_id) for s in open_steps] == [
        (agency_b.pk, AgencyRole.LEAD, land_rule.pk)
    ]
    assert list(changed.events.values_list("kind", flat=True)) == [
        EventKind.ASSIGNED,
        EventKind.EDITED,
        EventKind.REROUTED,
    ]
    assert changed.version == petition.version + 1


def test_a_new_field_of_a_petition_being_consolidated_only_reclassifies_it(
    cycle: SessionCycle, city_staff: User, routed: RoutingRule
) -> None:
    petition = new_petition(cycle)
    changed = change_classification(
        petition_id=petition.pk,
        expected_version=petition.version,
        field_id=pf.field("moi-truong").pk,
        level=CompetenceLevel.CITY,
        reason="",
        actor=city_staff,
    )
    assert changed.field == pf.field("moi-truong")
    assert changed.lead_agency_id is None
    assert not changed.routes.exists()


@pytest.mark.parametrize(
    ("level", "field_code", "reason", "status", "message"),
    [
        (CompetenceLevel.CENTRAL, "giao-thong", "x", "consolidating", "Forward to central"),
        (CompetenceLevel.COMMUNE, "giao-thong", "x", "consolidating", "Move to another council"),
        (CompetenceLevel.CITY, "giao-thong", "x", "consolidating", "unchanged"),
        (CompetenceLevel.CITY, "dat-dai", "", "assigned", "Say why"),
        (CompetenceLevel.CITY, "dat-dai", "x", "forwarded", "stays at central level"),
        (CompetenceLevel.CITY, "dat-dai", "x", "resolved", "cannot be done while"),
    ],
)
def test_a_classification_change_is_refused_with_a_clear_message(
    cycle: SessionCycle,
    city_staff: User,
    agency_a: Agency,
    level: str,
    field_code: str,
    reason: str,
    status: str,
    message: str,
) -> None:
    extra: dict[str, Any] = {"status": status}
    if status == "assigned":
        extra["lead_agency"] = agency_a
    if status == "forwarded":
        extra["level"] = CompetenceLevel.CENTRAL
    petition = new_petition(cycle, **extra)
    with pytest.raises(DomainError, match=message):
        change_classification(
            petition_id=petition.pk,
            expected_version=petition.version,
            field_id=pf.field(field_code).pk,
            level=level,
            reason=reason,
            actor=city_staff,
        )


# Forwarding.


def test_forwarding_sends_the_petition_up_with_the_central_deadline(
    cycle: SessionCycle,
    city_staff: User,
    agency_a: Agency,
    deadline_rules: dict[str, DeadlineRule],
    settings: Any,
) -> None:
    settings.PETITIONS_CENTRAL_RECIPIENT = "Đoàn ĐBQH thành phố Hà Nội"
    petition = assign(new_petition(cycle), city_staff, agency_a)
    forwarded = forward_to_central(
        petition_id=petition.pk,
        expected_version=petition.version,
        reference="123/HĐND-VP",
        actor=city_staff,
    )
    assert forwarded.status == PetitionStatus.FORWARDED
    assert forwarded.level == CompetenceLevel.CENTRAL
    assert forwarded.lead_agency_id is None
    assert forwarded.deadline_rule == deadline_rules[RouteKind.CENTRAL]
    # 60 days after 2/3/2026 is Friday 1/5 (Labour Day): the deadline moves to Monday 4/5.
    assert forwarded.due_on == dt.date(2026, 5, 4)
    assert not petition.routes.filter(ended_on__isnull=True).exists()
    event = forwarded.events.get(kind=EventKind.FORWARDED)
    assert event.is_public
    assert "Đoàn ĐBQH thành phố Hà Nội" in event.summary
    assert "123/HĐND-VP" in event.summary


def test_without_a_central_rule_forwarding_uses_sixty_days(
    cycle: SessionCycle, city_staff: User
) -> None:
    petition = new_petition(cycle, level=CompetenceLevel.CENTRAL)
    forwarded = forward_to_central(
        petition_id=petition.pk,
        expected_version=petition.version,
        reference="1/VP",
        actor=city_staff,
    )
    assert forwarded.deadline_rule is None
    assert forwarded.due_on == dt.date(2026, 5, 4)


@pytest.mark.parametrize(
    ("status", "reference", "error", "message"),
    [
        ("forwarded", "1/VP", TransitionNotAllowed, "cannot be done while"),
        ("answered", "1/VP", TransitionNotAllowed, "cannot be done while"),
        ("consolidating", "  ", DomainError, "forwarding document"),
    ],
)
def test_forwarding_is_refused_with_a_clear_message(
    cycle: SessionCycle,
    city_staff: User,
    status: str,
    reference: str,
    error: type[Exception],
    message: str,
) -> None:
    petition = new_petition(cycle, status=status)
    with pytest.raises(error, match=message):
        forward_to_central(
            petition_id=petition.pk,
            expected_version=petition.version,
            reference=reference,
            actor=city_staff,
        )


def test_two_writers_of_the_same_rule_do_not_both_open_a_row(
    city_council: Council, city_staff: User, agency_a: Agency
) -> None:
    # The second writer's insert meets the first one's open row.
    field = pf.field("y-te")
    RoutingRule.objects.create(
        council=city_council,
        field=field,
        level=CompetenceLevel.CITY,
        agency=agency_a,
        valid_from=TODAY + dt.timedelta(days=5),
    )
    with pytest.raises(Conflict), transaction.atomic():
        open_row(
            RoutingRule,
            match={"council_id": city_council.pk, "field_id": field.pk, "level": "city"},
            values={"agency": agency_a},
            on=TODAY,
        )
