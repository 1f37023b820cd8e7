"""A staff member signs in with a password and a TOTP code, opens the directory,
searches without diacritics and opens a delegate — in Chromium."""

import datetime as dt
import re

import pytest
from django_otp.oath import TOTP

from hdnd.accounts.models import Role
from hdnd.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-du-dai-2026"


@pytest.fixture
def staff_with_delegate():
    council = factories.CityCouncilFactory()
    term = factories.TermFactory(council=council)
    delegate = factories.PersonFactory(full_name="Nguyễn Thị Hòa", search_text="nguyen thi hoa")
    factories.MembershipFactory(person=delegate, term=term, start_date=dt.date(2026, 3, 15))
    staff = factories.RoleAssignmentFactory(council=council, role=Role.OFFICE_STAFF).user
    device = factories.add_totp_device(staff)
    return staff, device, delegate


def _current_code(device):
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()


def test_staff_signs_in_with_totp_and_finds_a_delegate_without_accents(
    page, live_server, staff_with_delegate
):
    staff, device, delegate = staff_with_delegate
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url

    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()

    page.wait_for_url(re.compile(r"/accounts/verify/"))
    page.fill("input[name=code]", f"{_current_code(device):06d}")
    page.get_by_role("button", name=re.compile("Xác nhận|Confirm")).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"{live_server.url}/directory/")
    page.fill("#search-q", "nguyen thi hoa")
    page.press("#search-q", "Enter")
    result = page.locator("a.results__title", has_text="Nguyễn Thị Hòa")
    result.first.wait_for()
    result.first.click()

    page.wait_for_url(re.compile(rf"/directory/people/{delegate.pk}/"))
    assert page.locator("h1").inner_text().strip() == "Nguyễn Thị Hòa"


def test_a_wrong_code_keeps_the_user_on_the_verify_page(page, live_server, staff_with_delegate):
    staff, device, _ = staff_with_delegate
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()
    page.wait_for_url(re.compile(r"/accounts/verify/"))
    wrong = (_current_code(device) + 1) % 1_000_000
    page.fill("input[name=code]", f"{wrong:06d}")
    page.get_by_role("button", name=re.compile("Xác nhận|Confirm")).click()
    assert "/accounts/verify/" in page.url
    assert page.locator(".errors, .field-invalid, [role=alert]").count() >= 1
