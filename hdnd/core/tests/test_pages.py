"""The page shell, the home page per role, the audit page and the error pages."""

from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from hdnd.accounts.models import Role
from hdnd.core.audit import record_event
from hdnd.core.errors import Conflict
from hdnd.core.middleware_errors import DomainErrorMiddleware
from hdnd.core.models import AuditEvent
from hdnd.councils.models import Position
from hdnd.councils.tests import directory_data as data
from hdnd.testing import factories

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def system_admin(city_council):
    user = factories.RoleAssignmentFactory(council=city_council, role=Role.SYSTEM_ADMIN).user
    factories.add_totp_device(user)
    return user


@pytest.fixture
def platform_admin(system_admin):
    system_admin.is_superuser = True
    system_admin.save(update_fields=["is_superuser"])
    return system_admin


def _record(actor, council, action="person.update", summary="Cập nhật", changes=None):
    with transaction.atomic():
        return record_event(
            actor=actor, action=action, council=council, summary=summary, changes=changes or {}
        )


# The shell


def test_settings_turn_domain_errors_into_pages():
    assert "hdnd.core.middleware_errors.DomainErrorMiddleware" in settings.MIDDLEWARE


def test_the_shell_is_vietnamese_accessible_and_lists_the_public_modules(client, city_council):
    page = client.get(reverse("councils:directory")).content.decode()
    assert '<html lang="vi">' in page
    assert 'href="#main"' in page
    assert 'id="main"' in page
    assert "HĐND số" in page
    assert f'href="{reverse("councils:directory")}"' in page
    assert f'href="{reverse("core:home")}"' not in page.split("<main")[0].split("main-nav")[1]
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="en"' in page
    assert "django_htmx/htmx-2.min.js" in page


def test_the_shell_shows_the_signed_in_user_with_roles_and_a_logout_button(
    client, login, commune_officer, commune_a
):
    login(client, commune_officer)
    page = client.get(reverse("councils:directory")).content.decode()
    assert commune_officer.get_username() in page
    assert str(Role.COMMUNE_OFFICER.label) in page
    assert commune_a.unit.name in page
    assert f'action="{reverse("accounts:logout")}"' in page
    assert f'href="{reverse("core:home")}"' in page


def test_the_current_module_is_marked_in_the_navigation(client, city_council):
    page = client.get(reverse("councils:unit", args=[city_council.unit.code])).content.decode()
    nav = page.split('class="main-nav"')[1].split("</nav>")[0]
    assert f'href="{reverse("councils:directory")}" aria-current="true"' in nav


def test_messages_are_shown_and_errors_are_announced():
    messages = [Message(constants.SUCCESS, "Đã lưu."), Message(constants.ERROR, "Chưa lưu.")]
    page = render_to_string("base.html", {"messages": messages})
    assert '<p class="message message--success">Đã lưu.</p>' in page
    assert '<p class="message message--error" role="alert">Chưa lưu.</p>' in page


# Home


def test_anonymous_visitors_to_home_are_sent_to_sign_in(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.smoke
def test_city_staff_see_a_summary_of_the_city_and_its_communes(
    client, login, city_staff, city_council, commune_a, commune_b
):
    term = data.term_in_force(city_council)
    data.seat(term, "Đại Biểu Thành Phố")
    data.seat(data.term_in_force(commune_a), "Đại Biểu Phường")
    login(client, city_staff)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    [summary] = response.context["city_summaries"]
    counts = {
        level.label: (level.units, level.councils, level.delegates) for level in summary.levels
    }
    assert list(counts.values()) == [(1, 1, 1), (2, 2, 1)]
    assert summary.commune_kinds == {"phuong": 2}
    assert city_council.name in response.content.decode()
    assert response.context["commune_summaries"] == []


def test_a_commune_officer_sees_their_commune(client, login, commune_officer, commune_a):
    term = data.term_in_force(commune_a)
    data.seat(term, "Chủ Tịch Phường", position=Position.CHAIR)
    data.seat(term, "Đại Biểu Phường")
    login(client, commune_officer)

    response = client.get(reverse("core:home"))

    [summary] = response.context["commune_summaries"]
    assert summary.council == commune_a
    assert summary.delegate_count == 2
    assert [m.person.full_name for m in summary.standing] == ["Chủ Tịch Phường"]
    assert response.context["city_summaries"] == []
    assert "Chủ Tịch Phường" in response.content.decode()


def test_a_delegate_sees_their_own_seats(client, login, delegate_user, city_council):
    term = data.term_in_force(city_council)
    membership = data.seat(term, "Đại Biểu Của Tôi")
    committee = data.committee(city_council, "Ban Văn hóa – Xã hội")
    data.committee_seat(committee, membership)
    delegate_user.person = membership.person
    delegate_user.save(update_fields=["person"])
    login(client, delegate_user)

    response = client.get(reverse("core:home"))

    assert response.context["memberships"] == [membership]
    assert response.context["city_summaries"] == []
    page = response.content.decode()
    assert city_council.name in page
    assert "Ban Văn hóa – Xã hội" in page


def test_a_delegate_without_a_linked_person_is_told_so(client, login, delegate_user):
    login(client, delegate_user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["is_delegate"] is True
    assert response.context["memberships"] == []


def test_home_lists_the_modules_the_user_can_use(client, login, city_staff):
    login(client, city_staff)
    response = client.get(reverse("core:home"))
    assert [module.key for module in response.context["modules"]] == [
        "directory",
        "petitions",
        "meetings",
        "public_petitions",
        "api",
    ]


# The audit page


def test_the_audit_page_is_refused_to_the_outsider(client, login, outsider, city_council):
    login(client, outsider)
    response = client.get(reverse("core:council_audit", args=[city_council.pk]))
    assert response.status_code == 403
    assert b"<html" in response.content


def test_the_audit_page_is_refused_to_a_delegate(client, login, delegate_user, city_council):
    login(client, delegate_user)
    assert client.get(reverse("core:council_audit", args=[city_council.pk])).status_code == 403


def test_verifying_the_chain_is_refused_to_the_outsider(client, login, outsider, city_council):
    login(client, outsider)
    response = client.post(reverse("core:council_audit", args=[city_council.pk]))
    assert response.status_code == 403


def test_anonymous_visitors_to_the_audit_page_are_sent_to_sign_in(client, city_council):
    response = client.get(reverse("core:council_audit", args=[city_council.pk]))
    assert response.status_code == 302


def test_a_system_admin_sees_the_councils_events_newest_first_in_vietnam_time(
    client, login, system_admin, city_council, commune_a
):
    first = _record(system_admin, city_council, summary="Lần một", changes={"name": ["A", "B"]})
    second = _record(system_admin, city_council, action="term.create", summary="Lần hai")
    _record(system_admin, commune_a, summary="Của phường")
    login(client, system_admin)

    response = client.get(reverse("core:council_audit", args=[city_council.pk]))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [second, first]
    page = response.content.decode()
    assert first.occurred_at.astimezone(HANOI).strftime("%d/%m/%Y %H:%M:%S") in page
    assert system_admin.get_username() in page
    assert "Của phường" not in page
    assert "<code>name</code>: A → B" in page


def test_the_audit_page_filters_by_action(client, login, system_admin, city_council):
    _record(system_admin, city_council, action="person.update")
    created = _record(system_admin, city_council, action="term.create")
    login(client, system_admin)
    url = reverse("core:council_audit", args=[city_council.pk])

    response = client.get(url, {"action": "term.create"})

    assert list(response.context["page"].object_list) == [created]
    assert response.context["actions"] == ["person.update", "term.create"]
    assert client.get(url, {"action": "no.such"}).status_code == 400
    assert client.get(url, {"page": "abc"}).status_code == 400


def test_a_city_system_admin_may_read_a_communes_audit(client, login, system_admin, commune_a):
    login(client, system_admin)
    assert client.get(reverse("core:council_audit", args=[commune_a.pk])).status_code == 200


def test_the_audit_page_of_a_council_that_does_not_exist_is_a_404(client, login, system_admin):
    login(client, system_admin)
    assert client.get(reverse("core:council_audit", args=[999999])).status_code == 404


def test_a_councils_administrator_may_not_check_the_whole_chain(
    client, login, system_admin, city_council
):
    login(client, system_admin)
    page = client.get(reverse("core:council_audit", args=[city_council.pk]))
    assert "Verify the chain" not in page.text and "Kiểm tra chuỗi" not in page.text
    response = client.post(reverse("core:council_audit", args=[city_council.pk]))
    assert response.status_code == 403


def test_verifying_an_intact_chain_says_so(client, login, platform_admin, city_council):
    system_admin = platform_admin
    _record(system_admin, city_council)
    _record(system_admin, city_council)
    login(client, system_admin)

    response = client.post(reverse("core:council_audit", args=[city_council.pk]))

    assert response.status_code == 200
    assert response.context["verification"] == {"checked": 2, "problems": []}
    assert "chain-result--ok" in response.content.decode()


def test_verifying_a_tampered_chain_flags_the_problem(client, login, platform_admin, city_council):
    system_admin = platform_admin
    _record(system_admin, city_council)
    edited = _record(system_admin, city_council)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE core_auditevent SET summary = %s WHERE seq = %s", ["sửa lén", edited.seq]
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    login(client, system_admin)

    response = client.post(reverse("core:council_audit", args=[city_council.pk]))

    [problem] = response.context["verification"]["problems"]
    assert (problem.seq, problem.kind) == (edited.seq, "edited")
    page = response.content.decode()
    assert "chain-result--problem" in page
    assert 'role="alert"' in page
    assert f"#{edited.seq}" in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_audit_page_costs_a_fixed_number_of_queries(
    client, login, system_admin, city_council, django_assert_num_queries, rows
):
    for index in range(rows):
        _record(system_admin, city_council, summary=f"Sự kiện {index}")
    login(client, system_admin)
    url = reverse("core:council_audit", args=[city_council.pk])
    # Session, user, OTP device; the council and the role for access; the actions of the
    # filter, the count, the page, and the roles in the header.
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(council=city_council).count() == rows


# Error pages


def test_an_unknown_address_gets_the_404_page(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b'<html lang="vi">' in response.content
    assert reverse("councils:directory").encode() in response.content


def test_the_500_and_400_pages_render_without_a_request_or_database():
    for template in ["500.html", "400.html"]:
        page = render_to_string(template)
        assert '<html lang="vi">' in page
        assert "HĐND số" in page


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def test_a_domain_error_on_a_form_post_becomes_a_message_and_a_redirect_back(rf):
    request = rf.post("/directory/", headers={"Referer": "http://testserver/directory/"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    middleware = DomainErrorMiddleware(_no_view)

    response = middleware.process_exception(request, Conflict("Kỳ họp đã đóng."))

    assert response is not None
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/directory/"
    assert [str(message) for message in get_messages(request)] == ["Kỳ họp đã đóng."]


def test_other_exceptions_are_left_to_django(rf):
    middleware = DomainErrorMiddleware(_no_view)
    assert middleware.process_exception(rf.get("/"), ValueError("bug")) is None
