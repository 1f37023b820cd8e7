"""The audit page in words: known actions by name, recorded values as a person reads them."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from hdnd.accounts.models import Role
from hdnd.core.audit import record_event
from hdnd.core.views import AuditChange, action_label
from hdnd.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_page(client, login, city_council, settings):
    settings.LANGUAGE_CODE = "en"
    user = factories.RoleAssignmentFactory(council=city_council, role=Role.SYSTEM_ADMIN).user
    factories.add_totp_device(user)
    login(client, user)

    def _page(action: str, changes: dict[str, object]) -> str:
        with transaction.atomic():
            record_event(actor=user, action=action, council=city_council, changes=changes)
        return client.get(reverse("core:council_audit", args=[city_council.pk])).text

    return _page


def test_a_known_action_is_shown_by_name_in_the_table_and_the_filter(audit_page):
    page = audit_page("councils.membership.create", {})
    assert "<strong>Membership added</strong>" in page
    assert '<option value="councils.membership.create">Membership added</option>' in page


def test_an_unknown_action_is_shown_as_its_code(audit_page):
    page = audit_page("councils.membership.add.admin", {})
    assert '<code class="wrap-anywhere">councils.membership.add.admin</code>' in page
    assert (
        '<option value="councils.membership.add.admin">councils.membership.add.admin</option>'
        in page
    )


def test_changes_read_field_old_new_with_lists_ids_and_dates_plainly(audit_page):
    page = audit_page(
        "accounts.api_token.create",
        {"scopes": [None, ["directory:read", "x:write"]], "start_date": [None, "2026-03-15"]},
    )
    assert "<code>scopes</code>: — → directory:read, x:write" in page
    assert "<code>start_date</code>: — → 15/03/2026" in page
    assert "[" not in page.split('class="changes"')[1].split("</ul>")[0]


@pytest.mark.parametrize(
    ("value", "before", "after", "is_pair"),
    [
        (["A", "B"], "A", "B", True),
        ([None, [3, 7]], "—", "3, 7", True),
        ([True, False], "Yes", "No", True),
        ([None, {"a": 1}], "—", "a: 1", True),
        (["2026-13-45", ""], "2026-13-45", "—", True),
        (651, "", "651", False),
        ([1, 2, 3], "", "1, 2, 3", False),
    ],
)
def test_a_recorded_value_reads_plainly(value, before, after, is_pair):
    with translation.override("en"):
        change = AuditChange.of("field", value)
    assert change == AuditChange("field", is_pair, before, after)


def test_labels_fall_back_to_the_code():
    assert action_label("no.such.action") == "no.such.action"


def test_a_change_that_reads_the_same_on_both_sides_is_left_out(audit_page):
    page = audit_page(
        "councils.membership.create", {"end_reason": [None, ""], "position": [None, "delegate"]}
    )
    changes = page.split('class="changes"')[1].split("</ul>")[0]
    assert "end_reason" not in changes
    assert "<code>position</code>: — → delegate" in changes
