"""Forms of the 亩均 pages: what a page posts or narrows by, checked before any action runs."""

from typing import Any

from django import forms

from kaifaqu.mujun.models import Scheme
from kaifaqu.zones.models import Zone


class RunStartForm(forms.Form):
    """A new run: a scheme the user may read, a year, and optionally one of its zones."""

    scheme = forms.ModelChoiceField(queryset=Scheme.objects.none(), label="方案", empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.none(), label="范围", required=False, empty_label="本级全部开发区"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["zone"].queryset = Zone.objects.restrict(user, "change").order_by("code")  # type: ignore[attr-defined]


class ExportZoneForm(forms.Form):
    """``?zone=`` of a run's list export: one zone the user may read, or every zone."""

    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.restrict(user)  # type: ignore[attr-defined]
