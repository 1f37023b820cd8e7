"""One voter petition through its whole cycle, in Chromium, each step by the right person:

the office plans a voter-contact meeting, marks it held and types in two items that say
the same thing in different words; it consolidates them into one petition and sends it to
the agency the routing table proposes; the agency's responder records the answer; the
committee in charge rates it satisfactory and closes it; the office publishes the answer;
and a voter, signed out, looks up their code and reads the answer — never their own name.
"""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from django_otp.oath import TOTP

from hdnd.accounts.models import Role
from hdnd.petitions.models import (
    ContactMeeting,
    FieldCommittee,
    Petition,
    PetitionStatus,
    RouteKind,
    VoterItem,
)
from hdnd.testing import factories
from hdnd.testing import petition_factories as pf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-du-dai-2026"
VOTER_NAME = "Lê Thị Kín Danh"
FIRST_ITEM = "Đề nghị sửa chữa đường Láng bị ngập úng khi mưa"
SECOND_ITEM = "de nghi sua duong Lang ngap ung"
ANSWER_TEXT = "Sở Xây dựng đã nạo vét cống và nâng cốt mặt đường Láng; tuyến đường hết ngập."


@pytest.fixture
def city(reference_data):
    """A city council ready for a session cycle: routing and committee tables, deadlines."""
    council = factories.CityCouncilFactory()
    term = factories.TermFactory(council=council)
    today = timezone.localdate()
    cycle = pf.SessionCycleFactory(
        term=term, number=5, name="Kỳ họp thứ năm", session_date=today + dt.timedelta(days=30)
    )
    field = pf.field("giao-thong")
    agency = factories.AgencyFactory(council=council, name="Sở Xây dựng")
    factories.AgencyFactory(council=council, name="Sở Giao thông vận tải")
    pf.RoutingRuleFactory(council=council, field=field, agency=agency)
    committee = factories.CommitteeFactory(council=council, name="Ban Đô thị")
    FieldCommittee.objects.create(
        council=council, field=field, committee=committee, valid_from=dt.date(2026, 1, 1)
    )
    pf.DeadlineRuleFactory(council=council, route=RouteKind.OWN_AGENCY, days=30)
    pf.DeadlineRuleFactory(council=council, route=RouteKind.CENTRAL, days=60)

    staff = factories.RoleAssignmentFactory(council=council, role=Role.OFFICE_STAFF).user
    factories.add_totp_device(staff)
    responder = factories.RoleAssignmentFactory(
        council=council, role=Role.AGENCY_RESPONDER, agency=agency
    ).user
    factories.add_totp_device(responder)
    member = factories.RoleAssignmentFactory(
        council=council, role=Role.COMMITTEE_MEMBER, committee=committee
    ).user
    return {
        "council": council,
        "cycle": cycle,
        "field": field,
        "agency": agency,
        "committee": committee,
        "staff": staff,
        "responder": responder,
        "member": member,
    }


def _next_code(user):
    """A code the user's device accepts now: a code is good once, so a second sign-in in
    the same 30 seconds takes the next step's (within the device's tolerance)."""
    device = user.totpdevice_set.get(confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    totp.time = now
    if totp.t() <= device.last_t:
        totp.time = now + device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():06d}"


def _sign_in(page, live_server, user, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()
    if user.totpdevice_set.filter(confirmed=True).exists():
        page.wait_for_url(re.compile(r"/accounts/verify/"))
        page.fill("input[name=code]", _next_code(user))
        page.get_by_role("button", name=re.compile("Xác nhận|Confirm")).click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def _sign_out(page):
    page.locator('form[action$="/accounts/logout/"] button[type=submit]').click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def _submit(page, form_selector):
    page.locator(form_selector).locator("button[type=submit]").first.click()


def test_a_petition_goes_from_a_meeting_to_a_published_answer(page, live_server, city, settings):
    # The lookup allowance is counted per address in the cache, which under CI is a Redis
    # shared with the other tests that look codes up from 127.0.0.1 within the minute.
    settings.PETITIONS_PUBLIC_LOOKUPS_PER_MINUTE = 10_000
    council = city["council"]
    staff = city["staff"]

    # 1. The office plans the meeting, marks it held and records two items.
    new_meeting = f"/petitions/{council.pk}/meetings/new/"
    _sign_in(page, live_server, staff, new_meeting)
    starts_at = timezone.localtime() - dt.timedelta(days=2)
    page.select_option("#id_cycle", str(city["cycle"].pk))
    page.select_option("#id_timing", "before_session")
    page.fill("#id_starts_at", starts_at.strftime("%Y-%m-%dT09:00"))
    page.select_option("#id_unit", str(council.unit_id))
    page.fill("#id_venue", "Nhà văn hóa phường Láng Thượng")
    _submit(page, f'form[action$="{new_meeting}"]')
    page.wait_for_url(re.compile(r"/petitions/meetings/\d+/$"))
    meeting = ContactMeeting.objects.get(council=council)

    page.fill("#id_voters_attending", "85")
    _submit(page, 'form[action$="/held/"]')
    page.wait_for_url(re.compile(rf"/petitions/meetings/{meeting.pk}/$"))
    page.locator('form[action$="/held/"]').wait_for(state="detached")
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.voters_attending == 85

    rows = page.locator("#items tbody tr")
    page.fill("#id_item-text", FIRST_ITEM)
    page.fill("#id_item-voter_count", "3")
    page.fill("#id_item-voter_name", VOTER_NAME)
    page.fill("#id_item-voter_phone", "0912 345 678")
    _submit(page, 'form[action$="/items/"]')
    rows.nth(0).wait_for()
    page.fill("#id_item-text", SECOND_ITEM)
    page.fill("#id_item-voter_count", "2")
    _submit(page, 'form[action$="/items/"]')
    rows.nth(1).wait_for()
    assert rows.count() == 2
    # The office sees who asked (what the public page must never show).
    assert VOTER_NAME in page.locator("#items").inner_text()
    items = list(VoterItem.objects.filter(meeting=meeting).order_by("id"))
    assert [item.text for item in items] == [FIRST_ITEM, SECOND_ITEM]
    assert items[0].voter_name == VOTER_NAME

    # 2. The office consolidates the two items into one petition.
    page.goto(f"{live_server.url}/petitions/{council.pk}/consolidation/")
    for item in items:
        page.check(f"#item-choice-{item.pk}")
    page.fill("#id_title", "Chống ngập úng đường Láng")
    page.fill("#id_text", "Cử tri đề nghị sửa chữa, chống ngập úng đường Láng khi trời mưa.")
    page.select_option("#id_field", str(city["field"].pk))
    page.select_option("#id_level", "city")
    page.locator('form[action$="/consolidate/"] button[name=mode][value=together]').click()
    page.wait_for_url(re.compile(r"/petitions/p/\d+/$"))
    petition = Petition.objects.get(council=council)
    assert petition.item_count == 2
    source_items = page.locator("section[aria-labelledby=source-items-heading] tbody tr")
    assert source_items.count() == 2
    for item in items:
        assert page.locator(f'a[href$="/petitions/items/{item.pk}/"]').count() >= 1

    # 3. The office sends it to the agency the routing table proposes.
    assign = page.locator('form[action$="/assign/"]')
    page.locator("details", has=assign).locator("summary").click()
    assert page.locator("#id_assign-lead_agency").input_value() == str(city["agency"].pk)
    _submit(page, 'form[action$="/assign/"]')
    page.wait_for_url(re.compile(rf"/petitions/p/{petition.pk}/$"))
    assign.wait_for(state="detached")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ASSIGNED
    assert petition.lead_agency_id == city["agency"].pk
    assert petition.committee_id == city["committee"].pk
    assert petition.due_on is not None
    _sign_out(page)

    # 4. The agency's responder records the answer.
    petition_path = f"/petitions/p/{petition.pk}/"
    _sign_in(page, live_server, city["responder"], petition_path)
    page.locator(f'a[href$="/petitions/p/{petition.pk}/answer/"]').click()
    page.wait_for_url(re.compile(rf"/petitions/p/{petition.pk}/answer/$"))
    page.fill("#id_text", ANSWER_TEXT)
    page.select_option("#id_result", "resolved")
    page.locator("form", has=page.locator("#id_result")).locator("button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(petition_path) + "$"))
    page.locator("#answers", has_text=ANSWER_TEXT).wait_for()
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    _sign_out(page)

    # 5. A member of the committee in charge rates it satisfactory and closes it.
    evaluation_path = f"/petitions/{council.pk}/evaluation/"
    _sign_in(page, live_server, city["member"], evaluation_path)
    card = page.locator(f"#petition-{petition.pk}")
    card.locator(f'input[name="p{petition.pk}-verdict"][value=satisfactory]').check()
    card.locator(f'input[name="p{petition.pk}-decision"][value=close]').check()
    card.locator("form.rating-form button[type=submit]").click()
    card.locator(".rating-done").wait_for()
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RESOLVED
    _sign_out(page)

    # 6. The office publishes the answer.
    _sign_in(page, live_server, staff, petition_path)
    publish = page.locator('form[action$="/answer/publish/"]')
    publish.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(petition_path) + "$"))
    publish.wait_for(state="detached")
    answer = petition.answers.get(is_current=True)
    assert answer.published_at is not None
    _sign_out(page)

    # 7. The voter, signed out, looks up their code: status and answer, not their name.
    page.goto(f"{live_server.url}/public/petitions/lookup/?code={items[0].code}")
    status = page.locator(".public-status--resolved")
    status.wait_for()
    assert status.locator(".badge").inner_text().strip()
    page.locator(".public-answer", has_text=ANSWER_TEXT).wait_for()
    assert items[0].code in page.locator("main").inner_text()
    content = page.content()
    assert VOTER_NAME not in content
    assert "0912 345 678" not in content
