"""Polls of a council meeting: votes on motions, confidence ratings and elections, with
the legal thresholds and sealed results.

People's Council rules (see docs/adr and ../shared/domain/meetings.md §3):
- no proxy voting: only a present delegate casts their own ballot;
- the pass threshold counts ALL the council's delegates (`total_members`, frozen when the
  poll opens), not those present or those who voted: more than half by default, at least
  two-thirds for a dismissal;
- options tán thành / không tán thành / không biểu quyết; confidence ratings tín nhiệm
  cao / tín nhiệm / tín nhiệm thấp for each person rated.

A ballot row records THAT a delegate voted (one per delegate per poll: a unique
constraint). How they voted is stored with the ballot (Vote rows) in a named poll only; a
secret poll adds the choice to a counter (SecretTally) that holds no trace of who.
"""

import math

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PollKind(models.TextChoices):
    MOTION = "motion", _("Vote on a motion")
    CONFIDENCE = "confidence", _("Confidence rating")
    ELECTION = "election", _("Election")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Prepared")
    OPEN = "open", _("Voting open")
    CLOSED = "closed", _("Closed")


class Choice(models.TextChoices):
    YES = "yes", _("In favour")
    NO = "no", _("Against")
    ABSTAIN = "abstain", _("Not voting")
    HIGH = "high", _("High confidence")
    CONFIDENT = "confident", _("Confidence")
    LOW = "low", _("Low confidence")


# The choices a ballot offers, by kind of poll.
CHOICES_BY_KIND: dict[str, tuple[str, ...]] = {
    PollKind.MOTION: (Choice.YES, Choice.NO, Choice.ABSTAIN),
    PollKind.ELECTION: (Choice.YES, Choice.NO, Choice.ABSTAIN),
    PollKind.CONFIDENCE: (Choice.HIGH, Choice.CONFIDENT, Choice.LOW),
}


class Poll(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=pgettext_lazy("council meeting", "meeting"),
        on_delete=models.PROTECT,
        related_name="polls",
    )
    # The sitting it was opened in (its attendance decides who may vote).
    sitting = models.ForeignKey(
        "meetings.Sitting",
        verbose_name=_("sitting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="polls",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PollKind.choices)
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("motion"), blank=True)
    is_secret = models.BooleanField(_("secret ballot"), default=False)
    # Pass rule: votes in favour {>, ≥} total_members × numerator / denominator.
    required_numerator = models.PositiveSmallIntegerField(_("required share: numerator"), default=1)
    required_denominator = models.PositiveSmallIntegerField(
        _("required share: denominator"), default=2
    )
    required_strict = models.BooleanField(
        _("more than the share (otherwise at least the share)"), default=True
    )
    # Elections: how many posts are filled.
    seats = models.PositiveSmallIntegerField(_("posts to fill"), default=1)
    allow_change = models.BooleanField(_("votes may be changed while open"), default=False)
    show_live_counts = models.BooleanField(_("show counts while voting"), default=True)
    revote_of = models.ForeignKey(
        "self",
        verbose_name=_("re-vote of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revotes",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PollStatus.choices, default=PollStatus.DRAFT
    )
    # All the council's delegates (the base of the threshold), frozen when it opens.
    total_members = models.PositiveIntegerField(_("total delegates"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Frozen at close: [{"person_id", "name", "voted"}] of the delegates entitled then.
    entitled = models.JSONField(_("entitled delegates"), default=list, blank=True)
    # Frozen at close: counts per subject and choice, and what passed (see services).
    result = models.JSONField(_("result"), default=dict, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(required_denominator__gte=1)
                & Q(required_numerator__gte=1)
                & Q(required_numerator__lte=models.F("required_denominator")),
                name="poll_required_share",
            ),
            # A secret ballot keeps no link to the choice: it cannot be changed later.
            models.CheckConstraint(
                condition=Q(is_secret=False) | Q(allow_change=False),
                name="poll_secret_not_changeable",
            ),
            models.CheckConstraint(
                condition=~Q(kind="confidence") | Q(is_secret=True),
                name="poll_confidence_secret",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="poll_seats_positive"),
            # One open poll per meeting: the room votes on one thing at a time.
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(status="open"), name="poll_one_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def required_votes(self, total: int | None = None) -> int:
        """The votes in favour needed to pass, of `total` delegates (default: the frozen
        total): more than half of 9 is 5, of 10 is 6; two-thirds of 9 is 6."""
        base = self.total_members if total is None else total
        if base is None:
            return 0
        share = base * self.required_numerator
        if self.required_strict:
            return share // self.required_denominator + 1
        return math.ceil(share / self.required_denominator)

    @property
    def choices(self) -> tuple[str, ...]:
        return CHOICES_BY_KIND[self.kind]


class PollSubject(models.Model):
    """What each ballot decides on: the motion (one subject), or each person rated or
    standing for election."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="subjects"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"))
    label = models.CharField(_("label"), max_length=300)
    person = models.ForeignKey(
        "councils.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the person holds or stands for ("Chủ tịch UBND thành phố").
    post = models.CharField(_("post"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("poll subject")
        verbose_name_plural = _("poll subjects")
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_subject_position"),
        ]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """That a delegate voted in a poll: one per delegate per poll."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="ballots"
    )
    person = models.ForeignKey(
        "councils.Person", verbose_name=_("voter"), on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField(_("cast at"))
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    # How it arrived: the tablet (WebSocket), a page, or the API.
    channel = models.CharField(_("channel"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["poll", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="ballot_one_per_delegate"),
        ]

    def __str__(self) -> str:
        return f"{self.poll} — {self.person}"


class Vote(models.Model):
    """A named ballot's choice on one subject (roll call). Never written for a secret poll."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="votes"
    )
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="votes"
    )
    subject = models.ForeignKey(
        PollSubject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "subject"], name="vote_one_per_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot} — {self.subject}: {self.choice}"


class SecretTally(models.Model):
    """A secret poll's count of one choice on one subject. Created at zero when the poll
    opens; a ballot adds one. No voter, no time: the count is all there is."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="tallies"
    )
    subject = models.ForeignKey(
        PollSubject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="tallies"
    )
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("secret tally")
        verbose_name_plural = _("secret tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "subject", "choice"], name="tally_one_per_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.choice} = {self.count}"


class PollSeal(models.Model):
    """A closed poll's result, sealed: the hash of its canonical payload (poll, subjects,
    counts, the entitled list and each named vote) chained to the council's previous
    seal. `verify_polls` rebuilds each payload from the stored rows and checks the chain."""

    poll = models.OneToOneField(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="seal"
    )
    council = models.ForeignKey(
        "councils.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    payload = models.JSONField(_("sealed content"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(_("sealed at"))

    class Meta:
        verbose_name = _("sealed result")
        verbose_name_plural = _("sealed results")
        ordering = ["council", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["council", "seq"], name="seal_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class SealChainHead(models.Model):
    """The last seal of each council's chain. Locking it serialises sealing."""

    council = models.OneToOneField(
        "councils.Council", on_delete=models.PROTECT, related_name="+", primary_key=True
    )
    last_seq = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("seal chain head")
        verbose_name_plural = _("seal chain heads")

    def __str__(self) -> str:
        return f"{self.council_id} #{self.last_seq}"
