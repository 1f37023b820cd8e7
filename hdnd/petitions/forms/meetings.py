"""Forms of the voter-contact meeting pages. They parse input; the rules live in
services/meetings.py."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd.core.errors import DomainError
from hdnd.councils.models import AdministrativeUnit, Agency, Council, DelegateGroup, Membership
from hdnd.petitions.models import (
    ContactMeeting,
    MeetingFormat,
    MeetingStatus,
    MeetingTiming,
    Organiser,
    SessionCycle,
    VoterItem,
)
from hdnd.petitions.queries.intake import council_units
from hdnd.petitions.queries.meetings import delegate_options, eligible_memberships
from hdnd.petitions.services.meetings import check_minutes_file

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def delegate_label(seat: Membership) -> str:
    """How a seat reads in the picker: the person, then the council they sit on."""
    return f"{seat.person.full_name} — {seat.council.unit.name}"


class DelegateChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # generic in the stubs only
    def label_from_instance(self, obj: Membership) -> str:
        return delegate_label(obj)


class MeetingFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Session cycle"),
        required=False,
        queryset=SessionCycle.objects.none(),
        empty_label=_("Any session"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *MeetingStatus.choices]
    )
    timing = forms.ChoiceField(
        label=_("Kind of meeting"),
        required=False,
        choices=[("", _("Any kind")), *MeetingTiming.choices],
    )

    def __init__(self, data: Any, *, council: Council) -> None:
        super().__init__(data, label_suffix="")
        cycle_field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        cycle_field.queryset = SessionCycle.objects.filter(council=council)


class MeetingForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Session cycle"), queryset=SessionCycle.objects.none())
    timing = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingTiming.choices)
    topic = forms.CharField(
        label=_("Theme or target group"),
        required=False,
        max_length=300,
        help_text=_("Required for a thematic meeting or a meeting with a target group."),
    )
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    unit = forms.ModelChoiceField(
        label=_("Place (unit)"), queryset=AdministrativeUnit.objects.none()
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=300)
    format = forms.ChoiceField(
        label=_("Format"), choices=MeetingFormat.choices, initial=MeetingFormat.IN_PERSON
    )
    organisers = forms.MultipleChoiceField(
        label=_("Organisers"),
        required=False,
        choices=Organiser.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    delegate_group = forms.ModelChoiceField(
        label=_("Delegate group"),
        required=False,
        queryset=DelegateGroup.objects.none(),
        empty_label=_("No delegate group"),
    )
    delegates_present = DelegateChoiceField(
        label=_("Delegates present"),
        required=False,
        queryset=Membership.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Hold Ctrl (or ⌘) to choose several. Search by name or commune to find commune "
            "delegates for a joint meeting."
        ),
    )
    voters_attending = forms.IntegerField(
        label=_("Voters attending"), required=False, min_value=0, max_value=1_000_000
    )
    minutes_file = forms.FileField(
        label=_("Minutes (biên bản)"),
        required=False,
        help_text=_("PDF, DOCX, JPG or PNG."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        council: Council,
        groups: QuerySet[DelegateGroup] | None = None,
        meeting: ContactMeeting | None = None,
        delegate_query: str = "",
    ) -> None:
        """`groups`: the delegate groups the user may record meetings for (None: all of
        the council's; a group leader must choose one of theirs)."""
        initial = _meeting_initial(meeting) if meeting is not None else {}
        super().__init__(data, files, initial=initial, label_suffix="")
        self.council = council
        cast(
            "forms.ModelChoiceField[SessionCycle]", self.fields["cycle"]
        ).queryset = SessionCycle.objects.filter(council=council).order_by("-session_date")
        cast(
            "forms.ModelChoiceField[AdministrativeUnit]", self.fields["unit"]
        ).queryset = council_units(council=council)
        group_field = cast("forms.ModelChoiceField[DelegateGroup]", self.fields["delegate_group"])
        if groups is None:
            group_field.queryset = DelegateGroup.objects.filter(council=council).order_by(
                "-term__start_date", "name"
            )
        else:
            group_field.queryset = groups
            group_field.required = True
            group_field.empty_label = None
        seats = cast("DelegateChoiceField", self.fields["delegates_present"])
        seats.queryset = eligible_memberships(council=council).select_related(
            "person", "council__unit"
        )
        # Render only the chosen seats and the matches of the search; validate against all.
        chosen = self._chosen_seat_ids()
        day = timezone.localdate(meeting.starts_at) if meeting is not None else None
        seats.widget.choices = [
            (seat.pk, delegate_label(seat))
            for seat in delegate_options(
                council=council, on=day, query=delegate_query, selected_ids=chosen
            )
        ]
        if meeting is not None:
            self.fields["version"].required = True
            if meeting.status == MeetingStatus.HELD:
                self.fields["voters_attending"].required = True
                self.fields["voters_attending"].min_value = 1  # type: ignore[attr-defined]  # IntegerField

    def _chosen_seat_ids(self) -> list[int]:
        raw: Iterable[Any]
        if self.is_bound:
            raw = self.data.getlist("delegates_present") if hasattr(self.data, "getlist") else []
        else:
            raw = self.initial.get("delegates_present", [])
        return [int(value) for value in raw if str(value).isdecimal()]

    def clean_minutes_file(self) -> UploadedFile | None:
        # A new upload, or nothing: the form never clears the minutes already kept.
        upload = self.cleaned_data.get("minutes_file")
        if not isinstance(upload, UploadedFile):
            return None
        try:
            check_minutes_file(upload)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "cycle": data["cycle"],
            "timing": data["timing"],
            "topic": data["topic"],
            "starts_at": data["starts_at"],
            "unit": data["unit"],
            "venue": data["venue"],
            "organisers": data["organisers"],
            "delegate_group": data["delegate_group"],
            "delegates_present": list(data["delegates_present"]),
            "voters_attending": data["voters_attending"],
            "notes": data["notes"],
            "minutes_file": data["minutes_file"],
        }


def _meeting_initial(meeting: ContactMeeting) -> dict[str, Any]:
    return {
        "cycle": meeting.cycle_id,
        "timing": meeting.timing,
        "topic": meeting.topic,
        "starts_at": meeting.starts_at,
        "unit": meeting.unit_id,
        "venue": meeting.venue,
        "format": meeting.format,
        "organisers": meeting.organisers,
        "delegate_group": meeting.delegate_group_id,
        "delegates_present": [seat.pk for seat in meeting.delegates_present.all()],
        "voters_attending": meeting.voters_attending,
        "notes": meeting.notes,
        "version": meeting.version,
    }


class HoldForm(forms.Form):
    voters_attending = forms.IntegerField(
        label=_("Voters attending"), min_value=1, max_value=1_000_000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SpotAnswerForm(forms.Form):
    official_name = forms.CharField(label=_("Official"), max_length=150)
    official_title = forms.CharField(
        label=pgettext_lazy("a person's post", "Title"), required=False, max_length=200
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.none(),
        empty_label=_("No agency"),
    )
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    item = forms.ModelChoiceField(
        label=_("Voter item answered"),
        required=False,
        queryset=VoterItem.objects.none(),
        empty_label=_("The meeting as a whole"),
    )
    settles_item = forms.BooleanField(label=_("The voter accepted the answer"), required=False)

    def __init__(self, data: Any = None, *, meeting: ContactMeeting) -> None:
        super().__init__(data, label_suffix="", prefix="answer")
        # The council's agencies and, at a commune, that commune's (a city has thousands).
        councils = Q(council_id=meeting.council_id) | Q(council__unit_id=meeting.unit_id)
        cast("forms.ModelChoiceField[Agency]", self.fields["agency"]).queryset = (
            Agency.objects.filter(councils, is_active=True)
            .select_related("council")
            .order_by("council__level", "name")
        )
        cast(
            "forms.ModelChoiceField[VoterItem]", self.fields["item"]
        ).queryset = VoterItem.objects.filter(meeting=meeting).order_by("id")
