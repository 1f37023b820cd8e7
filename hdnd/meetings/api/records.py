"""(work in progress: see api_urls.py)"""

from typing import Any

urlpatterns: list[Any] = []
