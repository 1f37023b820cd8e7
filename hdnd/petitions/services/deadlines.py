"""Deadlines, notifications, reminders and escalation.

- `due_date` counts a rule's days from the day of assignment with `lib/workdays.py`;
- `set_deadline_rule` replaces a council's rule (the old row is closed, never edited);
- `notify` and `email_pending` are how every petition service tells people, in the app
  and by email;
- `send_reminders` is the daily job: due-soon and overdue notices, and escalation to the
  standing committee. Running it twice on the same day changes nothing the second time;
- `escalate_by_hand` is the office's escalation of one petition, recorded and notified as
  the job's is; either way a petition is escalated once per deadline.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from smtplib import SMTPException
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hdnd.accounts.models import Role, RoleAssignment
from hdnd.core.audit import record_event
from hdnd.core.errors import Conflict, DomainError, NotFound
from hdnd.councils.models import Council
from hdnd.lib.periods import in_force_on
from hdnd.lib.workdays import add_working_days, is_working_day, working_days_between
from hdnd.petitions.models import (
    AWAITING_ANSWER,
    DayCounting,
    DeadlineRule,
    EventKind,
    Notification,
    NotificationKind,
    Petition,
    PetitionEvent,
    PetitionStatus,
    RouteKind,
)
from hdnd.petitions.queries.routing import (
    OFFICE_ROLES,
    deadline_rule_in_force,
    standing_committee_ids,
)
from hdnd.petitions.services.common import lock_petition, log, require_state, save_petition

logger = logging.getLogger(__name__)

# QĐ 33/2017/QĐ-TTg as amended by QĐ 30/2020/QĐ-TTg: 60 days for petitions forwarded to
# central level, used when the council has no rule of its own.
CENTRAL_DEFAULT_DAYS = 60
# Reminder window of a petition whose deadline no rule explains (an imported one).
DEFAULT_REMIND_DAYS = 5
ONE_DAY = dt.timedelta(days=1)


# Counting.


def due_date(*, days: int, counting: str, start: dt.date) -> dt.date:
    """The last day to answer, `days` after `start` (which is not counted: Civil Code 2015,
    art. 147). A calendar-day period whose last day is a weekend or a public holiday ends on
    the next working day (art. 148 §5)."""
    if counting == DayCounting.WORKING:
        return add_working_days(start, days)
    end = start + dt.timedelta(days=days)
    if is_working_day(end):
        return end
    return add_working_days(end, 1)


def due_date_by_rule(rule: DeadlineRule, *, start: dt.date) -> dt.date:
    return due_date(days=rule.days, counting=rule.counting, start=start)


def route_of(petition: Petition) -> str:
    """Which deadline rule applies to the petition in its present state."""
    if petition.status == PetitionStatus.FORWARDED:
        return RouteKind.CENTRAL
    if petition.status == PetitionStatus.REOPENED:
        return RouteKind.REOPENED
    return RouteKind.OWN_AGENCY


# Rows with a period of validity (routing rules, field committees, deadline rules).

Row = TypeVar("Row", bound=models.Model)


def close_open_row(model: type[Row], *, match: dict[str, Any], on: dt.date) -> Row | None:
    """End the open row matching `match`: the day before `on`, or on `on` itself when it
    only started that day (on a day two rows cover, the newer one wins)."""
    old = (
        model._default_manager.select_for_update().filter(**match, valid_until__isnull=True).first()
    )
    if old is not None:
        valid_from: dt.date = old.valid_from  # type: ignore[attr-defined]  # a period row
        old.valid_until = max(valid_from, on - ONE_DAY)  # type: ignore[attr-defined]  # idem
        old.save(update_fields=["valid_until"])
    return old


def open_row(
    model: type[Row], *, match: dict[str, Any], values: dict[str, Any], on: dt.date
) -> Row:
    """Open a row valid from `on`; call `close_open_row` first."""
    try:
        # A savepoint: a racing writer's open row makes this insert fail on its own.
        with transaction.atomic():
            return model._default_manager.create(**match, **values, valid_from=on)
    except IntegrityError as exc:
        raise Conflict(
            _("Someone else changed this rule a moment ago. Reload the page and try again.")
        ) from exc


def set_deadline_rule(
    *,
    council_id: int,
    route: str,
    days: int,
    counting: str,
    remind_days_before: int,
    escalate_days_after: int,
    legal_basis: str,
    actor: Any,
    on: dt.date | None = None,
) -> DeadlineRule:
    """Replace the council's rule for a route from `on` (today): petitions assigned from
    then on get the new deadline; those already assigned keep theirs."""
    on = on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if route not in RouteKind.values:
        errors["route"] = [_("Choose what the rule applies to.")]
    if counting not in DayCounting.values:
        errors["counting"] = [_("Choose calendar or working days.")]
    if not 1 <= days <= 366:
        errors["days"] = [_("Enter a number of days from 1 to 366.")]
    if not 0 <= remind_days_before <= 60:
        errors["remind_days_before"] = [_("Enter a number of days from 0 to 60.")]
    if not 0 <= escalate_days_after <= 366:
        errors["escalate_days_after"] = [_("Enter a number of days from 0 to 366.")]
    if errors:
        raise DomainError(_("Correct the rule and try again."), fields=errors)
    values = {
        "days": days,
        "counting": counting,
        "remind_days_before": remind_days_before,
        "escalate_days_after": escalate_days_after,
        "legal_basis": legal_basis.strip()[:200],
    }
    with transaction.atomic():
        council = Council.objects.filter(id=council_id).first()
        if council is None:
            raise NotFound(_("This council does not exist."))
        current = deadline_rule_in_force(council_id=council_id, route=route, on=on)
        if current is not None and all(
            getattr(current, name) == value for name, value in values.items()
        ):
            raise DomainError(_("This rule is already in force; nothing changes."))
        match = {"council_id": council_id, "route": route}
        old = close_open_row(DeadlineRule, match=match, on=on)
        new = open_row(DeadlineRule, match=match, values=values, on=on)
        record_event(
            actor=actor,
            action="petitions.deadline_rule.set",
            obj=new,
            council=council,
            summary=_("Deadline rule for “%(route)s”: %(rule)s")
            % {"route": new.get_route_display(), "rule": describe_rule(new)},
            changes={
                "route": route,
                "replaces": old.pk if old is not None else None,
                **values,
                "valid_from": on,
            },
        )
    return new


def describe_rule(rule: DeadlineRule) -> str:
    if rule.counting == DayCounting.WORKING:
        return _("%(days)s working days") % {"days": rule.days}
    return _("%(days)s days") % {"days": rule.days}


# Notifications.


def notify(
    *,
    petition: Petition,
    user_ids: Iterable[int],
    kind: str,
    message: str,
    due_on: dt.date | None = None,
) -> int:
    """In-app notices, one per user; a notice already given for the same deadline is not
    repeated. Emails follow with `email_pending` (after commit). Returns how many are new."""
    users = sorted(set(user_ids))
    if not users:
        return 0
    existing = set(
        Notification.objects.filter(
            user_id__in=users, petition=petition, kind=kind, due_on=due_on
        ).values_list("user_id", flat=True)
    )
    now = timezone.now()
    fresh = [
        Notification(
            user_id=user_id,
            petition=petition,
            kind=kind,
            due_on=due_on,
            message=message[:300],
            created_at=now,
        )
        for user_id in users
        if user_id not in existing
    ]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def notice_text(petition: Petition, text: str) -> str:
    """`text` about the petition, named by its code and (short) title; no personal data."""
    title = petition.title if len(petition.title) <= 120 else f"{petition.title[:119]}…"
    return f"{petition.code} «{title}»: {text}"


def email_pending(*, petition_id: int | None = None) -> int:
    """Email the unread notices not emailed yet: one message per person. Returns how many
    emails went out; a failed send stays pending for the next run."""
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user_id", "created_at", "id")
    )
    if petition_id is not None:
        pending = pending.filter(petition_id=petition_id)
    by_user: dict[int, list[int]] = defaultdict(list)
    for notice_id, user_id in pending.values_list("id", "user_id"):
        by_user[user_id].append(notice_id)
    sent = 0
    for ids in by_user.values():
        sent += _email_one_person(ids)
    return sent


def _email_one_person(ids: list[int]) -> int:
    with transaction.atomic():
        # Locked and re-read: two runs at once never email the same notice twice.
        notices = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(id__in=ids, emailed_at__isnull=True)
            .select_related("user", "petition")
            .order_by("created_at", "id")
        )
        if not notices:
            return 0
        user = notices[0].user
        context = {
            "name": user.get_full_name() or user.get_username(),
            "notices": notices,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("petitions/email/notifications_subject.txt", context)
            body = render_to_string("petitions/email/notifications_body.txt", context)
        try:
            send_mail(" ".join(subject.split()), body, None, [user.email])
        except (SMTPException, OSError):
            logger.warning(
                "Petition notices to user %s not emailed; retried on the next run.", user.pk
            )
            return 0
        Notification.objects.filter(id__in=[notice.pk for notice in notices]).update(
            emailed_at=timezone.now()
        )
    return 1


def read_notification(*, user: Any, notification_id: int) -> Notification:
    """Mark one of the user's notices read; someone else's is not found."""
    notice = Notification.objects.filter(id=notification_id, user_id=user.pk).first()
    if notice is None:
        raise NotFound(_("This notification does not exist."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def mark_notifications_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one of the user's unread notices read (all of them when `notification_id` is
    None); returns how many changed (someone else's notice: none)."""
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(id=notification_id)
    return unread.update(read_at=timezone.now())


def email_after_commit(petition_id: int) -> None:
    """Send the petition's new notices once the change that made them is committed."""
    transaction.on_commit(lambda: email_pending(petition_id=petition_id), robust=True)


# Escalation.


class AlreadyEscalated(Conflict):
    code = "already_escalated"


def escalate_petition(*, petition_id: int, actor: Any = None, on: dt.date | None = None) -> bool:
    """Tell the standing committee that an overdue answer is late. Once per deadline:
    returns False when the petition is already escalated or no longer overdue."""
    on = on or timezone.localdate()
    with transaction.atomic():
        petition = lock_petition(petition_id)
        if petition.escalated_on is not None:
            return False
        if petition.status not in AWAITING_ANSWER or petition.due_on is None:
            return False
        if petition.due_on >= on:
            return False
        require_state(petition, "escalate")
        days_late = (on - petition.due_on).days
        due = petition.due_on.strftime("%d/%m/%Y")
        _escalate(
            petition,
            actor=actor,
            on=on,
            summary=_(
                "Answer due on %(due)s is %(days)s days late: escalated to the standing committee."
            )
            % {"due": due, "days": days_late},
            details={"due_on": petition.due_on.isoformat(), "days_late": days_late},
            notice=_("the answer due on %(due)s is %(days)s days late.")
            % {"due": due, "days": days_late},
        )
    return True


def escalate_by_hand(
    *,
    petition_id: int,
    expected_version: int | None,
    reason: str,
    actor: Any,
    on: dt.date | None = None,
) -> Petition:
    """The office escalates a petition awaiting its answer to the standing committee
    without waiting for the daily job (overdue or not, e.g. an agency that does not
    respond). As the job does, once per deadline: a petition already escalated for its
    current deadline is refused, and the job will not escalate it again."""
    on = on or timezone.localdate()
    reason = " ".join((reason or "").split())
    if not reason:
        message = _("Say why the petition goes to the standing committee.")
        raise DomainError(message, fields={"reason": [message]})
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "escalate")
        if petition.escalated_on is not None:
            raise AlreadyEscalated(
                _(
                    "This petition was already escalated to the standing committee on "
                    "%(day)s for its current deadline."
                )
                % {"day": petition.escalated_on.strftime("%d/%m/%Y")}
            )
        details: dict[str, Any] = {"by_hand": True, "reason": reason[:500]}
        if petition.due_on is not None:
            details["due_on"] = petition.due_on.isoformat()
            details["days_late"] = max((on - petition.due_on).days, 0)
        _escalate(
            petition,
            actor=actor,
            on=on,
            summary=_("Escalated to the standing committee by the office: %(reason)s")
            % {"reason": reason},
            details=details,
            notice=_("escalated by the office: %(reason)s") % {"reason": reason},
        )
        email_after_commit(petition.pk)
    return petition


def _escalate(
    petition: Petition,
    *,
    actor: Any,
    on: dt.date,
    summary: str,
    details: dict[str, Any],
    notice: str,
) -> None:
    """Mark the petition escalated for its deadline, write its timeline and audit, and
    tell the standing committee in force (one notice per person and deadline)."""
    petition.escalated_on = on
    save_petition(petition, ["escalated_on"])
    log(petition, actor=actor, kind=EventKind.ESCALATED, summary=summary, details=details)
    notify(
        petition=petition,
        user_ids=standing_committee_ids(council_id=petition.council_id, on=on),
        kind=NotificationKind.ESCALATED,
        due_on=petition.due_on,
        message=notice_text(petition, notice),
    )


# The daily job.


@dataclass
class ReminderReport:
    day: dt.date
    checked: int = 0
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    notifications: int = 0
    emails: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "checked": self.checked,
            "due_soon": self.due_soon,
            "overdue": self.overdue,
            "escalated": self.escalated,
            "notifications": self.notifications,
            "emails": self.emails,
        }


class _Counter:
    """Day counts with the rule's counting, remembered: many petitions share a deadline."""

    def __init__(self) -> None:
        self._working: dict[tuple[dt.date, dt.date], int] = {}

    def between(self, start: dt.date, end: dt.date, counting: str) -> int:
        """Days after `start` up to `end` (0 when `end` is not later)."""
        if end <= start:
            return 0
        if counting != DayCounting.WORKING:
            return (end - start).days
        key = (start, end)
        if key not in self._working:
            self._working[key] = working_days_between(start, end)
        return self._working[key]


def send_reminders(today: dt.date | None = None) -> ReminderReport:
    """Remind the lead agency before a deadline, warn it and the office once it has passed,
    and escalate to the standing committee `escalate_days_after` the deadline."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        report, late = _remind(today)
        for petition_id in late:
            if escalate_petition(petition_id=petition_id, on=today):
                report.escalated += 1
        report.emails = email_pending()
    return report


def _awaiting() -> list[Petition]:
    return list(
        Petition.objects.filter(status__in=AWAITING_ANSWER, due_on__isnull=False)
        .select_related("deadline_rule")
        .only(
            "id",
            "council_id",
            "code",
            "title",
            "status",
            "lead_agency_id",
            "due_on",
            "escalated_on",
            "deadline_rule",
        )
        .order_by("id")
    )


class _Rules:
    """The rule that explains each petition's deadline: its own, or else the council's rule
    in force for its route (imported petitions have none of their own)."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._fallback: dict[tuple[int, str], DeadlineRule | None] = {}

    def of(self, petition: Petition) -> DeadlineRule | None:
        if petition.deadline_rule is not None:
            return petition.deadline_rule
        key = (petition.council_id, route_of(petition))
        if key not in self._fallback:
            self._fallback[key] = deadline_rule_in_force(
                council_id=key[0], route=key[1], on=self.today
            )
        return self._fallback[key]


def _holders(role_filter: dict[str, Any], key: str, today: dt.date) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    rows = RoleAssignment.objects.filter(in_force_on(today), user__is_active=True, **role_filter)
    for group, user_id in rows.values_list(key, "user_id"):
        found[group].add(user_id)
    return found


def _remind(today: dt.date) -> tuple[ReminderReport, list[int]]:
    """Give the due-soon and overdue notices; returns the report and the petitions late
    enough to escalate."""
    report = ReminderReport(day=today)
    petitions = _awaiting()
    report.checked = len(petitions)
    if not petitions:
        return report, []
    rules = _Rules(today)
    counter = _Counter()
    responders = _holders(
        {
            "role": Role.AGENCY_RESPONDER,
            "agency_id__in": {p.lead_agency_id for p in petitions if p.lead_agency_id},
        },
        "agency_id",
        today,
    )
    offices = _holders(
        {"role__in": OFFICE_ROLES, "council_id__in": {p.council_id for p in petitions}},
        "council_id",
        today,
    )
    given = set(
        Notification.objects.filter(
            petition_id__in=[p.pk for p in petitions],
            kind__in=[NotificationKind.DUE_SOON, NotificationKind.OVERDUE],
        ).values_list("user_id", "petition_id", "kind", "due_on")
    )
    now = timezone.now()
    fresh: list[Notification] = []
    events: list[PetitionEvent] = []
    for petition in petitions:
        due_on = petition.due_on
        if due_on is None:  # filtered out by the query; for the type checker
            continue
        rule = rules.of(petition)
        counting = rule.counting if rule is not None else DayCounting.CALENDAR
        agency_people = responders.get(petition.lead_agency_id or 0, set())
        office_people = offices.get(petition.council_id, set())
        due_text = due_on.strftime("%d/%m/%Y")
        if today > due_on:
            kind = NotificationKind.OVERDUE
            recipients = agency_people | office_people
            message = _("the answer was due on %(due)s and is overdue.") % {"due": due_text}
        else:
            remind_days = rule.remind_days_before if rule is not None else DEFAULT_REMIND_DAYS
            if counter.between(today, due_on, counting) > remind_days:
                continue
            kind = NotificationKind.DUE_SOON
            recipients = agency_people or office_people
            message = _("the answer is due on %(due)s.") % {"due": due_text}
        new = [
            Notification(
                user_id=user_id,
                petition_id=petition.pk,
                kind=kind,
                due_on=due_on,
                message=notice_text(petition, message)[:300],
                created_at=now,
            )
            for user_id in sorted(recipients)
            if (user_id, petition.pk, kind, due_on) not in given
        ]
        if not new:
            continue
        fresh.extend(new)
        if kind == NotificationKind.OVERDUE:
            report.overdue += 1
        else:
            report.due_soon += 1
        events.append(
            PetitionEvent(
                petition_id=petition.pk,
                kind=EventKind.REMINDED,
                occurred_at=now,
                summary=(
                    _("Overdue notice sent (due %(due)s).")
                    if kind == NotificationKind.OVERDUE
                    else _("Reminder sent (due %(due)s).")
                )
                % {"due": due_text},
                details={"kind": kind, "due_on": due_on.isoformat(), "recipients": len(new)},
            )
        )
    if fresh:
        with transaction.atomic():
            Notification.objects.bulk_create(fresh, ignore_conflicts=True)
            PetitionEvent.objects.bulk_create(events)
            # One audit event for the run, not one per petition: the chain has one writer.
            record_event(
                actor=None,
                action="petition.reminders",
                summary=_("Deadline reminders of %(day)s") % {"day": today.strftime("%d/%m/%Y")},
                changes={
                    "due_soon": report.due_soon,
                    "overdue": report.overdue,
                    "notifications": len(fresh),
                },
            )
        report.notifications = len(fresh)
    return report, _to_escalate(petitions, rules, counter, today)


def _to_escalate(
    petitions: list[Petition], rules: _Rules, counter: _Counter, today: dt.date
) -> list[int]:
    due: list[int] = []
    for petition in petitions:
        rule = rules.of(petition)
        if rule is None or petition.escalated_on is not None or petition.due_on is None:
            continue
        if today <= petition.due_on:
            continue
        late = counter.between(petition.due_on, today, rule.counting)
        if late >= rule.escalate_days_after:
            due.append(petition.pk)
    return due
