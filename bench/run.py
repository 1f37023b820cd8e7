"""Benchmarks of the platform foundation. Prints JSON; never part of `make test`.

    make bench                                  # everything, SQLite and PostgreSQL
    make bench BENCH_ARGS="--only search --db postgres"

- load: migrate, then `load_units` and `load_demo` on an empty database: seconds and peak
  memory (RSS) of each command, in its own process.
- search: directory search over 100,000 people (each holding a seat): p50/p95 latency of
  `filter_by_search` on people (first 20 and the count, as the API's `?q=` runs it) and of
  the directory's search page as a user gets it (GET /directory/search/?q=…, rendered:
  the combined query over people, units, councils, committees and agencies, first page of
  20, and the count per kind).

PostgreSQL comes from BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432);
the benchmark creates and drops its own databases there.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_BASE = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")

CHILD = """
import json, os, resource, sys, time
import django
django.setup()
from django.core.management import call_command
import io
started = time.perf_counter()
call_command(*sys.argv[1:], stdout=io.StringIO())
seconds = time.perf_counter() - started
print(json.dumps({"seconds": round(seconds, 2),
                  "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=env.get("SECRET_KEY", "bench-only"),
        DJANGO_SETTINGS_MODULE="config.settings",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="testserver,127.0.0.1",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    env.pop("REDIS_URL", None)
    return env


def _command(database_url: str, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        cwd=ROOT,
        env=_env(database_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _fresh_database(kind: str, name: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / (name + '.sqlite3')}"
    _psql(f"DROP DATABASE IF EXISTS {name}")
    _psql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    return f"{PG_BASE}/{name}"


def bench_load(kind: str, workdir: Path) -> dict[str, Any]:
    url = _fresh_database(kind, "hdnd_bench_load", workdir)
    return {
        "database": kind,
        "migrate": _command(url, "migrate", "--noinput"),
        "load_units": _command(url, "load_units"),
        "load_demo": _command(url, "load_demo", "--outside-debug"),
        "load_units_again": _command(url, "load_units"),
        "load_demo_again": _command(url, "load_demo", "--outside-debug"),
    }


SEARCH_CHILD = """
import datetime as dt, io, json, random, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from hdnd.councils.models import AdministrativeUnit, Council, Membership, Person, Term
from django.test import Client
from hdnd.councils.search import filter_by_search
from hdnd.lib.vietnamese import fold

count = int(sys.argv[1])
call_command("migrate", "--noinput", stdout=io.StringIO())
unit = AdministrativeUnit.objects.create(code="01", name="Thành phố Hà Nội", kind="thanh_pho_trung_uong",
                                         level="province", search_text="thanh pho ha noi")
council = Council.objects.create(unit=unit, level="province", name="Hội đồng nhân dân thành phố Hà Nội",
                                 search_text="hoi dong nhan dan thanh pho ha noi")
term = Term.objects.create(council=council, name="Khóa XVII", start_date=dt.date(2026, 3, 15),
                           end_date=dt.date(2031, 3, 14))
family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
middle = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hoài", "Xuân"]
given = ["Anh", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hòa", "Hùng", "Khoa", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thủy", "Trang",
         "Tú", "Tuấn", "Vân", "Việt", "Yến", "Khánh", "Hiếu", "Nhung", "Oanh", "Toàn", "Thắng"]
rng = random.Random(2026)
started = time.perf_counter()
for offset in range(0, count, 5000):
    people = []
    for index in range(offset, min(count, offset + 5000)):
        name = f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)} {rng.choice(given)}"
        people.append(Person(full_name=name, search_text=fold(name), in_directory=True))
    people = Person.objects.bulk_create(people)
    # Everyone holds a seat, so the directory lists them all.
    Membership.objects.bulk_create(
        Membership(person=person, council=council, term=term, start_date=term.start_date)
        for person in people
    )
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
fill_seconds = time.perf_counter() - started
queries = ["nguyen van hoa", "Trần Thị Thủy", "hoà", "le minh", "thao", "pham ngoc lan",
           "dang", "bui xuan", "Hồ Hoài", "khanh", "vu duc phong", "ngo thu nga"]

def measure(run):
    timings = []
    for round_ in range(20):
        for query in queries:
            t0 = time.perf_counter()
            run(query)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    pct = lambda p: round(timings[min(len(timings) - 1, int(len(timings) * p))], 2)
    return {"queries": len(timings), "p50_ms": pct(0.50), "p95_ms": pct(0.95), "max_ms": round(timings[-1], 2)}

def people_search(query):
    results = filter_by_search(Person.objects.all(), query).order_by("full_name", "id")
    list(results[:20])
    results.count()

client = Client()

def directory_page(query):
    response = client.get("/directory/search/", {"q": query})
    assert response.status_code == 200, response.status_code

print(json.dumps({"people": count, "fill_seconds": round(fill_seconds, 1),
                  "people_search": measure(people_search),
                  "directory_page_search": measure(directory_page)}))
"""


def bench_search(kind: str, workdir: Path, people: int) -> dict[str, Any]:
    url = _fresh_database(kind, "hdnd_bench_search", workdir)
    result = subprocess.run(
        [sys.executable, "-c", SEARCH_CHILD, str(people)],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        check=True,
    )
    return {"database": kind, **json.loads(result.stdout.strip().splitlines()[-1])}


def _database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def bench_petitions(count: int, parts: str, keep_db: str | None = None) -> dict[str, Any]:
    """bench/petitions.py in its own process on a fresh PostgreSQL database; with
    `keep_db`, on that database, created and imported the first time and reused (not
    imported again) while it holds the same benchmark data."""
    if keep_db is None:
        url = _fresh_database("postgres", "hdnd_bench_petitions", Path("."))
        reuse = []
    else:
        if not _database_exists(keep_db):
            _psql(f"CREATE DATABASE {keep_db} TEMPLATE template0 ENCODING 'UTF8'")
        url = f"{PG_BASE}/{keep_db}"
        reuse = ["reuse"]
    result = subprocess.run(
        [sys.executable, "bench/petitions.py", str(count), parts, *reuse],
        cwd=ROOT,
        # 100,000 rows make a 38 MB CSV: above the default upload limit of 20 MB.
        env={**_env(url), "PETITIONS_MAX_UPLOAD_MB": "200"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"bench/petitions.py failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _database_name(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise argparse.ArgumentTypeError("a database name: lower-case letters, digits, _")
    return name


def bench_meetings(delegates: int, window: float) -> dict[str, Any]:
    """bench/meetings.py in its own process on a fresh PostgreSQL database, with Redis
    (BENCH_REDIS_URL, a database of its own, emptied first) as the channel layer. The
    server keeps its database connections (DB_CONN_MAX_AGE=60, as a deployment should)
    and Redis reads wait longer than the channel layer's 5 s blocking pop."""
    url = _fresh_database("postgres", "hdnd_bench_meetings", Path("."))
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14?socket_timeout=30")
    result = subprocess.run(
        [sys.executable, "bench/meetings.py", str(delegates), str(window)],
        cwd=ROOT,
        env={
            **_env(url),
            "REDIS_URL": redis_url,
            "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    _psql("DROP DATABASE IF EXISTS hdnd_bench_meetings")
    if result.returncode:
        sys.exit(f"bench/meetings.py failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["load", "search", "petitions", "meetings"])
    parser.add_argument("--petitions", type=int, default=100_000)
    parser.add_argument("--parts", default="import,duplicates,pages")
    parser.add_argument(
        "--keep-db",
        metavar="NAME",
        type=_database_name,
        help="petitions: use and keep the PostgreSQL database NAME; its petitions are "
        "imported once and reused by later runs with the same --petitions",
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--delegates", type=int, default=500, help="meetings: voters")
    parser.add_argument("--window", type=float, default=10.0, help="meetings: seconds to vote")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.only in (None, "load"):
            results["load"] = [bench_load(kind, workdir) for kind in kinds]
        if args.only in (None, "search"):
            results["search"] = [bench_search(kind, workdir, args.people) for kind in kinds]
        if args.only in (None, "petitions"):
            results["petitions"] = bench_petitions(args.petitions, args.parts, args.keep_db)
    if "postgres" in kinds:
        _psql("DROP DATABASE IF EXISTS hdnd_bench_load")
        _psql("DROP DATABASE IF EXISTS hdnd_bench_search")
    if args.only in (None, "petitions") and args.keep_db is None:
        _psql("DROP DATABASE IF EXISTS hdnd_bench_petitions")
    if args.only in (None, "meetings"):
        results["meetings"] = bench_meetings(args.delegates, args.window)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
