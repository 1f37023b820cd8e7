"""The office's attendance form; the rules live in services/attendance.py."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.meetings.forms.meetings import ParticipantChoiceField
from hdnd.meetings.models import AttendanceStatus, Meeting, Participant, Sitting, SittingStatus


class RecordAttendanceForm(forms.Form):
    participant = ParticipantChoiceField(
        label=_("Participant"), queryset=Participant.objects.none()
    )
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("Reason for absence"), max_length=500, required=False)
    sitting = forms.ModelChoiceField(
        label=_("Sitting"),
        queryset=Sitting.objects.none(),
        required=False,
        empty_label=_("(the open sitting)"),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participant = cast("forms.ModelChoiceField[Any]", self.fields["participant"])
        participant.queryset = Participant.objects.filter(meeting_id=meeting.pk).select_related(
            "person"
        )
        sitting = cast("forms.ModelChoiceField[Any]", self.fields["sitting"])
        sitting.queryset = (
            Sitting.objects.filter(meeting_id=meeting.pk)
            .exclude(status=SittingStatus.CLOSED)
            .order_by("number")
        )
