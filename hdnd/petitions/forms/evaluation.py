"""Forms: evaluating an answer, flagging a questioning topic (and taking it off),
carrying petitions over."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd.petitions.models import Decision, ResultCategory, SessionCycle, Verdict

CLOSABLE = {ResultCategory.RESOLVED, ResultCategory.EXPLAINED}
MONITORED = {ResultCategory.IN_PROGRESS, ResultCategory.WILL_RESOLVE}
REOPENING = {Decision.RESUPERVISE, Decision.QUESTIONING}


class RatingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(
        label=_("Evaluation"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    decision = forms.ChoiceField(
        label=_("What follows"), choices=Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the answer is not satisfactory."),
    )

    def __init__(self, *args: Any, result: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.result = result

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        verdict, decision = cleaned.get("verdict"), cleaned.get("decision")
        if not verdict or not decision:
            return cleaned
        if verdict == Verdict.SATISFACTORY:
            if decision in REOPENING:
                self.add_error("decision", _("Close it, or keep monitoring the roadmap."))
            elif decision == Decision.CLOSE and self.result and self.result not in CLOSABLE:
                self.add_error(
                    "decision",
                    _(
                        "The agency is still carrying this out: keep monitoring the roadmap "
                        "rather than closing it."
                    ),
                )
            elif decision == Decision.MONITOR and self.result and self.result not in MONITORED:
                self.add_error("decision", _("Nothing is left to monitor: close it as resolved."))
            return cleaned
        if not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Explain why the answer is not satisfactory."))
        if decision not in REOPENING:
            self.add_error("decision", _("Re-open it, or flag it as a questioning topic."))
        return cleaned


class QuestioningFlagForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why it should be questioned"),
        required=False,
        max_length=450,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestioningUnflagForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why it is no longer a questioning topic"),
        max_length=450,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# ModelChoiceField is generic only in django-stubs (settings do not monkeypatch it).
if TYPE_CHECKING:
    _CycleChoiceBase = forms.ModelChoiceField[SessionCycle]
else:
    _CycleChoiceBase = forms.ModelChoiceField


class CycleChoiceField(_CycleChoiceBase):
    def label_from_instance(self, obj: SessionCycle) -> str:
        return f"{obj.name} · {obj.term.name} ({obj.session_date:%d/%m/%Y})"


def _cycle_field(label: Any) -> CycleChoiceField:
    return CycleChoiceField(label=label, queryset=SessionCycle.objects.none())


class CarryOverForm(forms.Form):
    from_cycle = _cycle_field(_("From session"))
    to_cycle = _cycle_field(_("To session"))

    def __init__(self, *args: Any, council_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        cycles = (
            SessionCycle.objects.filter(council_id=council_id)
            .select_related("term")
            .order_by("-session_date")
        )
        for name in ("from_cycle", "to_cycle"):
            field = cast("forms.ModelChoiceField[SessionCycle]", self.fields[name])
            field.queryset = cycles

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source, target = cleaned.get("from_cycle"), cleaned.get("to_cycle")
        if source and target and target.session_date <= source.session_date:
            self.add_error("to_cycle", _("Choose a session held after the one you move from."))
        return cleaned


class QuestioningFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Session cycle"),
        queryset=SessionCycle.objects.none(),
        required=False,
        empty_label=_("Any session"),
    )

    def __init__(self, *args: Any, council_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[SessionCycle]", self.fields["cycle"])
        field.queryset = SessionCycle.objects.filter(council_id=council_id).order_by(
            "-session_date"
        )
