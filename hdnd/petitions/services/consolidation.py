"""Consolidation: voter items become consolidated petitions (kiến nghị tổng hợp).

The machine suggests that an item repeats a petition (duplicates.py); a person confirms
(the item joins the petition) or rejects the suggestion. Staff also consolidate several
items into a new petition, merge petitions and split items off into a new one. Every
suggestion is kept with its score and method, every decision with who made it and when.

Locks are taken petitions first (in id order), then items (in id order), so that two
of these services never wait on each other in a circle.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError, NotFound
from hdnd.councils.models import Council
from hdnd.lib.vietnamese import normalize, slugify_vi
from hdnd.petitions import duplicates
from hdnd.petitions.models import (
    CompetenceLevel,
    DuplicateSuggestion,
    EventKind,
    Field,
    Petition,
    PetitionRoute,
    PetitionStatus,
    SessionCycle,
    SuggestionStatus,
    Tag,
    TriageStatus,
    VoterItem,
)
from hdnd.petitions.queries.intake import council_units, cycle_for
from hdnd.petitions.services.common import (
    COUNT_FIELDS,
    TransitionNotAllowed,
    lock_item,
    lock_petition,
    log,
    next_petition_code,
    recount,
    require_state,
    save_item,
    save_petition,
    search_text_of,
)
from hdnd.petitions.services.intake import TAG_NAME_LENGTH, parse_tags

# How many petitions one item is suggested to repeat, at most.
SUGGESTIONS_PER_ITEM = 3
# How many items or petitions one consolidation, merge or split may move.
MAX_BATCH = 200
TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 20_000
# A petition made of one item takes its title from the item's opening words.
AUTO_TITLE_LENGTH = 120


# Suggestions


def suggest_duplicates_for_item(*, item_id: int) -> list[DuplicateSuggestion]:
    """Suggest which petitions the item repeats and keep the suggestions for review.
    Safe to call again: a pair (item, petition) is suggested once, and a pair a person
    has rejected is not suggested again. Returns the item's pending suggestions."""
    with transaction.atomic():
        # Locked so that two calls for the same item (intake on commit, a retry) queue.
        item = lock_item(item_id)
        created = _suggest(item)
        if created:
            record_event(
                actor=None,
                action="petitions.suggestion.create",
                obj=item,
                council=item.council,
                summary=_("Possible duplicates suggested for voter item %(code)s.")
                % {"code": item.code},
                changes={"suggestions": [_suggestion_summary(s) for s in created]},
            )
        return list(
            DuplicateSuggestion.objects.filter(item=item, status=SuggestionStatus.PENDING)
            .select_related("candidate")
            .order_by("-score", "id")
        )


def suggest_duplicates_for_items(*, item_ids: Iterable[int]) -> int:
    """The same for many items (an import): one audit event for the batch. Returns how
    many suggestions were made."""
    made: list[DuplicateSuggestion] = []
    council: Council | None = None
    with transaction.atomic():
        for item in (
            VoterItem.objects.select_for_update().filter(id__in=list(item_ids)).order_by("id")
        ):
            council = council or item.council
            made.extend(_suggest(item))
        if made and council is not None:
            record_event(
                actor=None,
                action="petitions.suggestion.create",
                obj=None,
                council=council,
                summary=_("Possible duplicates suggested for %(count)s voter items.")
                % {"count": len({s.item_id for s in made})},
                changes={"suggestions": [_suggestion_summary(s) for s in made]},
            )
    return len(made)


def _suggest(item: VoterItem) -> list[DuplicateSuggestion]:
    if item.petition_id is not None or item.triage_status == TriageStatus.REDIRECTED:
        return []
    known = set(
        DuplicateSuggestion.objects.filter(item=item).values_list("candidate_id", flat=True)
    )
    matches = duplicates.similar_petitions(
        council_id=item.council_id, text=item.text, limit=SUGGESTIONS_PER_ITEM + len(known)
    )
    now = timezone.now()
    fresh = [
        DuplicateSuggestion(
            council_id=item.council_id,
            item=item,
            candidate_id=match.petition_id,
            score=match.score,
            method=match.method,
            suggested_at=now,
        )
        for match in matches
        if match.petition_id not in known
    ][:SUGGESTIONS_PER_ITEM]
    # The item is locked, so no other call inserts the same pairs meanwhile.
    return DuplicateSuggestion.objects.bulk_create(fresh)


def _suggestion_summary(suggestion: DuplicateSuggestion) -> dict[str, Any]:
    return {
        "item": suggestion.item_id,
        "candidate": suggestion.candidate_id,
        "score": suggestion.score,
        "method": suggestion.method,
    }


def reject_suggestion(*, suggestion_id: int, actor: Any) -> DuplicateSuggestion:
    """A person decides the item does not repeat the petition."""
    with transaction.atomic():
        suggestion = _lock_pending_suggestion(suggestion_id)
        _decide(suggestion, SuggestionStatus.REJECTED, actor)
        record_event(
            actor=actor,
            action="petitions.suggestion.reject",
            obj=suggestion.item,
            council=suggestion.item.council,
            summary=_("Voter item %(item)s is not a duplicate of petition %(petition)s.")
            % {"item": suggestion.item.code, "petition": suggestion.candidate.code},
            changes=_suggestion_summary(suggestion),
        )
    return suggestion


def _lock_pending_suggestion(suggestion_id: int) -> DuplicateSuggestion:
    suggestion = (
        DuplicateSuggestion.objects.select_for_update(of=("self",))
        .select_related("item__council", "candidate")
        .filter(id=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise NotFound(_("This suggestion does not exist."))
    if suggestion.status != SuggestionStatus.PENDING:
        raise TransitionNotAllowed(
            _("Someone has already decided on this suggestion (“%(decision)s”).")
            % {"decision": suggestion.get_status_display()}
        )
    return suggestion


def _decide(suggestion: DuplicateSuggestion, status: str, actor: Any) -> None:
    suggestion.status = status
    suggestion.decided_by = actor if getattr(actor, "pk", None) else None
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])


def effective_candidate(petition: Petition) -> Petition:
    """The petition a suggestion's candidate lives on as: itself, or the petition it was
    merged into (and so on)."""
    seen = {petition.pk}
    while petition.status == PetitionStatus.MERGED and petition.merged_into_id is not None:
        if petition.merged_into_id in seen:
            break  # a cycle cannot happen through the services; do not loop on bad data
        seen.add(petition.merged_into_id)
        petition = Petition.objects.get(id=petition.merged_into_id)
    return petition


# Consolidating items into petitions


def consolidate_items(
    *,
    council_id: int,
    item_ids: Sequence[int],
    title: str,
    text: str,
    field_id: int | None,
    level: str,
    unit_id: int | None,
    actor: Any,
) -> Petition:
    """A new consolidated petition made of the given voter items."""
    title, text = _clean_title(title), _clean_text(text)
    with transaction.atomic():
        council = Council.objects.select_related("unit").filter(id=council_id).first()
        if council is None:
            raise NotFound(_("This council does not exist."))
        items = _lock_free_items(council, item_ids)
        field = _field(field_id)
        _check_level(level)
        unit = _unit(council, unit_id)
        petition = _new_petition(
            council=council,
            title=title,
            text=text,
            field=field,
            level=level,
            unit=unit,
            cycle=_earliest_cycle(council, items),
            actor=actor,
        )
        petition.tags.set(Tag.objects.filter(voteritem__in=items).distinct())
        _move_items(items, petition)
        recount(petition)
        petition.save(update_fields=COUNT_FIELDS)
        codes = [item.code for item in items]
        log(
            petition,
            actor=actor,
            kind=EventKind.CREATED,
            summary=_("Consolidated from %(count)s voter items.") % {"count": len(items)},
            details={"items": codes},
        )
        log(
            petition,
            actor=actor,
            kind=EventKind.ITEM_ADDED,
            summary=", ".join(codes),
            details={"items": codes, "voters": petition.voter_count},
        )
    return petition


def consolidate_each(*, council_id: int, item_ids: Sequence[int], actor: Any) -> list[Petition]:
    """Each item becomes a petition of its own, with the item's text, field, level and
    place (an item that repeats nothing)."""
    with transaction.atomic():
        items = list(
            VoterItem.objects.filter(id__in=list(item_ids), council_id=council_id).order_by(
                "received_on", "id"
            )
        )
        if not items:
            raise DomainError(_("Choose the voter items to consolidate."))
        if len(items) != len(set(item_ids)):
            raise NotFound(_("Some of these voter items do not exist in this council."))
        return [
            consolidate_items(
                council_id=council_id,
                item_ids=[item.pk],
                title=_title_from(item.text),
                text=item.text,
                field_id=item.field_id,
                level=item.level,
                unit_id=item.unit_id,
                actor=actor,
            )
            for item in items
        ]


def add_item_to_petition(
    *,
    item_id: int,
    petition_id: int,
    expected_version: int | None,
    actor: Any,
    suggestion_id: int | None = None,
) -> Petition:
    """The item joins an existing petition; with `suggestion_id`, a person confirms the
    machine's suggestion that it repeats that petition."""
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "add_item")
        item = lock_item(item_id)
        _check_free_item(item, petition.council_id)
        suggestion = None
        if suggestion_id is not None:
            suggestion = _lock_pending_suggestion(suggestion_id)
            if (
                suggestion.item_id != item.pk
                or effective_candidate(suggestion.candidate) != petition
            ):
                raise DomainError(_("This suggestion is about another item or petition."))
            _decide(suggestion, SuggestionStatus.CONFIRMED, actor)
        item.petition = petition
        save_item(item, ["petition"])
        petition.tags.add(*item.tags.all())
        recount(petition)
        save_petition(petition, COUNT_FIELDS)
        details: dict[str, Any] = {"items": [item.code], "voters": petition.voter_count}
        if suggestion is not None:
            details["suggestion"] = _suggestion_summary(suggestion)
        log(
            petition,
            actor=actor,
            kind=EventKind.ITEM_ADDED,
            summary=(
                _("%(item)s added, confirming a duplicate suggestion.") % {"item": item.code}
                if suggestion is not None
                else item.code
            ),
            details=details,
        )
        if suggestion is not None:
            record_event(
                actor=actor,
                action="petitions.suggestion.confirm",
                obj=item,
                council=petition.council,
                summary=_("Voter item %(item)s confirmed as a duplicate of petition %(petition)s.")
                % {"item": item.code, "petition": petition.code},
                changes=_suggestion_summary(suggestion),
            )
    return petition


# Merging and splitting petitions


def merge_petitions(
    *,
    target_id: int,
    source_ids: Sequence[int],
    expected_versions: dict[int, int],
    actor: Any,
) -> Petition:
    """The source petitions are merged into the target: their voter items move to it,
    and each source stays, marked merged, pointing at the target."""
    sources_wanted = sorted(set(source_ids))
    if not sources_wanted:
        raise DomainError(_("Choose at least one petition to merge into this one."))
    if target_id in sources_wanted:
        raise DomainError(_("A petition cannot be merged into itself."))
    if len(sources_wanted) > MAX_BATCH:
        raise DomainError(_("Too many petitions at once."))
    with transaction.atomic():
        locked = {
            petition_id: lock_petition(
                petition_id, expected_version=expected_versions.get(petition_id)
            )
            for petition_id in sorted({target_id, *sources_wanted})
        }
        target = locked[target_id]
        sources = [locked[petition_id] for petition_id in sources_wanted]
        require_state(target, "merge")
        for source in sources:
            if source.council_id != target.council_id:
                raise DomainError(_("Petitions of different councils cannot be merged."))
            _require_state_of(source, "merge")
        moved = list(
            VoterItem.objects.select_for_update()
            .filter(petition__in=sources)
            .order_by("id")
            .values_list("code", flat=True)
        )
        VoterItem.objects.filter(petition__in=sources).update(
            petition=target, version=F("version") + 1
        )
        target.tags.add(*Tag.objects.filter(petition__in=sources).distinct())
        today = timezone.localdate()
        for source in sources:
            source.status = PetitionStatus.MERGED
            source.merged_into = target
            recount(source)
            save_petition(source, ["status", "merged_into", *COUNT_FIELDS])
            _end_routes(source, today, _("Merged into %(code)s.") % {"code": target.code})
            log(
                source,
                actor=actor,
                kind=EventKind.MERGED,
                summary=_("Merged into %(code)s.") % {"code": target.code},
                details={"into": target.code},
            )
        recount(target)
        save_petition(target, COUNT_FIELDS)
        source_codes = [source.code for source in sources]
        log(
            target,
            actor=actor,
            kind=EventKind.MERGED,
            summary=_("%(codes)s merged into this petition.") % {"codes": ", ".join(source_codes)},
            details={"merged": source_codes, "items": moved, "voters": target.voter_count},
        )
    return target


def split_items(
    *,
    petition_id: int,
    item_ids: Sequence[int],
    expected_version: int | None,
    title: str,
    text: str,
    actor: Any,
) -> Petition:
    """The given items leave the petition for a new one in the same council, with the
    same field, level, place and session cycle."""
    title, text = _clean_title(title), _clean_text(text)
    wanted = sorted(set(item_ids))
    if not wanted:
        raise DomainError(_("Choose the voter items to split off."))
    with transaction.atomic():
        original = lock_petition(petition_id, expected_version=expected_version)
        require_state(original, "split")
        items = list(VoterItem.objects.select_for_update().filter(id__in=wanted).order_by("id"))
        if len(items) != len(wanted) or any(item.petition_id != original.pk for item in items):
            raise DomainError(_("Only voter items of this petition can be split off."))
        if not VoterItem.objects.filter(petition=original).exclude(id__in=wanted).exists():
            raise DomainError(
                _("At least one voter item must stay in the petition: edit it instead.")
            )
        council = Council.objects.select_related("unit").get(id=original.council_id)
        petition = _new_petition(
            council=council,
            title=title,
            text=text,
            field=original.field,
            level=original.level,
            unit=original.unit,
            cycle=original.raised_in,
            actor=actor,
        )
        if petition.current_cycle_id != original.current_cycle_id:
            petition.current_cycle_id = original.current_cycle_id
            petition.save(update_fields=["current_cycle"])
        petition.tags.set(original.tags.all())
        _move_items(items, petition)
        recount(petition)
        petition.save(update_fields=COUNT_FIELDS)
        recount(original)
        save_petition(original, COUNT_FIELDS)
        codes = [item.code for item in items]
        log(
            original,
            actor=actor,
            kind=EventKind.ITEM_REMOVED,
            summary=_("%(items)s split off into %(code)s.")
            % {"items": ", ".join(codes), "code": petition.code},
            details={"items": codes, "into": petition.code},
        )
        log(
            petition,
            actor=actor,
            kind=EventKind.CREATED,
            summary=_("Split off from %(code)s.") % {"code": original.code},
            details={"split_from": original.code, "items": codes},
        )
        log(
            petition,
            actor=actor,
            kind=EventKind.ITEM_ADDED,
            summary=", ".join(codes),
            details={"items": codes, "voters": petition.voter_count},
        )
    return petition


def edit_petition(
    *,
    petition_id: int,
    expected_version: int | None,
    title: str,
    text: str,
    tags: Iterable[str],
    actor: Any,
) -> Petition:
    """Edit the consolidated title, text and tags (by name; new names become tags).
    Field and level belong to routing."""
    title, text = _clean_title(title), _clean_text(text)
    tag_names = parse_tags(",".join(tags))
    with transaction.atomic():
        petition = lock_petition(petition_id, expected_version=expected_version)
        require_state(petition, "edit")
        before = {
            "title": petition.title,
            "text": petition.text,
            "tags": sorted(petition.tags.values_list("slug", flat=True)),
        }
        wanted_tags = _tags_named(tag_names)
        after = {"title": title, "text": text, "tags": sorted(tag.slug for tag in wanted_tags)}
        changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        if not changes:
            return petition
        petition.title, petition.text = title, text
        petition.search_text = search_text_of(title, text)
        save_petition(petition, ["title", "text", "search_text"])
        petition.tags.set(wanted_tags)
        log(
            petition,
            actor=actor,
            kind=EventKind.EDITED,
            summary=_("Changed: %(fields)s.")
            % {"fields": ", ".join(_FIELD_LABELS[key]() for key in changes)},
            details={"fields": sorted(changes)},
            audit_changes=changes,
        )
    return petition


_FIELD_LABELS = {
    "title": lambda: _("petition title"),
    "text": lambda: _("consolidated text"),
    "tags": lambda: _("tags"),
}


# Helpers


def _clean_title(title: str) -> str:
    cleaned = normalize(title or "")
    if not cleaned:
        raise DomainError(
            _("Give the petition a title."), fields={"title": [_("This field is required.")]}
        )
    if len(cleaned) > TITLE_LENGTH:
        raise DomainError(
            _("The title is too long (at most %(limit)s characters).") % {"limit": TITLE_LENGTH},
            fields={"title": [_("Too long.")]},
        )
    return cleaned


def _clean_text(text: str) -> str:
    # Paragraphs stay: the consolidated text is read as a document.
    lines = [normalize(line) for line in (text or "").splitlines()]
    cleaned = "\n".join(lines).strip()
    if not cleaned:
        raise DomainError(
            _("Write the consolidated text."), fields={"text": [_("This field is required.")]}
        )
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise DomainError(
            _("The text is too long (at most %(limit)s characters).") % {"limit": MAX_TEXT_LENGTH},
            fields={"text": [_("Too long.")]},
        )
    return cleaned


def _title_from(text: str) -> str:
    first_line = normalize(text.splitlines()[0] if text.strip() else text)
    if len(first_line) <= AUTO_TITLE_LENGTH:
        return first_line
    cut = first_line[:AUTO_TITLE_LENGTH].rsplit(" ", 1)[0]
    return f"{cut}…"


def _tags_named(names: Iterable[str]) -> list[Tag]:
    # The same tags as intake makes: one per folded name.
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(
            slug=slugify_vi(name)[:TAG_NAME_LENGTH], defaults={"name": name}
        )
        tags.append(tag)
    return tags


def _field(field_id: int | None) -> Field | None:
    if field_id is None:
        return None
    field = Field.objects.filter(id=field_id).first()
    if field is None:
        raise DomainError(_("Unknown field."), fields={"field": [_("Unknown field.")]})
    return field


def _check_level(level: str) -> None:
    if level and level not in CompetenceLevel.values:
        raise DomainError(
            _("Unknown competence level."), fields={"level": [_("Unknown competence level.")]}
        )


def _unit(council: Council, unit_id: int | None) -> Any:
    if unit_id is None:
        return None
    unit = council_units(council=council).filter(id=unit_id).first()
    if unit is None:
        raise DomainError(
            _("The place must be in the council's area."),
            fields={"unit": [_("Choose a unit of this council.")]},
        )
    return unit


def _check_free_item(item: VoterItem, council_id: int) -> None:
    """An item that may join a petition: this council's, accepted, in no petition yet."""
    if item.council_id != council_id:
        raise DomainError(
            _("Voter item %(code)s belongs to another council.") % {"code": item.code}
        )
    if item.petition_id is not None:
        raise TransitionNotAllowed(
            _("Voter item %(code)s is already in a consolidated petition.") % {"code": item.code}
        )
    if item.triage_status == TriageStatus.REDIRECTED:
        raise TransitionNotAllowed(
            _("Voter item %(code)s was redirected: it is not a petition.") % {"code": item.code}
        )
    if item.triage_status != TriageStatus.ACCEPTED:
        raise TransitionNotAllowed(
            _("Voter item %(code)s waits for triage: accept it as a petition first.")
            % {"code": item.code}
        )


def _lock_free_items(council: Council, item_ids: Sequence[int]) -> list[VoterItem]:
    wanted = sorted({int(item_id) for item_id in item_ids})
    if not wanted:
        raise DomainError(_("Choose the voter items to consolidate."))
    if len(wanted) > MAX_BATCH:
        raise DomainError(_("Too many voter items at once."))
    items = list(
        VoterItem.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .filter(id__in=wanted)
        .order_by("id")
    )
    if len(items) != len(wanted):
        raise NotFound(_("Some of these voter items do not exist."))
    for item in items:
        _check_free_item(item, council.pk)
    return items


def _earliest_cycle(council: Council, items: Sequence[VoterItem]) -> SessionCycle:
    """The session cycle the earliest of the items belongs to."""
    cycle_ids = {
        item.cycle_id or (item.meeting.cycle_id if item.meeting is not None else None)
        for item in items
    } - {None}
    cycle = (
        SessionCycle.objects.filter(id__in=cycle_ids).order_by("session_date", "id").first()
        if cycle_ids
        else cycle_for(council_id=council.pk, on=min(item.received_on for item in items))
    )
    if cycle is None:
        raise DomainError(_("This council has no session cycle yet: add one before consolidating."))
    return cycle


def _new_petition(
    *,
    council: Council,
    title: str,
    text: str,
    field: Field | None,
    level: str,
    unit: Any,
    cycle: SessionCycle,
    actor: Any,
) -> Petition:
    today = timezone.localdate()
    return Petition.objects.create(
        council=council,
        code=next_petition_code(council_id=council.pk, unit_code=council.unit.code, on=today),
        title=title,
        text=text,
        field=field,
        level=level,
        unit=unit,
        raised_in=cycle,
        current_cycle=cycle,
        status=PetitionStatus.CONSOLIDATING,
        search_text=search_text_of(title, text),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _move_items(items: Sequence[VoterItem], petition: Petition) -> None:
    _items_of(items).update(petition=petition, version=F("version") + 1)


def _items_of(items: Sequence[VoterItem]) -> QuerySet[VoterItem]:
    return VoterItem.objects.filter(id__in=[item.pk for item in items])


def _require_state_of(source: Petition, action: str) -> None:
    """require_state, naming which petition cannot: a merge involves several."""
    try:
        require_state(source, action)
    except TransitionNotAllowed as exc:
        raise TransitionNotAllowed(f"{source.code}: {exc.message}") from exc


def _end_routes(petition: Petition, today: dt.date, reason: str) -> None:
    """A merged petition is answered through its target: its open routes end."""
    PetitionRoute.objects.filter(petition=petition, ended_on__isnull=True).update(
        ended_on=today, reason=reason[:300]
    )
