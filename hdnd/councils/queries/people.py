"""Reads of people and their seats: who the directory shows, a person's profile, the
delegates of a council and the seats (memberships) behind them."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd.core.errors import NotFound
from hdnd.councils.models import (
    AgencyOfficial,
    Committee,
    CommitteeSeat,
    Council,
    GroupMember,
    Membership,
    Person,
    Position,
    Term,
)
from hdnd.councils.queries.ordering import (
    COMMITTEE_ROLE_ORDER,
    POSITION_ORDER,
    rank,
    vietnamese_names,
)
from hdnd.councils.search import filter_by_search
from hdnd.lib.periods import in_force_on

STANDING_POSITIONS = [Position.CHAIR, Position.VICE_CHAIR, Position.STANDING_MEMBER]


def public_people() -> QuerySet[Person]:
    """People the directory shows: those who hold or held a seat or an agency post.
    Staff known to the platform for other reasons stay out of it."""
    return Person.objects.filter(in_directory=True)


def _with_seat_flag(people: QuerySet[Person]) -> QuerySet[Person]:
    """`has_seat` tells delegates (whose gender and birth year are public) from officials."""
    return people.annotate(has_seat=Exists(Membership.objects.filter(person=OuterRef("pk"))))


def person_list(*, council_id: int | None = None, query: str = "") -> QuerySet[Person]:
    people = _with_seat_flag(public_people())
    if council_id is not None:
        people = people.filter(
            Exists(Membership.objects.filter(person=OuterRef("pk"), council_id=council_id))
        )
    if query:
        people = filter_by_search(people, query)
    return people.order_by("full_name", "id")


def person_profile(*, person_id: int, with_groups: bool = False) -> Person:
    """A public person with `has_seat`, their seats (latest first) with their committee
    seats, their agency posts (latest first) and, `with_groups`, the delegate groups of
    each seat."""
    memberships = Membership.objects.select_related(
        "council__unit", "term", "constituency"
    ).order_by("-start_date", "id")
    seats = CommitteeSeat.objects.select_related("committee").order_by("-start_date", "id")
    posts = AgencyOfficial.objects.select_related("agency__council").order_by("-start_date", "id")
    related = [
        Prefetch("memberships", queryset=memberships),
        Prefetch("memberships__committee_seats", queryset=seats),
        Prefetch("official_posts", queryset=posts),
    ]
    if with_groups:
        groups = GroupMember.objects.select_related("group__term").order_by("group__name", "id")
        related.append(Prefetch("memberships__group_seats", queryset=groups))
    person = (
        _with_seat_flag(public_people()).prefetch_related(*related).filter(id=person_id).first()
    )
    if person is None:
        raise NotFound(_("No person in the directory has the id %(id)s.") % {"id": person_id})
    return person


def person_memberships(*, person_id: int) -> QuerySet[Membership]:
    """A person's seats in force today, for their home page."""
    in_force = in_force_on(timezone.localdate())
    seats = (
        CommitteeSeat.objects.filter(in_force)
        .select_related("committee")
        .order_by("committee__name", "id")
    )
    return (
        Membership.objects.filter(person_id=person_id)
        .filter(in_force)
        .select_related("council__unit", "term", "constituency")
        .prefetch_related(
            Prefetch("committee_seats", queryset=seats),
            Prefetch("group_seats", queryset=GroupMember.objects.select_related("group")),
        )
        .order_by("council__level", "-start_date", "id")
    )


# Delegates of a council


def standing_members(*, council: Council, term: Term) -> QuerySet[Membership]:
    """The chair, vice-chairs and standing committee members in office today."""
    return (
        Membership.objects.filter(council=council, term=term, position__in=STANDING_POSITIONS)
        .filter(in_force_on(timezone.localdate()))
        .select_related("person")
        .order_by(rank("position", POSITION_ORDER), *vietnamese_names("person__full_name"), "id")
    )


def council_delegate_count(*, council: Council, term: Term) -> int:
    return (
        Membership.objects.filter(council=council, term=term)
        .filter(in_force_on(timezone.localdate()))
        .values("person")
        .distinct()
        .count()
    )


class DelegateStatus:
    ACTIVE = "active"
    FORMER = "former"
    ALL = "all"
    CHOICES = [
        (ACTIVE, gettext_lazy("In office")),
        (FORMER, gettext_lazy("Former")),
        (ALL, gettext_lazy("All")),
    ]


def council_delegates(
    *,
    council: Council,
    term: Term,
    position: str = "",
    committee: Committee | None = None,
    constituency_id: int | None = None,
    status: str = DelegateStatus.ACTIVE,
) -> QuerySet[Membership]:
    """The delegates' seats in a council for a term, with their committees and group."""
    today = timezone.localdate()
    seats = CommitteeSeat.objects.select_related("committee").order_by(
        rank("role", COMMITTEE_ROLE_ORDER), "committee__name", "id"
    )
    members = (
        Membership.objects.filter(council=council, term=term)
        .select_related("person", "constituency")
        .prefetch_related(
            Prefetch("committee_seats", queryset=seats),
            Prefetch("group_seats", queryset=GroupMember.objects.select_related("group")),
        )
    )
    if position:
        members = members.filter(position=position)
    if committee is not None:
        members = members.filter(
            Exists(CommitteeSeat.objects.filter(membership=OuterRef("pk"), committee=committee))
        )
    if constituency_id is not None:
        members = members.filter(constituency_id=constituency_id)
    if status == DelegateStatus.ACTIVE:
        members = members.filter(in_force_on(today))
    elif status == DelegateStatus.FORMER:
        members = members.filter(end_date__lt=today)
    return members.order_by(
        rank("position", POSITION_ORDER), *vietnamese_names("person__full_name"), "start_date", "id"
    )


def membership_list(
    *,
    council_id: int | None = None,
    term_id: int | None = None,
    person_id: int | None = None,
    active: bool | None = None,
    position: str | None = None,
    query: str = "",
) -> QuerySet[Membership]:
    memberships = Membership.objects.select_related("person", "council", "term", "constituency")
    if council_id is not None:
        memberships = memberships.filter(council_id=council_id)
    if term_id is not None:
        memberships = memberships.filter(term_id=term_id)
    if person_id is not None:
        memberships = memberships.filter(person_id=person_id)
    if active is not None:
        in_force = in_force_on(timezone.localdate())
        memberships = memberships.filter(in_force) if active else memberships.exclude(in_force)
    if position:
        memberships = memberships.filter(position=position)
    if query:
        memberships = filter_by_search(memberships, query, field="person__search_text")
    return memberships.order_by("council_id", "-term__start_date", "person__full_name", "id")
