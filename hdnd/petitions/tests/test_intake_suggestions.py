"""A new voter item gets its duplicate suggestions as soon as it is stored."""

from collections.abc import Callable
from typing import Any

import pytest

from hdnd.accounts.models import User
from hdnd.petitions.models import Channel, DuplicateSuggestion, SessionCycle
from hdnd.petitions.services.intake import receive_item
from hdnd.testing import petition_factories as pf

pytestmark = pytest.mark.django_db


def test_receiving_an_item_suggests_the_petition_it_repeats(
    settings: Any,
    city_staff: User,
    cycle: SessionCycle,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    petition = pf.PetitionFactory(
        raised_in=cycle,
        title="Chống ngập úng đường Láng",
        text="Cử tri đề nghị cải tạo hệ thống thoát nước, chống ngập úng trên đường Láng.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        item = receive_item(
            council=cycle.council,
            actor=city_staff,
            channel=Channel.HOTLINE,
            text="Đường Láng cứ mưa là ngập úng, đề nghị cải tạo thoát nước",
        )
    suggestion = DuplicateSuggestion.objects.get(item=item)
    assert suggestion.candidate == petition
