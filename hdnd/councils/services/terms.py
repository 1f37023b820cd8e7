"""Terms of office of a council."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hdnd.core.audit import changes_between, record_event
from hdnd.core.errors import Conflict, DomainError
from hdnd.councils.models import Council, Term
from hdnd.councils.services.common import snapshot
from hdnd.lib.dates import format_day
from hdnd.lib.vietnamese import normalize


def check_term(
    *, council: Council, start_date: dt.date, end_date: dt.date, exclude_id: int | None = None
) -> None:
    if end_date <= start_date:
        raise DomainError(
            _("The term must end after it starts."), fields={"end_date": [_("Must be later.")]}
        )
    others = Term.objects.filter(council=council).filter(
        start_date__lt=end_date, end_date__gt=start_date
    )
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    clash = others.first()
    if clash is not None:
        raise Conflict(
            _("The dates overlap %(term)s of this council (%(start)s – %(end)s).")
            % {
                "term": clash.name,
                "start": format_day(clash.start_date),
                "end": format_day(clash.end_date),
            },
            fields={"start_date": [_("Overlaps another term.")]},
        )


def create_term(
    *,
    actor: Any,
    council: Council,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    number: int | None = None,
) -> Term:
    with transaction.atomic():
        Council.objects.select_for_update().get(pk=council.pk)
        check_term(council=council, start_date=start_date, end_date=end_date)
        term = Term.objects.create(
            council=council,
            name=normalize(name),
            number=number,
            start_date=start_date,
            end_date=end_date,
        )
        record_event(
            actor=actor,
            action="councils.term.create",
            obj=term,
            council=council,
            summary=_("Term %(term)s created") % {"term": term},
            changes=changes_between(None, snapshot(term, ["name", "start_date", "end_date"])),
        )
    return term
