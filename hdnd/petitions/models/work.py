"""Background work the module tracks: imports (with progress) and in-app notifications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    REFUSED = "refused", _("File refused")
    PREVIEWED = "previewed", _("Checked, waiting to import")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportBatch(models.Model):
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="petition_imports",
    )
    file = models.FileField(_("file"), upload_to="petitions/imports/%Y/")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    source_system = models.CharField(_("source system"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    # While the file is being checked: an estimate of its rows (0 when unknown), and the
    # rows checked so far; from the preview on, the rows and the rows imported.
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    unchanged_count = models.PositiveIntegerField(_("already imported"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [{"row": 12, "column": "Lĩnh vực", "message": "..."}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("petition import")
        verbose_name_plural = _("petition imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("New petition for your agency")
    DUE_SOON = "due_soon", _("Answer due soon")
    OVERDUE = "overdue", _("Answer overdue")
    ESCALATED = "escalated", _("Overdue petition escalated")
    ANSWERED = "answered", _("Answer waiting for evaluation")
    REOPENED = "reopened", _("Petition re-opened")
    RECEIVED = "received", _("Petition received from another council")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="petition_notifications",
    )
    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind.choices)
    # The deadline the notice is about: one reminder per deadline, even if the job reruns.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("created at"))
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "petition", "kind", "due_on"], name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return self.message
