"""Periods of seats, posts and roles: a start date and an end date that may be empty.

One rule everywhere: a period is in force on a day when it started on or before that day
and has not ended before it; an empty end date has not ended. Two periods overlap when
neither ends before the other starts.
"""

import datetime as dt

from django.db.models import Q


def in_force_on(
    day: dt.date, *, start: str = "start_date", end: str = "end_date", prefix: str = ""
) -> Q:
    """Rows whose period (`prefix` + `start`, `prefix` + `end`) is in force on `day`."""
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})
    )


def overlapping(
    start: dt.date,
    end: dt.date | None,
    *,
    start_field: str = "start_date",
    end_field: str = "end_date",
    prefix: str = "",
) -> Q:
    """Rows whose period meets [start, end]; no `end` is a period that has not ended."""
    condition = Q(**{f"{prefix}{end_field}__isnull": True}) | Q(
        **{f"{prefix}{end_field}__gte": start}
    )
    if end is not None:
        condition &= Q(**{f"{prefix}{start_field}__lte": end})
    return condition
