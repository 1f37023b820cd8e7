"""(work in progress: see urls.py)"""

from typing import Any

urlpatterns: list[Any] = []
