"""A meeting's documents (tờ trình, draft resolutions, reports) with versions, delegates'
private notes, and written consultations between sessions (lấy ý kiến bằng văn bản)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd.lib.pdfsign import SignatureStatus


class DocumentKind(models.TextChoices):
    SUBMISSION = "submission", _("Submission (tờ trình)")
    DRAFT_RESOLUTION = "draft_resolution", _("Draft resolution")
    REPORT = "report", _("Report")
    VERIFICATION = "verification", _("Verification report")
    PROGRAMME = "programme", _("Programme")
    OTHER = "other", _("Other document")


class Visibility(models.TextChoices):
    # Delegates and staff of the meeting only, until published.
    PARTICIPANTS = "participants", _("Participants only")
    PUBLISHED = "published", _("Published")


class Document(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=pgettext_lazy("council meeting", "meeting"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=500)
    # Number and symbol of an issued document ("125/TTr-UBND").
    number = models.CharField(_("number and symbol"), max_length=80, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PARTICIPANTS,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    position = models.PositiveIntegerField(pgettext_lazy("order", "position"), default=0)
    # Folded title, number and the current version's text, for search.
    search_text = models.TextField(editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="meetings/documents/%Y/")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    signature_status = models.CharField(
        _("digital signature"),
        max_length=12,
        choices=SignatureStatus.choices,
        default=SignatureStatus.NOT_CHECKED,
    )
    signature_details = models.JSONField(_("signature details"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentNote(models.Model):
    """A delegate's private note and highlights on a document: no one else sees them."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="notes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("note"), blank=True)
    # [{"page": 3, "quote": "…", "color": "yellow", "comment": "…"}]
    highlights = models.JSONField(_("highlights"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="document_note_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} — {self.user}"


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Consultation(models.Model):
    """A written consultation (lấy ý kiến bằng văn bản): the council's members answer a
    question by a deadline; the answers are tallied."""

    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    term = models.ForeignKey(
        "councils.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=500)
    question = models.TextField(_("question"))
    document = models.FileField(_("document"), upload_to="meetings/consultations/%Y/", blank=True)
    deadline = models.DateTimeField(_("answer by"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
    )
    # The number of the council's members when it opened (the base of the percentages).
    total_members = models.PositiveIntegerField(_("members asked"), default=0)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("written consultation")
        verbose_name_plural = _("written consultations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ConsultationChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    OTHER = "other", _("Other opinion")


class ConsultationResponse(models.Model):
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    membership = models.ForeignKey(
        "councils.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("answer"), max_length=10, choices=ConsultationChoice.choices)
    comment = models.TextField(_("comment"), blank=True)
    responded_at = models.DateTimeField(_("answered at"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation answer")
        verbose_name_plural = _("consultation answers")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "membership"], name="consultation_one_answer"
            ),
            models.CheckConstraint(
                condition=~Q(choice="other") | ~Q(comment=""),
                name="consultation_other_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} — {self.membership}"
