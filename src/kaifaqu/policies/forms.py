"""Forms of policy documents and tasks (parsing only: the actions check and decide)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from kaifaqu.access.scope import user_profile
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.models import Region
from kaifaqu.core.scoped import restricted
from kaifaqu.policies.choices import DeadlineKind, Recurrence
from kaifaqu.zones.models import Zone

NAMES = re.compile(r"[、,,;;\s]+")
# "规上工业企业 >= 6000 家": indicator, comparator, value and unit of one target a line.
TARGET_LINE = re.compile(r"^(?P<indicator>.+?)\s*(?P<comparator>>=|<=|>|<|=)\s*"
                         r"(?P<value>-?[\d.]+)\s*(?P<unit>\S*)$")  # fmt: skip


class UploadForm(forms.Form):
    file = forms.FileField(label="文件", help_text="支持 .txt、.docx 和文字版 .pdf")
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label="适用区划")
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.none(),
        label="开发区",
        required=False,
        help_text="开发区自行制定的文件填写",
    )
    title = forms.CharField(label="标题", required=False, help_text="留空则从文件中识别")
    doc_number = forms.CharField(label="文号", required=False)
    issuer = forms.CharField(label="发文机关", required=False)
    issued = forms.DateField(
        label="发文日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(code__in=_office_region_codes(user)).order_by("code")
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        zones = restricted(Zone.objects.all(), user, "change").order_by("code")
        self.fields["zone"].queryset = zones  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone, region = data.get("zone"), data.get("region")
        if zone is not None and region is not None and zone.region_id != region.pk:
            self.add_error("zone", "开发区不在所选区划内")
        return data


def _office_region_codes(user: ActingUser) -> set[str]:
    """The divisions a user's office may issue documents for: its own, or its zones'."""

    profile = user_profile(user)
    if getattr(user, "is_superuser", False):
        return set(Region.objects.values_list("code", flat=True))
    if profile is None:
        return set()
    if profile.region is not None:
        return {profile.region.code}
    return {zone.region.code for zone in profile.zones.all()}


class UnitsForm(forms.Form):
    lead = forms.CharField(label="牵头单位", help_text="多个单位用顿号分隔")
    support = forms.CharField(label="配合单位", required=False)

    def clean_lead(self) -> list[str]:
        return _names(self.cleaned_data["lead"])

    def clean_support(self) -> list[str]:
        return _names(self.cleaned_data["support"])


def _names(text: str) -> list[str]:
    return [n for n in NAMES.split(text) if n]


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label="时限类型", choices=DeadlineKind.choices)
    due = forms.DateField(
        label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    recurrence = forms.ChoiceField(
        label="报送周期", choices=[("", "—"), *Recurrence.choices], required=False
    )


class TargetsForm(forms.Form):
    targets = forms.CharField(
        label="目标",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项,如:规上工业企业 >= 6000 家",
    )

    def clean_targets(self) -> list[dict[str, str]]:
        parsed = []
        for line in filter(
            None, (raw.strip() for raw in self.cleaned_data["targets"].splitlines())
        ):
            found = TARGET_LINE.match(line)
            if found is None:
                raise forms.ValidationError(f"无法识别「{line}」,请写成「指标 >= 数值 单位」")
            try:
                Decimal(found["value"])
            except InvalidOperation as wrong:
                raise forms.ValidationError(f"「{found['value']}」不是数值") from wrong
            parsed.append({key: found[key] for key in ("indicator", "comparator", "value", "unit")})
        return parsed


class MergeForm(forms.Form):
    into = forms.IntegerField(label="并入任务", widget=forms.HiddenInput)


class ReportForm(forms.Form):
    report = forms.IntegerField(label="报送期次", required=False, widget=forms.HiddenInput)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    figure = forms.DecimalField(label="完成数值", required=False, max_digits=20, decimal_places=6)
    evidence = forms.FileField(label="佐证材料", required=False)
