"""The forms behind the transition buttons of an item's page (parsing only: the actions check)."""

from typing import Any

from django import forms

from kaifaqu.access.users import ActingUser
from kaifaqu.units.models import Unit


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label="牵头单位")
    supporting_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), label="配合单位", required=False
    )
    note = forms.CharField(label="派单说明", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.restrict(user).filter(active=True).select_related("region")
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["supporting_units"].queryset = units  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ExtensionForm(NoteForm):
    until = forms.DateField(label="申请延至", widget=forms.DateInput(attrs={"type": "date"}))


class DecisionForm(NoteForm):
    approve = forms.TypedChoiceField(
        label="审批",
        choices=(("1", "同意延期"), ("0", "不同意")),
        coerce=lambda value: value == "1",
    )
