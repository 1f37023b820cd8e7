"""What happens in the room: attendance per sitting, requests to speak and the floor,
questioning (chất vấn), and the resolutions a meeting adopts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd.lib.pdfsign import SignatureStatus


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT_EXCUSED = "absent_excused", _("Absent with leave")
    ABSENT = "absent", _("Absent")


class CheckInMethod(models.TextChoices):
    TABLET = "tablet", _("On the tablet")
    OFFICE = "office", _("By the office")


class Attendance(models.Model):
    """One participant at one sitting. No row: not yet checked in."""

    sitting = models.ForeignKey(
        "meetings.Sitting",
        verbose_name=_("sitting"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    participant = models.ForeignKey(
        "meetings.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    status = models.CharField(_("status"), max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason for absence"), max_length=500, blank=True)
    method = models.CharField(_("recorded"), max_length=8, choices=CheckInMethod.choices)
    # The delegate says they are ready to vote (sẵn sàng biểu quyết).
    ready_to_vote = models.BooleanField(_("ready to vote"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "participant"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status="present") | Q(ready_to_vote=False),
                name="attendance_ready_only_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_status_display()}"


class SpeechKind(models.TextChoices):
    SPEECH = "speech", _("Speech (phát biểu)")
    DEBATE = "debate", _("Debate (tranh luận)")


class SpeechStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SPEAKING = "speaking", _("Speaking")
    DONE = "done", _("Spoke")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SpeechRequest(models.Model):
    """A request to speak on an agenda item; the chair orders the queue (`position`) and
    grants the floor. A done request is the log of who spoke and how long."""

    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="speech_requests",
    )
    participant = models.ForeignKey(
        "meetings.Participant",
        verbose_name=_("speaker"),
        on_delete=models.CASCADE,
        related_name="speech_requests",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SpeechKind.choices)
    note = models.CharField(_("topic"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SpeechStatus.choices, default=SpeechStatus.WAITING
    )
    position = models.PositiveIntegerField(_("place in the queue"), default=0)
    limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to speak")
        verbose_name_plural = _("requests to speak")
        ordering = ["agenda_item", "position", "id"]
        constraints = [
            # One open request per person per item; the floor to one speaker at a time.
            models.UniqueConstraint(
                fields=["agenda_item", "participant"],
                condition=Q(status__in=["waiting", "speaking"]),
                name="speech_one_open_request",
            ),
            models.UniqueConstraint(
                fields=["agenda_item"],
                condition=Q(status="speaking"),
                name="speech_one_speaker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.agenda_item}"

    @property
    def duration_seconds(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds())


class QuestionTopic(models.Model):
    """A group of questions (nhóm vấn đề chất vấn), optionally linked to voter petitions
    flagged as questioning topics."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=pgettext_lazy("council meeting", "meeting"),
        on_delete=models.CASCADE,
        related_name="question_topics",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="question_topics",
    )
    title = models.CharField(_("topic"), max_length=500)
    position = models.PositiveIntegerField(pgettext_lazy("order", "position"), default=0)
    # The respondents answering on this topic (heads of departments).
    respondents = models.ManyToManyField(
        "meetings.Participant", verbose_name=_("respondents"), blank=True, related_name="+"
    )
    petitions = models.ManyToManyField(
        "petitions.Petition", verbose_name=_("voter petitions"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("questioning topic")
        verbose_name_plural = _("questioning topics")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    QUESTION = "question", pgettext_lazy("questioning (chất vấn)", "Question")
    FOLLOW_UP = "follow_up", _("Follow-up question (tái chất vấn)")
    DEBATE = "debate", _("Debate")


class QuestionStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("question status", "Registered")
    ASKED = "asked", _("Asked")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Question(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=pgettext_lazy("council meeting", "meeting"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    topic = models.ForeignKey(
        QuestionTopic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.QUESTION
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows up on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    asker = models.ForeignKey(
        "meetings.Participant",
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="questions_asked",
    )
    respondent = models.ForeignKey(
        "meetings.Participant",
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="questions_received",
    )
    text = models.TextField(_("question"))
    # Registered before the meeting, or on the spot.
    registered_live = models.BooleanField(_("registered during the meeting"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.REGISTERED,
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    answer = models.TextField(_("answer"), blank=True)
    asked_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_seconds = models.PositiveIntegerField(_("answer time (seconds)"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="question") | Q(follows__isnull=False),
                name="question_follow_up_has_parent",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Resolution(models.Model):
    """A resolution (nghị quyết) adopted at a meeting, with the poll that adopted it."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=pgettext_lazy("council meeting", "meeting"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolutions",
    )
    poll = models.OneToOneField(
        "voting.Poll",
        verbose_name=_("adopted by the poll"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolution",
    )
    number = models.CharField(_("number and symbol"), max_length=80)
    title = models.CharField(_("title"), max_length=500)
    adopted_on = models.DateField(_("adopted on"))
    file = models.FileField(_("signed file"), upload_to="meetings/resolutions/%Y/", blank=True)
    signature_status = models.CharField(
        _("digital signature"),
        max_length=12,
        choices=SignatureStatus.choices,
        default=SignatureStatus.NOT_CHECKED,
    )
    signature_details = models.JSONField(_("signature details"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting", "adopted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="resolution_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
