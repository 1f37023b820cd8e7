import pytest
from django.db import connection, transaction

from hdnd.core.audit import record_event, verify_chain
from hdnd.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=False)


def _record(n: int, city_staff, council) -> None:
    for i in range(n):
        with transaction.atomic():
            record_event(
                actor=city_staff,
                action="test.event",
                council=council,
                summary=f"event {i}",
                changes={"n": [i, i + 1]},
            )


def test_it_chains_events_and_verifies_clean(city_staff, city_council):
    _record(3, city_staff, city_council)
    checked, problems = verify_chain()
    assert checked == 3
    assert problems == []
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[1].prev_hash == events[0].hash
    assert events[0].actor_label == city_staff.username


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_write_outside_a_transaction(city_staff):
    with pytest.raises(RuntimeError):
        record_event(actor=city_staff, action="test.event")


def _tamper(sql: str, params: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What a database superuser bent on hiding a change could do.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_it_detects_an_edited_row(city_staff, city_council):
    _record(3, city_staff, city_council)
    _tamper("UPDATE core_auditevent SET summary = %s WHERE seq = 2", ["sửa lén"])
    _, problems = verify_chain()
    assert [(p.seq, p.kind) for p in problems] == [(2, "edited")]


def test_it_detects_a_deleted_row(city_staff, city_council):
    _record(3, city_staff, city_council)
    _tamper("DELETE FROM core_auditevent WHERE seq = 2", [])
    _, problems = verify_chain()
    assert [(p.seq, p.kind) for p in problems] == [(3, "missing")]


def test_it_detects_a_deleted_last_row(city_staff, city_council):
    _record(3, city_staff, city_council)
    _tamper("DELETE FROM core_auditevent WHERE seq = 3", [])
    _, problems = verify_chain()
    assert [p.kind for p in problems] == ["truncated"]


def test_postgres_refuses_updates_to_audit_rows(city_staff, city_council):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    _record(1, city_staff, city_council)
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(summary="x")


def test_verify_audit_command_passes_on_an_intact_chain(city_staff, city_council):
    from io import StringIO

    from django.core.management import call_command

    _record(2, city_staff, city_council)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "2" in out.getvalue()


def test_verify_audit_command_fails_on_a_tampered_chain(city_staff, city_council):
    from io import StringIO

    from django.core.management import CommandError, call_command

    _record(2, city_staff, city_council)
    _tamper("UPDATE core_auditevent SET action = %s WHERE seq = 1", ["khác"])
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
