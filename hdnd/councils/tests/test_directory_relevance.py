"""The directory's search finds names by the start of their words and puts the closest
matches first."""

import pytest

from hdnd.councils.queries.search import directory_search
from hdnd.testing import factories


def _titles(query):
    return [row["hit_title"] for row in directory_search(query=query)]


@pytest.fixture
def places(city_council):
    factories.CommuneCouncilFactory(
        parent=city_council,
        unit__name="Xã Gò Nổi",
        name="Hội đồng nhân dân xã Gò Nổi",
        search_text="hoi dong nhan dan xa go noi",
    )
    factories.AgencyFactory(
        council=city_council,
        name="Ủy ban nhân dân thành phố Hà Nội",
        search_text="uy ban nhan dan thanh pho ha noi",
        kind="ubnd",
    )
    factories.AgencyFactory(
        council=city_council,
        name="Phòng Kinh tế, Hạ tầng và Đô thị phường Dương Nội",
        search_text="phong kinh te, ha tang va do thi phuong duong noi",
    )
    return city_council


def test_a_word_matches_only_at_the_start_of_a_word(places):
    titles = _titles("ha noi")
    assert "Hội đồng nhân dân xã Gò Nổi" not in titles
    assert "Ủy ban nhân dân thành phố Hà Nội" in titles


def test_the_closest_name_comes_first(places):
    assert _titles("UBND ha noi")[0] == "Ủy ban nhân dân thành phố Hà Nội"
