"""The public directory pages: each renders for anyone, shows what it promises, and
answers a bad address with a 404 or 400 page, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hdnd.accounts.models import Role
from hdnd.councils.models import AgencyKind, CommitteeRole, GroupRole, Position, UnitKind
from hdnd.councils.tests import directory_data as data
from hdnd.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(city_council, commune_a, commune_b):
    """The city council with a term, a standing committee, a committee, a group and an
    agency tree; commune A has its own term and a delegate."""
    term = data.term_in_force(city_council)
    chair = data.seat(term, "Lê Đình Hùng", position=Position.CHAIR, is_full_time=True)
    delegate = data.seat(term, "Nguyễn Thị Hoà")
    former = data.seat(
        term,
        "Phạm Văn Cũ",
        end_date=timezone.localdate() - dt.timedelta(days=10),
        end_reason="Chuyển công tác",
    )
    urban = data.committee(city_council, "Ban Đô thị")
    data.committee_seat(urban, chair, CommitteeRole.HEAD)
    data.committee_seat(urban, delegate)
    group = data.group(term, "Tổ đại biểu số 1")
    data.group_member(group, chair, GroupRole.LEADER)
    data.group_member(group, delegate)
    peoples_committee = data.agency(
        city_council, "Ủy ban nhân dân thành phố Hà Nội", kind=AgencyKind.PEOPLES_COMMITTEE
    )
    construction = data.agency(city_council, "Sở Xây dựng", parent=peoples_committee)
    data.official(construction, "Trần Văn Giám Đốc", "Giám đốc", is_head=True)
    commune_term = data.term_in_force(commune_a, name="Nhiệm kỳ 2026–2031")
    commune_delegate = data.seat(commune_term, "Đỗ Thị Phường")
    return {
        "council": city_council,
        "term": term,
        "chair": chair,
        "delegate": delegate,
        "former": former,
        "committee": urban,
        "group": group,
        "peoples_committee": peoples_committee,
        "agency": construction,
        "commune_delegate": commune_delegate,
    }


def _pages(city):
    council = city["council"]
    return [
        reverse("councils:directory"),
        reverse("councils:search") + "?q=ha+noi",
        reverse("councils:unit", args=[council.unit.code]),
        reverse("councils:unit_former", args=[council.unit.code]),
        reverse("councils:council", args=[council.pk]),
        reverse("councils:delegates", args=[council.pk]),
        reverse("councils:agencies", args=[council.pk]),
        reverse("councils:person", args=[city["chair"].person_id]),
        reverse("councils:committee", args=[city["committee"].pk]),
        reverse("councils:group", args=[city["group"].pk]),
        reverse("councils:agency", args=[city["agency"].pk]),
    ]


@pytest.mark.smoke
def test_every_directory_page_renders_for_anonymous_visitors(client, city):
    for url in _pages(city):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'<html lang="vi">' in response.content, url


def test_every_directory_page_renders_for_signed_in_users(client, login, city, commune_officer):
    login(client, commune_officer)
    for url in _pages(city):
        response = client.get(url)
        assert response.status_code == 200, url
        assert commune_officer.get_username() in response.content.decode(), url


def test_the_directory_lists_provinces_with_their_communes_and_councils(client, city):
    response = client.get(reverse("councils:directory"))
    page = response.content.decode()
    assert "Thành phố Hà Nội" in page
    assert reverse("councils:council", args=[city["council"].pk]) in page
    provinces = list(response.context["provinces"])
    assert [province.commune_count for province in provinces] == [2]


def test_a_province_page_filters_its_communes_by_kind(client, city_council):
    province = city_council.unit
    data.commune_unit(province, "Phường Ba Đình", UnitKind.WARD)
    data.commune_unit(province, "Xã Sóc Sơn", UnitKind.COMMUNE)
    data.commune_unit(province, "Đặc khu Bạch Long Vĩ", UnitKind.SPECIAL_ZONE)
    url = reverse("councils:unit", args=[province.code])

    every = client.get(url).content.decode()
    communes_only = client.get(url, {"kind": "xa"}).content.decode()
    special_zones = client.get(url, {"kind": "dac_khu"}).content.decode()

    assert all(name in every for name in ["Phường Ba Đình", "Xã Sóc Sơn", "Bạch Long Vĩ"])
    assert "Xã Sóc Sơn" in communes_only
    assert "Phường Ba Đình" not in communes_only
    assert "Bạch Long Vĩ" in special_zones
    assert "Xã Sóc Sơn" not in special_zones


def test_former_units_are_listed_with_their_successors(client, city_council):
    province = city_council.unit
    ward = data.commune_unit(province, "Phường Hoàn Kiếm")
    data.former_district(province, "Quận Hoàn Kiếm", "002", ward)

    page = client.get(reverse("councils:unit_former", args=[province.code])).content.decode()

    assert "Quận Hoàn Kiếm" in page
    assert reverse("councils:unit", args=[ward.code]) in page
    assert "30/06/2025" in page


def test_a_reused_code_shows_the_current_unit_and_the_earlier_one(client, city_council):
    province = city_council.unit
    ward = data.commune_unit(province, "Phường Hoàn Kiếm")
    data.former_district(province, "Phường Hàng Trống", ward.code, ward)

    response = client.get(reverse("councils:unit", args=[ward.code]))

    assert response.context["unit"] == ward
    assert [unit.name for unit in response.context["earlier_units"]] == ["Phường Hàng Trống"]


def test_a_council_page_shows_terms_standing_members_committees_groups_and_agencies(client, city):
    page = client.get(reverse("councils:council", args=[city["council"].pk])).content.decode()
    assert "Khóa XVII" in page
    assert "Lê Đình Hùng" in page
    assert "Ban Đô thị" in page
    assert "Tổ đại biểu số 1" in page
    assert "Ủy ban nhân dân thành phố Hà Nội" in page
    # Its public sessions and meetings.
    assert f'href="/public/meetings/council/{city["council"].pk}/"' in page


def test_a_commune_council_page_links_to_the_city_council(client, city, commune_a):
    page = client.get(reverse("councils:council", args=[commune_a.pk])).content.decode()
    assert reverse("councils:council", args=[commune_a.parent_id]) in page
    assert "Đỗ Thị Phường" not in page  # a delegate, not a standing member


def test_the_delegate_list_shows_delegates_in_office_with_committees_and_group(client, city):
    page = client.get(reverse("councils:delegates", args=[city["council"].pk])).content.decode()
    assert "Lê Đình Hùng" in page
    assert "Nguyễn Thị Hoà" in page
    assert "Ban Đô thị" in page
    assert "Tổ đại biểu số 1" in page
    assert "Phạm Văn Cũ" not in page


@pytest.mark.parametrize(
    ("filters", "shown", "hidden"),
    [
        ({"position": "chair"}, ["Lê Đình Hùng"], ["Nguyễn Thị Hoà"]),
        ({"status": "former"}, ["Phạm Văn Cũ"], ["Lê Đình Hùng", "Nguyễn Thị Hoà"]),
        ({"status": "all"}, ["Phạm Văn Cũ", "Lê Đình Hùng", "Nguyễn Thị Hoà"], []),
    ],
)
def test_the_delegate_list_filters_by_position_and_status(client, city, filters, shown, hidden):
    url = reverse("councils:delegates", args=[city["council"].pk])
    names = [m.person.full_name for m in client.get(url, filters).context["page"].object_list]
    assert all(name in names for name in shown)
    assert not any(name in names for name in hidden)


def test_the_delegate_list_filters_by_committee_and_constituency(client, city):
    constituency = factories.ConstituencyFactory(term=city["term"], name="Đơn vị bầu cử số 9")
    city["former"].constituency = constituency
    city["former"].save(update_fields=["constituency"])
    url = reverse("councils:delegates", args=[city["council"].pk])

    by_committee = client.get(url, {"committee": city["committee"].pk}).context["page"]
    by_constituency = client.get(url, {"constituency": constituency.pk, "status": "all"})

    assert {m.person.full_name for m in by_committee.object_list} == {
        "Lê Đình Hùng",
        "Nguyễn Thị Hoà",
    }
    assert [m.person.full_name for m in by_constituency.context["page"].object_list] == [
        "Phạm Văn Cũ"
    ]


def test_the_delegate_list_shows_an_earlier_term_when_asked(client, city):
    earlier = data.term_in_force(
        city["council"],
        name="Khóa XVI",
        start_date=city["term"].start_date.replace(year=city["term"].start_date.year - 5),
        end_date=city["term"].start_date - dt.timedelta(days=1),
    )
    data.seat(earlier, "Vũ Khóa Trước", end_date=earlier.end_date)
    url = reverse("councils:delegates", args=[city["council"].pk])

    response = client.get(url, {"term": earlier.pk, "status": "all"})

    assert response.context["term"] == earlier
    assert [m.person.full_name for m in response.context["page"].object_list] == ["Vũ Khóa Trước"]


def test_a_person_page_shows_seats_committee_seats_and_group(client, city):
    response = client.get(reverse("councils:person", args=[city["chair"].person_id]))
    page = response.content.decode()
    [membership] = response.context["person"].memberships.all()
    assert membership.position == Position.CHAIR
    assert str(membership.get_position_display()) in page
    assert "Ban Đô thị" in page
    assert "Tổ đại biểu số 1" in page


def test_a_person_without_a_seat_or_post_is_not_in_the_directory(client, db):
    staff_only = data.person("Nhân Viên Nội Bộ")
    response = client.get(reverse("councils:person", args=[staff_only.pk]))
    assert response.status_code == 404


def test_committee_and_group_pages_list_their_members(client, city):
    committee_page = client.get(reverse("councils:committee", args=[city["committee"].pk]))
    group_page = client.get(reverse("councils:group", args=[city["group"].pk]))
    assert [
        s.membership.person.full_name for s in committee_page.context["committee"].current_seats
    ] == [
        "Lê Đình Hùng",
        "Nguyễn Thị Hoà",
    ]
    assert [m.membership.person.full_name for m in group_page.context["group"].members.all()] == [
        "Lê Đình Hùng",
        "Nguyễn Thị Hoà",
    ]


def test_the_agency_tree_puts_departments_under_the_peoples_committee(client, city):
    response = client.get(reverse("councils:agencies", args=[city["council"].pk]))
    [root] = response.context["tree"]
    assert root.agency == city["peoples_committee"]
    assert [node.agency for node in root.children] == [city["agency"]]
    assert "Trần Văn Giám Đốc" in response.content.decode()


def test_an_agency_page_lists_its_officials(client, city):
    page = client.get(reverse("councils:agency", args=[city["agency"].pk])).content.decode()
    assert "Trần Văn Giám Đốc" in page
    assert "Giám đốc" in page


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/directory/units/99999/", 404),
        ("/directory/units/01/?page=abc", 400),
        ("/directory/units/01/?page=0", 404),
        ("/directory/units/01/?page=99", 404),
        ("/directory/units/01/?page=99999999999999999999999", 404),
        ("/directory/units/01/?kind=quan", 400),
        ("/directory/units/nope/former/", 404),
        ("/directory/councils/999999/", 404),
        ("/directory/councils/99999999999999999999999/", 404),
        ("/directory/councils/999999/delegates/", 404),
        ("/directory/councils/999999/agencies/", 404),
        ("/directory/people/999999/", 404),
        ("/directory/committees/999999/", 404),
        ("/directory/groups/999999/", 404),
        ("/directory/agencies/999999/", 404),
        ("/directory/search/?q=ha+noi&kind=planet", 400),
        ("/directory/search/?q=ha+noi&page=x", 400),
        ("/directory/search/?q=%00", 400),
        ("/councils/999999/audit/", 302),
    ],
)
def test_bad_addresses_get_a_404_or_400_page_never_a_500(client, city_council, path, status):
    response = client.get(path)
    assert response.status_code == status
    if status != 302:
        assert b"<html" in response.content


@pytest.mark.parametrize(
    "query",
    [
        {"term": "abc"},
        {"term": "999999"},
        {"position": "king"},
        {"committee": "abc"},
        {"committee": "999999"},
        {"constituency": "-1"},
        {"status": "sleeping"},
        {"page": "last"},
        {"page": "2"},
    ],
)
def test_bad_delegate_filters_get_a_400_or_404_page(client, city, query):
    url = reverse("councils:delegates", args=[city["council"].pk])
    response = client.get(url, query)
    expected = 200 if query == {"page": "last"} else 404 if "page" in query else 400
    assert response.status_code == expected


def test_a_council_without_a_term_has_no_delegate_list(client, commune_b):
    response = client.get(reverse("councils:delegates", args=[commune_b.pk]))
    assert response.status_code == 404


def test_a_term_of_another_council_is_refused(client, city, commune_a):
    other_term = commune_a.terms.get()
    url = reverse("councils:delegates", args=[city["council"].pk])
    assert client.get(url, {"term": other_term.pk}).status_code == 400


# Earlier terms, links for administrators, wording


def _earlier_term(city):
    earlier = data.term_in_force(
        city["council"],
        name="Khóa XVI",
        start_date=city["term"].start_date.replace(year=city["term"].start_date.year - 5),
        end_date=city["term"].start_date - dt.timedelta(days=1),
    )
    data.seat(earlier, "Vũ Khóa Trước", end_date=earlier.end_date)
    return earlier


def _names(response):
    return [m.person.full_name for m in response.context["page"].object_list]


def test_an_earlier_term_without_a_status_shows_all_its_delegates(client, city):
    earlier = _earlier_term(city)
    url = reverse("councils:delegates", args=[city["council"].pk])

    response = client.get(url, {"term": earlier.pk})

    assert _names(response) == ["Vũ Khóa Trước"]
    assert response.context["form"]["status"].value() == "all"


def test_changing_the_term_in_the_form_moves_the_status_to_the_new_terms_default(client, city):
    earlier = _earlier_term(city)
    url = reverse("councils:delegates", args=[city["council"].pk])
    current = city["term"].pk
    # The form sends back the status it showed and the term it showed it for.
    to_earlier = client.get(url, {"term": earlier.pk, "status": "active", "shown_term": current})
    back = client.get(url, {"term": current, "status": "all", "shown_term": earlier.pk})

    assert _names(to_earlier) == ["Vũ Khóa Trước"]
    assert "Phạm Văn Cũ" not in _names(back)
    assert back.context["form"]["status"].value() == "active"


def test_a_status_chosen_with_the_term_is_kept(client, city):
    earlier = _earlier_term(city)
    url = reverse("councils:delegates", args=[city["council"].pk])
    current = city["term"].pk

    response = client.get(url, {"term": earlier.pk, "status": "former", "shown_term": current})
    in_office = client.get(url, {"term": earlier.pk, "status": "active"})

    assert _names(response) == ["Vũ Khóa Trước"]
    assert response.context["form"]["status"].value() == "former"
    assert _names(in_office) == []


def test_the_delegate_form_remembers_the_term_it_shows(client, city):
    page = client.get(reverse("councils:delegates", args=[city["council"].pk])).text
    assert f'<input type="hidden" name="shown_term" value="{city["term"].pk}"' in page


def test_the_delegate_list_calls_its_date_column_the_period(client, city, settings):
    settings.LANGUAGE_CODE = "en"
    page = client.get(reverse("councils:delegates", args=[city["council"].pk])).text
    header = page.split("<thead>")[1].split("</thead>")[0]
    assert '<th scope="col">Period</th>' in header
    assert "In office" not in header


def _admin_of(council, *, is_staff=False):
    assignment = factories.RoleAssignmentFactory(
        council=council, role=Role.SYSTEM_ADMIN, user__is_staff=is_staff
    )
    factories.add_totp_device(assignment.user)
    return assignment.user


def test_a_council_page_links_its_system_admin_to_the_audit_trail_and_tokens(client, login, city):
    council = city["council"]
    login(client, _admin_of(council))
    page = client.get(reverse("councils:council", args=[council.pk])).text
    assert f'href="{reverse("core:council_audit", args=[council.pk])}"' in page
    assert f'href="{reverse("tokens:list", args=[council.pk])}"' in page


def test_a_city_admin_gets_a_communes_audit_trail_but_not_its_tokens(client, login, city):
    commune = city["commune_delegate"].council
    login(client, _admin_of(city["council"]))
    page = client.get(reverse("councils:council", args=[commune.pk])).text
    assert f'href="{reverse("core:council_audit", args=[commune.pk])}"' in page
    assert reverse("tokens:list", args=[commune.pk]) not in page


@pytest.mark.parametrize("who", ["anonymous", "outsider", "city_staff"])
def test_a_council_page_has_no_administration_links_for_others(client, login, city, request, who):
    if who != "anonymous":
        login(client, request.getfixturevalue(who))
    council = city["council"]
    page = client.get(reverse("councils:council", args=[council.pk])).text
    assert reverse("core:council_audit", args=[council.pk]) not in page
    assert reverse("tokens:list", args=[council.pk]) not in page


def test_the_head_of_an_agency_has_a_badge_apart_from_the_title(client, city, settings):
    settings.LANGUAGE_CODE = "en"
    page = client.get(reverse("councils:agency", args=[city["agency"].pk])).text
    assert '— Giám đốc <span class="badge badge--info">Head of agency</span>' in page


def test_the_search_page_names_its_box_once_on_screen(client, city, settings):
    settings.LANGUAGE_CODE = "en"
    page = client.get(reverse("councils:search"), {"q": "ha noi"}).text
    assert "<h1>Search the directory</h1>" in page
    assert '<label for="search-q" class="visually-hidden">Search the directory</label>' in page
    directory = client.get(reverse("councils:directory")).text
    assert '<label for="search-q">Search the directory</label>' in directory
