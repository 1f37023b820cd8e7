"""The agenda: ordered, nested items; who presents them, when and in which sitting; the
item the room is on.

Siblings (items under the same parent) are ordered by `position`, kept as 0, 1, 2 …
after every change so that moving is a swap. One item at a time is current (a database
constraint); making another current marks the previous one done.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hdnd.core.errors import DomainError, NotFound
from hdnd.councils.models import Person
from hdnd.lib.vietnamese import normalize
from hdnd.meetings.models import AgendaItem, ItemStatus, Meeting, MeetingStatus, Sitting
from hdnd.meetings.services.common import NotAllowedNow, announce, lock_meeting, record

# What an edit may change.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "parent",
        "presenter",
        "presenter_text",
        "sitting",
        "planned_start",
        "planned_minutes",
    }
)
# Items nest at most this deep (1, 1.1, 1.1.1).
MAX_DEPTH = 3
MAX_MINUTES = 24 * 60

OPEN_STATES = frozenset({MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS})


def _require_open(meeting: Meeting) -> None:
    if meeting.status not in OPEN_STATES:
        raise NotAllowedNow(
            _("The agenda of a meeting that is “%(status)s” can no longer change.")
            % {"status": meeting.get_status_display()}
        )


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .filter(meeting_id=meeting.pk, id=item_id)
        .first()
    )
    if item is None:
        raise NotFound(_("This agenda item does not exist."))
    return item


def item_meeting_id(item_id: int) -> int:
    """The meeting an item belongs to (for the access check before the service)."""
    meeting_id = AgendaItem.objects.filter(id=item_id).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise NotFound(_("This agenda item does not exist."))
    return meeting_id


def _depth(item: AgendaItem | None) -> int:
    depth = 0
    while item is not None:
        depth += 1
        item = item.parent
    return depth


def _subtree_height(item: AgendaItem) -> int:
    children = list(AgendaItem.objects.filter(parent=item))
    return 1 + max((_subtree_height(child) for child in children), default=0)


def _check_fields(meeting: Meeting, values: dict[str, Any], item: AgendaItem | None) -> None:
    errors: dict[str, list[str]] = {}
    if "title" in values and not values["title"]:
        errors["title"] = [_("Give the item a title.")]
    parent: AgendaItem | None = values.get("parent")
    if parent is not None:
        if parent.meeting_id != meeting.pk:
            errors["parent"] = [pgettext("agenda item", "Choose an item of this meeting.")]
        else:
            ancestor: AgendaItem | None = parent
            while ancestor is not None:
                if item is not None and ancestor.pk == item.pk:
                    errors["parent"] = [_("An item cannot be placed under itself.")]
                    break
                ancestor = ancestor.parent
            height = _subtree_height(item) if item is not None and item.pk else 1
            if "parent" not in errors and _depth(parent) + height > MAX_DEPTH:
                errors["parent"] = [_("Items nest at most three levels deep.")]
    sitting: Sitting | None = values.get("sitting")
    if sitting is not None and sitting.meeting_id != meeting.pk:
        errors["sitting"] = [_("Choose a sitting of this meeting.")]
    presenter: Person | None = values.get("presenter")
    if presenter is not None and values.get("presenter_text"):
        errors["presenter_text"] = [_("Choose a person or write who presents, not both.")]
    minutes = values.get("planned_minutes")
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        errors["planned_minutes"] = [_("Give a number of minutes from 1 to 1440.")]
    if errors:
        raise DomainError(_("Please correct the agenda item."), fields=errors)


def _renumber(meeting_id: int, parent_id: int | None) -> list[AgendaItem]:
    siblings = list(
        AgendaItem.objects.select_for_update(of=("self",))
        .filter(meeting_id=meeting_id, parent_id=parent_id)
        .order_by("position", "id")
    )
    for index, sibling in enumerate(siblings):
        if sibling.position != index:
            sibling.position = index
            sibling.save(update_fields=["position"])
    return siblings


def add_item(
    *,
    meeting_id: int,
    actor: Any,
    title: str,
    parent: AgendaItem | None = None,
    description: str = "",
    presenter: Person | None = None,
    presenter_text: str = "",
    sitting: Sitting | None = None,
    planned_start: dt.time | None = None,
    planned_minutes: int | None = None,
) -> AgendaItem:
    """Add an item at the end of its siblings (under `parent`, or at the top level)."""
    values: dict[str, Any] = {
        "title": normalize(title or "")[:500],
        "description": (description or "").strip(),
        "parent": parent,
        "presenter": presenter,
        "presenter_text": normalize(presenter_text or "")[:300],
        "sitting": sitting,
        "planned_start": planned_start,
        "planned_minutes": planned_minutes,
    }
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        _require_open(meeting)
        _check_fields(meeting, values, None)
        last = AgendaItem.objects.filter(
            meeting_id=meeting.pk, parent_id=getattr(parent, "pk", None)
        ).aggregate(last=Max("position"))["last"]
        item = AgendaItem.objects.create(
            meeting=meeting, position=0 if last is None else last + 1, **values
        )
        record(
            meeting,
            actor=actor,
            action="agenda.add",
            obj=item,
            summary=_("Agenda item added: %(item)s.") % {"item": item},
            changes={"parent": getattr(parent, "pk", None), "title": item.title},
        )
        announce(meeting.pk, "agenda")
    return item


def update_item(*, item_id: int, actor: Any, changes: dict[str, Any]) -> AgendaItem:
    """Correct an item; a new parent puts it at the end of its new siblings."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        meeting = lock_meeting(item_meeting_id(item_id))
        _require_open(meeting)
        item = _item(meeting, item_id)
        values = dict(changes)
        for name, limit in (("title", 500), ("presenter_text", 300)):
            if name in values:
                values[name] = normalize(values[name] or "")[:limit]
        if "description" in values:
            values["description"] = (values["description"] or "").strip()
        merged = {
            "presenter": values.get("presenter", item.presenter),
            "presenter_text": values.get("presenter_text", item.presenter_text),
            **values,
        }
        _check_fields(meeting, merged, item)
        old_parent_id = item.parent_id
        before = {name: _plain(getattr(item, name)) for name in values}
        for name, value in values.items():
            setattr(item, name, value)
        moved = "parent" in values and item.parent_id != old_parent_id
        if moved:
            last = AgendaItem.objects.filter(
                meeting_id=meeting.pk, parent_id=item.parent_id
            ).aggregate(last=Max("position"))["last"]
            item.position = 0 if last is None else last + 1
        item.save(update_fields=sorted({*values, "position"}))
        if moved:
            _renumber(meeting.pk, old_parent_id)
        after = {name: _plain(getattr(item, name)) for name in values}
        record(
            meeting,
            actor=actor,
            action="agenda.update",
            obj=item,
            summary=_("Agenda item corrected: %(item)s.") % {"item": item},
            changes={n: [before[n], after[n]] for n in values if before[n] != after[n]},
        )
        announce(meeting.pk, "agenda")
    return item


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def remove_item(*, item_id: int, actor: Any) -> None:
    """Remove an item (and the items under it) that nothing in the room refers to yet."""
    with transaction.atomic():
        meeting = lock_meeting(item_meeting_id(item_id))
        _require_open(meeting)
        item = _item(meeting, item_id)
        ids = _subtree_ids(item)
        tree = AgendaItem.objects.filter(id__in=ids)
        if tree.exclude(status=ItemStatus.PENDING).exists():
            raise NotAllowedNow(
                _("This item (or one under it) has already been taken up: it stays on the agenda.")
            )
        if _is_referenced(ids):
            raise NotAllowedNow(
                _(
                    "Requests to speak, questions, polls, documents or resolutions refer to this "
                    "item (or one under it): it stays on the agenda."
                )
            )
        record(
            meeting,
            actor=actor,
            action="agenda.remove",
            obj=item,
            summary=_("Agenda item removed: %(item)s.") % {"item": item},
            changes={"items": ids},
        )
        parent_id = item.parent_id
        item.delete()
        _renumber(meeting.pk, parent_id)
        announce(meeting.pk, "agenda")


def _subtree_ids(item: AgendaItem) -> list[int]:
    ids = [item.pk]
    frontier = [item.pk]
    while frontier:
        frontier = list(
            AgendaItem.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        ids.extend(frontier)
    return ids


def _is_referenced(ids: list[int]) -> bool:
    from hdnd.meetings.models import Document, QuestionTopic, Resolution, SpeechRequest
    from hdnd.voting.models import Poll

    return any(
        model.objects.filter(agenda_item_id__in=ids).exists()
        for model in (SpeechRequest, QuestionTopic, Document, Resolution, Poll)
    )


def move_item(*, item_id: int, actor: Any, direction: str) -> AgendaItem:
    """Swap an item with the sibling before ("up") or after ("down") it."""
    if direction not in {"up", "down"}:
        raise DomainError(_("Move an item up or down."))
    with transaction.atomic():
        meeting = lock_meeting(item_meeting_id(item_id))
        _require_open(meeting)
        item = _item(meeting, item_id)
        siblings = _renumber(meeting.pk, item.parent_id)
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(siblings):
            return item
        return _place(meeting, siblings, index, target, actor=actor)


def set_item_position(*, item_id: int, actor: Any, position: int) -> AgendaItem:
    """Put an item at `position` (1 = first) among its siblings."""
    with transaction.atomic():
        meeting = lock_meeting(item_meeting_id(item_id))
        _require_open(meeting)
        item = _item(meeting, item_id)
        siblings = _renumber(meeting.pk, item.parent_id)
        if not 1 <= position <= len(siblings):
            raise DomainError(
                _("Give a position from 1 to %(count)s.") % {"count": len(siblings)},
                fields={"position": [_("Out of range.")]},
            )
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
        return _place(meeting, siblings, index, position - 1, actor=actor)


def _place(
    meeting: Meeting, siblings: list[AgendaItem], index: int, target: int, *, actor: Any
) -> AgendaItem:
    item = siblings.pop(index)
    siblings.insert(target, item)
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    record(
        meeting,
        actor=actor,
        action="agenda.move",
        obj=item,
        summary=_("Agenda item moved: %(item)s.") % {"item": item},
        changes={"position": [index + 1, target + 1]},
    )
    announce(meeting.pk, "agenda")
    return item


def set_current_item(*, meeting_id: int, item_id: int, actor: Any) -> AgendaItem:
    """Take up an item: the previous current item is done."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        if meeting.status != MeetingStatus.IN_PROGRESS:
            raise NotAllowedNow(_("Items are taken up only while the meeting is in progress."))
        item = _item(meeting, item_id)
        if item.status == ItemStatus.CURRENT:
            return item
        now = timezone.now()
        previous = finish_current(meeting, now)
        item.status = ItemStatus.CURRENT
        item.started_at = now
        item.ended_at = None
        item.save(update_fields=["status", "started_at", "ended_at"])
        record(
            meeting,
            actor=actor,
            action="agenda.current",
            obj=item,
            summary=_("Now on the agenda: %(item)s.") % {"item": item},
            changes={"previous": getattr(previous, "pk", None)},
        )
        announce(meeting.pk, "agenda", "speakers", "questions", "documents")
    return item


def finish_current_item(*, meeting_id: int, actor: Any) -> AgendaItem | None:
    """Mark the current item done, with none after it yet."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        previous = finish_current(meeting, timezone.now())
        if previous is None:
            raise NotAllowedNow(_("No item is being taken up."))
        record(
            meeting,
            actor=actor,
            action="agenda.done",
            obj=previous,
            summary=_("Agenda item done: %(item)s.") % {"item": previous},
        )
        announce(meeting.pk, "agenda", "speakers", "questions")
    return previous


def finish_current(meeting: Meeting, now: dt.datetime) -> AgendaItem | None:
    """Mark the item under way done (the meeting locked by the caller); it, or None."""
    previous = (
        AgendaItem.objects.select_for_update(of=("self",))
        .filter(meeting_id=meeting.pk, status=ItemStatus.CURRENT)
        .first()
    )
    if previous is not None:
        previous.status = ItemStatus.DONE
        previous.ended_at = now
        previous.save(update_fields=["status", "ended_at"])
    return previous
