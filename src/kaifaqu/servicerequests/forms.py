"""The forms of the portal, the hotline desk and the transition buttons (parsing only: the
actions check who may and in which state)."""

from typing import Any

from django import forms

from kaifaqu.access.users import ActingUser
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.servicerequests.choices import Category, Complexity, Rating
from kaifaqu.servicerequests.statistics import GROUP_CHOICES
from kaifaqu.supervision.forms import AssignForm
from kaifaqu.zones.models import Zone


class FileRequestForm(forms.Form):
    category = forms.ChoiceField(label="诉求类别", choices=Category.choices)
    description = forms.CharField(label="诉求内容", widget=forms.Textarea)
    attachment = forms.FileField(
        label="附件", required=False, help_text="可选:证明材料、照片等;办结前还可在诉求页面补充"
    )


class RegisterCallForm(FileRequestForm):
    caller_name = forms.CharField(label="来电人", max_length=40)
    caller_phone = forms.CharField(label="联系电话", max_length=20)
    enterprise = forms.CharField(
        label="企业统一社会信用代码", required=False, help_text="来电人所在企业;不明时可只选开发区"
    )
    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), label="开发区", required=False)

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["zone"].queryset = Zone.objects.restrict(user).order_by("code")  # type: ignore[attr-defined]

    def clean_enterprise(self) -> Enterprise | None:
        uscc = self.cleaned_data["enterprise"].strip().upper()
        if not uscc:
            return None
        found: Enterprise | None = Enterprise.objects.restrict(self.user).filter(uscc=uscc).first()
        if found is None:
            raise forms.ValidationError("您的数据范围内没有该统一社会信用代码的企业")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("enterprise") and not data.get("zone"):
            raise forms.ValidationError("请填写企业统一社会信用代码或选择开发区")
        return data


class DispatchForm(AssignForm):
    complexity = forms.ChoiceField(label="复杂程度", choices=Complexity.choices)


class ReplyForm(forms.Form):
    note = forms.CharField(label="答复内容", widget=forms.Textarea)

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label="评价", choices=Rating.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="评价意见", required=False, widget=forms.Textarea, help_text="不满意时请说明原因"
    )

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class StatisticsForm(forms.Form):
    """The statistics page's choices: the period, the grouping and a zone."""

    start = forms.DateField(label="统计期自", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="统计期至", widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.ChoiceField(
        label="分组",
        choices=GROUP_CHOICES,
        initial="zone",
    )
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.none(), label="开发区", required=False, empty_label="全部"
    )

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.restrict(user).order_by("code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("统计期的起始日期不能晚于截止日期")
        return data
