"""Loading the official administrative units, and one council for each current unit.

The 34 provinces and 3,321 communes come from the `vietnam-provinces` package; Hanoi's
former district-level units come from our own data/legacy_hanoi_districts.csv. Loading
compares with what is stored and writes only the difference, so it is safe to re-run,
for example after upgrading the package.
"""

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward

from hdnd.core.audit import record_event
from hdnd.councils.models import (
    AdministrativeUnit,
    Council,
    CouncilLevel,
    UnitKind,
    UnitLevel,
    UnitSuccession,
)
from hdnd.lib.vietnamese import fold

CURRENT_SINCE = dt.date(2025, 7, 1)
DISTRICTS_ABOLISHED_ON = dt.date(2025, 6, 30)
HANOI_CODE = "01"
LEGACY_DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "legacy_hanoi_districts.csv"
BATCH_SIZE = 500
COUNCIL_NAME_PREFIX = "Hội đồng nhân dân "
# The kind words that open unit names; in a council's name they are written in lower case.
UNIT_NAME_PREFIXES = ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu")

# The package's division types (its enum values) → our kind and level.
DIVISION_TYPES: dict[str, tuple[UnitKind, UnitLevel]] = {
    "tỉnh": (UnitKind.PROVINCE, UnitLevel.PROVINCE),
    "thành phố trung ương": (UnitKind.CENTRAL_CITY, UnitLevel.PROVINCE),
    "xã": (UnitKind.COMMUNE, UnitLevel.COMMUNE),
    "phường": (UnitKind.WARD, UnitLevel.COMMUNE),
    "đặc khu": (UnitKind.SPECIAL_ZONE, UnitLevel.COMMUNE),
}
DISTRICT_KINDS = {UnitKind.URBAN_DISTRICT, UnitKind.RURAL_DISTRICT, UnitKind.TOWN}

# Called after each batch of a long stage: (stage, done, total).
Progress = Callable[[str, int, int], None]
Values = dict[str, Any]
M = TypeVar("M", bound=models.Model)


@dataclass
class SyncCount:
    """What one kind of record went through: keys (codes) added, updated or removed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class UnitsReport:
    provinces: SyncCount = field(default_factory=SyncCount)
    communes: SyncCount = field(default_factory=SyncCount)
    districts: SyncCount = field(default_factory=SyncCount)
    successions: SyncCount = field(default_factory=SyncCount)
    councils: SyncCount = field(default_factory=SyncCount)
    # Current units stored here that the package no longer has: left alone, reported.
    not_in_package: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def counts(self) -> list[SyncCount]:
        return [self.provinces, self.communes, self.districts, self.successions, self.councils]

    @property
    def added(self) -> int:
        return sum(len(count.added) for count in self.counts())

    @property
    def updated(self) -> int:
        return sum(len(count.updated) + len(count.removed) for count in self.counts())

    @property
    def unchanged(self) -> int:
        return sum(count.unchanged for count in self.counts())

    @property
    def changed(self) -> bool:
        return any(count.changed for count in self.counts())


def load_units(
    *, province_code: str | None = None, progress: Progress | None = None
) -> UnitsReport:
    """Bring units, legacy districts, their successions and councils up to date.

    `province_code` limits the councils (not the units) to one province.
    """
    report = UnitsReport()
    with transaction.atomic():
        report.provinces = _sync_provinces()
        report.communes = _sync_communes(progress)
        report.not_in_package = _units_not_in_package()
        report.districts, report.successions = _sync_legacy_districts(report.problems)
        report.councils = _sync_councils(province_code, progress)
        if report.changed:
            record_event(
                actor=None,
                action="councils.units.load",
                summary=summary_line(report),
                changes={"added": report.added, "updated": report.updated},
            )
    return report


def summary_line(report: UnitsReport) -> str:
    return _(
        "Added %(provinces)d provinces, %(communes)d communes; updated %(updated)d; "
        "unchanged %(unchanged)d"
    ) % {
        "provinces": len(report.provinces.added),
        "communes": len(report.communes.added),
        "updated": len(report.provinces.updated) + len(report.communes.updated),
        "unchanged": report.provinces.unchanged + report.communes.unchanged,
    }


# The package's data


def province_code(value: int) -> str:
    return f"{value:02d}"


def commune_code(value: int) -> str:
    return f"{value:05d}"


def _unit_values(*, name: str, codename: str, division_type: str) -> Values:
    kind, level = DIVISION_TYPES[division_type]
    return {
        "name": name,
        "codename": codename,
        "kind": kind.value,
        "level": level.value,
        "valid_from": CURRENT_SINCE,
        "valid_until": None,
        "search_text": fold(name),
    }


def official_provinces() -> dict[str, Values]:
    return {
        province_code(p.code.value): {
            "code": province_code(p.code.value),
            "parent_id": None,
            **_unit_values(name=p.name, codename=p.codename, division_type=p.division_type.value),
        }
        for p in sorted(Province.iter_all(), key=lambda p: p.code.value)
    }


def official_communes(province_ids: dict[str, int]) -> dict[str, Values]:
    return {
        commune_code(w.code.value): {
            "code": commune_code(w.code.value),
            "parent_id": province_ids[province_code(w.province_code.value)],
            **_unit_values(name=w.name, codename=w.codename, division_type=w.division_type.value),
        }
        for w in sorted(Ward.iter_all(), key=lambda w: w.code.value)
    }


# Syncing


def _batches(items: list[M], size: int = BATCH_SIZE) -> Iterator[list[M]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sync(
    model: type[M],
    stored: dict[str, M],
    wanted: dict[str, Values],
    *,
    stage: str = "",
    progress: Progress | None = None,
) -> SyncCount:
    """Create what is wanted but not stored, update what differs; never delete."""
    count = SyncCount()
    to_create: list[M] = []
    to_update: list[M] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        obj = stored.get(key)
        if obj is None:
            to_create.append(model(**values))
            count.added.append(key)
            continue
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        if not differing:
            count.unchanged += 1
            continue
        for name in differing:
            setattr(obj, name, values[name])
        to_update.append(obj)
        changed_fields.update(differing)
        count.updated.append(key)
    done = 0
    for batch in _batches(to_create):
        model._default_manager.bulk_create(batch)
        done += len(batch)
        if progress is not None and stage:
            progress(stage, done, len(to_create))
    if to_update:
        fields = sorted({model._meta.get_field(name).name for name in changed_fields})
        model._default_manager.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    return count


def _current_units(level: UnitLevel) -> models.QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(level=level, valid_until__isnull=True)


def _current_ids(level: UnitLevel) -> dict[str, int]:
    return dict(_current_units(level).values_list("code", "id"))


def _sync_provinces() -> SyncCount:
    stored = {unit.code: unit for unit in _current_units(UnitLevel.PROVINCE)}
    return _sync(AdministrativeUnit, stored, official_provinces())


def _sync_communes(progress: Progress | None) -> SyncCount:
    stored = {unit.code: unit for unit in _current_units(UnitLevel.COMMUNE)}
    wanted = official_communes(_current_ids(UnitLevel.PROVINCE))
    return _sync(AdministrativeUnit, stored, wanted, stage="communes", progress=progress)


def _units_not_in_package() -> list[str]:
    official = {*official_provinces(), *(commune_code(w.code.value) for w in Ward.iter_all())}
    stored = AdministrativeUnit.objects.filter(
        level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE], valid_until__isnull=True
    ).values_list("code", flat=True)
    return sorted(set(stored) - official)


# Hanoi's former districts


@dataclass(frozen=True)
class LegacyDistrict:
    code: str
    name: str
    kind: str
    successor_code: str
    note: str


def read_legacy_districts(
    path: Path = LEGACY_DISTRICTS_FILE, *, problems: list[str]
) -> list[LegacyDistrict]:
    """The file's rows; a bad row is reported in `problems` and skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    districts = []
    for line, row in enumerate(rows, start=2):
        district = LegacyDistrict(**{key: (row.get(key) or "").strip() for key in _LEGACY_COLUMNS})
        problem = _legacy_row_problem(district)
        if problem:
            problems.append(
                _("%(file)s, line %(line)d: %(problem)s")
                % {"file": path.name, "line": line, "problem": problem}
            )
            continue
        districts.append(district)
    return districts


_LEGACY_COLUMNS = ("code", "name", "kind", "successor_code", "note")


def _legacy_row_problem(district: LegacyDistrict) -> str:
    if not re.fullmatch(r"\d{3}", district.code):
        return _("the code must have 3 digits")
    if not district.name:
        return _("the name is missing")
    if district.kind not in DISTRICT_KINDS:
        return _("unknown kind %(kind)s") % {"kind": district.kind}
    if district.successor_code and not re.fullmatch(r"\d{5}", district.successor_code):
        return _("the successor code must have 5 digits")
    return ""


def _codename(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")


def _sync_legacy_districts(problems: list[str]) -> tuple[SyncCount, SyncCount]:
    hanoi_id = _current_ids(UnitLevel.PROVINCE)[HANOI_CODE]
    districts = read_legacy_districts(problems=problems)
    stored = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(level=UnitLevel.DISTRICT, parent_id=hanoi_id)
    }
    wanted = {
        d.code: {
            "code": d.code,
            "name": d.name,
            "codename": _codename(d.name),
            "kind": d.kind,
            "level": UnitLevel.DISTRICT.value,
            "parent_id": hanoi_id,
            "valid_from": None,
            "valid_until": DISTRICTS_ABOLISHED_ON,
            "search_text": fold(d.name),
        }
        for d in districts
    }
    district_count = _sync(AdministrativeUnit, stored, wanted)
    return district_count, _sync_successions(districts, hanoi_id, problems)


def _sync_successions(
    districts: Iterable[LegacyDistrict], hanoi_id: int, problems: list[str]
) -> SyncCount:
    district_ids = dict(
        AdministrativeUnit.objects.filter(
            level=UnitLevel.DISTRICT, parent_id=hanoi_id, code__in=[d.code for d in districts]
        ).values_list("code", "id")
    )
    hanoi_units = dict(
        _current_units(UnitLevel.COMMUNE).filter(parent_id=hanoi_id).values_list("code", "id")
    )
    wanted: dict[str, Values] = {}
    for d in districts:
        if not d.successor_code:
            continue
        if d.successor_code not in hanoi_units:
            problems.append(
                _("%(district)s: no current Hanoi unit has the code %(code)s")
                % {"district": d.name, "code": d.successor_code}
            )
            continue
        wanted[f"{d.code}>{d.successor_code}"] = {
            "predecessor_id": district_ids[d.code],
            "successor_id": hanoi_units[d.successor_code],
            "effective_date": CURRENT_SINCE,
            "note": d.note,
        }
    stored_rows = UnitSuccession.objects.filter(
        predecessor_id__in=district_ids.values()
    ).select_related("predecessor", "successor")
    stored = {f"{s.predecessor.code}>{s.successor.code}": s for s in stored_rows}
    count = _sync(UnitSuccession, stored, wanted)
    # A successor that the file no longer names is a correction: drop the old link.
    stale = sorted(set(stored) - set(wanted))
    UnitSuccession.objects.filter(pk__in=[stored[key].pk for key in stale]).delete()
    count.removed = stale
    return count


# Councils


def council_name(unit: AdministrativeUnit) -> str:
    """The council's official name: "Hội đồng nhân dân tỉnh Cao Bằng",
    "Hội đồng nhân dân thành phố Hà Nội", "Hội đồng nhân dân phường Hoàn Kiếm"."""
    name = unit.name
    for prefix in UNIT_NAME_PREFIXES:
        if name.startswith(prefix + " "):
            return COUNCIL_NAME_PREFIX + prefix.lower() + name[len(prefix) :]
    if unit.kind == UnitKind.PROVINCE:
        return COUNCIL_NAME_PREFIX + "tỉnh " + name
    return COUNCIL_NAME_PREFIX + name


def _council_values(unit: AdministrativeUnit, level: str, parent_id: int | None) -> Values:
    name = council_name(unit)
    return {
        "unit_id": unit.pk,
        "level": level,
        "parent_id": parent_id,
        "name": name,
        "search_text": fold(name),
    }


def _stored_councils(level: str) -> dict[str, Council]:
    councils = Council.objects.filter(level=level, unit__valid_until__isnull=True)
    return {council.unit.code: council for council in councils.select_related("unit")}


def _sync_councils(only_province: str | None, progress: Progress | None) -> SyncCount:
    provinces = _current_units(UnitLevel.PROVINCE)
    communes = _current_units(UnitLevel.COMMUNE).select_related("parent")
    if only_province:
        provinces = provinces.filter(code=only_province)
        communes = communes.filter(parent__code=only_province)
    count = _sync(
        Council,
        _stored_councils(CouncilLevel.PROVINCE),
        {u.code: _council_values(u, CouncilLevel.PROVINCE, None) for u in provinces},
    )
    parents = dict(
        Council.objects.filter(
            level=CouncilLevel.PROVINCE, unit__valid_until__isnull=True
        ).values_list("unit__code", "id")
    )
    wanted = {
        unit.code: _council_values(unit, CouncilLevel.COMMUNE, parents[unit.parent.code])
        for unit in communes.order_by("code")
        if unit.parent is not None
    }
    commune_count = _sync(
        Council,
        _stored_councils(CouncilLevel.COMMUNE),
        wanted,
        stage="councils",
        progress=progress,
    )
    return SyncCount(
        added=count.added + commune_count.added,
        updated=count.updated + commune_count.updated,
        unchanged=count.unchanged + commune_count.unchanged,
    )
