"""What the petitions module is configured with: session cycles, fields (lĩnh vực),
tags, the routing table, the committee in charge of each field and the deadline rules.

Routing rows, committee rows and deadline rules carry `valid_from`/`valid_until`: a
change closes the old row and opens a new one, so every past decision can be explained.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CompetenceLevel(models.TextChoices):
    """Who has the power to resolve a petition (thẩm quyền)."""

    CENTRAL = "central", _("Central (forwarded to the National Assembly delegation)")
    CITY = "city", _("Province / city")
    COMMUNE = "commune", _("Commune / ward")


class SessionCycle(models.Model):
    """One regular or thematic session of a council (kỳ họp) and the voter-contact
    round around it. Every petition is raised in a cycle and may carry over to later ones."""

    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="petition_cycles",
    )
    term = models.ForeignKey(
        "councils.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    name = models.CharField(_("name"), max_length=200)
    is_thematic = models.BooleanField(_("thematic session"), default=False)
    session_date = models.DateField(_("session opening date"))

    class Meta:
        verbose_name = _("session cycle")
        verbose_name_plural = _("session cycles")
        ordering = ["council", "-session_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "term", "number"], name="cycle_number_unique_in_term"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Field(models.Model):
    """A field of work (lĩnh vực): land, transport, education… Shared by all councils;
    its code is the Open311 service_code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _valid_dates_ordered(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
        name=name,
    )


class RoutingRule(models.Model):
    """Council × field × competence level → the agency that answers (FixMyStreet's
    contacts table, with history)."""

    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="routing_rules"
    )
    level = models.CharField(_("competence level"), max_length=10, choices=CompetenceLevel.choices)
    agency = models.ForeignKey(
        "councils.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["council", "field", "level", "-valid_from"]
        constraints = [
            _valid_dates_ordered("routing_dates_ordered"),
            models.UniqueConstraint(
                fields=["council", "field", "level"],
                condition=Q(valid_until__isnull=True),
                name="routing_one_open_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field} / {self.get_level_display()} → {self.agency}"


class FieldCommittee(models.Model):
    """The committee (Ban) of a council that supervises and rates answers in a field."""

    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="field_committees",
    )
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        "councils.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="supervised_fields",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee in charge of a field")
        verbose_name_plural = _("committees in charge of fields")
        ordering = ["council", "field", "-valid_from"]
        constraints = [
            _valid_dates_ordered("field_committee_dates_ordered"),
            models.UniqueConstraint(
                fields=["council", "field"],
                condition=Q(valid_until__isnull=True),
                name="field_committee_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field} → {self.committee}"


class RouteKind(models.TextChoices):
    """Which deadline rule applies to a petition."""

    CENTRAL = "central", _("Forwarded to central level")
    OWN_AGENCY = "own_agency", _("The council's own agencies")
    COORDINATION = "coordination", _("Coordinating agency's contribution")
    REOPENED = "reopened", _("Re-supervision after an unsatisfactory answer")


class DayCounting(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


class DeadlineRule(models.Model):
    """How long an agency has to answer, counted from assignment: for example 60
    calendar days for items forwarded centrally (QĐ 33/2017 as amended by QĐ 30/2020),
    30 days for the city's own agencies."""

    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="deadline_rules",
    )
    route = models.CharField(_("applies to"), max_length=20, choices=RouteKind.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    counting = models.CharField(
        _("counting"), max_length=10, choices=DayCounting.choices, default=DayCounting.CALENDAR
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before the deadline"), default=5
    )
    escalate_days_after = models.PositiveSmallIntegerField(
        _("escalate to the standing committee this many days after the deadline"), default=0
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["council", "route", "-valid_from"]
        constraints = [
            _valid_dates_ordered("deadline_rule_dates_ordered"),
            models.CheckConstraint(condition=Q(days__gt=0), name="deadline_rule_days_positive"),
            models.UniqueConstraint(
                fields=["council", "route"],
                condition=Q(valid_until__isnull=True),
                name="deadline_rule_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()}: {self.days} ({self.get_counting_display()})"
