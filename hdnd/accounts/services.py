"""Writes to accounts: users, their roles in a council, passwords and TOTP devices.

Each service locks what it changes, checks the rules, writes, and records an AuditEvent
in the same transaction. The role rules are also exposed as `check_role_assignment` so
that the admin form refuses the same input with the same message.
"""

import datetime as dt
import math
from typing import Any

import django_otp
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts.models import Role, RoleAssignment, User
from hdnd.core.audit import changes_between, record_event
from hdnd.core.errors import Conflict, DomainError
from hdnd.councils.models import Agency, Committee, Council, CouncilLevel, Person
from hdnd.lib.dates import format_day
from hdnd.lib.periods import overlapping

# Errors


class AgencyRequired(DomainError):
    code = "agency_required"


class CommitteeRequired(DomainError):
    code = "committee_required"


class OutsideCouncil(DomainError):
    """A committee or agency of another council."""

    code = "outside_council"


class NotForThisRole(DomainError):
    """A committee or agency given for a role that has none."""

    code = "not_for_this_role"


class RoleNeedsCommuneCouncil(DomainError):
    code = "role_needs_commune_council"


class RoleDatesOutOfOrder(DomainError):
    code = "dates_out_of_order"


class RoleAlreadyHeld(Conflict):
    code = "role_already_held"


class RoleAlreadyEnded(Conflict):
    code = "role_already_ended"


class UnknownRole(DomainError):
    code = "unknown_role"


class AccountExists(Conflict):
    code = "account_exists"


class WrongCode(DomainError):
    code = "wrong_code"


class TooManyWrongCodes(DomainError):
    code = "too_many_wrong_codes"
    status = 429


class DeviceAlreadyConfirmed(Conflict):
    code = "device_already_confirmed"


# Roles

ROLE_AUDIT_FIELDS = ["role", "committee_id", "agency_id", "start_date", "end_date"]


def _snapshot(assignment: RoleAssignment) -> dict[str, Any]:
    return {name: getattr(assignment, name) for name in ROLE_AUDIT_FIELDS}


def check_role_assignment(
    *,
    user: User,
    council: Council,
    role: str,
    start_date: dt.date,
    committee: Committee | None = None,
    agency: Agency | None = None,
    end_date: dt.date | None = None,
    exclude_id: int | None = None,
) -> None:
    """Raise the DomainError that assigning this role would break, if any."""
    if role not in Role.values:
        raise UnknownRole(_("Unknown role."), fields={"role": [_("Choose a role from the list.")]})
    label = Role(role).label
    if role == Role.AGENCY_RESPONDER and agency is None:
        raise AgencyRequired(
            _("An agency responder answers for one agency: choose the agency."),
            fields={"agency": [_("Required for this role.")]},
        )
    if role != Role.AGENCY_RESPONDER and agency is not None:
        raise NotForThisRole(
            _("Only agency responders are linked to an agency."),
            fields={"agency": [_("Leave empty for this role.")]},
        )
    if agency is not None and agency.council_id != council.pk:
        raise OutsideCouncil(
            _("The agency %(agency)s belongs to another council.") % {"agency": agency.name},
            fields={"agency": [_("Choose an agency of this council.")]},
        )
    if role == Role.COMMITTEE_MEMBER and committee is None:
        raise CommitteeRequired(
            _("A committee member sits on one committee: choose the committee."),
            fields={"committee": [_("Required for this role.")]},
        )
    if role != Role.COMMITTEE_MEMBER and committee is not None:
        raise NotForThisRole(
            _("Only committee members are linked to a committee."),
            fields={"committee": [_("Leave empty for this role.")]},
        )
    if committee is not None and committee.council_id != council.pk:
        raise OutsideCouncil(
            _("The committee %(committee)s belongs to another council.")
            % {"committee": committee.name},
            fields={"committee": [_("Choose a committee of this council.")]},
        )
    if role == Role.COMMUNE_OFFICER and council.level != CouncilLevel.COMMUNE:
        raise RoleNeedsCommuneCouncil(
            _("%(role)s is a role of commune-level councils only; %(council)s is not one.")
            % {"role": label, "council": council.name},
            fields={"council": [_("Choose a commune-level council.")]},
        )
    if end_date is not None and end_date < start_date:
        raise RoleDatesOutOfOrder(
            _("The role must end on or after its start date (%(start)s).")
            % {"start": format_day(start_date)},
            fields={"end_date": [_("Must not be earlier than the start date.")]},
        )
    same_role = RoleAssignment.objects.filter(user=user, council=council, role=role).filter(
        overlapping(start_date, end_date)
    )
    if exclude_id is not None:
        same_role = same_role.exclude(pk=exclude_id)
    clash = same_role.first()
    if clash is not None:
        raise RoleAlreadyHeld(
            _(
                "%(user)s already holds the role %(role)s in %(council)s "
                "from %(start)s to %(end)s. End that role first or choose other dates."
            )
            % {
                "user": user.get_username(),
                "role": label,
                "council": council.name,
                "start": format_day(clash.start_date),
                "end": format_day(clash.end_date),
            },
            fields={"role": [_("Already held over these dates.")]},
        )


def assign_role(
    *,
    actor: Any,
    user: User,
    council: Council,
    role: str,
    start_date: dt.date,
    committee: Committee | None = None,
    agency: Agency | None = None,
    end_date: dt.date | None = None,
) -> RoleAssignment:
    with transaction.atomic():
        # Lock the user: two administrators giving the same role cannot both pass the check.
        user = User.objects.select_for_update().get(pk=user.pk)
        check_role_assignment(
            user=user,
            council=council,
            role=role,
            start_date=start_date,
            committee=committee,
            agency=agency,
            end_date=end_date,
        )
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(
                    user=user,
                    council=council,
                    role=role,
                    committee=committee,
                    agency=agency,
                    start_date=start_date,
                    end_date=end_date,
                )
        except IntegrityError as exc:
            raise RoleAlreadyHeld(_("This user already holds this role in this council.")) from exc
        record_event(
            actor=actor,
            action="accounts.role.assign",
            obj=assignment,
            council=council,
            summary=_("%(user)s was given the role %(role)s")
            % {"user": user.get_username(), "role": assignment.get_role_display()},
            changes=changes_between(None, _snapshot(assignment)),
        )
    return assignment


def check_role_end(*, assignment: RoleAssignment, end_date: dt.date) -> None:
    """Raise the DomainError that ending the role on `end_date` would break, if any."""
    if assignment.end_date is not None and assignment.end_date <= end_date:
        raise RoleAlreadyEnded(
            _("This role already ends on %(date)s.") % {"date": format_day(assignment.end_date)},
            fields={"end_date": [_("A role can only be ended earlier than it already is.")]},
        )
    if end_date < assignment.start_date:
        raise RoleDatesOutOfOrder(
            _("The role must end on or after its start date (%(start)s).")
            % {"start": format_day(assignment.start_date)},
            fields={"end_date": [_("Must not be earlier than the start date.")]},
        )


def end_role(*, actor: Any, assignment: RoleAssignment, end_date: dt.date) -> RoleAssignment:
    with transaction.atomic():
        assignment = (
            RoleAssignment.objects.select_for_update()
            .select_related("user", "council")
            .get(pk=assignment.pk)
        )
        check_role_end(assignment=assignment, end_date=end_date)
        before = _snapshot(assignment)
        assignment.end_date = end_date
        assignment.save(update_fields=["end_date"])
        record_event(
            actor=actor,
            action="accounts.role.end",
            obj=assignment,
            council=assignment.council,
            summary=_("%(user)s no longer holds the role %(role)s")
            % {"user": assignment.user.get_username(), "role": assignment.get_role_display()},
            changes=changes_between(before, _snapshot(assignment)),
        )
    return assignment


# Users


def create_user_for_person(
    *,
    actor: Any,
    person: Person,
    username: str,
    email: str = "",
    password: str | None = None,
) -> User:
    """An account for a person of the registry. Without a password the account cannot sign
    in until one is set (by an administrator or a reset)."""
    username = username.strip()
    if not username:
        raise DomainError(_("Enter a username."), fields={"username": [_("Required.")]})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if User.objects.filter(person=person).exists():
            raise AccountExists(
                _("%(person)s already has an account.") % {"person": person.full_name},
                fields={"person": [_("Already has an account.")]},
            )
        if User.objects.filter(username__iexact=username).exists():
            raise AccountExists(
                _("The username %(username)s is taken.") % {"username": username},
                fields={"username": [_("Taken.")]},
            )
        user = User(username=username, email=email or person.email, person=person)
        if password is None:
            user.set_unusable_password()
        else:
            _validate_new_password(password, user)
            user.set_password(password)
        try:
            with transaction.atomic():
                user.save(force_insert=True)
        except IntegrityError as exc:
            raise AccountExists(
                _("The username %(username)s is taken.") % {"username": username}
            ) from exc
        record_event(
            actor=actor,
            action="accounts.user.create",
            obj=user,
            summary=_("Account %(username)s created for %(person)s")
            % {"username": username, "person": person.full_name},
        )
    return user


def _validate_new_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), fields={"password": list(exc.messages)}) from exc


def change_password(*, user: User, password: str) -> User:
    """Set a new password the user chose (the form has checked the old one)."""
    _validate_new_password(password, user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        # The new hash is never written to the trail, only that it changed.
        record_event(
            actor=user,
            action="accounts.password.change",
            obj=user,
            summary=_("%(username)s changed their password") % {"username": user.get_username()},
        )
    return user


# Second factor


def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device the user is enrolling, created on first use.

    Reusing it keeps the QR code the same when the page is reloaded after a wrong code.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise DeviceAlreadyConfirmed(
            _("You already have an authenticator app. Sign in with its code.")
        )
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def check_totp_code(*, user: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """The device, once it accepts `code`; raises WrongCode or TooManyWrongCodes.

    Runs outside any caller's transaction on purpose: django-otp counts a wrong code on
    the device, and that count must survive the error we raise.
    """
    device.refresh_from_db()
    allowed, details = device.verify_is_allowed()
    if not allowed:
        raise _too_many_wrong_codes(details)
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is None:
        raise WrongCode(
            _(
                "This code is not correct. Enter the newest 6-digit code from your "
                "authenticator app, and check that your phone shows the right time."
            ),
            fields={"code": [_("Wrong code.")]},
        )
    return verified


def _too_many_wrong_codes(details: dict[str, Any] | None) -> TooManyWrongCodes:
    locked_until = (details or {}).get("locked_until")
    seconds = 1
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    message = ngettext(
        "Too many wrong codes. Wait %(seconds)d second, then enter the newest code.",
        "Too many wrong codes. Wait %(seconds)d seconds, then enter the newest code.",
        seconds,
    ) % {"seconds": seconds}
    return TooManyWrongCodes(message, fields={"code": [message]}, retry_after=seconds)


def confirm_totp_device(*, user: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """Finish enrolment: the first right code confirms the device."""
    check_totp_code(user=user, device=device, code=code)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed:
            return device
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise DeviceAlreadyConfirmed(
                _("You already have an authenticator app. Sign in with its code.")
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        record_event(
            actor=user,
            action="accounts.totp.confirm",
            obj=device,
            summary=_("%(username)s set up an authenticator app")
            % {"username": user.get_username()},
        )
    return device


def remove_totp_device(*, actor: Any, device: TOTPDevice) -> None:
    """Reset a lost authenticator app: the user enrols a new one at the next sign-in."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().select_related("user").get(pk=device.pk)
        record_event(
            actor=actor,
            action="accounts.totp.remove",
            obj=device,
            summary=_("The authenticator app of %(username)s was removed")
            % {"username": device.user.get_username()},
        )
        device.delete()
