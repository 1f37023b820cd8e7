"""Dates as people read them in messages."""

import datetime as dt

from django.utils.translation import gettext as _


def format_day(day: dt.date | None) -> str:
    """A day as dd/mm/yyyy; no day is the open end of a seat or role that has not ended."""
    if day is None:
        # Translators: as in "from 01/07/2025 to the present".
        return _("the present")
    return day.strftime("%d/%m/%Y")
