"""Forms of the floor (requests to speak, the chair's controls) and of questioning. They
parse input only; the services decide what is allowed."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.meetings.models import (
    VOTING_ROLES,
    Meeting,
    Participant,
    QuestionKind,
    QuestionTopic,
    SpeechKind,
)
from hdnd.meetings.queries.questioning import linkable_petitions, respondents_of
from hdnd.meetings.services.questioning import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from hdnd.meetings.services.speaking import (
    MAX_LIMIT_SECONDS,
    MIN_LIMIT_SECONDS,
    NOTE_MAX_LENGTH,
    Move,
)

MOVE_CHOICES = [(Move.UP.value, _("Up")), (Move.DOWN.value, _("Down")), (Move.TOP.value, _("Top"))]
FOLLOW_UP_KINDS = [
    (QuestionKind.FOLLOW_UP.value, QuestionKind.FOLLOW_UP.label),
    (QuestionKind.DEBATE.value, QuestionKind.DEBATE.label),
]


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(name)
    return field


def _person_choices(participants: Any) -> list[tuple[int, str]]:
    return [
        (one.pk, f"{one.person} — {one.title}" if one.title else str(one.person))
        for one in participants
    ]


class SpeechRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SpeechKind.choices)
    note = forms.CharField(label=_("Topic"), max_length=NOTE_MAX_LENGTH, required=False)


class AddSpeakerForm(SpeechRequestForm):
    participant = forms.TypedChoiceField(label=_("Speaker"), coerce=int)
    limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        min_value=max(MIN_LIMIT_SECONDS // 60, 1),
        max_value=MAX_LIMIT_SECONDS // 60,
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participants = Participant.objects.select_related("person").filter(meeting_id=meeting.pk)
        _choices(self, "participant").choices = _person_choices(participants)


class LimitForm(forms.Form):
    limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        min_value=max(MIN_LIMIT_SECONDS // 60, 1),
        max_value=MAX_LIMIT_SECONDS // 60,
    )


class MoveForm(forms.Form):
    move = forms.ChoiceField(choices=MOVE_CHOICES)


class GrantForm(forms.Form):
    request = forms.IntegerField(min_value=1, required=False)
    end_current = forms.BooleanField(required=False)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=TITLE_MAX_LENGTH)
    respondents = forms.TypedMultipleChoiceField(
        label=_("Respondents"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    petitions = forms.TypedMultipleChoiceField(
        label=_("Voter petitions flagged for questioning"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "respondents").choices = _person_choices(respondents_of(meeting))
        _choices(self, "petitions").choices = linkable_petitions(meeting)


class QuestionForm(forms.Form):
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, required=False, empty_value=None)
    respondent = forms.TypedChoiceField(label=_("Addressed to"), coerce=int)
    text = forms.CharField(
        label=_("Question"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    asker = forms.TypedChoiceField(
        label=_("Asked by"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: Any, meeting: Meeting, for_others: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        topics = QuestionTopic.objects.filter(meeting_id=meeting.pk).order_by("position", "id")
        _choices(self, "topic").choices = [("", "—"), *[(one.pk, one.title) for one in topics]]
        respondents = _person_choices(respondents_of(meeting))
        _choices(self, "respondent").choices = respondents
        if not respondents:
            self.fields["respondent"].help_text = _(
                "No official is invited to answer questions yet: the council's office adds "
                "them on the meeting's page, as participants with the role of respondent."
            )
        if for_others:
            delegates = Participant.objects.select_related("person").filter(
                meeting_id=meeting.pk, role__in=[str(role) for role in VOTING_ROLES]
            )
            _choices(self, "asker").choices = [("", "—"), *_person_choices(delegates)]
        else:
            del self.fields["asker"]


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FOLLOW_UP_KINDS)
    text = forms.CharField(
        label=_("Text"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False)


class AnswerForm(VersionForm):
    answer = forms.CharField(
        label=_("Answer (summary)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionMoveForm(VersionForm):
    move = forms.ChoiceField(choices=MOVE_CHOICES)
