"""Signing in with a password, then a TOTP code; enrolling an authenticator app; changing
the password. Paths under /accounts/ are open before the second factor (see middleware),
so every view here that needs it checks it itself."""

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hdnd.accounts import services
from hdnd.accounts.forms import CodeForm, LoginForm, PasswordChangeWithPolicyForm
from hdnd.accounts.models import User
from hdnd.accounts.second_factor import confirmed_totp_device, needs_second_factor
from hdnd.core.errors import DomainError


def safe_next_url(request: HttpRequest) -> str:
    """Where to go after this step: `next` if it stays on this site, else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _signed_in_user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _is_verified(request: HttpRequest) -> bool:
    # OTPMiddleware adds is_verified(); a user signed in during this request has none yet.
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def _second_factor_step(request: HttpRequest, user: Any, next_url: str) -> str | None:
    """The page that still stands between this user and `next_url`, if any."""
    if not needs_second_factor(user) or _is_verified(request):
        return None
    if confirmed_totp_device(user) is not None:
        return _with_next("accounts:verify", next_url)
    return _with_next("accounts:setup", next_url)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_success_url(self) -> str:
        return safe_next_url(self.request)

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        auth_login(self.request, user)
        next_url = self.get_success_url()
        return HttpResponseRedirect(_second_factor_step(self.request, user, next_url) or next_url)


class _SecondFactorStepView(LoginRequiredMixin, FormView):  # type: ignore[type-arg]
    form_class = CodeForm
    url_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        step = _second_factor_step(request, request.user, safe_next_url(request))
        if step is None:
            return redirect(safe_next_url(request))
        if not step.startswith(reverse(self.url_name)):
            return redirect(step)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next_url(self.request)
        # Until the code is given every other page sends back here: base.html hides their links.
        context["second_factor_pending"] = True
        return context

    def _signed_in_with(self, device: TOTPDevice) -> HttpResponse:
        # A new session key for the stronger sign-in, as Django does for the password.
        self.request.session.cycle_key()
        otp_login(self.request, device)
        return redirect(safe_next_url(self.request))


@method_decorator(never_cache, name="dispatch")
class VerifyView(_SecondFactorStepView):
    """The second step of signing in: a code from the user's authenticator app."""

    template_name = "accounts/verify.html"
    url_name = "accounts:verify"

    def form_valid(self, form: CodeForm) -> HttpResponse:
        user = _signed_in_user(self.request)
        device = confirmed_totp_device(user)
        if device is None:
            return redirect(_with_next("accounts:setup", safe_next_url(self.request)))
        try:
            device = services.check_totp_code(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
            return self.form_invalid(form)
        return self._signed_in_with(device)


@method_decorator(never_cache, name="dispatch")  # the page shows the secret key
class SetupView(_SecondFactorStepView):
    """Enrolling an authenticator app: scan the QR code, confirm with the first code."""

    template_name = "accounts/setup.html"
    url_name = "accounts:setup"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = _signed_in_user(self.request)
        device = services.start_totp_enrolment(user=user)
        context["qr_svg"] = _qr_svg(device.config_url)
        secret = b32encode(device.bin_key).decode("ascii")
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context

    def form_valid(self, form: CodeForm) -> HttpResponse:
        user = _signed_in_user(self.request)
        try:
            device = services.start_totp_enrolment(user=user)
            device = services.confirm_totp_device(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Your authenticator app is set up."))
        return self._signed_in_with(device)


def _qr_svg(data: str) -> SafeString:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    svg = image.to_string(encoding="unicode")
    # Our own drawing of our own URL: paths only, no text from the user.
    return mark_safe(svg)  # noqa: S308


class SecondFactorRequiredMixin:
    """For views under /accounts/, which the middleware leaves open before the code."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            step = _second_factor_step(request, request.user, request.get_full_path())
            if step is not None:
                return redirect(step)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin


class PasswordChangeView(SecondFactorRequiredMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeWithPolicyForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: PasswordChangeWithPolicyForm) -> HttpResponse:
        user = services.change_password(user=form.user, password=form.cleaned_data["new_password1"])
        # Keep this session signed in (and its second factor); other sessions end.
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(SecondFactorRequiredMixin, auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class LogoutView(auth_views.LogoutView):
    """Signing out takes a POST (Django's rule since 5.0): a link or image cannot sign
    anyone out. A GET, from a bookmark or a typed address, gets a page with the button."""

    http_method_names = ["get", "head", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        pending = _second_factor_step(request, request.user, request.path) is not None
        return render(request, "accounts/logout.html", {"second_factor_pending": pending})
