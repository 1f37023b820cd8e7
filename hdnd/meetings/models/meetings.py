"""Meetings of a council (kỳ họp, phiên họp, cuộc họp), their sittings, participants and
agenda.

A session (kỳ họp) is numbered per term: regular, thematic and extraordinary sessions
share one numbering ("kỳ họp thứ N"). Other meetings (standing committee, committee,
conference) are not numbered as sessions. A meeting runs over one or more sittings
(phiên): attendance, quorum and polls belong to a sitting.

Participants carry a role per meeting. Delegates and the chair are the council's
members (they vote); guests never vote; respondents are officials who answer questions;
office staff act as secretaries.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular session")
    THEMATIC = "thematic", _("Thematic session")
    EXTRAORDINARY = "extraordinary", _("Extraordinary session")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee meeting")
    COMMITTEE = "committee", _("Committee meeting")
    CONFERENCE = "conference", _("Conference")


# Kinds numbered together per term as sessions (kỳ họp thứ N).
SESSION_KINDS = frozenset({MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY})


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


def new_display_key() -> str:
    return secrets.token_urlsafe(24)


class Meeting(models.Model):
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    term = models.ForeignKey(
        "councils.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    # Sessions only: "kỳ họp thứ N" of the term.
    number = models.PositiveSmallIntegerField(_("session number"), null=True, blank=True)
    committee = models.ForeignKey(
        "councils.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=300)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    is_closed = models.BooleanField(
        _("closed meeting"), default=False, help_text=_("Held behind closed doors (họp kín).")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # Quorum: present voting members ≥ total × numerator / denominator (default 2/3).
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    # Whether a delegate may change their vote while a named poll is open (per poll too).
    allow_vote_change = models.BooleanField(
        _("votes may be changed while a poll is open"), default=True
    )
    # Speaking time limit in seconds (a request may set its own), warned before the end.
    speech_limit_seconds = models.PositiveIntegerField(
        _("speaking time limit (seconds)"), default=420
    )
    speech_warning_seconds = models.PositiveIntegerField(
        _("warning before the end (seconds)"), default=60
    )
    current_sitting = models.ForeignKey(
        "meetings.Sitting",
        verbose_name=_("current sitting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The read-only projector page's key (a display token: no account on the big screen).
    display_key = models.CharField(
        max_length=64, unique=True, default=new_display_key, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("council meeting", "meeting")
        verbose_name_plural = pgettext_lazy("council meeting", "meetings")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="meeting_days_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(str(kind) for kind in SESSION_KINDS))
                | Q(number__isnull=False),
                name="meeting_session_numbered",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MeetingKind.COMMITTEE) | Q(committee__isnull=False),
                name="meeting_committee_named",
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="meeting_quorum_fraction",
            ),
            models.UniqueConstraint(
                fields=["council", "term", "number"],
                condition=Q(kind__in=sorted(str(kind) for kind in SESSION_KINDS)),
                name="meeting_session_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["council", "-starts_on"], name="meeting_council_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_session(self) -> bool:
        return self.kind in SESSION_KINDS


class SittingPart(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")
    FULL_DAY = "full_day", _("Full day")


class SittingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Sitting(models.Model):
    """A sitting (phiên họp) of a meeting: one half-day, say. Attendance is taken per
    sitting; a poll belongs to the sitting it is held in."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=pgettext_lazy("council meeting", "meeting"),
        on_delete=models.CASCADE,
        related_name="sittings",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    date = models.DateField(_("date"))
    part = models.CharField(_("part of the day"), max_length=10, choices=SittingPart.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    is_closed = models.BooleanField(_("closed sitting"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SittingStatus.choices, default=SittingStatus.PLANNED
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="sitting_number_unique"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(status="open"), name="sitting_one_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.date:%d/%m/%Y} — {self.get_part_display()}"


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DELEGATE = "delegate", _("Delegate")
    GUEST = "guest", _("Invited guest")
    RESPONDENT = "respondent", _("Respondent official")
    STAFF = "staff", _("Office staff (secretary)")


# Roles that vote (a member of the council who chairs still votes); guests never do.
VOTING_ROLES = frozenset({ParticipantRole.CHAIR, ParticipantRole.DELEGATE})


class Participant(models.Model):
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=pgettext_lazy("council meeting", "meeting"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    person = models.ForeignKey(
        "councils.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=12, choices=ParticipantRole.choices)
    # The seat a voting participant holds (delegates and the chair must have one).
    membership = models.ForeignKey(
        "councils.Membership",
        verbose_name=_("seat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What a guest or respondent attends as ("Giám đốc Sở Xây dựng").
    title = models.CharField(_("title or post"), max_length=300, blank=True)
    agency = models.ForeignKey(
        "councils.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seat = models.CharField(_("seat in the room"), max_length=20, blank=True)
    sort_key = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="participant_unique"),
            models.CheckConstraint(
                condition=~Q(role__in=["chair", "delegate"]) | Q(membership__isnull=False),
                name="participant_voter_has_seat",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["chair", "delegate"]) | Q(membership__isnull=True),
                name="participant_seat_only_for_voters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @property
    def votes(self) -> bool:
        return self.role in VOTING_ROLES


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CURRENT = "current", _("Current")
    DONE = "done", _("Done")


class AgendaItem(models.Model):
    """An item of the agenda, possibly under another. `position` orders siblings."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=pgettext_lazy("council meeting", "meeting"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    position = models.PositiveIntegerField(pgettext_lazy("order", "position"), default=0)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    presenter = models.ForeignKey(
        "councils.Person",
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who presents, when not a known person ("Đại diện UBND thành phố").
    presenter_text = models.CharField(_("presenter (as written)"), max_length=300, blank=True)
    sitting = models.ForeignKey(
        Sitting,
        verbose_name=_("sitting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    planned_start = models.TimeField(_("planned start"), null=True, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(status="current"), name="agenda_one_current"
            )
        ]

    def __str__(self) -> str:
        return self.title
