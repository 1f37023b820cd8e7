"""(work in progress)"""

from typing import Any

app_name = "voting"
urlpatterns: list[Any] = []
