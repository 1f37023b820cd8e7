"""What every list endpoint shares: search and council filters, paging, and a query count
that does not grow with the page."""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from hdnd.councils.models import CommitteeRole, CommitteeSeat
from hdnd.councils.tests.api.api_client import Api, assert_error
from hdnd.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["units/", "councils/", "people/", "memberships/", "agencies/"])
def test_a_nul_byte_in_a_search_is_a_400(token_api: Api, path: str) -> None:
    error = assert_error(token_api.get(path, q="ha\x00noi"), 400, "invalid")
    assert list(error["fields"]) == ["q"]


@pytest.mark.parametrize("value", ["abc", "0", "999999", "99999999999999999999", "1e3"])
def test_a_bad_council_filter_is_a_400_naming_the_parameter(
    token_api: Api, directory: SimpleNamespace, value: str
) -> None:
    for path in ["terms/", "people/", "memberships/", "committees/", "agencies/"]:
        error = assert_error(token_api.get(path, council=value), 400, "invalid")
        assert list(error["fields"]) == ["council"]
    error = assert_error(token_api.get("councils/", parent=value), 400, "invalid")
    assert list(error["fields"]) == ["parent"]


def test_lists_are_paged(token_api: Api, directory: SimpleNamespace) -> None:
    factories.CommuneCouncilFactory.create_batch(3, parent=directory.city_council)
    body = token_api.get("councils/", page_size=2, page=2).json()
    assert set(body) == {"count", "page", "pages", "next", "previous", "results"}
    assert body["count"] == 6
    assert body["page"] == 2
    assert body["pages"] == 3
    assert "page=3" in body["next"]
    assert body["previous"].startswith("http://testserver/api/v1/councils/")
    assert len(body["results"]) == 2


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"page": "999"}, 404, "page"),
        ({"page": "0"}, 400, "page"),
        ({"page": "abc"}, 400, "page"),
        ({"page_size": "0"}, 400, "page_size"),
        ({"page_size": "-5"}, 400, "page_size"),
        ({"page_size": "501"}, 400, "page_size"),
        ({"level": "foo"}, 400, "level"),
        ({"q": "x" * 201}, 400, "q"),
    ],
)
def test_bad_paging_and_filters_answer_in_the_error_shape(
    token_api: Api, directory: SimpleNamespace, params: dict[str, str], status: int, field: str
) -> None:
    error = assert_error(token_api.get("councils/", **params), status)
    assert list(error["fields"]) == [field]


# Query counts: a page costs the same whatever its size.


def _add_units(n: int, ctx: SimpleNamespace) -> None:
    factories.CommuneUnitFactory.create_batch(n)


def _add_councils(n: int, ctx: SimpleNamespace) -> None:
    factories.CommuneCouncilFactory.create_batch(n, parent=ctx.city)


def _add_terms(n: int, ctx: SimpleNamespace) -> None:
    for council in factories.CommuneCouncilFactory.create_batch(n, parent=ctx.city):
        factories.TermFactory(council=council)


def _add_memberships(n: int, ctx: SimpleNamespace) -> None:
    factories.MembershipFactory.create_batch(n, term=ctx.term)


def _add_committees(n: int, ctx: SimpleNamespace) -> None:
    for committee in factories.CommitteeFactory.create_batch(n, council=ctx.city):
        for role in (CommitteeRole.HEAD, CommitteeRole.MEMBER):
            CommitteeSeat.objects.create(
                committee=committee,
                membership=factories.MembershipFactory(term=ctx.term),
                role=role,
                start_date=ctx.term.start_date,
            )


def _add_agencies(n: int, ctx: SimpleNamespace) -> None:
    for agency in factories.AgencyFactory.create_batch(n, council=ctx.city):
        for is_head in (True, False):
            factories.AgencyOfficialFactory(
                agency=agency,
                person=factories.PersonFactory(),
                title="Giám đốc" if is_head else "Phó Giám đốc",
                is_head=is_head,
                start_date=dt.date(2025, 1, 1),
            )


# (path, how to add rows, queries: token check + count + page + one per prefetch)
LISTS = [
    ("units/", _add_units, 3),
    ("councils/", _add_councils, 3),
    ("terms/", _add_terms, 3),
    ("people/", _add_memberships, 3),
    ("memberships/", _add_memberships, 3),
    ("committees/", _add_committees, 4),
    ("agencies/", _add_agencies, 4),
]


@pytest.mark.parametrize(("path", "add_rows", "queries"), LISTS)
def test_list_pages_run_a_fixed_number_of_queries(
    token_api: Api,
    city_council: Any,
    django_assert_num_queries: Any,
    path: str,
    add_rows: Callable[[int, SimpleNamespace], None],
    queries: int,
) -> None:
    ctx = SimpleNamespace(city=city_council, term=factories.TermFactory(council=city_council))
    add_rows(1, ctx)
    with django_assert_num_queries(queries):
        small = token_api.get(path, page_size=100)
    add_rows(19, ctx)
    with django_assert_num_queries(queries):
        large = token_api.get(path, page_size=100)
    assert small.status_code == large.status_code == 200
    assert large.json()["count"] - small.json()["count"] == 19
