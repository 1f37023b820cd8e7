"""No personal data on any public page or in the Open311 output: not the voter's name,
phone, email or address, not what the voter wrote, not why an item was redirected — even
when all of it is in the database, and even for a signed-in officer who may see it on the
staff pages."""

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hdnd.accounts.models import User
from hdnd.councils.models import Agency, Council
from hdnd.petitions.models import (
    Answer,
    Channel,
    EventKind,
    ItemKind,
    PetitionEvent,
    PetitionStatus,
    ResultCategory,
    SessionCycle,
    TriageStatus,
    VoterItem,
)
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db

SECRETS = (
    "Nguyễn Văn Bí Mật",
    "0912345678",
    "bimat.cutri@example.com",
    "Số 9 ngõ Kín",
    "nội dung riêng của cử tri",
    "lý do chuyển riêng tư",
)

_addresses = itertools.count(1)


@pytest.fixture(autouse=True)
def _own_address(client: Client) -> None:
    number = next(_addresses)
    client.defaults["REMOTE_ADDR"] = f"203.0.{number // 250}.{number % 250 + 1}"


@pytest.fixture
def public_urls(cycle: SessionCycle, agency_a: Agency, commune_a: Council) -> list[str]:
    council = cycle.council
    petition = pf.PetitionFactory(
        raised_in=cycle,
        title="Cải tạo vỉa hè phố Tràng Tiền",
        status=PetitionStatus.ANSWERED,
        lead_agency=agency_a,
        field=pf.field(),
        unit=commune_a.unit,
    )
    Answer.objects.create(
        petition=petition,
        agency=agency_a,
        text="Sở đã đưa vào kế hoạch năm 2027.",
        result=ResultCategory.WILL_RESOLVE,
        answered_on=dt.date(2026, 8, 1),
        published_at=timezone.now(),
    )
    PetitionEvent.objects.create(
        petition=petition,
        kind=EventKind.PUBLISHED,
        occurred_at=timezone.now(),
        summary="Công bố câu trả lời",
        is_public=True,
    )
    identity = {
        "voter_name": SECRETS[0],
        "voter_phone": SECRETS[1],
        "voter_email": SECRETS[2],
        "voter_address": SECRETS[3],
    }
    accepted = pf.VoterItemFactory(
        council=council,
        code="KN-PRIV-0001",
        petition=petition,
        channel=Channel.WEB,
        text=f"Tôi là {SECRETS[0]}, {SECRETS[4]}",
        place=SECRETS[3],
        **identity,
    )
    redirected = pf.VoterItemFactory(
        council=council,
        code="KN-PRIV-0002",
        kind=ItemKind.DENUNCIATION,
        triage_status=TriageStatus.REDIRECTED,
        redirected_to="Thanh tra thành phố",
        redirect_reason=SECRETS[5],
        text=SECRETS[4],
        **identity,
    )
    waiting = pf.VoterItemFactory(
        council=council,
        code="KN-PRIV-0003",
        triage_status=TriageStatus.NEW,
        text=SECRETS[4],
        **identity,
    )
    lookup = reverse("petitions_public:lookup")
    return [
        reverse("petitions_public:home"),
        reverse("petitions_public:council", args=[council.pk]),
        reverse("petitions_public:council", args=[council.pk]) + "?q=tran+tien",
        reverse("petitions_public:petition", args=[petition.code]),
        reverse("petitions_public:sheet", args=[council.pk]),
        f"{lookup}?code={accepted.code}",
        f"{lookup}?code={redirected.code}",
        f"{lookup}?code={waiting.code}",
        f"{lookup}?code={petition.code}",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{petition.code}.json",
        f"/open311/v2/requests/{petition.code}.xml",
        "/open311/v2/services.json",
    ]


def _assert_no_personal_data(client: Client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)


def test_no_public_page_or_open311_document_shows_personal_data(
    client: Client, public_urls: list[str]
) -> None:
    assert VoterItem.objects.filter(voter_name=SECRETS[0]).count() == 3
    _assert_no_personal_data(client, public_urls)


def test_not_even_for_staff_who_may_see_it_elsewhere(
    client: Client,
    login: Callable[[Client, User], Client],
    city_staff: User,
    public_urls: list[str],
) -> None:
    login(client, city_staff)
    _assert_no_personal_data(client, public_urls)
