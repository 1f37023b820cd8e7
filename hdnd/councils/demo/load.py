"""The deterministic demo dataset: Hanoi's city council and its 126 commune councils,
with terms, delegates, committees, delegate groups and agencies, and one account per role.

The places and agencies are real; the people are made up. The demo accounts share one
published password and fixed TOTP keys: this is for demonstrations and tests only, and
must never be loaded into a production database.

Load it after `load_units`. Each stage is one function; everything is written with
bulk_create in one transaction, and a second run sees the demo is there and stops.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from hdnd.core.audit import record_event
from hdnd.core.errors import DomainError
from hdnd.councils.demo.accounts import create_accounts
from hdnd.councils.demo.city import create_city
from hdnd.councils.demo.communes import create_commune_councils
from hdnd.councils.demo.data import CITY_TERM_XVII, CITY_UNIT_CODE
from hdnd.councils.demo.run import DemoRun, Progress
from hdnd.councils.models import Council, CouncilLevel, Term


class DemoUnitsMissing(DomainError):
    code = "demo_units_missing"


@dataclass
class DemoReport:
    already_loaded: bool = False
    created: Counter[str] = field(default_factory=Counter)


def city_council() -> Council | None:
    return (
        Council.objects.filter(
            level=CouncilLevel.PROVINCE,
            unit__code=CITY_UNIT_CODE,
            unit__valid_until__isnull=True,
        )
        .select_related("unit")
        .first()
    )


def demo_is_loaded(city: Council) -> bool:
    return Term.objects.filter(council=city, start_date=CITY_TERM_XVII.start).exists()


def load_demo(*, progress: Progress | None = None) -> DemoReport:
    city = city_council()
    if city is None:
        raise DemoUnitsMissing(_("Load the administrative units first: manage.py load_units"))
    if demo_is_loaded(city):
        return DemoReport(already_loaded=True)
    demo = DemoRun(city=city, progress=progress or (lambda message: None))
    with transaction.atomic():
        refs = create_city(demo)
        communes = create_commune_councils(demo)
        demo.progress(_("Demo accounts"))
        create_accounts(demo, refs)
        record_event(
            actor=None,
            action="councils.demo.load",
            council=city,
            summary=_("Demo dataset loaded: %(people)d people in %(councils)d councils")
            % {"people": demo.created["person"], "councils": 1 + communes},
            changes=dict(sorted(demo.created.items())),
        )
    return DemoReport(created=demo.created)
