from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from hdnd.accounts.second_factor import needs_second_factor
from hdnd.core.api import error_body

# Paths a signed-in user may open before giving the second factor.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/favicon.ico")


class RequireSecondFactorMiddleware:
    """Staff roles must pass TOTP before they see anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            and needs_second_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    error_body("second_factor_required", _("Confirm your sign-in with a code.")),
                    status=403,
                )
            return redirect(
                f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
