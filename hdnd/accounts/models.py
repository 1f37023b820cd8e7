"""Users, their roles scoped to a council, and API tokens for other systems."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    person = models.OneToOneField(
        "councils.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """The name in Vietnamese order: family name first (Phan Thanh Phương)."""
        if self.person_id is not None and self.person is not None:
            return self.person.full_name
        return f"{self.last_name} {self.first_name}".strip()


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("Council office staff")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    DELEGATE = "delegate", _("Delegate")
    AGENCY_RESPONDER = "agency_responder", _("Agency responder")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    ELECTION_OFFICER = "election_officer", _("Election officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Roles that handle personal data or act for the council: they must use a second factor.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.OFFICE_STAFF,
        Role.STANDING_COMMITTEE,
        Role.AGENCY_RESPONDER,
        Role.COMMUNE_OFFICER,
        Role.ELECTION_OFFICER,
        Role.SYSTEM_ADMIN,
    }
)


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    committee = models.ForeignKey(
        "councils.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "councils.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "council", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="role_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(role="agency_responder") | Q(agency__isnull=False),
                name="responder_has_agency",
            ),
            models.CheckConstraint(
                condition=~Q(role="committee_member") | Q(committee__isnull=False),
                name="committee_member_has_committee",
            ),
            models.UniqueConstraint(
                fields=["user", "council", "role"],
                condition=Q(end_date__isnull=True),
                name="role_active_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.council}"


class ApiScope(models.TextChoices):
    DIRECTORY_READ = "directory:read", _("Read the council directory")
    PETITIONS_READ = "petitions:read", _("Read the council's petitions (no personal data)")
    PETITIONS_WRITE = "petitions:write", _("Import and update the council's petitions")


class ApiToken(models.Model):
    """A token another system uses to call the API on behalf of one council.

    Only a hash of the secret is stored; the secret is shown once, when created.
    """

    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["council", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
