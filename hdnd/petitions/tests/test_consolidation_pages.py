"""Consolidation pages: suggestions while typing, the review queue, consolidating,
confirming and rejecting, merge, split and edit — and who may use them."""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    DuplicateSuggestion,
    Petition,
    PetitionStatus,
    SessionCycle,
    SuggestionStatus,
    VoterItem,
)
from hdnd.petitions.services import consolidation as services
from hdnd.petitions.services.common import search_text_of
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

Login = Callable[[Client, User], Client]


@pytest.fixture(autouse=True)
def _english(settings: LazySettings) -> None:
    settings.LANGUAGE_CODE = "en"


def _item(council: Council, text: str, **extra: Any) -> VoterItem:
    return pf.VoterItemFactory(
        council=council, text=text, search_text=search_text_of(text), **extra
    )


def _petition(cycle: SessionCycle, title: str, **extra: Any) -> Petition:
    text = f"Cử tri đề nghị {title.lower()}."
    return pf.PetitionFactory(
        raised_in=cycle, title=title, text=text, search_text=search_text_of(title, text), **extra
    )


def _suggested(cycle: SessionCycle, text: str = "Đường Láng bị ngập úng mỗi khi mưa") -> Any:
    petition = _petition(cycle, "Chống ngập úng đường Láng")
    item = _item(cycle.council, text, cycle=cycle)
    [suggestion] = services.suggest_duplicates_for_item(item_id=item.pk)
    return petition, item, suggestion


# While typing ---------------------------------------------------------------------------


@pytest.mark.smoke
def test_suggestions_appear_while_typing(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition = _petition(cycle, "Chống ngập úng đường Láng")
    login(client, city_staff)
    url = reverse("petitions:suggest", args=[cycle.council_id])

    response = client.get(url, {"text": "duong Lang ngap ung qua"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert petition.code in body
    assert "<html" not in body
    assert not DuplicateSuggestion.objects.exists()


def test_short_text_suggests_nothing(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition = _petition(cycle, "Chống ngập úng đường Láng")
    login(client, city_staff)
    url = reverse("petitions:suggest", args=[cycle.council_id])

    for text in ("", "ngập", "ngập Láng"):
        response = client.get(url, {"text": text})
        assert response.status_code == 200
        assert petition.code not in response.content.decode()


def test_a_delegate_reads_suggestions(
    client: Client, login: Login, delegate_user: User, cycle: SessionCycle
) -> None:
    petition = _petition(cycle, "Chống ngập úng đường Láng")
    login(client, delegate_user)

    response = client.get(
        reverse("petitions:suggest", args=[cycle.council_id]), {"text": "đường Láng ngập úng"}
    )

    assert response.status_code == 200
    assert petition.code in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "responder_b"])
def test_outsiders_and_agencies_get_no_suggestions(
    client: Client, login: Login, cycle: SessionCycle, persona: str, request: Any
) -> None:
    _petition(cycle, "Chống ngập úng đường Láng")
    login(client, request.getfixturevalue(persona))

    response = client.get(
        reverse("petitions:suggest", args=[cycle.council_id]), {"text": "đường Láng ngập úng"}
    )

    assert response.status_code == 403
    assert "Chống ngập úng" not in response.content.decode()


def test_signed_out_visitors_get_no_suggestions(client: Client, cycle: SessionCycle) -> None:
    _petition(cycle, "Chống ngập úng đường Láng")

    response = client.get(
        reverse("petitions:suggest", args=[cycle.council_id]), {"text": "đường Láng ngập úng"}
    )

    assert "Chống ngập úng" not in response.content.decode()
    assert response.status_code in (302, 403)


# The review queue -----------------------------------------------------------------------


def test_the_queue_shows_suggestions_side_by_side_and_free_items(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition, item, suggestion = _suggested(cycle)
    free = _item(cycle.council, "Xây thêm trường mầm non ở phường Yên Hòa", cycle=cycle)
    login(client, city_staff)

    response = client.get(reverse("petitions:duplicates", args=[cycle.council_id]))

    assert response.status_code == 200
    body = response.content.decode()
    assert item.code in body and petition.code in body
    assert item.text in body and petition.title in body
    assert reverse("petitions:suggestion_confirm", args=[suggestion.pk]) in body
    assert reverse("petitions:suggestion_reject", args=[suggestion.pk]) in body
    assert f'value="{free.pk}"' in body


@pytest.mark.parametrize("persona", ["outsider", "responder_b", "delegate_user"])
def test_only_the_office_opens_the_queue(
    client: Client, login: Login, cycle: SessionCycle, persona: str, request: Any
) -> None:
    _suggested(cycle)
    login(client, request.getfixturevalue(persona))

    response = client.get(reverse("petitions:duplicates", args=[cycle.council_id]))

    assert response.status_code == 403
    assert "Chống ngập úng" not in response.content.decode()


def test_the_queue_makes_a_fixed_number_of_queries(
    client: Client,
    login: Login,
    city_staff: User,
    cycle: SessionCycle,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    login(client, city_staff)
    url = reverse("petitions:duplicates", args=[cycle.council_id])

    def add_rows(count: int) -> None:
        for number in range(count):
            _petition(cycle, f"Chống ngập úng đường Láng đoạn {number}")
            item = _item(cycle.council, f"Đường Láng ngập úng đoạn {number}", cycle=cycle)
            services.suggest_duplicates_for_item(item_id=item.pk)
            _item(cycle.council, f"Sửa đèn ngõ {number} phố Huế", cycle=cycle)

    add_rows(2)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    add_rows(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_merge_from_the_queue_adds_the_item(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition, item, suggestion = _suggested(cycle)
    login(client, city_staff)

    response = client.post(
        reverse("petitions:suggestion_confirm", args=[suggestion.pk]),
        {"version": petition.version},
    )

    assert response.status_code == 302
    assert VoterItem.objects.get(pk=item.pk).petition == petition
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CONFIRMED
    assert suggestion.decided_by == city_staff


def test_merge_on_a_stale_version_shows_a_message(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition, item, suggestion = _suggested(cycle)
    login(client, city_staff)

    response = client.post(
        reverse("petitions:suggestion_confirm", args=[suggestion.pk]),
        {"version": petition.version + 5},
        follow=True,
    )

    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert VoterItem.objects.get(pk=item.pk).petition_id is None


def test_not_a_duplicate_from_the_queue(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    *_, suggestion = _suggested(cycle)
    login(client, city_staff)

    response = client.post(reverse("petitions:suggestion_reject", args=[suggestion.pk]))

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert suggestion.decided_by == city_staff


@pytest.mark.parametrize("persona", ["outsider", "responder_b", "delegate_user"])
def test_others_cannot_decide_on_suggestions(
    client: Client, login: Login, cycle: SessionCycle, persona: str, request: Any
) -> None:
    *_, suggestion = _suggested(cycle)
    login(client, request.getfixturevalue(persona))

    for name in ("suggestion_confirm", "suggestion_reject"):
        response = client.post(reverse(f"petitions:{name}", args=[suggestion.pk]))
        assert response.status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


def test_consolidating_selected_items(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    items = [
        _item(cycle.council, "Đường Láng ngập", cycle=cycle, voter_count=2),
        _item(cycle.council, "Ngập đường Láng", cycle=cycle, voter_count=3),
    ]
    login(client, city_staff)

    response = client.post(
        reverse("petitions:consolidate", args=[cycle.council_id]),
        {
            "items": [item.pk for item in items],
            "mode": "together",
            "title": "Chống ngập úng đường Láng",
            "text": "Cử tri đề nghị chống ngập úng.",
            "level": "city",
        },
    )

    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:detail", args=[petition.pk])
    assert (petition.item_count, petition.voter_count) == (2, 5)


def test_each_as_its_own_petition(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    items = [
        _item(cycle.council, "Đường Láng ngập", cycle=cycle),
        _item(cycle.council, "Xây trường mầm non", cycle=cycle),
    ]
    login(client, city_staff)

    response = client.post(
        reverse("petitions:consolidate", args=[cycle.council_id]),
        {"items": [item.pk for item in items], "mode": "each"},
    )

    assert response.status_code == 302
    assert sorted(Petition.objects.values_list("title", flat=True)) == sorted(
        item.text for item in items
    )


def test_consolidating_without_a_title_keeps_the_choice(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    item = _item(cycle.council, "Đường Láng ngập", cycle=cycle)
    login(client, city_staff)

    response = client.post(
        reverse("petitions:consolidate", args=[cycle.council_id]),
        {"items": [item.pk], "mode": "together", "text": "Nội dung đã gõ"},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Give the petition a title." in body
    assert "Nội dung đã gõ" in body
    assert f'value="{item.pk}" id="item-choice-{item.pk}" checked' in body
    assert not Petition.objects.exists()


def test_items_like_one_are_chosen_together(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    first = _item(cycle.council, "Đường Láng ngập úng mỗi khi mưa lớn", cycle=cycle)
    same = _item(cycle.council, "Ngập úng trên đường Láng khi mưa", cycle=cycle)
    other = _item(cycle.council, "Xây thêm trường mầm non ở phường Yên Hòa", cycle=cycle)
    login(client, city_staff)

    response = client.get(
        reverse("petitions:duplicates", args=[cycle.council_id]), {"like": first.pk}
    )

    body = response.content.decode()
    assert response.status_code == 200
    for chosen in (first, same):
        assert f'value="{chosen.pk}" id="item-choice-{chosen.pk}" checked' in body
    assert f'id="item-choice-{other.pk}"' not in body
    assert f"{first.text}</textarea>" in body  # the consolidated text starts from it


def test_consolidating_is_for_the_office(
    client: Client, login: Login, delegate_user: User, outsider: User, cycle: SessionCycle
) -> None:
    item = _item(cycle.council, "Đường Láng ngập", cycle=cycle)
    data = {"items": [item.pk], "mode": "each"}

    for user in (delegate_user, outsider):
        login(client, user)
        response = client.post(reverse("petitions:consolidate", args=[cycle.council_id]), data)
        assert response.status_code == 403
    assert not Petition.objects.exists()


# One petition: merge, split, edit, the panel --------------------------------------------


def _consolidated(cycle: SessionCycle, user: User, *texts: str) -> Petition:
    items = [_item(cycle.council, text, cycle=cycle) for text in texts]
    return services.consolidate_items(
        council_id=cycle.council_id,
        item_ids=[item.pk for item in items],
        title=texts[0],
        text=" ".join(texts),
        field_id=None,
        level="",
        unit_id=None,
        actor=user,
    )


def test_merging_from_the_petition_page(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    target = _consolidated(cycle, city_staff, "Chống ngập úng đường Láng")
    source = _consolidated(cycle, city_staff, "Ngập úng đường Láng đoạn Cầu Giấy")
    unrelated = _consolidated(cycle, city_staff, "Xây trường mầm non Yên Hòa")
    target.refresh_from_db()
    source.refresh_from_db()
    login(client, city_staff)
    url = reverse("petitions:merge", args=[target.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert source.code in page.content.decode()
    assert unrelated.code not in page.content.decode()
    assert unrelated.code in client.get(url, {"q": unrelated.code}).content.decode()

    response = client.post(
        url,
        {
            "version": target.version,
            "sources": [source.pk],
            f"version_{source.pk}": source.version,
        },
    )

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.status == PetitionStatus.MERGED
    assert source.merged_into == target


def test_a_stale_merge_is_refused_on_the_page(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    target = _consolidated(cycle, city_staff, "Chống ngập úng đường Láng")
    source = _consolidated(cycle, city_staff, "Ngập úng đường Láng đoạn Cầu Giấy")
    services.add_item_to_petition(  # someone else changes the source meanwhile
        item_id=_item(cycle.council, "Ngập nữa", cycle=cycle).pk,
        petition_id=source.pk,
        expected_version=1,
        actor=city_staff,
    )
    login(client, city_staff)

    response = client.post(
        reverse("petitions:merge", args=[target.pk]),
        {"version": 1, "sources": [source.pk], f"version_{source.pk}": 1},
    )

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert Petition.objects.get(pk=source.pk).status == PetitionStatus.CONSOLIDATING


def test_splitting_from_the_petition_page(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition = _consolidated(cycle, city_staff, "Ngập đường Láng", "Xây trường mầm non")
    petition.refresh_from_db()
    school = VoterItem.objects.get(text="Xây trường mầm non")
    login(client, city_staff)
    url = reverse("petitions:split", args=[petition.pk])

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": petition.version,
            "items": [school.pk],
            "title": "Xây trường mầm non",
            "text": "Cử tri đề nghị xây trường.",
        },
    )

    assert response.status_code == 302
    school.refresh_from_db()
    assert school.petition is not None and school.petition != petition
    assert Petition.objects.get(pk=petition.pk).item_count == 1


def test_editing_from_the_petition_page_and_a_stale_edit(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition = _consolidated(cycle, city_staff, "Ngập đường Láng")
    petition.refresh_from_db()
    login(client, city_staff)
    url = reverse("petitions:petition_edit", args=[petition.pk])
    assert petition.title in client.get(url).content.decode()
    data = {
        "version": petition.version,
        "title": "Chống ngập úng đường Láng",
        "text": "Nội dung mới",
        "tags": "Ngập úng",
    }

    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "title": "Bản khác"})

    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.content.decode()
    assert Petition.objects.get(pk=petition.pk).title == "Chống ngập úng đường Láng"


@pytest.mark.parametrize("name", ["merge", "split", "petition_edit"])
def test_petition_changes_are_for_the_office(
    client: Client,
    login: Login,
    city_staff: User,
    outsider: User,
    responder_a: User,
    agency_a: Agency,
    cycle: SessionCycle,
    name: str,
) -> None:
    petition = _consolidated(cycle, city_staff, "Ngập đường Láng", "Ngập lần nữa")
    Petition.objects.filter(pk=petition.pk).update(lead_agency=agency_a)
    url = reverse(f"petitions:{name}", args=[petition.pk])

    login(client, outsider)
    assert client.get(url).status_code == 404
    login(client, responder_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": 1, "title": "x", "text": "x"}).status_code == 403
    assert Petition.objects.get(pk=petition.pk).title == "Ngập đường Láng"


def test_the_panel_offers_the_office_its_tools_and_pending_items(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition, item, suggestion = _suggested(cycle)
    login(client, city_staff)

    body = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()

    assert reverse("petitions:merge", args=[petition.pk]) in body
    assert reverse("petitions:petition_edit", args=[petition.pk]) in body
    assert reverse("petitions:petition_similar", args=[petition.pk]) in body
    assert item.code in body
    assert reverse("petitions:suggestion_confirm", args=[suggestion.pk]) in body


def test_similar_petitions_load_into_the_panel(
    client: Client, login: Login, city_staff: User, cycle: SessionCycle
) -> None:
    petition = _petition(cycle, "Chống ngập úng đường Láng")
    similar = _petition(cycle, "Ngập úng đường Láng đoạn Cầu Giấy")
    unrelated = _petition(cycle, "Xây trường mầm non Yên Hòa")
    login(client, city_staff)

    body = client.get(reverse("petitions:petition_similar", args=[petition.pk])).content.decode()

    assert similar.code in body
    assert unrelated.code not in body
    assert f">{petition.code}<" not in body


def test_an_agency_sees_no_similar_petitions_nor_suggestions(
    client: Client,
    login: Login,
    responder_a: User,
    agency_a: Agency,
    cycle: SessionCycle,
) -> None:
    petition, item, _suggestion = _suggested(cycle)
    Petition.objects.filter(pk=petition.pk).update(lead_agency=agency_a)
    other = _petition(cycle, "Ngập úng đường Láng đoạn Cầu Giấy")
    login(client, responder_a)

    page = client.get(reverse("petitions:detail", args=[petition.pk]))
    similar = client.get(reverse("petitions:petition_similar", args=[petition.pk]))

    assert page.status_code == 200
    assert item.code not in page.content.decode()
    assert reverse("petitions:petition_similar", args=[petition.pk]) not in page.content.decode()
    assert similar.status_code == 404
    assert other.code not in similar.content.decode()


def test_the_meeting_pages_item_form_gets_suggestions_while_typing(
    client: Client, login: Callable[[Client, User], Client], city_staff: User, cycle: SessionCycle
) -> None:
    pf.PetitionFactory(
        raised_in=cycle,
        title="Chống ngập úng đường Láng",
        text="Cử tri đề nghị cải tạo hệ thống thoát nước, chống ngập úng trên đường Láng.",
    )
    login(client, city_staff)
    url = reverse("petitions:suggest", args=[cycle.council_id])
    typed = {"form": "item", "item-text": "Đường Láng cứ mưa là ngập úng, cần cải tạo thoát nước"}
    assert "Chống ngập úng đường Láng" in client.get(url, typed).content.decode()
