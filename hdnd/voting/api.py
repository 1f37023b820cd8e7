"""(work in progress)"""

from typing import Any

urlpatterns: list[Any] = []
