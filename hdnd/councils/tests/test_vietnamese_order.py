"""Lists sort in Vietnamese dictionary order on both databases: D before Đ."""

from hdnd.councils.models import AdministrativeUnit
from hdnd.councils.queries.ordering import vietnamese
from hdnd.testing import factories


def test_the_database_sorts_names_in_vietnamese_order(city_council):
    province = city_council.unit
    for name in ["Phường Đống Đa", "Phường Dương Nội", "Phường Đại Mỗ", "Phường Ba Đình"]:
        factories.CommuneUnitFactory(parent=province, name=name)
    names = list(
        AdministrativeUnit.objects.filter(parent=province)
        .order_by(vietnamese("name"))
        .values_list("name", flat=True)
    )
    assert names == ["Phường Ba Đình", "Phường Dương Nội", "Phường Đại Mỗ", "Phường Đống Đa"]


def test_a_provinces_communes_are_listed_in_vietnamese_order(client, city_council):
    province = city_council.unit
    for name in ["Phường Đống Đa", "Phường Dương Nội"]:
        factories.CommuneUnitFactory(parent=province, name=name)
    page = client.get(f"/directory/units/{province.code}/").text
    assert page.index("Phường Dương Nội") < page.index("Phường Đống Đa")


def test_delegates_are_listed_by_given_name_as_official_lists_are(client, city_council):
    term = factories.TermFactory(council=city_council)
    for name in ["Trần Văn Đức", "Nguyễn Thị Bình", "Lê An", "Phạm Minh Dũng"]:
        factories.MembershipFactory(term=term, person=factories.PersonFactory(full_name=name))
    page = client.get(f"/directory/councils/{city_council.pk}/delegates/").text
    positions = [
        page.index(name) for name in ["Lê An", "Nguyễn Thị Bình", "Phạm Minh Dũng", "Trần Văn Đức"]
    ]
    assert positions == sorted(positions)
