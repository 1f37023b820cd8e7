"""{% voting_console as console %} and {% voting_ballot as ballot %}: the voting panels'
data, for the meeting pages that include them (context: meeting, request)."""

from typing import Any

from django import template

from hdnd.voting.panels import ballot_data, console_data

register = template.Library()


@register.simple_tag(takes_context=True)
def voting_console(context: Any) -> dict[str, Any]:
    if "console" in context:  # rendered by the panel endpoint, which built it already
        return dict(context["console"])
    return console_data(context["request"].user, context["meeting"])


@register.simple_tag(takes_context=True)
def voting_ballot(context: Any) -> dict[str, Any]:
    if "ballot" in context:
        return dict(context["ballot"])
    return ballot_data(context["request"].user, context["meeting"])
