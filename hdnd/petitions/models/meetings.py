"""Voter-contact meetings (tiếp xúc cử tri, TXCT): planned, held, minuted, and the
answers officials gave on the spot."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingTiming(models.TextChoices):
    BEFORE_SESSION = "before_session", _("Before the session")
    AFTER_SESSION = "after_session", _("After the session")
    THEMATIC = "thematic", _("Thematic")
    TARGET_GROUP = "target_group", _("By target group")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Organiser(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", _("Standing committee of the council")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front committee")
    DELEGATE_GROUP = "delegate_group", _("Delegate group")


class ContactMeeting(models.Model):
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="contact_meetings",
    )
    term = models.ForeignKey(
        "councils.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey(
        "petitions.SessionCycle",
        verbose_name=_("session cycle"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    timing = models.CharField(_("timing"), max_length=20, choices=MeetingTiming.choices)
    topic = models.CharField(_("topic or target group"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    unit = models.ForeignKey(
        "councils.AdministrativeUnit",
        verbose_name=_("place (unit)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    # Codes from Organiser; a list because several bodies organise together.
    organisers = models.JSONField(_("organisers"), default=list, blank=True)
    delegate_group = models.ForeignKey(
        "councils.DelegateGroup",
        verbose_name=_("delegate group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_meetings",
    )
    # City and commune delegates both appear at joint meetings.
    delegates_present = models.ManyToManyField(
        "councils.Membership",
        verbose_name=_("delegates present"),
        blank=True,
        related_name="contact_meetings",
    )
    voters_attending = models.PositiveIntegerField(_("voters attending"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes_file = models.FileField(
        _("minutes (biên bản)"), upload_to="petitions/minutes/%Y/", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("voter-contact meeting")
        verbose_name_plural = _("voter-contact meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["council", "cycle"], name="meeting_council_cycle")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="held") | Q(voters_attending__isnull=False),
                name="held_meeting_counts_voters",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_timing_display()} — {self.unit} — {self.starts_at:%d/%m/%Y}"


class SpotAnswer(models.Model):
    """An answer an official gave at the meeting itself (trả lời tại hội nghị)."""

    meeting = models.ForeignKey(
        ContactMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="spot_answers",
    )
    item = models.ForeignKey(
        "petitions.VoterItem",
        verbose_name=_("voter item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spot_answers",
    )
    official_name = models.CharField(_("official"), max_length=150)
    official_title = models.CharField(
        pgettext_lazy("a person's post", "title"), max_length=200, blank=True
    )
    agency = models.ForeignKey(
        "councils.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("answer"))
    settles_item = models.BooleanField(_("the voter accepted the answer"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer given at the meeting")
        verbose_name_plural = _("answers given at the meeting")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.official_name}: {self.text[:60]}"
