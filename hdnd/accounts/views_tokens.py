"""The page where a council's system administrators create and revoke its API tokens.

A new token's full text is shown once, in the response to the form that created it:
only its hash is stored, so it is never in a session, a message or a log.
"""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hdnd.accounts.models import ApiScope, ApiToken, Role
from hdnd.accounts.roles import has_role, is_platform_admin
from hdnd.accounts.tokens import create_api_token, revoke_api_token
from hdnd.core.errors import DomainError, NotFound, PermissionDenied
from hdnd.councils.access import access_council
from hdnd.councils.models import Council


def access_council_tokens(*, user: Any, council_id: int) -> Council:
    """A council's API tokens: its system administrators, and platform administrators."""
    council = access_council(user=user, council_id=council_id)
    if is_platform_admin(user):
        return council
    if has_role(user, council_id=council.pk, roles={Role.SYSTEM_ADMIN}):
        return council
    raise PermissionDenied(
        _("Only the system administrators of this council may manage its API tokens.")
    )


def council_api_tokens(*, council: Council) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(council=council)
        .select_related("created_by")
        .order_by("-created_at", "id")
    )


def expires_end_of(token: ApiToken) -> dt.date | None:
    """The day a token expires at the end of, when it was set that way (the form does)."""
    if token.expires_at is None:
        return None
    local = timezone.localtime(token.expires_at)
    if local.time() != dt.time.min:
        return None
    return local.date() - dt.timedelta(days=1)


def token_status(token: ApiToken, *, now: dt.datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=120,
        help_text=gettext_lazy("Which system uses the token, e.g. “Commune web portal”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "The token works until the end of this day. Leave empty: no expiry."
        ),
    )

    def clean_expires_on(self) -> dt.date | None:
        expires_on: dt.date | None = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return expires_on

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day, in the platform's time zone (Asia/Ho_Chi_Minh)."""
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        next_day = dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(next_day)


def _council_or_refuse(request: HttpRequest, council_id: int) -> Council:
    try:
        return access_council_tokens(user=request.user, council_id=council_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _council_or_refuse(request, council_id)
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    created: ApiToken | None = None
    secret = ""
    if form.is_bound and form.is_valid():
        try:
            created, secret = create_api_token(
                actor=request.user,  # type: ignore[arg-type]  # login_required: a User
                council=council,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            form = ApiTokenForm()
    now = timezone.now()
    rows = [
        {
            "token": token,
            "status": token_status(token, now=now),
            "expires_end_of": expires_end_of(token),
        }
        for token in council_api_tokens(council=council)
    ]
    context = {
        "council": council,
        "form": form,
        "rows": rows,
        "created": created,
        "created_secret": secret,
    }
    response = render(request, "accounts/tokens.html", context)
    if secret:
        # The only copy of the secret: keep it out of every cache.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, council_id: int, token_id: int) -> HttpResponse:
    council = _council_or_refuse(request, council_id)
    token = get_object_or_404(ApiToken, pk=token_id, council=council)
    revoke_api_token(actor=request.user, token=token)  # type: ignore[arg-type]  # a User
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens:list", council_id=council.pk)
