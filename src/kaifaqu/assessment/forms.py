from typing import Any

from django import forms
from django.db.models import QuerySet

from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.choices import DeductionItem, RankingLevel
from kaifaqu.assessment.models import AssessmentRun
from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.models import Zone


class CopyForm(forms.Form):
    code = forms.SlugField(label="方案代码", max_length=48)
    name = forms.CharField(label="方案名称", max_length=100)


class VersionForm(forms.Form):
    document = forms.CharField(label="方案文件(TOML)", widget=forms.Textarea(attrs={"rows": 30}))
    note = forms.CharField(label="修改说明", max_length=200, required=False)


def province_choices() -> list[tuple[str, str]]:
    """Provinces by name (the catalog is public); a province outside the user's scope yields no
    zone, as the run's scope check decides."""
    provinces = Region.objects.filter(level="province").order_by("code")
    return [("", "数据范围内全部"), *provinces.values_list("code", "name")]


class RunForm(forms.Form):
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    province_code = forms.ChoiceField(label="省份", choices=province_choices, required=False)
    zone_kind = forms.ChoiceField(
        label="开发区类型",
        choices=[("", "按方案默认"), ("*", "全部类型"), *ZoneKind.choices],
        required=False,
    )


class ZoneEntryForm(forms.Form):
    """An entry against one zone: the zones offered are those the user may change."""

    zone = forms.ModelChoiceField(label="开发区", queryset=Zone.objects.none())

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["zone"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Zone.objects.restrict(user, "change").order_by("code")


class TargetForm(ZoneEntryForm):
    indicator = forms.ModelChoiceField(label="指标", queryset=Indicator.objects.all())
    year = forms.IntegerField(label="目标年度", min_value=2000, max_value=2100)
    value = forms.DecimalField(label="目标值", max_digits=20, decimal_places=6)
    note = forms.CharField(label="依据", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator, value = data.get("indicator"), data.get("value")
        problem = indicator.value_problem(value) if indicator and value is not None else ""
        if problem:
            self.add_error("value", problem)
        return data


class RankTargetForm(ZoneEntryForm):
    level = forms.ChoiceField(label="排名层级", choices=RankingLevel.choices)
    year = forms.IntegerField(label="目标年度", min_value=2000, max_value=2100)
    rank = forms.IntegerField(label="进入前(位)", min_value=1)
    note = forms.CharField(label="依据", max_length=200, required=False)


class DeductionForm(ZoneEntryForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    item = forms.ChoiceField(label="事项", choices=DeductionItem.choices)
    count = forms.DecimalField(label="数量", min_value=0, max_digits=8, decimal_places=2)
    note = forms.CharField(label="说明", max_length=200, required=False)


class CompareForm(forms.Form):
    """Which run a ranking is compared with: one of ``others``, or by default the latest
    earlier one (chosen by the view)."""

    other = forms.ModelChoiceField(
        label="对比运行", queryset=AssessmentRun.objects.none(), required=False
    )

    def __init__(self, *args: Any, others: QuerySet[AssessmentRun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = others
        field.label_from_instance = _run_label  # type: ignore[method-assign, assignment]

    def chosen(self) -> AssessmentRun | None:
        return self.cleaned_data.get("other") if self.is_valid() else None


def _run_label(run: AssessmentRun) -> str:
    return f"{run.year}年 第{run.version.number}版 {run.created:%m-%d %H:%M}"
