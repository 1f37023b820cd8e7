"""Sign-in, second-factor and password forms. They check the shape of the input; the
rules (is the code right, is the device throttled) live in services."""

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

CODE_DIGITS = 6
# People copy codes as "123 456" or "123-456"; spaces (also non-breaking ones) and dashes go.
_CODE_SEPARATORS = re.compile(r"[\s\-]+")


class LoginForm(AuthenticationForm):
    """Django's form: it passes the request to authenticate(), which django-axes needs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
        error_messages={"required": _("Enter the 6-digit code.")},
    )

    def clean_code(self) -> str:
        code = _CODE_SEPARATORS.sub("", self.cleaned_data["code"])
        if not code.isascii() or not code.isdigit():
            raise forms.ValidationError(
                _("The code has digits only, like 123456."), code="not_digits"
            )
        if len(code) != CODE_DIGITS:
            raise forms.ValidationError(
                _("The code has exactly 6 digits; you entered %(count)d."),
                code="wrong_length",
                params={"count": len(code)},
            )
        return code


class PasswordChangeWithPolicyForm(PasswordChangeForm):
    """Django's form, which runs AUTH_PASSWORD_VALIDATORS on the new password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs.update({"autocomplete": "new-password"})
