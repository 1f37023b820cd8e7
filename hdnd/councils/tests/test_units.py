import csv
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from vietnam_provinces import Ward

from hdnd.core.models import AuditEvent
from hdnd.councils.models import (
    AdministrativeUnit,
    Council,
    CouncilLevel,
    UnitKind,
    UnitLevel,
    UnitSuccession,
)
from hdnd.councils.units import (
    LEGACY_DISTRICTS_FILE,
    load_units,
    read_legacy_districts,
)
from hdnd.lib.vietnamese import fold

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("load_units", *args, stdout=out)
    return out.getvalue()


def _current(level: str):
    return AdministrativeUnit.objects.filter(level=level, valid_until__isnull=True)


def test_it_loads_every_province_and_commune_with_its_official_code():
    _run()
    assert _current(UnitLevel.PROVINCE).count() == 34
    assert _current(UnitLevel.COMMUNE).count() == 3321
    hanoi = _current(UnitLevel.PROVINCE).get(code="01")
    assert hanoi.name == "Thành phố Hà Nội"
    assert hanoi.kind == UnitKind.CENTRAL_CITY
    hoan_kiem = _current(UnitLevel.COMMUNE).get(code="00070")
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.parent == hanoi
    assert hoan_kiem.kind == UnitKind.WARD
    assert hoan_kiem.codename == "phuong_hoan_kiem"
    assert hoan_kiem.valid_from == dt.date(2025, 7, 1)
    assert hoan_kiem.search_text == "phuong hoan kiem"


def test_hanoi_has_126_current_units_51_wards_and_75_communes():
    _run()
    units = _current(UnitLevel.COMMUNE).filter(parent__code="01")
    assert units.count() == 126
    assert units.filter(kind=UnitKind.WARD).count() == 51
    assert units.filter(kind=UnitKind.COMMUNE).count() == 75
    assert all(len(code) == 5 for code in units.values_list("code", flat=True))


def test_special_zones_are_communes_of_their_province():
    _run()
    zones = _current(UnitLevel.COMMUNE).filter(kind=UnitKind.SPECIAL_ZONE)
    assert zones.count() == 13
    assert not zones.filter(parent__isnull=True).exists()


def test_every_current_unit_has_a_council_under_its_province_council():
    _run()
    assert Council.objects.filter(level=CouncilLevel.PROVINCE).count() == 34
    assert Council.objects.filter(level=CouncilLevel.COMMUNE).count() == 3321
    council = Council.objects.select_related("parent__unit").get(unit__code="00070")
    assert council.name == "Hội đồng nhân dân phường Hoàn Kiếm"
    assert council.search_text == "hoi dong nhan dan phuong hoan kiem"
    assert council.parent is not None
    assert council.parent.unit.code == "01"
    assert not Council.objects.filter(level=CouncilLevel.COMMUNE, parent__isnull=True).exists()


def test_the_province_option_limits_councils_to_that_province():
    _run("--province", "1")
    assert _current(UnitLevel.COMMUNE).count() == 3321
    assert Council.objects.count() == 127
    assert set(Council.objects.values_list("unit__parent__code", flat=True)) == {None, "01"}


def test_a_second_run_changes_nothing_and_records_no_event():
    first = load_units()
    assert first.changed
    assert first.added == 34 + 3321 + 30 + 28 + 34 + 3321
    second = load_units()
    assert not second.changed
    assert second.added == second.updated == 0
    assert second.provinces.unchanged == 34
    assert second.communes.unchanged == 3321
    assert second.councils.unchanged == 3355
    assert list(AuditEvent.objects.values_list("action", "changes")) == [
        ("councils.units.load", {"added": first.added, "updated": 0})
    ]


def test_a_changed_name_is_reported_and_restored():
    _run()
    AdministrativeUnit.objects.filter(code="00070").update(name="Phường Hoàn Kiếm cũ")
    Council.objects.filter(unit__code="00073").update(name="Sai tên")

    output = _run()

    assert "00070" in output
    assert "00073" in output
    assert AdministrativeUnit.objects.get(code="00070").name == "Phường Hoàn Kiếm"
    assert Council.objects.get(unit__code="00073").name == "Hội đồng nhân dân phường Cửa Nam"
    latest = AuditEvent.objects.order_by("-seq").first()
    assert latest is not None
    assert latest.changes == {"added": 0, "updated": 2}


def test_a_former_district_points_to_the_unit_that_carries_its_name():
    _run()
    districts = AdministrativeUnit.objects.filter(level=UnitLevel.DISTRICT)
    assert districts.count() == 30
    assert not districts.filter(valid_until__isnull=True).exists()
    ba_dinh = districts.get(code="001")
    assert ba_dinh.name == "Quận Ba Đình"
    assert ba_dinh.kind == UnitKind.URBAN_DISTRICT
    assert ba_dinh.valid_until == dt.date(2025, 6, 30)
    assert ba_dinh.parent is not None
    assert ba_dinh.parent.code == "01"
    assert not ba_dinh.is_current
    assert [u.code for u in ba_dinh.successors.all()] == ["00004"]
    succession = UnitSuccession.objects.get(predecessor=ba_dinh)
    assert succession.effective_date == dt.date(2025, 7, 1)
    assert "Phường Ba Đình" in succession.note
    soc_son = districts.get(code="016")
    assert [u.name for u in soc_son.successors.all()] == ["Xã Sóc Sơn"]
    assert not districts.get(code="019").successors.exists()  # no unit is called Nam Từ Liêm


def test_a_removed_successor_link_is_restored_and_a_wrong_one_dropped():
    _run()
    ba_dinh = AdministrativeUnit.objects.get(level=UnitLevel.DISTRICT, code="001")
    UnitSuccession.objects.filter(predecessor=ba_dinh).delete()
    UnitSuccession.objects.create(
        predecessor=ba_dinh,
        successor=AdministrativeUnit.objects.get(code="00008", valid_until__isnull=True),
        effective_date=dt.date(2025, 7, 1),
    )

    report = load_units()

    assert report.successions.added == ["001>00004"]
    assert report.successions.removed == ["001>00008"]
    assert [u.code for u in ba_dinh.successors.all()] == ["00004"]


def test_every_successor_in_the_file_carries_the_district_name():
    hanoi = {f"{w.code.value:05d}": w.name for w in Ward.iter_all() if w.province_code.value == 1}
    with LEGACY_DISTRICTS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 30
    prefixes = {"quan": "quan ", "huyen": "huyen ", "thi_xa": "thi xa "}
    for row in rows:
        bare_name = fold(row["name"]).removeprefix(prefixes[row["kind"]])
        # Hanoi's units are all "Phường …" or "Xã …": drop that one word.
        namesakes = [
            code for code, name in hanoi.items() if fold(name).split(" ", 1)[1] == bare_name
        ]
        assert namesakes == ([row["successor_code"]] if row["successor_code"] else []), row


def test_a_bad_row_of_the_districts_file_is_reported_and_the_others_kept(tmp_path):
    path = tmp_path / "districts.csv"
    path.write_text(
        "code,name,kind,successor_code,note\n"
        "001,Quận Ba Đình,quan,00004,ghi chú\n"
        "1,Quận Sai Mã,quan,,\n"
        "002,Quận Sai Loại,tinh,,\n",
        encoding="utf-8",
    )
    problems: list[str] = []

    districts = read_legacy_districts(path, problems=problems)

    assert [d.code for d in districts] == ["001"]
    assert len(problems) == 2
    assert "districts.csv" in problems[0]


@pytest.mark.parametrize(
    ("unit_name", "kind", "expected"),
    [
        ("Cao Bằng", "tinh", "Hội đồng nhân dân tỉnh Cao Bằng"),
        ("Thành phố Hà Nội", "thanh_pho_trung_uong", "Hội đồng nhân dân thành phố Hà Nội"),
        ("Phường Hoàn Kiếm", "phuong", "Hội đồng nhân dân phường Hoàn Kiếm"),
        ("Xã Sóc Sơn", "xa", "Hội đồng nhân dân xã Sóc Sơn"),
        ("Đặc khu Phú Quốc", "dac_khu", "Hội đồng nhân dân đặc khu Phú Quốc"),
    ],
)
def test_councils_carry_their_official_names(unit_name, kind, expected):
    from hdnd.councils.models import AdministrativeUnit
    from hdnd.councils.units import council_name

    assert council_name(AdministrativeUnit(name=unit_name, kind=kind)) == expected
