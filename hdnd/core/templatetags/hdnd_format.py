"""Formatting filters shared by the modules' templates."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds: Any) -> str:
    """A length of time in whole seconds as people say it: "7 min", "3 min 5 s", "45 s"
    (Vietnamese: "7 phút", "3 phút 5 giây"); empty for no value."""
    if seconds is None or seconds == "":
        return ""
    try:
        total = int(seconds)
    except (TypeError, ValueError):
        return str(seconds)
    sign = "−" if total < 0 else ""
    minutes, rest = divmod(abs(total), 60)
    if minutes and rest:
        text = _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": rest}
    elif minutes:
        text = _("%(minutes)d min") % {"minutes": minutes}
    else:
        text = _("%(seconds)d s") % {"seconds": rest}
    return sign + text
