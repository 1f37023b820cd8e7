"""What the pages' forms share."""

from django import forms

from hdnd.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError, *, always_on_top: bool = False) -> None:
    """Show a service's refusal on the form: under each field it names, and its message on
    top when it names none of the form's fields (or always, with `always_on_top`)."""
    placed = False
    for name, messages in error.fields.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed = True
    if always_on_top or not placed:
        form.add_error(None, error.message)
