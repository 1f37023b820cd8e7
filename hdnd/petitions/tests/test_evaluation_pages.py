"""The evaluation queue, rating (inline with htmx or on its own page), the evaluation
panel, questioning topics and the carry-over page: who may do what."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hdnd.accounts.models import Role, User
from hdnd.councils.models import Agency, Committee, Council
from hdnd.petitions.models import (
    Decision,
    Petition,
    PetitionStatus,
    Rating,
    ResultCategory,
    SessionCycle,
    Verdict,
)
from hdnd.petitions.services.answers import record_answer
from hdnd.petitions.services.evaluation import flag_questioning_topic, rate_answer
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today_in_english(time_machine: Any, settings: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 9, 15, 3, 0, tzinfo=dt.UTC), tick=False)
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def other_committee(city_council: Council) -> Committee:
    return factories.CommitteeFactory(council=city_council, name="Ban Văn hóa - Xã hội")


@pytest.fixture
def other_member(city_council: Council, other_committee: Committee) -> User:
    return factories.RoleAssignmentFactory(
        council=city_council, role=Role.COMMITTEE_MEMBER, committee=other_committee
    ).user


def answered(
    cycle: SessionCycle,
    agency: Agency,
    committee: Committee,
    responder: User,
    *,
    title: str = "Sửa chữa đường ngõ 12",
    result: str = ResultCategory.RESOLVED,
) -> Petition:
    petition = pf.PetitionFactory(
        raised_in=cycle,
        title=title,
        status=PetitionStatus.ASSIGNED,
        lead_agency=agency,
        committee=committee,
        due_on=dt.date(2026, 9, 30),
    )
    record_answer(
        petition_id=petition.pk,
        expected_version=petition.version,
        text=f"Trả lời về việc {title.lower()}.",
        result=result,
        roadmap="Thi công quý IV." if result == ResultCategory.IN_PROGRESS else "",
        planned_completion=dt.date(2026, 12, 31) if result == ResultCategory.IN_PROGRESS else None,
        answered_on=dt.date(2026, 9, 14),
        actor=responder,
    )
    petition.refresh_from_db()
    return petition


@pytest.fixture
def petition(
    cycle: SessionCycle, agency_a: Agency, committee: Committee, responder_a: User
) -> Petition:
    return answered(cycle, agency_a, committee, responder_a)


def rating_form(petition: Petition, prefix: str = "", **overrides: Any) -> dict[str, Any]:
    data = {
        "version": Petition.objects.get(pk=petition.pk).version,
        "verdict": Verdict.SATISFACTORY,
        "decision": Decision.CLOSE,
        "comment": "",
    }
    data.update(overrides)
    if prefix:
        return {"prefix": prefix, **{f"{prefix}-{key}": value for key, value in data.items()}}
    return data


# The queue ------------------------------------------------------------------------------


def test_a_committee_member_sees_their_committees_answers_with_the_form(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    petition: Petition,
    cycle: SessionCycle,
    agency_a: Agency,
    other_committee: Committee,
    responder_a: User,
) -> None:
    theirs = answered(cycle, agency_a, other_committee, responder_a, title="Xây trường mầm non")
    login(client, committee_member)
    body = client.get(reverse("petitions:evaluation", args=[cycle.council_id])).content.decode()
    assert petition.title in body
    assert "Trả lời về việc sửa chữa đường ngõ 12." in body
    assert reverse("petitions:rate", args=[petition.pk]) in body
    assert theirs.title not in body


def test_the_standing_committee_rates_every_field_and_the_office_only_reads(
    client: Client,
    login: Callable[[Client, User], Client],
    standing_member: User,
    city_staff: User,
    petition: Petition,
) -> None:
    url = reverse("petitions:evaluation", args=[petition.council_id])
    login(client, standing_member)
    assert reverse("petitions:rate", args=[petition.pk]) in client.get(url).content.decode()
    login(client, city_staff)
    body = client.get(url).content.decode()
    assert petition.title in body
    assert reverse("petitions:rate", args=[petition.pk]) not in body


@pytest.mark.parametrize(("persona", "status"), [("outsider", 403), ("responder_a", 403)])
def test_the_queue_is_closed_to_other_communes_and_agencies(
    client: Client,
    login: Callable[[Client, User], Client],
    request: pytest.FixtureRequest,
    petition: Petition,
    persona: str,
    status: int,
) -> None:
    login(client, request.getfixturevalue(persona))
    url = reverse("petitions:evaluation", args=[petition.council_id])
    assert client.get(url).status_code == status


def test_the_queue_makes_a_fixed_number_of_queries(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    responder_a: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    for n in range(2):
        answered(cycle, agency_a, committee, responder_a, title=f"Việc {n}")
    login(client, committee_member)
    url = reverse("petitions:evaluation", args=[cycle.council_id])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(2, 12):
        answered(cycle, agency_a, committee, responder_a, title=f"Việc {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# Rating ---------------------------------------------------------------------------------


def test_rating_inline_with_htmx_swaps_in_the_result(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    petition: Petition,
) -> None:
    login(client, committee_member)
    prefix = f"p{petition.pk}"
    response = client.post(
        reverse("petitions:rate", args=[petition.pk]),
        rating_form(petition, prefix=prefix),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "rating-done" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RESOLVED


def test_a_refused_inline_rating_comes_back_with_its_errors(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    petition: Petition,
) -> None:
    login(client, committee_member)
    prefix = f"p{petition.pk}"
    response = client.post(
        reverse("petitions:rate", args=[petition.pk]),
        rating_form(
            petition, prefix=prefix, verdict=Verdict.UNSATISFACTORY, decision=Decision.RESUPERVISE
        ),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Explain why the answer is not satisfactory." in body
    assert f'name="{prefix}-comment"' in body
    assert not Rating.objects.exists()


def test_closing_an_answer_still_in_progress_is_a_form_error(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    responder_a: User,
) -> None:
    petition = answered(cycle, agency_a, committee, responder_a, result=ResultCategory.IN_PROGRESS)
    login(client, committee_member)
    response = client.post(reverse("petitions:rate", args=[petition.pk]), rating_form(petition))
    assert response.status_code == 400
    assert "keep monitoring the roadmap" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED


def test_rating_on_its_own_page_returns_to_the_petition(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    petition: Petition,
) -> None:
    login(client, committee_member)
    url = reverse("petitions:rate", args=[petition.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        rating_form(
            petition,
            verdict=Verdict.OFF_TOPIC,
            decision=Decision.QUESTIONING,
            comment="Trả lời không đúng nội dung cử tri hỏi.",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:detail", args=[petition.pk])
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.REOPENED
    assert petition.is_questioning_topic is True


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_member", 403),
        ("delegate_user", 403),
        ("responder_a", 403),
        ("city_staff", 403),
        ("responder_b", 404),
        ("outsider", 404),
    ],
)
def test_only_the_committee_in_charge_or_the_standing_committee_may_rate(
    client: Client,
    login: Callable[[Client, User], Client],
    request: pytest.FixtureRequest,
    petition: Petition,
    persona: str,
    status: int,
) -> None:
    login(client, request.getfixturevalue(persona))
    url = reverse("petitions:rate", args=[petition.pk])
    assert client.post(url, rating_form(petition)).status_code == status
    assert not Rating.objects.exists()


def test_the_standing_committee_may_rate_any_field(
    client: Client,
    login: Callable[[Client, User], Client],
    standing_member: User,
    petition: Petition,
) -> None:
    login(client, standing_member)
    response = client.post(reverse("petitions:rate", args=[petition.pk]), rating_form(petition))
    assert response.status_code == 302
    assert Rating.objects.get().rated_by == standing_member


# The panel -------------------------------------------------------------------------------


def test_the_panel_shows_the_history_and_the_form_to_those_who_rate(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    delegate_user: User,
    responder_a: User,
    petition: Petition,
) -> None:
    url = reverse("petitions:detail", args=[petition.pk])
    rate_url = reverse("petitions:rate", args=[petition.pk])
    login(client, committee_member)
    assert rate_url in client.get(url).content.decode()
    login(client, delegate_user)
    assert rate_url not in client.get(url).content.decode()

    rate_answer(
        petition_id=petition.pk,
        expected_version=petition.version,
        verdict=Verdict.UNSATISFACTORY,
        decision=Decision.RESUPERVISE,
        comment="Chưa nêu rõ thời hạn hoàn thành.",
        actor=committee_member,
    )
    login(client, responder_a)
    body = client.get(url).content.decode()
    assert "Chưa nêu rõ thời hạn hoàn thành." in body
    assert rate_url not in body


def test_the_standing_committee_flags_a_topic_and_a_committee_member_cannot(
    client: Client,
    login: Callable[[Client, User], Client],
    standing_member: User,
    committee_member: User,
    petition: Petition,
) -> None:
    url = reverse("petitions:flag_questioning", args=[petition.pk])
    data = {"flag-version": petition.version, "flag-note": "Kéo dài nhiều năm."}
    login(client, committee_member)
    assert client.post(url, data).status_code == 403
    login(client, standing_member)
    assert client.post(url, data).status_code == 302
    petition.refresh_from_db()
    assert petition.is_questioning_topic is True


# Questioning topics -----------------------------------------------------------------------


def test_the_questioning_list_and_its_printable_version(
    client: Client,
    login: Callable[[Client, User], Client],
    delegate_user: User,
    outsider: User,
    committee_member: User,
    petition: Petition,
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    responder_a: User,
) -> None:
    rate_answer(
        petition_id=petition.pk,
        expected_version=petition.version,
        verdict=Verdict.WRONG_COMPETENCE,
        decision=Decision.QUESTIONING,
        comment="Sở trả lời sai thẩm quyền.",
        actor=committee_member,
    )
    quiet = answered(cycle, agency_a, committee, responder_a, title="Việc chưa bị chất vấn")
    url = reverse("petitions:questioning", args=[cycle.council_id])
    login(client, delegate_user)
    body = client.get(url).content.decode()
    assert petition.title in body
    assert "Sở trả lời sai thẩm quyền." in body
    assert quiet.title not in body
    printable = client.get(url, {"print": "1"})
    assert printable.status_code == 200
    assert petition.title in printable.content.decode()
    assert "site-header" not in printable.content.decode()
    login(client, outsider)
    assert client.get(url).status_code == 403


# Carry-over -----------------------------------------------------------------------------


def test_the_office_previews_and_confirms_a_carry_over(
    client: Client,
    login: Callable[[Client, User], Client],
    city_staff: User,
    committee_member: User,
    petition: Petition,
    cycle: SessionCycle,
    next_cycle: SessionCycle,
) -> None:
    pf.PetitionFactory(raised_in=cycle, status=PetitionStatus.RESOLVED)
    url = reverse("petitions:carry_over", args=[cycle.council_id])
    choice = {"from_cycle": cycle.pk, "to_cycle": next_cycle.pk}
    login(client, committee_member)
    assert client.get(url).status_code == 403
    assert client.post(url, choice).status_code == 403

    login(client, city_staff)
    preview = client.get(url, choice)
    assert preview.status_code == 200
    assert 'data-preview="1"' in preview.content.decode()
    backwards = client.get(url, {"from_cycle": next_cycle.pk, "to_cycle": cycle.pk})
    assert backwards.status_code == 400
    response = client.post(url, choice, follow=True)
    assert "1 petition carried over" in response.content.decode()
    petition.refresh_from_db()
    assert petition.current_cycle == next_cycle


def test_rating_from_the_petition_page_panel_returns_to_it(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    petition: Petition,
) -> None:
    login(client, committee_member)
    detail = reverse("petitions:detail", args=[petition.pk])
    assert 'name="rate-verdict"' in client.get(detail).content.decode()
    response = client.post(
        reverse("petitions:rate", args=[petition.pk]),
        {**rating_form(petition, prefix="rate"), "next": detail},
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RESOLVED


def test_the_next_address_must_stay_on_this_site(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    petition: Petition,
) -> None:
    login(client, committee_member)
    response = client.post(
        reverse("petitions:rate", args=[petition.pk]),
        {**rating_form(petition), "next": "https://example.com/phishing"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:detail", args=[petition.pk])


# Taking a questioning topic off the list -------------------------------------------------


@pytest.fixture
def topic(petition: Petition, standing_member: User) -> Petition:
    flag_questioning_topic(
        petition_id=petition.pk,
        expected_version=petition.version,
        actor=standing_member,
        note="Kéo dài nhiều năm.",
    )
    return Petition.objects.get(pk=petition.pk)


def unflag_url(petition: Petition) -> str:
    return reverse("petitions:unflag_questioning", args=[petition.pk])


def test_the_panel_offers_those_who_may_take_the_topic_off(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    standing_member: User,
    other_member: User,
    city_staff: User,
    delegate_user: User,
    topic: Petition,
) -> None:
    detail = reverse("petitions:detail", args=[topic.pk])
    for user in (committee_member, standing_member):
        login(client, user)
        body = client.get(detail).content.decode()
        assert unflag_url(topic) in body
        assert 'name="unflag-reason"' in body
    # The office flags topics but does not take them off; nor do other committees.
    for user in (other_member, city_staff, delegate_user):
        login(client, user)
        assert unflag_url(topic) not in client.get(detail).content.decode()


def test_the_committee_in_charge_takes_the_topic_off_from_the_panel(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    topic: Petition,
) -> None:
    login(client, committee_member)
    detail = reverse("petitions:detail", args=[topic.pk])
    response = client.post(
        unflag_url(topic),
        {
            "prefix": "unflag",
            "unflag-version": topic.version,
            "unflag-reason": "Đã có văn bản trả lời bổ sung.",
            "next": detail,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    topic.refresh_from_db()
    assert topic.is_questioning_topic is False
    page = client.get(detail).content.decode()
    assert f"{topic.code} is no longer a questioning topic." in page
    assert "No longer a questioning topic" in page  # the timeline entry
    assert "Đã có văn bản trả lời bổ sung." in page
    assert unflag_url(topic) not in page


def test_a_refusal_shows_the_form_again_keeping_the_reason(
    client: Client,
    login: Callable[[Client, User], Client],
    standing_member: User,
    topic: Petition,
) -> None:
    login(client, standing_member)
    blank = client.post(unflag_url(topic), {"unflag-version": topic.version, "unflag-reason": ""})
    assert blank.status_code == 400
    assert "This field is required." in blank.content.decode()
    stale = client.post(
        unflag_url(topic),
        {"unflag-version": topic.version - 1, "unflag-reason": "Lý do đã gõ"},
    )
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Someone else changed this record" in body
    assert "Lý do đã gõ" in body
    assert Petition.objects.get(pk=topic.pk).is_questioning_topic is True


def test_the_page_says_when_the_petition_is_not_a_topic(
    client: Client,
    login: Callable[[Client, User], Client],
    standing_member: User,
    petition: Petition,
) -> None:
    login(client, standing_member)
    body = client.get(unflag_url(petition)).content.decode()
    assert "This petition is not a questioning topic." in body
    assert "disabled" in body


def test_the_list_lets_those_in_charge_take_a_topic_off(
    client: Client,
    login: Callable[[Client, User], Client],
    standing_member: User,
    committee_member: User,
    other_member: User,
    delegate_user: User,
    topic: Petition,
) -> None:
    url = reverse("petitions:questioning", args=[topic.council_id])
    login(client, delegate_user)
    body = client.get(url).content.decode()
    assert topic.title in body
    assert unflag_url(topic) not in body
    login(client, other_member)
    assert unflag_url(topic) not in client.get(url).content.decode()
    login(client, standing_member)
    assert unflag_url(topic) not in client.get(url, {"print": "1"}).content.decode()
    login(client, committee_member)
    body = client.get(url).content.decode()
    assert unflag_url(topic) in body
    prefix = f"unflag-{topic.pk}"
    assert f'name="{prefix}-reason"' in body

    response = client.post(
        unflag_url(topic),
        {
            "prefix": prefix,
            f"{prefix}-version": topic.version,
            f"{prefix}-reason": "Đã giải trình tại phiên giải trình.",
            "next": url,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url
    after = client.get(url).content.decode()
    assert "No questioning topic has been flagged." in after
    assert f"{topic.code} is no longer a questioning topic." in after


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("commune_officer", 404),
        ("responder_b", 404),
        ("responder_a", 403),
        ("delegate_user", 403),
        ("city_staff", 403),
        ("other_member", 403),
    ],
)
def test_only_the_committee_in_charge_or_the_standing_committee_take_a_topic_off(
    client: Client,
    login: Callable[[Client, User], Client],
    topic: Petition,
    persona: str,
    status: int,
    request: pytest.FixtureRequest,
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(unflag_url(topic)).status_code == status
    response = client.post(
        unflag_url(topic), {"unflag-version": topic.version, "unflag-reason": "x"}
    )
    assert response.status_code == status
    assert Petition.objects.get(pk=topic.pk).is_questioning_topic is True


def test_the_questioning_list_with_its_forms_makes_a_fixed_number_of_queries(
    client: Client,
    login: Callable[[Client, User], Client],
    committee_member: User,
    standing_member: User,
    topic: Petition,
    cycle: SessionCycle,
    agency_a: Agency,
    committee: Committee,
    responder_a: User,
    django_assert_max_num_queries: Any,
) -> None:
    url = reverse("petitions:questioning", args=[topic.council_id])
    login(client, committee_member)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for index in range(4):
        other = answered(cycle, agency_a, committee, responder_a, title=f"Chủ đề {index}")
        flag_questioning_topic(
            petition_id=other.pk, expected_version=other.version, actor=standing_member
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('name="prefix"') == 5
