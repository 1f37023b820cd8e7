"""The council's catalogue, loaded once per import and matched by name or code: fields,
agencies, places, terms and session cycles, the committees in charge of fields and the
deadline rules. A 100,000-row file then costs no query per row.

Names are matched folded (no diacritics, any case, any punctuation), so "Sở Xây dựng",
"SO XAY DUNG" and "sở xây dựng." are one agency; "Xây dựng" finds it too when no other
agency is called that. Units and agencies that no longer exist are found as well (a
2021 petition names a district abolished in 2025), the current ones first.
"""

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hdnd.councils.models import AdministrativeUnit, Agency, Council, Term
from hdnd.lib.workdays import add_working_days
from hdnd.petitions.importing.columns import header_key
from hdnd.petitions.importing.values import CellError, is_blank, shown
from hdnd.petitions.models import (
    CompetenceLevel,
    DayCounting,
    DeadlineRule,
    Field,
    FieldCommittee,
    RouteKind,
    SessionCycle,
)

_AGENCY_PREFIXES = ("uy ban nhan dan ", "ubnd ", "so ", "phong ")
_UNIT_PREFIXES = (
    "thanh pho ",
    "thi tran ",
    "thi xa ",
    "dac khu ",
    "phuong ",
    "quan ",
    "huyen ",
    "xa ",
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_DIGITS = {
    "mot": 1,
    "nhat": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "lam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
}
_SESSION = re.compile(
    r"^(?:ky hop |ky )?(?:thu )?(?P<number>\d+|[a-z ]+?)"
    r"(?: (?:khoa|nhiem ky) (?P<term>[a-z0-9 ]+))?$"
)


class Ambiguous(Exception):
    pass


class _UnknownSession(CellError):
    def __init__(self, value: Any) -> None:
        super().__init__(
            _("No session “%(value)s” in this council's session cycles.") % {"value": shown(value)}
        )


class _Index:
    """Folded names → ids; the preferred (current, active) ones win a tie."""

    def __init__(self) -> None:
        self._exact: dict[str, dict[int, bool]] = defaultdict(dict)
        self._loose: dict[str, dict[int, bool]] = defaultdict(dict)

    def add(self, text: str, pk: int, *, preferred: bool, loose: bool = False) -> None:
        key = header_key(text)
        if key:
            (self._loose if loose else self._exact)[key][pk] = preferred

    def find(self, text: str) -> int | None:
        key = header_key(text)
        for table in (self._exact, self._loose):
            found = table.get(key)
            if found:
                return self._one(found)
        return None

    @staticmethod
    def _one(candidates: dict[int, bool]) -> int:
        if len(candidates) == 1:
            return next(iter(candidates))
        preferred = [pk for pk, is_preferred in candidates.items() if is_preferred]
        if len(preferred) == 1:
            return preferred[0]
        raise Ambiguous


def _without_prefix(key: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return ""


def number_in_words(text: str) -> int | None:
    """1–99 as written in session names: "ba" (thứ ba), "mười hai", "hai mươi mốt"."""
    words = text.split()
    if words and all(word in _DIGITS or word == "muoi" for word in words):
        if words == ["muoi"]:
            return 10
        if "muoi" not in words and len(words) == 1:
            return _DIGITS[words[0]]
        if words.count("muoi") == 1 and len(words) <= 3:
            tens_at = words.index("muoi")
            tens = _DIGITS[words[0]] if tens_at == 1 else 1 if tens_at == 0 else 0
            ones = _DIGITS[words[-1]] if words[-1] != "muoi" else 0
            if (tens_at == 1 or len(words) <= 2) and tens:
                return tens * 10 + ones
    return None


def roman_number(text: str) -> int | None:
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for index, ch in enumerate(text):
        value = _ROMAN[ch]
        following = _ROMAN[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total if total > 0 else None


class Lookups:
    """Everything a row is matched against, for one council."""

    def __init__(self, council: Council, *, today: dt.date | None = None) -> None:
        self.council = council
        self.today = today or timezone.localdate()
        self._fields = _Index()
        for row in Field.objects.values("id", "code", "name", "is_active"):
            self._fields.add(row["name"], row["id"], preferred=row["is_active"])
            self._fields.add(row["code"], row["id"], preferred=row["is_active"])
        self._agencies = _Index()
        for agency in Agency.objects.filter(council=council).values(
            "id", "code", "name", "short_name", "is_active"
        ):
            pk, active = agency["id"], agency["is_active"]
            for text in (agency["name"], agency["short_name"], agency["code"]):
                self._agencies.add(text, pk, preferred=active)
            bare = _without_prefix(header_key(agency["name"]), _AGENCY_PREFIXES)
            self._agencies.add(bare, pk, preferred=active, loose=True)
        self._units = _Index()
        unit_area = (
            AdministrativeUnit.objects.filter(id=council.unit_id)
            | AdministrativeUnit.objects.filter(parent_id=council.unit_id)
            | (AdministrativeUnit.objects.filter(parent__parent_id=council.unit_id))
        )
        for unit in unit_area.values("id", "code", "name", "valid_until"):
            current = unit["valid_until"] is None
            self._units.add(unit["name"], unit["id"], preferred=current)
            self._units.add(unit["code"], unit["id"], preferred=current)
            if unit["code"].isdigit():
                # Excel drops the leading zeros of a code typed as a number: 4 for 00004.
                self._units.add(str(int(unit["code"])), unit["id"], preferred=current, loose=True)
            bare = _without_prefix(header_key(unit["name"]), _UNIT_PREFIXES)
            self._units.add(bare, unit["id"], preferred=current, loose=True)
        self.terms = list(Term.objects.filter(council=council).order_by("start_date"))
        self.cycles = list(
            SessionCycle.objects.filter(council=council).order_by("session_date", "id")
        )
        self.cycles_by_id = {cycle.pk: cycle for cycle in self.cycles}
        self._cycle_names = _Index()
        for cycle in self.cycles:
            self._cycle_names.add(cycle.name, cycle.pk, preferred=True)
        self.committees = dict(
            FieldCommittee.objects.filter(council=council, valid_until__isnull=True).values_list(
                "field_id", "committee_id"
            )
        )
        self.deadline_rules = list(DeadlineRule.objects.filter(council=council))
        self._due_cache: dict[tuple[int, dt.date], dt.date] = {}

    # Catalogue entries by name or code.

    def field(self, value: Any) -> int | None:
        return self._match(
            self._fields,
            value,
            gettext_lazy("Unknown field “%(value)s”: use a field's name or code from the list."),
            gettext_lazy("“%(value)s” matches several fields: write the field's code."),
        )

    def agency(self, value: Any) -> int | None:
        return self._match(
            self._agencies,
            value,
            gettext_lazy("Unknown agency “%(value)s”: it is not among this council's agencies."),
            gettext_lazy(
                "“%(value)s” matches several agencies: write the agency's full name or code."
            ),
        )

    def unit(self, value: Any) -> int | None:
        return self._match(
            self._units,
            value,
            gettext_lazy(
                "Unknown place “%(value)s”: write a commune or ward of this council, or its code."
            ),
            gettext_lazy("“%(value)s” matches several places: write the full name or the code."),
        )

    @staticmethod
    def _match(index: _Index, value: Any, unknown: Promise, ambiguous: Promise) -> int | None:
        if is_blank(value):
            return None
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        try:
            found = index.find(text)
        except Ambiguous:
            raise CellError(str(ambiguous) % {"value": shown(value)}) from None
        if found is None:
            raise CellError(str(unknown) % {"value": shown(value)})
        return found

    # Terms and session cycles.

    def term_on(self, day: dt.date) -> Term | None:
        for term in self.terms:
            if term.start_date <= day <= term.end_date:
                return term
        return None

    def default_cycle(self, day: dt.date) -> SessionCycle | None:
        """The cycle an item received that day is reported in: the nearest session on or
        after it, else the latest (as for items entered by hand)."""
        for cycle in self.cycles:
            if cycle.session_date >= day:
                return cycle
        return self.cycles[-1] if self.cycles else None

    def cycle(self, value: Any, *, received_on: dt.date | None) -> SessionCycle:
        """The session named in the "Kỳ họp" column: its number in the term in force
        when the item was received (or today), its name, or "thứ ba khóa XVII"."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not float(value).is_integer():
                raise _UnknownSession(value)
            return self._numbered(int(value), None, received_on, value)
        key = header_key(value)
        try:
            named = self._cycle_names.find(key)
        except Ambiguous:
            named = self._named_in_term(key, received_on)
        if named is not None:
            return self.cycles_by_id[named]
        match = _SESSION.match(key)
        if match is None:
            raise _UnknownSession(value)
        written = match["number"].strip()
        number = int(written) if written.isdigit() else number_in_words(written)
        if number is None:
            raise _UnknownSession(value)
        term = None
        if match["term"]:
            term = self._term_named(match["term"].strip())
            if term is None:
                raise CellError(
                    _("No term “%(value)s” in this council.") % {"value": match["term"]}
                )
        return self._numbered(number, term, received_on, value)

    def _named_in_term(self, key: str, received_on: dt.date | None) -> int | None:
        term = self.term_on(received_on or self.today)
        same_name = [
            cycle
            for cycle in self.cycles
            if header_key(cycle.name) == key and term is not None and cycle.term_id == term.pk
        ]
        if len(same_name) == 1:
            return same_name[0].pk
        raise CellError(
            _("Several sessions are called “%(value)s”: add the term, e.g. “%(value)s khóa XVII”.")
            % {"value": key}
        )

    def _term_named(self, text: str) -> Term | None:
        years = re.findall(r"\d{4}", text)
        number = int(text) if text.isdigit() and len(text) < 4 else roman_number(text)
        for term in self.terms:
            if number is not None and term.number == number:
                return term
            if years and str(term.start_date.year) == years[0]:
                return term
            if header_key(term.name) in (text, f"khoa {text}"):
                return term
        return None

    def _numbered(
        self, number: int, term: Term | None, received_on: dt.date | None, written: Any
    ) -> SessionCycle:
        if term is None:
            term = self.term_on(received_on or self.today) or self.term_on(self.today)
        if term is None and self.terms:
            term = self.terms[-1]
        for cycle in self.cycles:
            if term is not None and cycle.term_id == term.pk and cycle.number == number:
                return cycle
        raise _UnknownSession(written)

    # Who supervises, and by when the agency answers.

    def committee_for(self, field_id: int | None) -> int | None:
        return self.committees.get(field_id) if field_id is not None else None

    def deadline(self, *, level: str, assigned_on: dt.date) -> tuple[int, dt.date] | None:
        """The rule in force on the day of assignment and the deadline it gives."""
        route = RouteKind.CENTRAL if level == CompetenceLevel.CENTRAL else RouteKind.OWN_AGENCY
        for rule in self.deadline_rules:
            if rule.route != route or rule.valid_from > assigned_on:
                continue
            if rule.valid_until is not None and rule.valid_until < assigned_on:
                continue
            return rule.pk, self._due(rule, assigned_on)
        return None

    def _due(self, rule: DeadlineRule, start: dt.date) -> dt.date:
        if rule.counting == DayCounting.CALENDAR:
            return start + dt.timedelta(days=rule.days)
        key = (rule.pk, start)
        if key not in self._due_cache:
            # One query per distinct day: a file's rows share a few assignment days.
            self._due_cache[key] = add_working_days(start, rule.days)
        return self._due_cache[key]
