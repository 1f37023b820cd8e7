"""The chair's form to prepare a poll, and reading a ballot posted from the page."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.meetings.models import AgendaItem, Meeting, Participant
from hdnd.voting.models import PollKind
from hdnd.voting.services import PassRule, SubjectSpec

# "Name — post": an em or en dash, or a hyphen with spaces around it (names themselves
# never hold one; a hyphen inside a word, as in "Lê-Nin", does not split).
CANDIDATE_SEPARATOR = re.compile(r"\s*[—–]\s*|\s+-\s+")


def split_candidate(line: str) -> tuple[str, str]:
    """A line of the candidates box as (name, post)."""
    parts = CANDIDATE_SEPARATOR.split(line.strip(), maxsplit=1)
    name = parts[0].strip()
    post = parts[1].strip() if len(parts) > 1 else ""
    return name, post


class PollForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PollKind.choices, initial=PollKind.MOTION)
    title = forms.CharField(label=_("Title"), max_length=500)
    text = forms.CharField(
        label=_("Motion text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agenda_item = forms.TypedChoiceField(
        label=_("Agenda item"), required=False, coerce=int, empty_value=None
    )
    is_secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        help_text=_("Confidence ratings and elections are always secret."),
    )
    rule = forms.ChoiceField(
        label=_("Pass rule"), choices=PassRule.choices, initial=PassRule.MAJORITY
    )
    numerator = forms.IntegerField(
        label=_("Share: numerator"), required=False, min_value=1, max_value=1000
    )
    denominator = forms.IntegerField(
        label=_("Share: denominator"), required=False, min_value=1, max_value=1000
    )
    strict = forms.BooleanField(
        label=_("More than the share (otherwise at least)"), required=False, initial=True
    )
    people = forms.TypedMultipleChoiceField(
        label=_("People rated (confidence rating)"), required=False, coerce=int
    )
    candidates = forms.CharField(
        label=_("Candidates (election), one per line: name — post"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seats = forms.IntegerField(label=_("Posts to fill"), min_value=1, max_value=100, initial=1)
    allow_change = forms.BooleanField(
        label=_("Delegates may change their vote while it is open (named polls)"), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")
        self.fields["agenda_item"].choices = [("", "—")] + [(item.pk, item.title) for item in items]  # type: ignore[attr-defined]  # a ChoiceField
        people = Participant.objects.filter(meeting=meeting).select_related("person")
        self.fields["people"].choices = [(p.person_id, p.person.full_name) for p in people]  # type: ignore[attr-defined]  # a ChoiceField

    # The console shows these apart, folded: a motion (the usual poll) needs none of them.
    SHARE_FIELDS = ("numerator", "denominator", "strict")
    SUBJECT_FIELDS = ("people", "candidates", "seats")

    def main_fields(self) -> list[Any]:
        folded = {*self.SHARE_FIELDS, *self.SUBJECT_FIELDS}
        return [field for field in self if field.name not in folded]

    def share_fields(self) -> list[Any]:
        return [self[name] for name in self.SHARE_FIELDS]

    def subject_fields(self) -> list[Any]:
        return [self[name] for name in self.SUBJECT_FIELDS]

    def service_settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["kind"]
        subjects: list[SubjectSpec] = []
        if kind == PollKind.CONFIDENCE:
            # The service names each person with their post.
            subjects = [SubjectSpec(person_id=person_id) for person_id in data["people"]]
        elif kind == PollKind.ELECTION:
            for line in data["candidates"].splitlines():
                name, post = split_candidate(line)
                if name:
                    subjects.append(SubjectSpec(label=name, post=post))
        return {
            "kind": kind,
            "title": data["title"],
            "text": data["text"],
            "agenda_item_id": data["agenda_item"],
            "is_secret": data["is_secret"],
            "rule": data["rule"],
            "numerator": data["numerator"],
            "denominator": data["denominator"],
            "strict": data["strict"],
            "seats": data["seats"] or 1,
            "allow_change": data["allow_change"],
            "subjects": subjects,
        }


def posted_choices(data: Any) -> dict[int, str]:
    """The ballot from a posted form: fields "choice_<subject id>" = choice."""
    choices: dict[int, str] = {}
    for key in data:
        if key.startswith("choice_") and key[7:].isdigit():
            choices[int(key[7:])] = str(data.get(key, ""))[:12]
    return choices
