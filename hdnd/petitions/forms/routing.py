"""Forms: the routing table, field committees, deadline rules, and the routing actions on
a petition (assign, re-route, change classification, forward, move to another council,
escalate to the standing committee).

Choices come in as lists built once per page, so a page with several forms reads the
council's agencies once. The services check every choice again.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.petitions.models import CompetenceLevel, DayCounting, RouteKind

Choices = list[tuple[Any, Any]]

ROUTABLE_LEVELS: Choices = [
    (CompetenceLevel.CITY.value, CompetenceLevel.CITY.label),
    (CompetenceLevel.COMMUNE.value, CompetenceLevel.COMMUNE.label),
]


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RoutingRuleForm(_Form):
    field = forms.TypedChoiceField(label=_("Field"), coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("Competence level"), choices=ROUTABLE_LEVELS)
    agency = forms.TypedChoiceField(
        label=_("Responsible agency"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty to take the field out of the routing table."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, fields: Choices, agencies: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("— choose —")), *fields]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["agency"].choices = [("", _("— nobody —")), *agencies]  # type: ignore[attr-defined]  # idem


class FieldCommitteeForm(_Form):
    field = forms.TypedChoiceField(label=_("Field"), coerce=int, empty_value=None)
    committee = forms.TypedChoiceField(
        label=_("Committee in charge"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty when no committee is in charge of the field."),
    )

    def __init__(self, *args: Any, fields: Choices, committees: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("— choose —")), *fields]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["committee"].choices = [("", _("— none —")), *committees]  # type: ignore[attr-defined]  # idem


class DeadlineRuleForm(_Form):
    route = forms.ChoiceField(label=_("Applies to"), choices=RouteKind.choices)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=366)
    counting = forms.ChoiceField(
        label=_("Counting"), choices=DayCounting.choices, initial=DayCounting.CALENDAR
    )
    remind_days_before = forms.IntegerField(
        label=_("Remind this many days before the deadline"), min_value=0, max_value=60, initial=5
    )
    escalate_days_after = forms.IntegerField(
        label=_("Escalate to the standing committee this many days after the deadline"),
        min_value=0,
        max_value=366,
        initial=0,
        help_text=_("0: on the first day the answer is overdue."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=200,
        required=False,
        help_text=_("For example: QĐ 33/2017/QĐ-TTg, amended by QĐ 30/2020/QĐ-TTg."),
    )


class _PetitionForm(_Form):
    """An action on a petition: carries the version the user loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignForm(_PetitionForm):
    lead_agency = forms.TypedChoiceField(label=_("Lead agency"), coerce=int, empty_value=None)
    coordinating_agencies = forms.TypedMultipleChoiceField(
        label=_("Coordinating agencies"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    reason = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Why, when you choose another agency than the routing table proposes."),
    )

    def __init__(self, *args: Any, agencies: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].choices = [("", _("— choose —")), *agencies]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["coordinating_agencies"].choices = agencies  # type: ignore[attr-defined]  # idem


class RerouteForm(AssignForm):
    restart_deadline = forms.BooleanField(
        label=_("Count the deadline again from today"), required=False
    )

    def __init__(self, *args: Any, agencies: Choices, **kwargs: Any) -> None:
        super().__init__(*args, agencies=agencies, **kwargs)
        reason = self.fields["reason"]
        reason.label = _("Reason")
        reason.required = True
        reason.help_text = ""


class ClassificationForm(_PetitionForm):
    field = forms.TypedChoiceField(label=_("Field"), coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("Competence level"), choices=CompetenceLevel.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, fields: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("— choose —")), *fields]  # type: ignore[attr-defined]  # a ChoiceField


class ForwardForm(_PetitionForm):
    reference = forms.CharField(
        label=_("Forwarding document"),
        max_length=100,
        help_text=_("Number and symbol of the letter to the National Assembly delegation."),
    )


class TransferForm(_PetitionForm):
    to_council = forms.TypedChoiceField(label=_("Move to"), coerce=int, empty_value=None)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, councils: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_council"].choices = [("", _("— choose —")), *councils]  # type: ignore[attr-defined]  # a ChoiceField


class EscalateForm(_PetitionForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What the standing committee should know, e.g. the agency has not answered the "
            "reminders. The standing committee is notified at once."
        ),
    )


class DeadlineListForm(_Form):
    days = forms.IntegerField(
        label=_("Due within (days)"), min_value=0, max_value=90, required=False
    )
