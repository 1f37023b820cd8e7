"""The council registry: administrative units, councils, terms, delegates and the bodies
around them (committees, delegate groups, agencies).

Every record that belongs to a council carries it. `search_text` columns hold the
diacritics-free form made by lib/vietnamese.py; services keep them up to date.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level (abolished 1 July 2025)")
    COMMUNE = "commune", _("Commune level")


class UnitKind(models.TextChoices):
    CENTRAL_CITY = "thanh_pho_trung_uong", _("Centrally-run city")
    PROVINCE = "tinh", _("Province")
    URBAN_DISTRICT = "quan", _("Urban district")
    RURAL_DISTRICT = "huyen", _("Rural district")
    TOWN = "thi_xa", _("Town")
    PROVINCIAL_CITY = "thanh_pho_thuoc_tinh", _("Provincial city")
    WARD = "phuong", _("Ward")
    COMMUNE = "xa", _("Commune")
    SPECIAL_ZONE = "dac_khu", _("Special zone")
    TOWNSHIP = "thi_tran", _("Township")


class AdministrativeUnit(models.Model):
    """A province, commune, ward or special zone under its official code.

    Units that ceased to exist (the districts and many communes merged on 1 July 2025)
    stay with `valid_until` set, and point to the units that took them over, so that
    records made before the merger remain attached to something meaningful.
    """

    code = models.CharField(_("official code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    codename = models.SlugField(_("code name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successors: "models.ManyToManyField[AdministrativeUnit, UnitSuccession]" = (
        models.ManyToManyField(
            "self",
            verbose_name=_("successor units"),
            through="UnitSuccession",
            symmetrical=False,
            related_name="predecessors",
            blank=True,
        )
    )
    search_text = models.CharField(max_length=250, editable=False, default="")

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            # Codes are reused after a merger, so only current units must be unique.
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_until__isnull=True),
                name="unit_current_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["parent", "level"], name="unit_parent_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_until is None


class UnitSuccession(models.Model):
    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="succession_out"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="succession_in"
    )
    effective_date = models.DateField(_("effective date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class CouncilLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    COMMUNE = "commune", _("Commune level")


class Council(models.Model):
    """A People's Council (Hội đồng nhân dân) of one administrative unit."""

    unit = models.OneToOneField(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="council"
    )
    level = models.CharField(_("level"), max_length=10, choices=CouncilLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=250)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    search_text = models.CharField(max_length=300, editable=False, default="")

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["level", "unit__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | Q(level="commune", parent__isnull=False),
                name="council_parent_matches_level",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A term of office (khóa), e.g. 2026–2031."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("term number"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["council", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="term_dates_ordered"
            ),
            models.UniqueConstraint(fields=["council", "start_date"], name="term_start_unique"),
        ]

    def __str__(self) -> str:
        start, end = str(self.start_date.year), str(self.end_date.year)
        # "Nhiệm kỳ 2026–2031" (or "2026-2031") already says which years; "Khóa XVII" does not.
        if start in self.name and end in self.name:
            return self.name
        return f"{self.name} ({start}–{end})"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class Person(models.Model):
    """Anyone the platform knows: delegates, officials, staff.

    Name, gender and birth year are public for delegates; contact details are not.
    """

    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    occupation = models.CharField(_("occupation and workplace"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Holds or held a seat or an agency post, so the public directory lists them. Kept by
    # the services that add seats and posts; staff known only through accounts stay out.
    in_directory = models.BooleanField(_("listed in the directory"), default=False, editable=False)
    search_text = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class Constituency(models.Model):
    """An electoral constituency (đơn vị bầu cử) of a council for one term."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="constituencies"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="constituencies"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("seats"))
    units = models.ManyToManyField(
        AdministrativeUnit, verbose_name=_("units covered"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="constituency_number_unique"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="constituency_has_seats"),
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair of the council")
    VICE_CHAIR = "vice_chair", _("Vice-chair of the council")
    STANDING_MEMBER = "standing_member", _("Member of the standing committee")
    DELEGATE = "delegate", _("Delegate")


class Membership(models.Model):
    """A person's seat in a council for a term, with the position held.

    A change of position ends one membership and starts the next, so history is kept.
    One person's memberships in a council never overlap (checked by the service, and by
    an exclusion constraint on PostgreSQL).
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="memberships"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="memberships"
    )
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("constituency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.DELEGATE
    )
    is_full_time = models.BooleanField(_("full-time"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["council", "term", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["person", "council", "term", "start_date"], name="membership_unique_start"
            ),
        ]
        indexes = [models.Index(fields=["council", "term", "end_date"], name="membership_active")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_position_display()}"


class Committee(models.Model):
    """A committee (Ban) of a council; which ones exist is configured per council."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="committees"
    )
    name = models.CharField(_("name"), max_length=200)
    field_of_work = models.CharField(_("field of work"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.CharField(max_length=250, editable=False, default="")

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["council", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="committee_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Head of committee")
    DEPUTY = "deputy", _("Deputy head of committee")
    MEMBER = "member", _("Committee member")


class CommitteeSeat(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="seats"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    role = models.CharField(_("role"), max_length=10, choices=CommitteeRole.choices)
    is_full_time = models.BooleanField(_("full-time"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["committee", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="committee_seat_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["committee", "membership", "start_date"], name="committee_seat_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.person} — {self.get_role_display()}, {self.committee}"


class DelegateGroup(models.Model):
    """A delegate group (Tổ đại biểu), usually one per constituency."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="groups"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=200)
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("constituency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
    )

    class Meta:
        verbose_name = _("delegate group")
        verbose_name_plural = _("delegate groups")
        ordering = ["council", "term", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="group_name_unique")]

    def __str__(self) -> str:
        return self.name


class GroupRole(models.TextChoices):
    LEADER = "leader", _("Group leader")
    DEPUTY = "deputy", _("Deputy group leader")
    MEMBER = "member", _("Group member")


class GroupMember(models.Model):
    group = models.ForeignKey(
        DelegateGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="members"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        related_name="group_seats",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=GroupRole.choices, default=GroupRole.MEMBER
    )

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "membership"], name="group_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.membership.person} — {self.group}"


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "ubnd", _("People's Committee")
    DEPARTMENT = "department", _("Department (sở, ngành)")
    OFFICE = "office", _("Specialised office (phòng)")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    OTHER = "other", _("Other agency")


class Agency(models.Model):
    """An agency that answers to the council: its People's Committee and the departments
    (city) or offices (commune) under it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.CharField(max_length=350, editable=False, default="")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["council", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="agency_name_unique"),
            models.UniqueConstraint(
                fields=["council", "code"], condition=~Q(code=""), name="agency_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyOfficial(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="officials"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="official_posts"
    )
    title = models.CharField(pgettext_lazy("a person's post", "title"), max_length=150)
    is_head = models.BooleanField(_("head of agency"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency official")
        verbose_name_plural = _("agency officials")
        ordering = ["agency", "-is_head", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="official_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title}"
