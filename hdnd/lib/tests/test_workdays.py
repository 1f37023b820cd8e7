from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdnd.core.models import CalendarOverride, CalendarOverrideKind
from hdnd.lib.workdays import (
    add_working_days,
    holidays_between,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def override(day: date, kind: str, note: str = "") -> CalendarOverride:
    return CalendarOverride.objects.create(date=day, kind=kind, note=note)


def test_it_keeps_the_nine_days_of_tet_2026_off() -> None:
    # The government's Tết 2026: Saturday 14/2 to Sunday 22/2; the package's five weekday
    # holidays (16–20/2) and the two weekends cover it without an override.
    assert not any(is_working_day(day) for day in days(date(2026, 2, 14), date(2026, 2, 22)))
    assert is_working_day(date(2026, 2, 13))
    assert is_working_day(date(2026, 2, 23))


def test_it_counts_a_deadline_across_tet_2026() -> None:
    assert add_working_days(date(2026, 2, 12), 1) == date(2026, 2, 13)
    assert add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 23)
    assert add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_it_counts_a_deadline_across_30_4_and_1_5() -> None:
    # 2026: Hùng Kings' Day falls on Sunday 26/4 and is observed on Monday 27/4.
    assert not is_working_day(date(2026, 4, 27))
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)
    assert add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)
    assert working_days_between(date(2026, 4, 24), date(2026, 5, 4)) == 3


def test_it_knows_the_2025_swap_of_saturday_26_4_for_friday_2_5() -> None:
    assert is_working_day(date(2025, 4, 26))
    assert not is_working_day(date(2025, 5, 2))
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)


def test_it_counts_a_deadline_across_national_day() -> None:
    # 2026: 2/9 with 1/9, and Monday 31/8 swapped for Saturday 22/8.
    assert is_working_day(date(2026, 8, 22))
    assert not any(is_working_day(day) for day in days(date(2026, 8, 29), date(2026, 9, 2)))
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)
    assert working_days_between(date(2026, 8, 21), date(2026, 9, 3)) == 7


def test_a_working_day_override_makes_a_saturday_count() -> None:
    override(date(2026, 3, 7), CalendarOverrideKind.WORKING_DAY, "Làm bù")
    assert is_working_day(date(2026, 3, 7))
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 7)
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 2


def test_a_day_off_override_adds_a_holiday() -> None:
    override(date(2026, 3, 9), CalendarOverrideKind.DAY_OFF, "Nghỉ bù")
    assert not is_working_day(date(2026, 3, 9))
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 10)
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 10)) == 1


def test_an_override_wins_over_the_package() -> None:
    override(date(2025, 4, 26), CalendarOverrideKind.DAY_OFF)
    override(date(2025, 5, 2), CalendarOverrideKind.WORKING_DAY)
    assert not is_working_day(date(2025, 4, 26))
    assert is_working_day(date(2025, 5, 2))


def test_zero_days_after_a_date_is_the_date_itself() -> None:
    assert add_working_days(date(2026, 2, 15), 0) == date(2026, 2, 15)
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 3, 10), date(2026, 3, 9)) == 0


def test_it_reads_the_overrides_with_one_query(django_assert_num_queries) -> None:
    override(date(2026, 3, 7), CalendarOverrideKind.WORKING_DAY)
    override(date(2026, 6, 1), CalendarOverrideKind.DAY_OFF)
    with django_assert_num_queries(1):
        end = add_working_days(date(2026, 1, 1), 250)
    with django_assert_num_queries(1):
        assert working_days_between(date(2026, 1, 1), end) == 250
    with django_assert_num_queries(1):
        is_working_day(date(2026, 3, 7))


def test_it_lists_holidays_with_their_names() -> None:
    override(date(2026, 2, 23), CalendarOverrideKind.DAY_OFF, "Nghỉ thêm")
    override(date(2026, 2, 20), CalendarOverrideKind.WORKING_DAY)
    found = holidays_between(date(2026, 2, 14), date(2026, 2, 23))
    assert sorted(found) == [*days(date(2026, 2, 16), date(2026, 2, 19)), date(2026, 2, 23)]
    assert found[date(2026, 2, 17)] == "Tết Nguyên Đán"
    assert found[date(2026, 2, 23)] == "Nghỉ thêm"
    with translation.override("en"):
        assert holidays_between(date(2026, 9, 2), date(2026, 9, 2)) == {
            date(2026, 9, 2): "National Day"
        }


@pytest.mark.parametrize(
    ("function", "args", "message"),
    [
        (add_working_days, (date(2026, 1, 1), -1), "0 or more"),
        (add_working_days, (date(2026, 1, 1), 1.5), "whole number"),
        (add_working_days, (date(2026, 1, 1), True), "whole number"),
        (add_working_days, ("2026-01-01", 1), "must be a date"),
        (is_working_day, (datetime(2026, 1, 1, 9),), "must be a date"),  # noqa: DTZ001
        (working_days_between, (date(2026, 1, 1), None), "must be a date"),
        (add_working_days, (date.max - timedelta(days=3), 10), "last date"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(
    function: Callable[..., object], args: tuple[Any, ...], message: str
) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=message):
        function(*args)


@pytest.fixture
def swapped_days() -> None:
    override(date(2026, 3, 7), CalendarOverrideKind.WORKING_DAY)
    override(date(2026, 3, 9), CalendarOverrideKind.DAY_OFF)
    override(date(2027, 1, 2), CalendarOverrideKind.WORKING_DAY)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    n=st.integers(min_value=0, max_value=300),
)
def test_counting_back_the_days_added_gives_the_same_number(
    swapped_days: None, start: date, n: int
) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert n == 0 or is_working_day(end)
