"""Forms of the 招商 pages (parsing only: the actions decide and refuse)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from kaifaqu.access.users import ActingUser
from kaifaqu.investment.lights import SPAN_UNITS, RuleSet, Threshold, span_parts
from kaifaqu.investment.models import Project, ProjectPackage, TargetClient
from kaifaqu.supervision.choices import Level
from kaifaqu.units.models import Unit
from kaifaqu.zones.models import Zone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a permit and photos)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def assignable_people(user: ActingUser) -> Any:
    """Whom ``user`` may make a project's person in charge: the active staff of the zones it
    may change, and itself."""
    zones = Zone.objects.restrict(user, "change")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(profile__zones__in=zones) | Q(pk=user.pk))
        .distinct()
    )


def _scoped(user: ActingUser) -> dict[str, Any]:
    """The choices a user may pick: its zones, its units and the people of its zones."""
    return {
        "zones": Zone.objects.restrict(user, "change"),
        "units": Unit.objects.restrict(user).filter(active=True),
        "packages": ProjectPackage.objects.restrict(user),
        "clients": TargetClient.objects.restrict(user),
        "people": assignable_people(user),
    }


PROJECT_FIELDS = [
    "zone", "name", "investor", "client", "leading_industry", "industry", "total_investment",
    "fixed_asset_investment", "land_mu", "foreign_capital", "person_in_charge", "lead_unit",
    "planned_sign_date", "planned_start_date", "planned_production_date",
    "planned_full_production_date", "statistics_date", "package", "ppp", "plot",
]  # fmt: skip


class ProjectForm(forms.ModelForm[Project]):
    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            name: DATE
            for name in (
                "planned_sign_date", "planned_start_date", "planned_production_date",
                "planned_full_production_date", "statistics_date",
            )
        }  # fmt: skip

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _scoped(user)
        fields: Any = self.fields
        fields["zone"].queryset = choices["zones"]
        fields["lead_unit"].queryset = choices["units"]
        fields["package"].queryset = choices["packages"]
        fields["client"].queryset = choices["clients"]
        fields["person_in_charge"].queryset = choices["people"]
        if self.instance.pk:
            del self.fields["zone"]


class ClientForm(forms.ModelForm[TargetClient]):
    class Meta:
        model = TargetClient
        fields = [
            "zone",
            "company",
            "source",
            "industry",
            "contact_person",
            "contact_phone",
            "note",
        ]

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = _scoped(user)["zones"]  # type: ignore[attr-defined]


class AdvanceForm(forms.Form):
    """The evidence of the next stage; which fields it needs is the action's to say."""

    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    contract_amount = forms.DecimalField(
        label="签约金额(万元)", required=False, min_value=0, decimal_places=2
    )
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    documents = MultipleFileField(label="证明材料", required=False)
    note = forms.CharField(label="情况说明", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {"occurred_on", "note"} | {
            "signed": {"contract_amount", "documents"},
            "registered": {"uscc"},
            "started": {"documents"},
            "producing": {"documents"},
        }.get(stage, set())
        labels = {
            "signed": "签约合同",
            "started": "施工许可证或开工照片",
            "producing": "试生产证明",
        }
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "documents" in self.fields:
            self.fields["documents"].label = labels[stage]


class ReasonForm(forms.Form):
    occurred_on = forms.DateField(label="日期", widget=DATE)
    reason = forms.CharField(label="原因", widget=forms.Textarea)


class ResumeForm(forms.Form):
    occurred_on = forms.DateField(label="恢复日期", widget=DATE)
    note = forms.CharField(label="情况说明", required=False, widget=forms.Textarea)


class UndoForm(forms.Form):
    note = forms.CharField(label="撤销原因", required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="拜访日期", widget=DATE)
    visitors = forms.CharField(label="拜访人员", max_length=200)
    met = forms.CharField(label="会见对象", max_length=200, required=False)
    summary = forms.CharField(label="洽谈情况", widget=forms.Textarea)
    next_action = forms.CharField(label="下一步工作", max_length=200, required=False)
    remind_on = forms.DateField(label="提醒日期", required=False, widget=DATE)


class FundForm(forms.Form):
    arrived_on = forms.DateField(label="到位日期", widget=DATE)
    amount = forms.DecimalField(label="到位金额(万元)", min_value=0, decimal_places=2)
    proof = forms.FileField(label="到位证明(银行回单或验资报告)")
    note = forms.CharField(label="说明", max_length=200, required=False)


class PlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    planned_investment = forms.DecimalField(label="年度计划投资(万元)", min_value=0)
    completed_investment = forms.DecimalField(
        label="年度已完成投资(万元)", min_value=0, required=False
    )


class ProblemForm(forms.Form):
    title = forms.CharField(label="受阻问题", max_length=150)
    description = forms.CharField(label="问题描述", widget=forms.Textarea, required=False)
    level = forms.TypedChoiceField(label="解决层级", choices=Level.choices, coerce=int)
    lead_unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label="牵头解决单位")
    supporting_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), label="配合单位", required=False
    )
    deadline = forms.DateField(label="办理时限", required=False, widget=DATE)

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = _scoped(user)["units"]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["supporting_units"].queryset = units  # type: ignore[attr-defined]


class BoardForm(forms.Form):
    """Which zone's board to show: one of the user's zones (the first when none is asked)."""

    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), label="开发区", required=False)

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zones = Zone.objects.restrict(user).order_by("code")
        self.fields["zone"].queryset = self.zones  # type: ignore[attr-defined]

    def chosen(self) -> Zone | None:
        zone: Zone | None = self.cleaned_data.get("zone") if self.is_valid() else None
        return zone or self.zones.first()


class LightRulesForm(forms.Form):
    """The 红黄绿 rules in force as fields: each rule's name and its yellow and red thresholds
    (a date rule's as a count of days or months after its anchor date, a number rule's as a
    value compared as the document says, ≥ or >), and why it changes. The action writes them
    into the document and checks it."""

    note = forms.CharField(label="修改说明", max_length=200)

    def __init__(self, data: Any, rules: RuleSet) -> None:
        super().__init__(data)
        self.rules = rules
        for rule in rules.rules:
            self.fields[f"{rule.code}-name"] = forms.CharField(
                label="规则名称", max_length=50, initial=rule.name
            )
            for colour, label in (("yellow", "黄灯"), ("red", "红灯")):
                threshold: Threshold = getattr(rule, colour)
                if threshold.after is not None:
                    count, unit = span_parts(threshold.after)
                    self.fields[f"{rule.code}-{colour}"] = forms.IntegerField(
                        label=f"{label}:锚定日期后", min_value=0, initial=count
                    )
                    self.fields[f"{rule.code}-{colour}_unit"] = forms.ChoiceField(
                        label="单位", choices=list(SPAN_UNITS.items()), initial=unit
                    )
                else:
                    sign = "≥" if threshold.at_least is not None else ">"
                    value = threshold.at_least if threshold.at_least is not None else threshold.over
                    self.fields[f"{rule.code}-{colour}"] = forms.FloatField(
                        label=f"{label}:{rule.measure_label} {sign}", initial=value
                    )

    def rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """Each rule with its fields, for the page's table."""
        return [
            (rule, [self[name] for name in self.fields if name.startswith(f"{rule.code}-")])
            for rule in self.rules.rules
        ]

    def edits(self) -> dict[str, dict[str, Any]]:
        """The cleaned values per rule code, as ``lights.edited_document`` takes them."""
        data = self.cleaned_data
        found: dict[str, dict[str, Any]] = {}
        for rule in self.rules.rules:
            edit: dict[str, Any] = {"name": data[f"{rule.code}-name"]}
            for colour in ("yellow", "red"):
                value = data[f"{rule.code}-{colour}"]
                unit = data.get(f"{rule.code}-{colour}_unit")
                edit[colour] = f"{value}{unit}" if unit else value
            found[rule.code] = edit
        return found
