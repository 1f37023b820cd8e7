"""Forms of the agenda. They parse input; the rules live in services/agenda.py."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.councils.models import Person
from hdnd.meetings.models import AgendaItem, Meeting, Participant, Sitting
from hdnd.meetings.queries.agenda import agenda_rows


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    parent = forms.ModelChoiceField(
        label=_("Under item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("(top level)"),
    )
    presenter = forms.ModelChoiceField(
        label=_("Presenter"), queryset=Person.objects.none(), required=False
    )
    presenter_text = forms.CharField(
        label=_("Or who presents, as written"), max_length=300, required=False
    )
    sitting = forms.ModelChoiceField(
        label=_("Sitting"), queryset=Sitting.objects.none(), required=False
    )
    planned_start = forms.TimeField(
        label=_("Planned start"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    planned_minutes = forms.IntegerField(
        label=_("Planned minutes"), required=False, min_value=1, max_value=1440
    )

    def __init__(
        self, *args: Any, meeting: Meeting, item: AgendaItem | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        numbers = {row.item.pk: row.number for row in agenda_rows(meeting)}
        parent = cast("forms.ModelChoiceField[Any]", self.fields["parent"])
        parents = AgendaItem.objects.filter(meeting_id=meeting.pk)
        if item is not None:
            parents = parents.exclude(id=item.pk)
        parent.queryset = parents
        parent.label_from_instance = lambda obj: f"{numbers.get(obj.pk, '')} {obj.title}"  # type: ignore[method-assign]  # numbered per meeting
        presenter = cast("forms.ModelChoiceField[Any]", self.fields["presenter"])
        presenter.queryset = Person.objects.filter(
            id__in=Participant.objects.filter(meeting_id=meeting.pk).values("person_id")
        ).order_by("full_name")
        sitting = cast("forms.ModelChoiceField[Any]", self.fields["sitting"])
        sitting.queryset = Sitting.objects.filter(meeting_id=meeting.pk).order_by("number")
        if item is not None and not self.is_bound:
            self.initial.update(
                {
                    "title": item.title,
                    "description": item.description,
                    "parent": item.parent_id,
                    "presenter": item.presenter_id,
                    "presenter_text": item.presenter_text,
                    "sitting": item.sitting_id,
                    "planned_start": item.planned_start,
                    "planned_minutes": item.planned_minutes,
                }
            )


class PositionForm(forms.Form):
    position = forms.IntegerField(
        label=_("Position among its siblings"), min_value=1, max_value=10000
    )
