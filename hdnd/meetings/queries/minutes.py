"""What the minutes (biên bản) of a meeting say, computed from the records: who attended
each sitting, the agenda, who spoke and for how long, the questions, every closed poll's
counts and result, and the resolutions adopted."""

from collections import defaultdict
from dataclasses import dataclass, field

from hdnd.meetings.models import (
    VOTING_ROLES,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    Participant,
    ParticipantRole,
    Question,
    Resolution,
    Sitting,
    SittingStatus,
    SpeechRequest,
    SpeechStatus,
)
from hdnd.voting.models import Choice, Poll, PollStatus
from hdnd.voting.stored import stored_counts, subjects_of


@dataclass(frozen=True)
class SittingAttendance:
    sitting: Sitting
    total: int
    present: int
    guests_present: int
    # (name, reason) of voting members absent with leave, and names absent without.
    excused: list[tuple[str, str]]
    absent: list[str]


@dataclass(frozen=True)
class SpeechLine:
    name: str
    kind: str
    seconds: int | None


@dataclass(frozen=True)
class QuestionLine:
    asker: str
    respondent: str
    text: str
    kind: str
    status: str


@dataclass(frozen=True)
class SubjectCounts:
    label: str
    counts: dict[str, int]
    # From the result frozen at close: an election's candidate elected or not; a
    # confidence rating's "low" from more than half / at least two-thirds of all delegates.
    elected: bool | None = None
    # Each count as a share of all delegates (percent, two decimals), None without a total.
    shares: dict[str, float | None] = field(default_factory=dict)
    low_over_half: bool | None = None
    low_two_thirds: bool | None = None


@dataclass(frozen=True)
class PollLine:
    poll: Poll
    subjects: list[SubjectCounts]
    required: int

    def percent_of_all(self, count: int) -> float | None:
        return _share(count, self.poll)


@dataclass(frozen=True)
class ItemLine:
    number: str
    item: AgendaItem
    presenter: str
    speeches: list[SpeechLine] = field(default_factory=list)
    questions: list[QuestionLine] = field(default_factory=list)
    polls: list[PollLine] = field(default_factory=list)


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    chairs: list[str]
    secretaries: list[str]
    total_members: int
    sittings: list[SittingAttendance]
    items: list[ItemLine]
    polls: list[PollLine]
    unplaced_questions: list[QuestionLine]
    resolutions: list[Resolution]


def agenda_numbers(items: list[AgendaItem]) -> list[tuple[str, AgendaItem]]:
    """The agenda in order, each with its number: 1, 1.1, 1.2, 2 …"""
    children: dict[int | None, list[AgendaItem]] = defaultdict(list)
    for item in sorted(items, key=lambda one: (one.position, one.pk)):
        children[item.parent_id].append(item)
    ordered: list[tuple[str, AgendaItem]] = []

    def walk(parent_id: int | None, prefix: str) -> None:
        for index, item in enumerate(children.get(parent_id, []), start=1):
            number = f"{prefix}{index}"
            ordered.append((number, item))
            walk(item.pk, f"{number}.")

    walk(None, "")
    return ordered


def _share(count: int, poll: Poll) -> float | None:
    total = poll.total_members or 0
    return round(100.0 * count / total, 2) if total else None


def _poll_lines(polls: list[Poll]) -> dict[int, PollLine]:
    """Each closed poll's counts, read as the voting module reads them (`stored_counts`:
    named votes or secret tallies), so the minutes say what the seal says."""
    lines: dict[int, PollLine] = {}
    for poll in polls:
        subjects = subjects_of(poll)
        counts = stored_counts(poll, subjects)
        frozen = {row.get("subject_id"): row for row in (poll.result or {}).get("subjects", [])}
        lines[poll.pk] = PollLine(
            poll=poll,
            subjects=[
                SubjectCounts(
                    label=subject.label,
                    counts={
                        choice: counts.get(subject.pk, {}).get(choice, 0) for choice in poll.choices
                    },
                    elected=frozen.get(subject.pk, {}).get("elected"),
                    shares={
                        choice: _share(counts.get(subject.pk, {}).get(choice, 0), poll)
                        for choice in poll.choices
                    },
                    low_over_half=frozen.get(subject.pk, {}).get("low_over_half"),
                    low_two_thirds=frozen.get(subject.pk, {}).get("low_two_thirds"),
                )
                for subject in subjects
            ],
            required=poll.required_votes(),
        )
    return lines


def closed_polls(meeting: Meeting) -> list[PollLine]:
    """The meeting's closed polls in the order they closed, with their counts."""
    polls = list(
        Poll.objects.filter(meeting=meeting, status=PollStatus.CLOSED)
        .select_related("seal")
        .order_by("closed_at", "id")
    )
    lines = _poll_lines(polls)
    return [lines[poll.pk] for poll in polls]


def minutes_of(meeting: Meeting) -> Minutes:
    participants = list(
        Participant.objects.filter(meeting=meeting).select_related("person").order_by("sort_key")
    )
    voters = [one for one in participants if one.role in VOTING_ROLES]
    guests = {one.pk for one in participants if one.role == ParticipantRole.GUEST}
    sittings = []
    # A sitting that never opened was not held: the minutes record no attendance for it.
    held = Sitting.objects.filter(meeting=meeting).exclude(status=SittingStatus.PLANNED)
    for sitting in held.order_by("number"):
        records = {
            row.participant_id: row
            for row in Attendance.objects.filter(sitting=sitting).select_related(
                "participant__person"
            )
        }
        excused = [
            (one.person.full_name, records[one.pk].reason)
            for one in voters
            if one.pk in records and records[one.pk].status == AttendanceStatus.ABSENT_EXCUSED
        ]
        present = [
            one
            for one in voters
            if one.pk in records and records[one.pk].status == AttendanceStatus.PRESENT
        ]
        absent = [
            one.person.full_name
            for one in voters
            if one.pk not in records or records[one.pk].status == AttendanceStatus.ABSENT
        ]
        sittings.append(
            SittingAttendance(
                sitting=sitting,
                total=len(voters),
                present=len(present),
                guests_present=sum(
                    1
                    for pk, row in records.items()
                    if pk in guests and row.status == AttendanceStatus.PRESENT
                ),
                excused=excused,
                absent=absent,
            )
        )

    poll_lines = {line.poll.pk: line for line in closed_polls(meeting)}
    polls = [line.poll for line in poll_lines.values()]
    speeches: dict[int, list[SpeechLine]] = defaultdict(list)
    for request in (
        SpeechRequest.objects.filter(agenda_item__meeting=meeting, status=SpeechStatus.DONE)
        .select_related("participant__person")
        .order_by("started_at", "id")
    ):
        speeches[request.agenda_item_id].append(
            SpeechLine(
                name=request.participant.person.full_name,
                kind=request.get_kind_display(),
                seconds=request.duration_seconds,
            )
        )
    questions: dict[int | None, list[QuestionLine]] = defaultdict(list)
    for question in (
        Question.objects.filter(meeting=meeting)
        .exclude(status="withdrawn")
        .select_related("asker__person", "respondent__person", "topic")
        .order_by("position", "id")
    ):
        item_id = question.topic.agenda_item_id if question.topic else None
        questions[item_id].append(
            QuestionLine(
                asker=question.asker.person.full_name,
                respondent=question.respondent.person.full_name,
                text=question.text,
                kind=question.get_kind_display(),
                status=question.get_status_display(),
            )
        )
    items = []
    for number, item in agenda_numbers(list(AgendaItem.objects.filter(meeting=meeting))):
        items.append(
            ItemLine(
                number=number,
                item=item,
                presenter=item.presenter.full_name if item.presenter else item.presenter_text,
                speeches=speeches.get(item.pk, []),
                questions=questions.get(item.pk, []),
                polls=[poll_lines[poll.pk] for poll in polls if poll.agenda_item_id == item.pk],
            )
        )
    return Minutes(
        meeting=meeting,
        chairs=[one.person.full_name for one in participants if one.role == ParticipantRole.CHAIR],
        secretaries=[
            one.person.full_name for one in participants if one.role == ParticipantRole.STAFF
        ],
        total_members=len(voters),
        sittings=sittings,
        items=items,
        polls=[poll_lines[poll.pk] for poll in polls],
        unplaced_questions=questions.get(None, []),
        resolutions=list(Resolution.objects.filter(meeting=meeting).order_by("adopted_on", "id")),
    )


CHOICE_LABELS_VI: dict[str, str] = {
    Choice.YES: "Tán thành",
    Choice.NO: "Không tán thành",
    Choice.ABSTAIN: "Không biểu quyết",
    Choice.HIGH: "Tín nhiệm cao",
    Choice.CONFIDENT: "Tín nhiệm",
    Choice.LOW: "Tín nhiệm thấp",
}
