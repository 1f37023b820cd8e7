from typing import Any

from django.http import HttpRequest

from hdnd.core.navigation import modules_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_modules": modules_for(request.user)}
