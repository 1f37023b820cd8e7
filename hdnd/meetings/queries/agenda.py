"""The agenda as it reads: items in order, depth first, each with its number (1, 1.1,
1.2, 2 …)."""

from dataclasses import dataclass

from hdnd.meetings.models import AgendaItem, ItemStatus, Meeting


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    number: str
    depth: int
    # Its place among its siblings (1 = first) and how many siblings there are.
    place: int
    siblings: int

    @property
    def is_first(self) -> bool:
        return self.place == 1

    @property
    def is_last(self) -> bool:
        return self.place == self.siblings


def agenda_rows(meeting: Meeting) -> list[AgendaRow]:
    """Every item of the meeting in reading order (one query)."""
    items = list(
        AgendaItem.objects.filter(meeting_id=meeting.pk)
        .select_related("presenter", "sitting")
        .order_by("position", "id")
    )
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    rows: list[AgendaRow] = []

    def walk(parent_id: int | None, prefix: str, depth: int) -> None:
        siblings = children.get(parent_id, [])
        for place, item in enumerate(siblings, start=1):
            number = f"{prefix}{place}"
            rows.append(AgendaRow(item, number, depth, place, len(siblings)))
            walk(item.pk, f"{number}.", depth + 1)

    walk(None, "", 0)
    return rows


def current_item(meeting: Meeting) -> AgendaRow | None:
    """The item the room is on, with its number."""
    return next(
        (row for row in agenda_rows(meeting) if row.item.status == ItemStatus.CURRENT), None
    )
