"""Voter items and the consolidated petitions made of them.

A `VoterItem` is what one voter (or one speaker at a meeting) asked, as received, with
the channel and — privately — who asked. A `Petition` (kiến nghị tổng hợp) is what the
council routes, deadlines, answers, rates and publishes: it links one or more voter
items. A lone item is consolidated into a petition of one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd.petitions.models.catalogue import CompetenceLevel


class Channel(models.TextChoices):
    MEETING = "meeting", _("Voter-contact meeting")
    WEB = "web", _("Public web form")
    HOTLINE = "hotline", _("Hotline")
    LETTER = "letter", _("Letter")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Email")
    RECEPTION = "reception", _("Citizen reception")
    IMPORT = "import", _("Imported file")
    API = "api", _("Another system (API)")


class ItemKind(models.TextChoices):
    """What the item really is: triage sends what is not a petition elsewhere."""

    PETITION = "petition", _("Voter petition")
    COMPLAINT = "complaint", _("Complaint (khiếu nại)")
    DENUNCIATION = "denunciation", _("Denunciation (tố cáo)")
    FIELD_REPORT = "field_report", _("Field incident report (phản ánh hiện trường)")


class TriageStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    ACCEPTED = "accepted", _("Accepted as a petition")
    REDIRECTED = "redirected", _("Redirected")


class VoterItem(models.Model):
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="voter_items",
    )
    # Given to the voter; the public lookup key. Unguessable, never reused.
    code = models.CharField(_("code"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    meeting = models.ForeignKey(
        "petitions.ContactMeeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    cycle = models.ForeignKey(
        "petitions.SessionCycle",
        verbose_name=_("session cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("text"))
    # How many voters raised it (a speaker may speak for a residential group).
    voter_count = models.PositiveIntegerField(_("number of voters"), default=1)
    # Personal data: shown only to the receiving council's staff, never public.
    voter_name = models.CharField(_("voter's name"), max_length=150, blank=True)
    voter_phone = models.CharField(_("voter's phone"), max_length=40, blank=True)
    voter_email = models.EmailField(_("voter's email"), blank=True)
    voter_address = models.CharField(_("voter's address"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "councils.AdministrativeUnit",
        verbose_name=_("place (unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place details"), max_length=300, blank=True)
    field = models.ForeignKey(
        "petitions.Field",
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(
        _("competence level"), max_length=10, choices=CompetenceLevel.choices, blank=True
    )
    tags = models.ManyToManyField("petitions.Tag", verbose_name=_("tags"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=15, choices=ItemKind.choices, default=ItemKind.PETITION
    )
    triage_status = models.CharField(
        _("triage"), max_length=12, choices=TriageStatus.choices, default=TriageStatus.NEW
    )
    redirected_to = models.CharField(_("redirected to"), max_length=300, blank=True)
    redirect_reason = models.TextField(_("reason for redirecting"), blank=True)
    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("consolidated petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    # Where an imported item came from: re-importing the same source id changes nothing.
    source_system = models.CharField(_("source system"), max_length=40, blank=True)
    source_id = models.CharField(_("source id"), max_length=100, blank=True)
    import_batch = models.ForeignKey(
        "petitions.ImportBatch",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("voter item")
        verbose_name_plural = _("voter items")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["council", "triage_status"], name="item_council_triage"),
            models.Index(fields=["council", "petition"], name="item_council_petition"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "source_system", "source_id"],
                condition=~Q(source_id=""),
                name="item_source_unique",
            ),
            models.CheckConstraint(
                condition=~Q(channel="meeting") | Q(meeting__isnull=False),
                name="meeting_item_has_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(triage_status="redirected") | ~Q(redirect_reason=""),
                name="redirect_has_reason",
            ),
            models.CheckConstraint(condition=Q(voter_count__gte=1), name="item_has_a_voter"),
        ]

    def __str__(self) -> str:
        return self.code


class PetitionStatus(models.TextChoices):
    CONSOLIDATING = "consolidating", _("Being consolidated")
    ASSIGNED = "assigned", _("Sent to the agency")
    FORWARDED = "forwarded", _("Forwarded to central level")
    ANSWERED = "answered", _("Answered, awaiting evaluation")
    MONITORING = "monitoring", _("Being resolved (monitored)")
    REOPENED = "reopened", _("Re-supervision")
    RESOLVED = "resolved", _("Resolved")
    TRANSFERRED = "transferred", _("Moved to another council")
    MERGED = "merged", _("Merged into another petition")


# States in which the petition is waiting for an agency's answer (and its deadline runs).
AWAITING_ANSWER = frozenset(
    {PetitionStatus.ASSIGNED, PetitionStatus.FORWARDED, PetitionStatus.REOPENED}
)
# States in which the petition has its answer (the dashboard and the list count these).
ANSWERED_STATES = frozenset(
    {PetitionStatus.ANSWERED, PetitionStatus.MONITORING, PetitionStatus.RESOLVED}
)
# States that end the petition's life in this council.
FINAL_STATES = frozenset(
    {PetitionStatus.RESOLVED, PetitionStatus.TRANSFERRED, PetitionStatus.MERGED}
)


class ResultCategory(models.TextChoices):
    """The agency's outcome, as in supervision reports."""

    RESOLVED = "resolved", _("Resolved (đã giải quyết xong)")
    IN_PROGRESS = "in_progress", _("Being resolved, with roadmap and deadline (đang giải quyết)")
    WILL_RESOLVE = "will_resolve", _("Will be resolved (sẽ giải quyết)")
    EXPLAINED = "explained", _("Explained, information provided (giải trình, cung cấp thông tin)")


class Verdict(models.TextChoices):
    """The committee's judgement of an answer."""

    SATISFACTORY = "satisfactory", _("Satisfactory (thỏa đáng)")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory (chưa thỏa đáng)")
    WRONG_COMPETENCE = "wrong_competence", _("Outside the agency's competence (sai thẩm quyền)")
    OFF_TOPIC = "off_topic", _("Does not answer what was asked (trả lời không đúng nội dung)")


class Petition(models.Model):
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("consolidated text"))
    field = models.ForeignKey(
        "petitions.Field",
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    level = models.CharField(
        _("competence level"), max_length=10, choices=CompetenceLevel.choices, blank=True
    )
    unit = models.ForeignKey(
        "councils.AdministrativeUnit",
        verbose_name=_("place (unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tags = models.ManyToManyField("petitions.Tag", verbose_name=_("tags"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=PetitionStatus.choices,
        default=PetitionStatus.CONSOLIDATING,
    )
    raised_in = models.ForeignKey(
        "petitions.SessionCycle",
        verbose_name=_("raised in session cycle"),
        on_delete=models.PROTECT,
        related_name="petitions_raised",
    )
    # The cycle whose report the petition is in now; later than raised_in when carried over.
    current_cycle = models.ForeignKey(
        "petitions.SessionCycle",
        verbose_name=_("current session cycle"),
        on_delete=models.PROTECT,
        related_name="petitions_current",
    )
    lead_agency = models.ForeignKey(
        "councils.Agency",
        verbose_name=_("lead agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_petitions",
    )
    coordinating_agencies = models.ManyToManyField(
        "councils.Agency",
        verbose_name=_("coordinating agencies"),
        blank=True,
        related_name="coordinated_petitions",
    )
    committee = models.ForeignKey(
        "councils.Committee",
        verbose_name=_("committee in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    deadline_rule = models.ForeignKey(
        "petitions.DeadlineRule",
        verbose_name=_("deadline rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    due_on = models.DateField(_("answer due on"), null=True, blank=True)
    forwarded_reference = models.CharField(_("forwarding document"), max_length=100, blank=True)
    # Denormalised from the current answer and rating, for the dashboard.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=15, choices=ResultCategory.choices, blank=True
    )
    verdict = models.CharField(_("evaluation"), max_length=20, choices=Verdict.choices, blank=True)
    answer_published_on = models.DateField(_("answer published on"), null=True, blank=True)
    is_questioning_topic = models.BooleanField(_("questioning topic"), default=False)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    # Counts of what was consolidated, kept by the services.
    item_count = models.PositiveIntegerField(_("voter items"), default=0)
    voter_count = models.PositiveIntegerField(_("voters"), default=0)
    meeting_count = models.PositiveIntegerField(_("meetings"), default=0)
    # Lineage: the petition this one continues (in another council) or was merged into.
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("comes from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    source_system = models.CharField(_("source system"), max_length=40, blank=True)
    source_id = models.CharField(_("source id"), max_length=100, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: every service bumps it; an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["council", "status"], name="petition_council_status"),
            models.Index(fields=["council", "current_cycle"], name="petition_council_cycle"),
            models.Index(fields=["lead_agency", "status"], name="petition_agency_status"),
            models.Index(fields=["status", "due_on"], name="petition_status_due"),
            models.Index(fields=["council", "field"], name="petition_council_field"),
            # The council's list, newest first, without sorting every petition.
            models.Index(fields=["council", "-created_at", "-id"], name="petition_council_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "source_system", "source_id"],
                condition=~Q(source_id=""),
                name="petition_source_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="merged_petition_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "reopened"]) | Q(lead_agency__isnull=False),
                name="assigned_petition_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AgencyRole(models.TextChoices):
    LEAD = "lead", _("Lead agency")
    COORDINATING = "coordinating", _("Coordinating agency")


class PetitionRoute(models.Model):
    """Routing history: which agency had the petition, in which role, from when to when."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="routes"
    )
    agency = models.ForeignKey(
        "councils.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=15, choices=AgencyRole.choices)
    proposed_by_rule = models.ForeignKey(
        "petitions.RoutingRule",
        verbose_name=_("proposed by routing rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("routing step")
        verbose_name_plural = _("routing history")
        ordering = ["petition", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "agency"],
                condition=Q(ended_on__isnull=True),
                name="route_agency_once_open",
            ),
            models.UniqueConstraint(
                fields=["petition"],
                condition=Q(ended_on__isnull=True, role="lead"),
                name="route_one_open_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} → {self.agency} ({self.get_role_display()})"


class EventKind(models.TextChoices):
    # "Created" alone is also a column header ("Ngày tạo"); the event reads "Đã tạo".
    CREATED = "created", pgettext_lazy("petition event", "Created")
    ITEM_ADDED = "item_added", _("Voter item added")
    ITEM_REMOVED = "item_removed", _("Voter item split off")
    MERGED = "merged", _("Merged")
    EDITED = "edited", _("Edited")
    ASSIGNED = "assigned", _("Sent to the agency")
    REROUTED = "rerouted", _("Re-routed")
    FORWARDED = "forwarded", _("Forwarded to central level")
    TRANSFERRED = "transferred", _("Moved to another council")
    RECEIVED = "received", _("Received from another council")
    ANSWERED = "answered", _("Answer recorded")
    PUBLISHED = "published", _("Answer published")
    RATED = "rated", _("Answer evaluated")
    REOPENED = "reopened", _("Re-opened for re-supervision")
    QUESTIONING = "questioning", _("Flagged as a questioning topic")
    UNQUESTIONED = "unquestioned", _("No longer a questioning topic")
    CARRIED_OVER = "carried_over", _("Carried over to the next session")
    REMINDED = "reminded", _("Reminder sent")
    ESCALATED = "escalated", _("Escalated to the standing committee")
    RESOLVED = "resolved", _("Resolved")


class PetitionEvent(models.Model):
    """The petition's own timeline, shown to staff (and, for public events, to voters).
    The tamper-evident record of the same changes is the AuditEvent chain."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=15, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    is_public = models.BooleanField(_("shown to the public"), default=False)

    class Meta:
        verbose_name = _("petition event")
        verbose_name_plural = _("petition events")
        ordering = ["petition", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.kind}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Merged")
    REJECTED = "rejected", _("Not a duplicate")


class DuplicateSuggestion(models.Model):
    """The machine suggests that a voter item repeats a petition; a person decides.
    Both the suggestion and the decision are kept."""

    council = models.ForeignKey(
        "councils.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        VoterItem,
        verbose_name=_("voter item"),
        on_delete=models.CASCADE,
        related_name="duplicate_suggestions",
    )
    candidate = models.ForeignKey(
        Petition,
        verbose_name=_("possible duplicate of"),
        on_delete=models.CASCADE,
        related_name="duplicate_suggestions",
    )
    score = models.FloatField(_("similarity"))
    method = models.CharField(_("method"), max_length=30)
    suggested_at = models.DateTimeField(_("suggested at"))
    status = models.CharField(
        _("decision"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate suggestion")
        verbose_name_plural = _("duplicate suggestions")
        ordering = ["-score"]
        indexes = [models.Index(fields=["council", "status"], name="suggestion_council_status")]
        constraints = [
            models.UniqueConstraint(fields=["item", "candidate"], name="suggestion_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} ~ {self.candidate_id} ({self.score:.2f})"


class CodeCounter(models.Model):
    """The last sequence number used for petition codes of a council in a year."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="code_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.year}: {self.last}"
