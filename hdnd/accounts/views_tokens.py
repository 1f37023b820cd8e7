"""The page where a council's system administrators create and revoke its API tokens.

A new token's full text is shown once, in the response to the form that created it:
only its hash is stored, so it is never in a session, a message or a log.
"""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hdnd.accounts.access import access_api_token, access_council_tokens
from hdnd.accounts.models import ApiScope, ApiToken
from hdnd.accounts.queries import council_api_token_rows
from hdnd.accounts.tokens import create_api_token, end_of_day, revoke_api_token
from hdnd.core.errors import DomainError


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # With a single scope there is nothing to choose: it starts ticked.
        if len(ApiScope.choices) == 1:
            self.fields["scopes"].initial = [ApiScope.choices[0][0]]

    def clean_expires_on(self) -> dt.date | None:
        expires_on: dt.date | None = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return expires_on

    def expires_at(self) -> dt.datetime | None:
        expires_on = self.cleaned_data.get("expires_on")
        return None if expires_on is None else end_of_day(expires_on)


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest, council_id: int) -> HttpResponse:
    council = access_council_tokens(user=request.user, council_id=council_id)
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
    context = {
        "council": council,
        "form": form,
        "rows": council_api_token_rows(council=council, now=timezone.now()),
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
    token = access_api_token(user=request.user, council_id=council_id, token_id=token_id)
    revoke_api_token(actor=request.user, token=token)  # type: ignore[arg-type]  # a User
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens:list", council_id=token.council_id)
