"""The shared formatting filters of the templates."""

import pytest
from django.utils import translation

from hdnd.core.templatetags.hdnd_format import duration


@pytest.mark.parametrize(
    ("seconds", "vietnamese", "english"),
    [
        (420, "7 phút", "7 min"),
        (185, "3 phút 5 giây", "3 min 5 s"),
        (45, "45 giây", "45 s"),
        (0, "0 giây", "0 s"),
        (-30, "−30 giây", "−30 s"),
        ("600", "10 phút", "10 min"),
        (None, "", ""),
    ],
)
def test_a_duration_reads_as_people_say_it(seconds: object, vietnamese: str, english: str) -> None:
    with translation.override("vi"):
        assert duration(seconds) == vietnamese
    with translation.override("en"):
        assert duration(seconds) == english
