"""Django's and DRF's messages that their Vietnamese catalogs lack come from ours
(hdnd/core/third_party_messages.py)."""

import ast
from pathlib import Path

import django
import pytest
import rest_framework
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from rest_framework import serializers

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "hdnd" / "core" / "third_party_messages.py"


def _marked_messages() -> list[tuple[str, ...]]:
    """The msgids the module marks: (msgid,) or (msgid, msgid_plural)."""
    return [
        tuple(ast.literal_eval(arg) for arg in node.args)
        for node in ast.walk(ast.parse(MODULE.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"gettext_noop", "ngettext_lazy"}
    ]


def _third_party_sources() -> str:
    packages = [Path(django.__file__).parent, Path(rest_framework.__file__).parent]
    return "\n".join(
        path.read_text(encoding="utf-8")
        for package in packages
        for pattern in ("**/*.py", "**/*.html")
        for path in package.glob(pattern)
    )


def test_a_drf_integer_error_is_in_vietnamese():
    field = serializers.IntegerField(max_value=500)
    with translation.override("vi"):
        with pytest.raises(serializers.ValidationError) as invalid:
            field.run_validation("abc")
        with pytest.raises(serializers.ValidationError) as too_big:
            field.run_validation("501")
    assert invalid.value.detail == ["Phải là một số nguyên hợp lệ."]
    assert too_big.value.detail == ["Giá trị này phải nhỏ hơn hoặc bằng 500."]


def test_a_drf_choice_error_is_in_vietnamese_with_the_value_in_it():
    field = serializers.ChoiceField(choices=["chair", "delegate"])
    with translation.override("vi"), pytest.raises(serializers.ValidationError) as error:
        field.run_validation("mayor")
    assert error.value.detail == ["“mayor” không phải là lựa chọn hợp lệ."]


def test_the_minimum_password_length_message_is_in_vietnamese():
    with translation.override("vi"), pytest.raises(DjangoValidationError) as error:
        MinimumLengthValidator(min_length=12).validate("ngắn")
    assert error.value.messages == ["Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 12 ký tự."]


def test_every_marked_message_is_translated():
    messages = _marked_messages()
    assert len(messages) > 20
    with translation.override("vi"):
        for message in messages:
            if len(message) == 2:
                assert translation.ngettext(*message, 1) != message[0]
                assert translation.ngettext(*message, 5) != message[1]
            else:
                assert translation.gettext(message[0]) != message[0]


def test_every_marked_message_is_still_a_message_of_django_or_drf():
    # An upgrade that rewords a message would leave our entry unused and bring the English
    # back; this notices it.
    sources = _third_party_sources()
    missing = [text for message in _marked_messages() for text in message if text not in sources]
    assert missing == []
