"""The public lists: the home page's councils, a council's published answers, a
petition's public page and the printable answer sheet."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    Answer,
    AnswerDocument,
    Petition,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
)
from hdnd.petitions.views import public
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


def publish(petition: Petition, agency: Agency | None = None, **fields: Any) -> Answer:
    values: dict[str, Any] = {
        "text": f"Trả lời cho {petition.code}.",
        "result": ResultCategory.WILL_RESOLVE,
        "answered_on": dt.date(2026, 8, 1),
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Answer.objects.create(petition=petition, agency=agency, **values)


def published_petition(cycle: SessionCycle, **fields: Any) -> Petition:
    answer_fields = fields.pop("answer", {})
    petition = pf.PetitionFactory(raised_in=cycle, status=PetitionStatus.ANSWERED, **fields)
    publish(petition, fields.get("lead_agency"), **answer_fields)
    return petition


# Home ----------------------------------------------------------------------------------


def test_the_home_page_lists_only_councils_with_published_answers(
    client: Client, cycle: SessionCycle, commune_a: Council, commune_b: Council
) -> None:
    published_petition(cycle)
    commune_cycle = pf.SessionCycleFactory(term__council=commune_a)
    published_petition(commune_cycle)
    # Commune B has a petition, but no published answer.
    pf.PetitionFactory(raised_in=pf.SessionCycleFactory(term__council=commune_b))
    response = client.get(reverse("petitions_public:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("petitions_public:council", args=[cycle.council_id]) in body
    assert reverse("petitions_public:council", args=[commune_a.pk]) in body
    assert reverse("petitions_public:council", args=[commune_b.pk]) not in body
    assert 'action="/public/petitions/lookup/"' in body


def test_the_home_page_finds_a_commune_without_diacritics(
    client: Client, commune_a: Council, commune_b: Council
) -> None:
    for council in (commune_a, commune_b):
        published_petition(pf.SessionCycleFactory(term__council=council))
    body = client.get(reverse("petitions_public:home"), {"q": "hoan kiem"}).content.decode()
    assert commune_a.name in body
    assert commune_b.name not in body


def test_the_home_page_pages_through_communes(client: Client, city_council: Council) -> None:
    for _ in range(public.COMMUNE_PAGE_SIZE + 1):
        council = factories.CommuneCouncilFactory(parent=city_council)
        published_petition(pf.SessionCycleFactory(term__council=council))
    first = client.get(reverse("petitions_public:home"))
    assert len(first.context["page"].object_list) == public.COMMUNE_PAGE_SIZE
    second = client.get(reverse("petitions_public:home"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert client.get(reverse("petitions_public:home"), {"page": 9}).status_code == 404


# A council's list ----------------------------------------------------------------------


def test_a_council_lists_only_its_published_answers(
    client: Client, cycle: SessionCycle, agency_a: Agency, commune_a: Council
) -> None:
    shown = published_petition(cycle, title="Cải tạo chợ Đồng Xuân", lead_agency=agency_a)
    unpublished = pf.PetitionFactory(raised_in=cycle, title="Chưa công bố")
    publish(unpublished, agency_a, published_at=None)
    not_answered = pf.PetitionFactory(raised_in=cycle, title="Chưa trả lời")
    elsewhere = published_petition(
        pf.SessionCycleFactory(term__council=commune_a), title="Việc của phường"
    )
    response = client.get(reverse("petitions_public:council", args=[cycle.council_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert shown.title in body
    assert reverse("petitions_public:petition", args=[shown.code]) in body
    assert "Sở Xây dựng" in body
    for hidden in (unpublished, not_answered, elsewhere):
        assert hidden.title not in body


def test_a_council_list_filters_by_session_field_and_folded_search(
    client: Client, cycle: SessionCycle, next_cycle: SessionCycle
) -> None:
    roads = published_petition(cycle, title="Sửa đường Láng", field=pf.field("giao-thong"))
    school = published_petition(cycle, title="Xây trường Tiểu học", field=pf.field("giao-duc"))
    later = published_petition(next_cycle, title="Sửa đường Giải Phóng", field=pf.field())
    url = reverse("petitions_public:council", args=[cycle.council_id])

    def titles(params: dict[str, Any]) -> set[str]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {petition.title for petition in response.context["page"].object_list}

    assert titles({"cycle": cycle.pk}) == {roads.title, school.title}
    assert titles({"field": pf.field("giao-duc").pk}) == {school.title}
    assert titles({"q": "duong"}) == {roads.title, later.title}
    assert titles({"q": "sua duong lang"}) == {roads.title}
    assert titles({"q": school.code}) == {school.title}
    assert titles({"q": school.code.replace("-", "")}) == {school.title}


def test_a_council_list_refuses_a_filter_that_is_not_one_of_its_choices(
    client: Client, cycle: SessionCycle, commune_a: Council
) -> None:
    other_cycle = pf.SessionCycleFactory(term__council=commune_a)
    url = reverse("petitions_public:council", args=[cycle.council_id])
    assert client.get(url, {"cycle": other_cycle.pk}).status_code == 400
    assert client.get(url, {"cycle": "abc"}).status_code == 400


def test_an_unknown_council_is_not_found(client: Client, db: None) -> None:
    assert client.get(reverse("petitions_public:council", args=[999999])).status_code == 404


def test_the_council_list_makes_a_fixed_number_of_queries(
    client: Client,
    cycle: SessionCycle,
    agency_a: Agency,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    url = reverse("petitions_public:council", args=[cycle.council_id])
    published_petition(cycle, lead_agency=agency_a, field=pf.field())
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url, {"q": "sua"}).status_code == 200
    for _ in range(6):
        petition = published_petition(cycle, lead_agency=agency_a, field=pf.field())
        document = AnswerDocument.objects.create(
            council=cycle.council,
            agency=agency_a,
            number=f"{petition.pk}/SXD",
            issued_on=dt.date(2026, 8, 1),
            signer_name="Trần Văn Ký",
        )
        Answer.objects.filter(petition=petition).update(document=document)
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = client.get(url, {"q": "sua"})
    assert len(response.context["page"].object_list) == 7


# A petition's public page --------------------------------------------------------------


def test_a_published_petition_has_a_public_page(
    client: Client, cycle: SessionCycle, agency_a: Agency
) -> None:
    petition = published_petition(
        cycle,
        title="Lắp camera giao thông",
        lead_agency=agency_a,
        answer={"text": "Đã lắp 12 camera tại các nút giao."},
    )
    response = client.get(reverse("petitions_public:petition", args=[petition.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lắp camera giao thông" in body
    assert "Đã lắp 12 camera tại các nút giao." in body


def test_a_petition_without_a_published_answer_has_no_public_page(
    client: Client, cycle: SessionCycle
) -> None:
    petition = pf.PetitionFactory(raised_in=cycle)
    publish(petition, published_at=None)
    response = client.get(reverse("petitions_public:petition", args=[petition.code]))
    assert response.status_code == 404
    assert (
        client.get(reverse("petitions_public:petition", args=["01-9999-0001"])).status_code == 404
    )


# The printable answer sheet ------------------------------------------------------------


def test_the_answer_sheet_groups_a_sessions_answers_by_field_with_talking_points(
    client: Client, cycle: SessionCycle, next_cycle: SessionCycle, agency_a: Agency, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    roads = pf.field("giao-thong")
    schools = pf.field("giao-duc")
    published_petition(
        cycle, title="Đường A", field=roads, answer={"result": ResultCategory.RESOLVED}
    )
    published_petition(
        cycle, title="Đường B", field=roads, answer={"result": ResultCategory.RESOLVED}
    )
    published_petition(
        cycle,
        title="Đường C",
        field=roads,
        answer={
            "result": ResultCategory.IN_PROGRESS,
            "roadmap": "Thi công năm 2027",
            "planned_completion": dt.date(2027, 12, 31),
        },
    )
    published_petition(
        cycle, title="Trường D", field=schools, answer={"result": ResultCategory.EXPLAINED}
    )
    published_petition(next_cycle, title="Kỳ sau", field=roads)
    unpublished = pf.PetitionFactory(raised_in=cycle, title="Chưa công bố", field=roads)
    publish(unpublished, published_at=None)

    response = client.get(
        reverse("petitions_public:sheet", args=[cycle.council_id]), {"cycle": cycle.pk}
    )
    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert [group.name for group in sheet.groups] == [roads.name, schools.name]
    assert [p.title for p in sheet.groups[0].petitions] == ["Đường A", "Đường B", "Đường C"]
    assert sheet.groups[0].talking_points == [
        ("resolved", str(ResultCategory.RESOLVED.label), 2),
        ("in_progress", str(ResultCategory.IN_PROGRESS.label), 1),
    ]
    assert sheet.total == 4
    body = response.content.decode()
    assert cycle.council.name.upper() in body
    assert cycle.name in body
    assert "Thi công năm 2027" in body
    assert "31/12/2027" in body
    assert "Kỳ sau" not in body
    assert "Chưa công bố" not in body
    assert "css/petitions.css" in body


def test_the_answer_sheet_can_be_for_one_place_and_defaults_to_the_latest_session(
    client: Client, cycle: SessionCycle, next_cycle: SessionCycle, commune_a: Council
) -> None:
    published_petition(cycle, title="Kỳ trước")
    here = published_petition(next_cycle, title="Ở phường A", unit=commune_a.unit)
    published_petition(next_cycle, title="Ở nơi khác")
    url = reverse("petitions_public:sheet", args=[cycle.council_id])
    default = client.get(url)
    assert default.context["sheet"].cycle == next_cycle
    assert default.context["sheet"].total == 2
    one_place = client.get(url, {"cycle": next_cycle.pk, "unit": commune_a.unit.pk})
    assert one_place.status_code == 200
    assert [p.pk for g in one_place.context["sheet"].groups for p in g.petitions] == [here.pk]
    assert commune_a.unit.name in one_place.content.decode()


def test_the_answer_sheet_of_a_council_without_answers_says_so(
    client: Client, cycle: SessionCycle
) -> None:
    response = client.get(reverse("petitions_public:sheet", args=[cycle.council_id]))
    assert response.status_code == 200
    assert response.context["sheet"].cycle is None
    assert response.context["sheet"].groups == []


def test_the_print_styles_hide_the_page_around_the_sheet() -> None:
    css = (Path(django_settings.BASE_DIR) / "static" / "css" / "petitions.css").read_text()
    block = css[css.index("/* ---- public:") :]
    assert "@media print" in block
    assert ".public-noprint" in block


# Signed-in people see the same public pages ---------------------------------------------


def test_an_officer_of_another_commune_sees_the_same_public_list(
    client: Client,
    login: Callable[[Client, User], Client],
    outsider: User,
    cycle: SessionCycle,
) -> None:
    petition = published_petition(cycle, title="Công khai cho mọi người")
    url = reverse("petitions_public:council", args=[cycle.council_id])
    anonymous = client.get(url)
    login(client, outsider)
    signed_in = client.get(url)
    assert signed_in.status_code == anonymous.status_code == 200
    assert [p.pk for p in signed_in.context["page"].object_list] == [petition.pk]
    assert [p.pk for p in anonymous.context["page"].object_list] == [petition.pk]


def test_the_home_page_and_the_answer_sheet_make_a_fixed_number_of_queries(
    client: Client,
    cycle: SessionCycle,
    city_council: Council,
    agency_a: Agency,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    home = reverse("petitions_public:home")
    sheet = reverse("petitions_public:sheet", args=[cycle.council_id])
    commune = factories.CommuneCouncilFactory(parent=city_council)
    published_petition(pf.SessionCycleFactory(term__council=commune))
    published_petition(cycle, field=pf.field(), lead_agency=agency_a, unit=commune.unit)
    with CaptureQueriesContext(connection) as home_once:
        assert client.get(home).status_code == 200
    with CaptureQueriesContext(connection) as sheet_once:
        assert client.get(sheet).status_code == 200
    for code in ("giao-thong", "giao-duc", "y-te"):
        commune = factories.CommuneCouncilFactory(parent=city_council)
        published_petition(pf.SessionCycleFactory(term__council=commune))
        published_petition(cycle, field=pf.field(code), lead_agency=agency_a, unit=commune.unit)
    with django_assert_max_num_queries(len(home_once.captured_queries)):
        response = client.get(home)
    assert response.context["page"].paginator.count == 4
    with django_assert_max_num_queries(len(sheet_once.captured_queries)):
        response = client.get(sheet)
    assert response.context["sheet"].total == 4
