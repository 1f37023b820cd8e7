"""One row of an import, checked as a whole: each value, then how the values fit
together (an answer needs its result and day, an evaluation needs an answer…), and
what the petition will be once imported (its status, deadline and evaluation).

A row is either accepted as an `ImportRow` or refused with every problem found, each
naming its column, so the office can correct the whole row at once.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd.petitions.importing import values as v
from hdnd.petitions.importing.lookups import Lookups
from hdnd.petitions.models import (
    CompetenceLevel,
    Decision,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
    Verdict,
)

# (column key, reason)
Problem = tuple[str, str]

ANSWER_KEYS = ("answered_on", "result", "answer_text", "roadmap", "planned_completion")
# The parsed values an ImportRow takes as they are.
_ROW_FIELDS = (
    "source_id",
    "text",
    "received_on",
    "voter_count",
    "field_id",
    "level",
    "unit_id",
    "channel",
    "agency_id",
    "due_on",
    "answered_on",
    "result",
    "answer_text",
    "roadmap",
    "planned_completion",
    "verdict",
    "rating_comment",
    "rated_on",
)
# Results that end the work when the committee finds the answer satisfactory; the others
# (being resolved, will be resolved) stay monitored until done.
CLOSING_RESULTS = frozenset({ResultCategory.RESOLVED, ResultCategory.EXPLAINED})


@dataclass(slots=True)
class ImportRow:
    """A row as it will be imported."""

    row: int
    source_id: str
    text: str
    received_on: dt.date
    cycle_id: int
    cycle_name: str
    voter_count: int
    field_id: int | None = None
    level: str = ""
    unit_id: int | None = None
    channel: str = ""
    agency_id: int | None = None
    committee_id: int | None = None
    assigned_on: dt.date | None = None
    due_on: dt.date | None = None
    due_computed: bool = False
    deadline_rule_id: int | None = None
    answered_on: dt.date | None = None
    result: str = ""
    answer_text: str = ""
    roadmap: str = ""
    planned_completion: dt.date | None = None
    verdict: str = ""
    rating_comment: str = ""
    rated_on: dt.date | None = None

    @property
    def has_answer(self) -> bool:
        return bool(self.result)

    @property
    def decision(self) -> str:
        if not self.verdict:
            return ""
        if self.verdict != Verdict.SATISFACTORY:
            return Decision.RESUPERVISE
        return Decision.CLOSE if self.result in CLOSING_RESULTS else Decision.MONITOR

    @property
    def status(self) -> str:
        decision = self.decision
        if decision == Decision.CLOSE:
            return PetitionStatus.RESOLVED
        if decision == Decision.MONITOR:
            return PetitionStatus.MONITORING
        if decision == Decision.RESUPERVISE:
            return PetitionStatus.REOPENED
        if self.has_answer:
            return PetitionStatus.ANSWERED
        if self.agency_id is not None:
            return PetitionStatus.ASSIGNED
        if self.level == CompetenceLevel.CENTRAL:
            # Items for the central level went to the National Assembly delegation.
            return PetitionStatus.FORWARDED
        return PetitionStatus.CONSOLIDATING

    @property
    def on_time(self) -> bool | None:
        if self.answered_on is None or self.due_on is None:
            return None
        return self.answered_on <= self.due_on


class _Row:
    """A row being checked: its raw cells, the values parsed so far and the problems."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.problems: list[Problem] = []

    def parse(self, key: str, parser: Callable[[Any], Any], default: Any = None) -> Any:
        try:
            value = parser(self.raw.get(key))
        except v.CellError as exc:
            self.problems.append((key, exc.message))
            value = None
        self.values[key] = default if value is None else value
        return self.values[key]

    def given(self, key: str) -> bool:
        """Whether the cell holds something, valid or not."""
        return not v.is_blank(self.raw.get(key))

    def failed(self, key: str) -> bool:
        return any(problem_key == key for problem_key, _message in self.problems)

    def missing(self, key: str, message: Promise) -> None:
        """Report an empty value that the row needs, unless the cell was already refused."""
        if not self.values.get(key) and not self.failed(key):
            self.problems.append((key, str(message)))

    def refuse(self, key: str, message: str) -> None:
        self.problems.append((key, message))


class RowValidator:
    """Checks rows one after another; remembers the ids seen, so that the second row
    with an id already used in the file is refused."""

    def __init__(self, lookups: Lookups, *, items: bool = False) -> None:
        self.lookups = lookups
        self.seen: dict[str, int] = {}
        # Items of an API call rather than rows of a file: the messages say so.
        self.items = items

    def validate(
        self, number: int, raw: Mapping[str, Any]
    ) -> tuple[ImportRow | None, list[Problem]]:
        row = _Row(raw)
        self._check_identity(row, number)
        self._parse_catalogue(row)
        cycle = self._cycle(row)
        for key in ("due_on", "answered_on", "planned_completion", "rated_on"):
            row.parse(key, v.date_value)
        row.parse("result", v.result_value, "")
        for key in ("answer_text", "roadmap", "rating_comment"):
            row.parse(key, v.paragraphs_value, "")
        row.parse("verdict", v.verdict_value, "")
        self._check_deadline(row)
        self._check_answer(row)
        self._check_evaluation(row)
        values = row.values
        if row.problems or cycle is None or values["received_on"] is None:
            return None, row.problems
        imported = ImportRow(
            row=number,
            cycle_id=cycle.pk,
            cycle_name=cycle.name,
            **{key: values[key] for key in _ROW_FIELDS},
            committee_id=self.lookups.committee_for(values["field_id"]),
        )
        self._route(imported, cycle.session_date)
        return imported, []

    def _check_identity(self, row: _Row, number: int) -> None:
        source_id: str = row.parse("source_id", v.source_id_value, "")
        row.missing("source_id", gettext_lazy("The id (Mã) is required."))
        if source_id in self.seen:
            message = (
                _("The id “%(id)s” is already used by item %(row)s of this call.")
                if self.items
                else _("The id “%(id)s” is already used in row %(row)s of this file.")
            )
            row.refuse(
                "source_id", message % {"id": v.shown(source_id), "row": self.seen[source_id]}
            )
        elif source_id:
            self.seen[source_id] = number
        row.parse("text", v.text_value, "")
        row.missing("text", gettext_lazy("The text of the petition (Nội dung) is required."))

    def _parse_catalogue(self, row: _Row) -> None:
        received_on = row.parse("received_on", v.date_value)
        if received_on is not None and received_on > self.lookups.today:
            row.refuse("received_on", _("The day received cannot be in the future."))
        row.parse("voter_count", v.count_value, 1)
        row.values["field_id"] = row.parse("field", self.lookups.field)
        row.parse("level", v.level_value, "")
        row.values["unit_id"] = row.parse("unit", self.lookups.unit)
        row.parse("channel", v.channel_value, "")
        row.values["agency_id"] = row.parse("agency", self.lookups.agency)

    def _cycle(self, row: _Row) -> SessionCycle | None:
        """The session cycle named, else the one the day received falls in; with no day
        received, the day of the session stands for it."""
        received_on: dt.date | None = row.values["received_on"]
        if row.given("session"):
            cycle: SessionCycle | None = row.parse(
                "session", lambda value: self.lookups.cycle(value, received_on=received_on)
            )
        else:
            cycle = self.lookups.default_cycle(received_on or self.lookups.today)
            if cycle is None:
                row.refuse(
                    "session",
                    _("This council has no session cycle yet: create it before importing."),
                )
        if received_on is None and cycle is not None and not row.failed("received_on"):
            row.values["received_on"] = min(cycle.session_date, self.lookups.today)
        return cycle

    def _check_deadline(self, row: _Row) -> None:
        values = row.values
        due_on, received_on = values["due_on"], values["received_on"]
        if due_on is None:
            return
        if received_on is not None and due_on < received_on:
            row.refuse("due_on", _("The deadline is before the day received."))
        no_agency = values["agency_id"] is None and not row.failed("agency")
        if no_agency and values["level"] != CompetenceLevel.CENTRAL:
            row.refuse("due_on", _("A deadline needs the lead agency (Cơ quan chủ trì)."))

    def _check_answer(self, row: _Row) -> None:
        values = row.values
        if not any(row.given(key) for key in ANSWER_KEYS):
            return
        row.missing("result", gettext_lazy("Give the result of the answer (Kết quả)."))
        row.missing("answered_on", gettext_lazy("Give the day of the answer (Ngày trả lời)."))
        row.missing("answer_text", gettext_lazy("Give the text of the answer (Nội dung trả lời)."))
        answered_on, received_on = values["answered_on"], values["received_on"]
        if answered_on is not None:
            if answered_on > self.lookups.today:
                row.refuse("answered_on", _("The day of the answer cannot be in the future."))
            elif received_on is not None and answered_on < received_on:
                row.refuse("answered_on", _("The answer is dated before the day received."))
        planned = values["planned_completion"]
        if planned is not None and answered_on is not None and planned < answered_on:
            row.refuse("planned_completion", _("The planned completion is before the answer."))
        if values["result"] == ResultCategory.IN_PROGRESS:
            row.missing(
                "roadmap", gettext_lazy("An answer “being resolved” needs its roadmap (Lộ trình).")
            )
            row.missing(
                "planned_completion",
                gettext_lazy(
                    "An answer “being resolved” needs its planned completion (Thời hạn hoàn thành)."
                ),
            )

    def _check_evaluation(self, row: _Row) -> None:
        values = row.values
        if not row.given("verdict"):
            row.problems.extend(
                (key, _("This needs the evaluation (Đánh giá)."))
                for key in ("rating_comment", "rated_on")
                if row.given(key) and not row.failed(key)
            )
            return
        if not any(row.given(key) for key in ANSWER_KEYS):
            row.refuse(
                "verdict", _("An evaluation needs an answer: fill in Kết quả and Ngày trả lời.")
            )
        verdict = values["verdict"]
        no_agency = values["agency_id"] is None and not row.failed("agency")
        if verdict and verdict != Verdict.SATISFACTORY and no_agency:
            row.refuse(
                "verdict",
                _(
                    "An unsatisfactory answer re-opens the petition for its lead agency: "
                    "fill in Cơ quan chủ trì."
                ),
            )
        rated_on, answered_on = values["rated_on"], values["answered_on"]
        if rated_on is None:
            return
        if rated_on > self.lookups.today:
            row.refuse("rated_on", _("The day of the evaluation cannot be in the future."))
        elif answered_on is not None and rated_on < answered_on:
            row.refuse("rated_on", _("The evaluation is dated before the answer."))

    def _route(self, row: ImportRow, session_date: dt.date) -> None:
        """When the agency got the petition and by when it answers. The file rarely says
        when it was sent: the office sends the synthesis after the session, so the day of
        the session (not before the day received, not after today) stands for it."""
        if row.agency_id is None and row.level != CompetenceLevel.CENTRAL:
            return
        assigned_on = max(row.received_on, min(session_date, self.lookups.today))
        if row.due_on is not None and row.due_on < assigned_on:
            assigned_on = row.received_on
        row.assigned_on = assigned_on
        rule = self.lookups.deadline(level=row.level, assigned_on=assigned_on)
        if rule is not None:
            row.deadline_rule_id = rule[0]
            if row.due_on is None:
                row.due_on = rule[1]
                row.due_computed = True
