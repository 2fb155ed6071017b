"""Forms of the 亩均 pages: what a page posts or narrows by, checked before any action runs."""

from typing import Any

from django import forms

from kaifaqu.access.users import ActingUser
from kaifaqu.mujun.choices import CORRECTABLE_FIELDS
from kaifaqu.mujun.models import Scheme
from kaifaqu.mujun.scheme import list_presets
from kaifaqu.vocabulary import field_header
from kaifaqu.zones.models import Zone


class RunStartForm(forms.Form):
    """A new run: a scheme the user may read, a year, and optionally one of its zones."""

    scheme = forms.ModelChoiceField(queryset=Scheme.objects.none(), label="方案", empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.none(), label="范围", required=False, empty_label="本级全部开发区"
    )

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["zone"].queryset = Zone.objects.restrict(user, "change").order_by("code")  # type: ignore[attr-defined]


class ExportZoneForm(forms.Form):
    """``?zone=`` of a run's list export: one zone the user may read, or every zone."""

    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), required=False)

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.restrict(user)  # type: ignore[attr-defined]


class PresetForm(forms.Form):
    """A shipped preset to copy as a scheme of the user's region."""

    preset = forms.ChoiceField(label="预置方案", choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = list_presets()  # type: ignore[attr-defined]


class SchemeDocumentForm(forms.Form):
    """A scheme's TOML document, saved as its next version (the action parses and checks it)."""

    document = forms.CharField(label="方案文档", widget=forms.Textarea, strip=False)


class PublicityForm(forms.Form):
    """The 公示 window; the action checks it against today and the scheme's limits."""

    start = forms.DateField(label="公示开始日期", error_messages={"required": "请填写公示开始日期"})
    end = forms.DateField(label="公示结束日期", error_messages={"required": "请填写公示结束日期"})


class ObjectionForm(forms.Form):
    """An objection to a result: reason, evidence, and the recorded values asked to correct."""

    reason = forms.CharField(label="异议理由")
    evidence = forms.CharField(label="证据说明")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CORRECTABLE_FIELDS:
            label = field_header(name)
            self.fields[name] = forms.FloatField(
                label=label, required=False, error_messages={"invalid": f"「{label}」须为数字"}
            )

    def corrected_values(self) -> dict[str, float]:
        values = (self.cleaned_data.get(name) for name in CORRECTABLE_FIELDS)
        return {n: v for n, v in zip(CORRECTABLE_FIELDS, values, strict=True) if v is not None}


class DecisionForm(forms.Form):
    """The bureau's decision on an objection."""

    decision = forms.ChoiceField(
        label="处理结果", choices=[("accept", "采纳"), ("reject", "不采纳")]
    )
    note = forms.CharField(label="处理意见", required=False)
