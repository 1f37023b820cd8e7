"""The Vietnamese calendar of working days, which legal deadlines count.

A day is a day off when the `holidays` package lists it as a public holiday (Tết, 30/4, 1/5,
2/9 and the rest, with the substitute days it knows) or when it is a Saturday or Sunday, unless
the package knows it as a swapped working Saturday. `CalendarOverride` rows, edited in the admin,
win over both: the government announces swaps each year, later than any package release.

The package's holidays are cached per year in the process; the overrides a call needs are read
with one query, so counting a long deadline costs one query, not one per day.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hdnd.core.models import CalendarOverride, CalendarOverrideKind

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


def is_working_day(day: date) -> bool:
    _check_date(day, "day")
    overrides = _overrides(CalendarOverride.objects.filter(date=day))
    return _is_working_day(day, overrides)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (which is not counted); `start` itself when n is 0."""
    _check_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(_("The number of working days must be a whole number, 0 or more."))
    # No upper bound: overrides are a handful a year, and any number of them may be days off.
    overrides = _overrides(CalendarOverride.objects.filter(date__gt=start)) if n else {}
    day = start
    try:
        while n:
            day += _ONE_DAY
            if _is_working_day(day, overrides):
                n -= 1
    except OverflowError:
        raise ValueError(
            _("The deadline falls after the last date the calendar can hold.")
        ) from None
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start`, up to and including `end`."""
    _check_date(start, "start")
    _check_date(end, "end")
    if end <= start:
        return 0
    overrides = _overrides(CalendarOverride.objects.filter(date__gt=start, date__lte=end))
    return sum(1 for day in _days(start + _ONE_DAY, end) if _is_working_day(day, overrides))


def holidays_between(start: date, end: date) -> dict[date, str]:
    """The days off other than plain weekends from `start` to `end` inclusive, with their names."""
    _check_date(start, "start")
    _check_date(end, "end")
    rows = CalendarOverride.objects.filter(date__gte=start, date__lte=end)
    overrides = {row.date: row for row in rows}
    found: dict[date, str] = {}
    for day in _days(start, end):
        override = overrides.get(day)
        if override is None:
            names = _holiday_names(settings.WORKDAYS_COUNTRY, day.year, _names_language())
            if day in names:
                found[day] = names[day]
        elif override.kind == CalendarOverrideKind.DAY_OFF:
            found[day] = override.note or str(override.get_kind_display())
    return found


def _check_date(value: object, name: str) -> None:
    # A datetime is a date too, but comparing one with a date raises TypeError.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(
            _("%(name)s must be a date, not %(value)r.") % {"name": name, "value": value}
        )


def _overrides(rows: QuerySet[CalendarOverride]) -> dict[date, str]:
    return dict(rows.values_list("date", "kind"))


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY


def _is_working_day(day: date, overrides: dict[date, str]) -> bool:
    kind = overrides.get(day)
    if kind is not None:
        return kind == CalendarOverrideKind.WORKING_DAY
    days_off, working_weekends = _official_calendar(settings.WORKDAYS_COUNTRY, day.year)
    if day in days_off:
        return False
    if day.weekday() >= _SATURDAY:
        return day in working_weekends
    return True


@lru_cache(maxsize=64)
def _official_calendar(country: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The public holidays of a year, and the weekend days swapped to be working days."""
    calendar = holidays.country_holidays(country, years=year)
    # Swapped working Saturdays, such as 26/4/2025; listed for every year at once.
    known_swaps = getattr(calendar, "weekend_workdays", ())
    return frozenset(calendar), frozenset(day for day in known_swaps if day.year == year)


@lru_cache(maxsize=64)
def _holiday_names(country: str, year: int, language: str) -> Mapping[date, str]:
    calendar = holidays.country_holidays(country, years=year, language=language)
    return MappingProxyType(dict(calendar.items()))


def _names_language() -> str:
    return "vi" if (get_language() or "vi").startswith("vi") else "en_US"
