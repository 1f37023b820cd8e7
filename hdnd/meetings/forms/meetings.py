"""Forms of the meeting pages (details, status changes, participants, sittings). They
parse input; the rules live in services/meetings.py, participants.py and sittings.py."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.councils.models import Agency, Committee, Council, Person, Term
from hdnd.meetings.models import Meeting, MeetingKind, Participant, SittingPart
from hdnd.meetings.queries import meetings as queries
from hdnd.meetings.services.participants import ADDED_ROLES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none())
    number = forms.IntegerField(
        label=_("Session number (kỳ họp thứ)"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_(
            "Sessions only: regular, thematic and extraordinary sessions share one numbering."
        ),
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.none(),
        required=False,
        help_text=_("Committee meetings only."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)
    is_closed = forms.BooleanField(
        label=_("Closed meeting (họp kín)"),
        required=False,
        help_text=_("Only participants and the office see a closed meeting."),
    )
    quorum_numerator = forms.IntegerField(
        label=_("Quorum: numerator"), min_value=1, max_value=100, initial=2
    )
    quorum_denominator = forms.IntegerField(
        label=_("Quorum: denominator"), min_value=1, max_value=100, initial=3
    )
    allow_vote_change = forms.BooleanField(
        label=_("Delegates may change their vote while a poll is open"),
        required=False,
        initial=True,
    )
    speech_limit_seconds = forms.IntegerField(
        label=_("Speaking time limit (seconds)"), min_value=30, max_value=3600, initial=420
    )
    speech_warning_seconds = forms.IntegerField(
        label=_("Warning before the end (seconds)"), min_value=0, max_value=3600, initial=60
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(
        self, *args: Any, council: Council, meeting: Meeting | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        self.meeting = meeting
        term_field = cast("forms.ModelChoiceField[Any]", self.fields["term"])
        term_field.queryset = queries.council_terms(council_id=council.pk)
        committee_field = cast("forms.ModelChoiceField[Any]", self.fields["committee"])
        committee_field.queryset = queries.council_committees(council_id=council.pk)
        if meeting is not None:
            # Fixed once the participants were seeded from them.
            for name in ("term", "committee"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            if not self.is_bound:
                self.initial.update(
                    {
                        name: getattr(meeting, name)
                        for name in (
                            "kind",
                            "number",
                            "title",
                            "venue",
                            "starts_on",
                            "ends_on",
                            "is_closed",
                            "quorum_numerator",
                            "quorum_denominator",
                            "allow_vote_change",
                            "speech_limit_seconds",
                            "speech_warning_seconds",
                            "version",
                        )
                    }
                )
                self.initial.update({"term": meeting.term_id, "committee": meeting.committee_id})

    def create_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("kind") != MeetingKind.COMMITTEE:
            data["committee"] = None
        return data

    def changes(self) -> dict[str, Any]:
        data = self.create_arguments()
        for name in ("term", "committee"):
            data.pop(name, None)
        return data


class CancelForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ParticipantForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False
    )
    new_name = forms.CharField(
        label=_("Or the name of someone not listed"), max_length=150, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (value, label)
            for value, label in Participant._meta.get_field("role").choices or []
            if value in ADDED_ROLES
        ],
    )
    title = forms.CharField(label=_("Title or post"), max_length=300, required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    seat = forms.CharField(label=_("Seat in the room"), max_length=20, required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council = meeting.council
        person_field = cast("forms.ModelChoiceField[Any]", self.fields["person"])
        person_field.queryset = queries.candidate_people(council).exclude(
            id__in=Participant.objects.filter(meeting_id=meeting.pk).values("person_id")
        )
        agency_field = cast("forms.ModelChoiceField[Any]", self.fields["agency"])
        councils = [council.pk, *([council.parent_id] if council.parent_id else [])]
        agency_field.queryset = Agency.objects.filter(
            council_id__in=councils, is_active=True
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not (data.get("new_name") or "").strip():
            self.add_error("person", _("Choose a person or write a name."))
        if data.get("person") and (data.get("new_name") or "").strip():
            self.add_error("new_name", _("Choose a person or write a name, not both."))
        return data


class ParticipantChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not subscriptable at run time
    def label_from_instance(self, obj: Participant) -> str:
        return obj.person.full_name


class ChairForm(forms.Form):
    participant = ParticipantChoiceField(label=_("Chair"), queryset=Participant.objects.none())

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Any]", self.fields["participant"])
        field.queryset = Participant.objects.filter(
            meeting_id=meeting.pk, membership__isnull=False
        ).select_related("person")


class SittingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    part = forms.ChoiceField(label=_("Part of the day"), choices=SittingPart.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    is_closed = forms.BooleanField(label=_("Closed sitting"), required=False)
