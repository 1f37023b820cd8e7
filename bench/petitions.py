"""Benchmarks of voter petitions on PostgreSQL. Prints JSON; never part of `make test`.

Run through bench/run.py (`make bench BENCH_ARGS="--only petitions"`), which gives this
script a fresh database (or, with `--keep-db NAME`, a kept one whose petitions were
imported by an earlier run: the third argument is then "reuse"). In its own process:

- import: a CSV of N petitions (default 100,000) in the 2021–2026 database's columns,
  imported by the same code as the import page (`run_import_batch`): rows/s and peak RSS;
  then the same file again (nothing new must be created); then VACUUM ANALYZE, as
  autovacuum does on a production server (it is off on the benchmark's).
- duplicates: suggestions for a new item against the N petitions (`similar_petitions`):
  p50/p95 over 24 realistic texts × 10 rounds; and `uncached`: 3 rounds with the
  candidates' texts not cached (as for texts no one typed before).
- dashboard: the supervision dashboard page as office staff get it (GET, rendered, with
  and without filters) over the N petitions: p50/p95 over all, and for `each` filter,
  and its query count. Nothing is cached between requests: every request is cold.
- list: the council's petition list page: p50/p95 and its query count at N petitions.
"""

import csv
import datetime as dt
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django

# Run as a script from the repository root (bench/run.py does): make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from hdnd.accounts.models import Role, RoleAssignment, User  # noqa: E402
from hdnd.councils.models import (  # noqa: E402
    AdministrativeUnit,
    Agency,
    Council,
    Term,
)
from hdnd.petitions.demo.texts import ISSUES  # noqa: E402
from hdnd.petitions.models import Field, SessionCycle  # noqa: E402

STREETS = ["Láng", "Kim Mã", "Giải Phóng", "Nguyễn Trãi", "Minh Khai", "Tây Sơn", "Xã Đàn",
           "Cầu Giấy", "Trần Duy Hưng", "Phạm Văn Đồng", "Lạc Long Quân", "Bạch Mai"]  # fmt: skip
RESULTS = [
    "Đã giải quyết xong",
    "Đang giải quyết",
    "Sẽ giải quyết",
    "Giải trình, cung cấp thông tin",
]


def percentiles(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)

    def pct(p: float) -> float:
        return round(timings[min(len(timings) - 1, int(len(timings) * p))], 1)

    return {"runs": len(timings), "p50_ms": pct(0.5), "p95_ms": pct(0.95), "max_ms": pct(1.0)}


def setup() -> tuple[Council, list[Council], list[Agency], User]:
    call_command("migrate", "--noinput", stdout=io.StringIO())
    city_unit = AdministrativeUnit.objects.create(
        code="01", name="Thành phố Hà Nội", kind="thanh_pho_trung_uong", level="province",
        search_text="thanh pho ha noi",
    )  # fmt: skip
    city = Council.objects.create(
        unit=city_unit, level="province", name="Hội đồng nhân dân thành phố Hà Nội",
        search_text="hoi dong nhan dan thanh pho ha noi",
    )  # fmt: skip
    wards = []
    for n in range(126):
        unit = AdministrativeUnit.objects.create(
            code=f"{n:05d}", name=f"Phường Thử {n}", kind="phuong", level="commune",
            parent=city_unit, search_text=f"phuong thu {n}",
        )  # fmt: skip
        wards.append(
            Council.objects.create(
                unit=unit,
                level="commune",
                parent=city,
                name=f"HĐND Phường Thử {n}",
                search_text=f"hdnd phuong thu {n}",
            )
        )
    term = Term.objects.create(
        council=city, number=17, name="Khóa XVII", start_date=dt.date(2021, 6, 1),
        end_date=dt.date(2031, 3, 14),
    )  # fmt: skip
    for number in range(1, 13):
        SessionCycle.objects.create(
            council=city, term=term, number=number, name=f"Kỳ họp thứ {number}",
            session_date=dt.date(2021, 7, 1) + dt.timedelta(days=150 * number),
        )  # fmt: skip
    agencies = [
        Agency.objects.create(council=city, kind="department", name=name, code=code,
                              search_text=name.lower())
        for code, name in [("SXD", "Sở Xây dựng"), ("SNNMT", "Sở Nông nghiệp và Môi trường"),
                           ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SYT", "Sở Y tế"),
                           ("STC", "Sở Tài chính"), ("CATP", "Công an thành phố Hà Nội")]
    ]  # fmt: skip
    user = User.objects.create(username="vanphong", is_superuser=False)
    RoleAssignment.objects.create(
        user=user, council=city, role=Role.OFFICE_STAFF, start_date=dt.date(2021, 1, 1)
    )
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return city, wards, agencies, user


def write_csv(path: Path, count: int, wards: list[Council], agencies: list[Agency]) -> None:
    rng = random.Random(2026)
    fields = list(Field.objects.values_list("name", flat=True))
    issue_fields = list(ISSUES)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Mã", "Ngày tiếp nhận", "Kỳ họp", "Nội dung", "Lĩnh vực", "Cấp thẩm quyền",
             "Địa bàn", "Số cử tri", "Cơ quan chủ trì", "Hạn trả lời", "Ngày trả lời",
             "Kết quả", "Nội dung trả lời", "Lộ trình", "Thời hạn hoàn thành"]
        )  # fmt: skip
        for n in range(count):
            _title, text = rng.choice(ISSUES[rng.choice(issue_fields)])
            ward = rng.choice(wards)
            text = text.format(street=rng.choice(STREETS), ward=ward.unit.name.lower())
            received = dt.date(2021, 7, 1) + dt.timedelta(days=rng.randint(0, 1800))
            due = received + dt.timedelta(days=30)
            answered = rng.random() < 0.7
            result = rng.choice(RESULTS) if answered else ""
            on_roadmap = result == "Đang giải quyết"
            writer.writerow(
                [
                    f"HN-{n:06d}",
                    received.strftime("%d/%m/%Y"),
                    1 + min(11, (received - dt.date(2021, 7, 1)).days // 150),
                    f"{text} (mục {n})",
                    rng.choice(fields),
                    "Thành phố",
                    ward.unit.name,
                    rng.choice([1, 1, 2, 3]),
                    rng.choice(agencies).name,
                    due.strftime("%d/%m/%Y"),
                    (due + dt.timedelta(days=rng.randint(-20, 15))).strftime("%d/%m/%Y")
                    if answered
                    else "",
                    result,
                    "Đơn vị đã tiếp thu và trả lời cử tri." if answered else "",
                    "Hoàn thành thủ tục đầu tư năm 2027, thi công năm 2028." if on_roadmap else "",
                    "31/12/2028" if on_roadmap else "",
                ]
            )


def bench_import(city: Council, wards: list[Council], agencies: list[Agency], user: User,
                 count: int) -> dict[str, Any]:  # fmt: skip
    """As on the import page: check the file (preview), confirm, run."""
    from hdnd.petitions.services.imports import preview_import, run_import_batch, start_import

    results: dict[str, Any] = {"rows": count}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kien-nghi-2021-2026.csv"
        write_csv(path, count, wards, agencies)
        for label in ("first", "again"):
            with path.open("rb") as handle:
                started = time.perf_counter()
                batch = preview_import(
                    actor=user, council=city, upload=File(handle, name=path.name),
                    source_system="bench",
                )  # fmt: skip
                preview_seconds = time.perf_counter() - started
            if label == "again" and batch.error_count >= batch.total_rows:
                results[label] = {"preview_seconds": round(preview_seconds, 1),
                                  "new_rows": 0, "unchanged": batch.unchanged_count}  # fmt: skip
                continue
            start_import(actor=user, batch_id=batch.pk, background=False)
            started = time.perf_counter()
            run_import_batch(batch_id=batch.pk)
            seconds = time.perf_counter() - started
            batch.refresh_from_db()
            results[label] = {
                "preview_seconds": round(preview_seconds, 1),
                "preview_rows_per_s": round(count / preview_seconds),
                "import_seconds": round(seconds, 1),
                "import_rows_per_s": round(count / seconds),
                "created": batch.created_count,
                "unchanged": batch.unchanged_count,
                "errors": batch.error_count,
                "first_errors": batch.errors[:3],
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
    vacuum()
    return results


def vacuum() -> None:
    """What autovacuum does after a bulk import on a production server (it is off on the
    benchmark's): table statistics, pages marked all-visible (index-only scans), trigram
    indexes' pending lists merged."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def bench_duplicates(city: Council) -> dict[str, Any]:
    from hdnd.petitions.duplicates import _content_of_folded, similar_petitions

    rng = random.Random(7)
    texts = []
    for code in list(ISSUES)[:12]:
        _title, text = ISSUES[code][0]
        texts.append(text.format(street=rng.choice(STREETS), ward="phường thử 5"))
        texts.append(f"Đề nghị giải quyết tình trạng {rng.choice(STREETS)} ngập úng khi mưa lớn")
    timings = []
    found = 0
    for _round in range(10):
        for text in texts:
            started = time.perf_counter()
            matches = similar_petitions(council_id=city.pk, text=text, limit=5)
            timings.append((time.perf_counter() - started) * 1000)
            found += bool(matches)
    # The same with the candidates' texts not cached: as for a text no one typed before.
    cold = []
    for _round in range(3):
        for text in texts:
            _content_of_folded.cache_clear()
            started = time.perf_counter()
            similar_petitions(council_id=city.pk, text=text, limit=5)
            cold.append((time.perf_counter() - started) * 1000)
    return {**percentiles(timings), "queries_with_matches": found, "uncached": percentiles(cold)}


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def bench_page(client: Client, url: str, variants: list[dict[str, str]]) -> dict[str, Any]:
    timings = []
    each: dict[str, list[float]] = {}
    for _round in range(15):
        for params in variants:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            each.setdefault(",".join(params) or "unfiltered", []).append(elapsed)
            if response.status_code != 200:
                raise SystemExit(f"{url} {params}: {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url, variants[0])
    return {
        **percentiles(timings),
        "queries": len(queries.captured_queries),
        "each": {name: percentiles(values) for name, values in each.items()},
    }


def reused(count: int) -> tuple[Council, list[Council], list[Agency], User] | None:
    """The data of an earlier run on this database (`reuse`), if it has `count` petitions."""
    from hdnd.petitions.models import Petition

    call_command("migrate", "--noinput", stdout=io.StringIO())
    city = Council.objects.filter(unit__code="01", level="province").first()
    if city is None:
        return None
    if Petition.objects.filter(council=city).count() != count:
        sys.exit(f"The kept database does not hold {count} petitions: drop it and run again.")
    wards = list(Council.objects.filter(parent=city).order_by("unit__code"))
    agencies = list(Agency.objects.filter(council=city).order_by("id"))
    return city, wards, agencies, User.objects.get(username="vanphong")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    only = sys.argv[2].split(",") if len(sys.argv) > 2 else ["import", "duplicates", "pages"]
    # "reuse": the database is kept between runs (bench/run.py --keep-db); its petitions
    # are imported once.
    kept = reused(count) if sys.argv[3:] == ["reuse"] else None
    results: dict[str, Any] = {"petitions": count, "database": connection.vendor}
    if kept is None:
        city, wards, agencies, user = setup()
        results["import"] = bench_import(city, wards, agencies, user, count)
    else:
        city, wards, agencies, user = kept
        results["import"] = "reused"
    if "duplicates" in only:
        results["duplicates"] = bench_duplicates(city)
    if "pages" in only:
        client = signed_in_client(user)
        agency = str(agencies[0].pk)
        field = str(Field.objects.get(code="giao-thong").pk)
        results["dashboard"] = bench_page(
            client,
            reverse("petitions:dashboard", args=[city.pk]),
            [{}, {"agency": agency}, {"field": field}],
        )
        results["list"] = bench_page(
            client,
            reverse("petitions:council", args=[city.pk]),
            [{}, {"agency": agency}, {"q": "ngap ung"}],
        )
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
