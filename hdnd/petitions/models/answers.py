"""Official answers and their evaluation.

An agency's answer document (văn bản trả lời) may answer many petitions; each petition
gets its own answer text and result. Answers are prepared first and published later
(Decidim's answer-then-publish). The committee in charge then rates the answer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hdnd.lib.pdfsign import SignatureStatus
from hdnd.petitions.models.items import ResultCategory, Verdict


class AnswerDocument(models.Model):
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="answer_documents",
    )
    agency = models.ForeignKey(
        "councils.Agency",
        verbose_name=_("issuing agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answer_documents",
    )
    number = models.CharField(_("number and symbol"), max_length=80)
    issued_on = models.DateField(_("issued on"))
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    file = models.FileField(_("file"), upload_to="petitions/answers/%Y/", blank=True)
    signature_status = models.CharField(
        _("digital signature"),
        max_length=12,
        choices=SignatureStatus.choices,
        default=SignatureStatus.NOT_CHECKED,
    )
    # What pyHanko reported: signer, signing time, intact, trusted, coverage.
    signature_details = models.JSONField(_("signature details"), default=dict, blank=True)
    signature_checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer document")
        verbose_name_plural = _("answer documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "agency", "number"], name="answer_document_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class Answer(models.Model):
    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("petition"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    agency = models.ForeignKey(
        "councils.Agency",
        verbose_name=_("answering agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    document = models.ForeignKey(
        AnswerDocument,
        verbose_name=_("answer document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    text = models.TextField(_("answer"))
    result = models.CharField(_("result"), max_length=15, choices=ResultCategory.choices)
    roadmap = models.TextField(_("roadmap and resources"), blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"))
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    # The answer a later one replaces (after re-supervision) stays, marked not current.
    is_current = models.BooleanField(_("current answer"), default=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["petition", "-answered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition"], condition=Q(is_current=True), name="answer_one_current"
            ),
            models.CheckConstraint(
                condition=~Q(result="in_progress")
                | Q(planned_completion__isnull=False) & ~Q(roadmap=""),
                name="in_progress_answer_has_roadmap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.get_result_display()}"


class Decision(models.TextChoices):
    """What follows the evaluation."""

    CLOSE = "close", _("Close: resolved")
    MONITOR = "monitor", _("Keep monitoring the roadmap")
    RESUPERVISE = "resupervise", _("Re-open for re-supervision")
    QUESTIONING = "questioning", _("Flag as a questioning topic for the next session")


class Rating(models.Model):
    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.PROTECT, related_name="ratings"
    )
    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("petition"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    committee = models.ForeignKey(
        "councils.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verdict = models.CharField(_("evaluation"), max_length=20, choices=Verdict.choices)
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["petition", "-rated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="satisfactory") | ~Q(comment=""),
                name="unsatisfactory_rating_explained",
            ),
            models.CheckConstraint(
                condition=Q(verdict="satisfactory")
                | Q(decision__in=["resupervise", "questioning"]),
                name="unsatisfactory_rating_reopens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.get_verdict_display()}"
