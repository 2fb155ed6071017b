from django import forms

from kaifaqu.intake.choices import ImportKind, ImportPolicy
from kaifaqu.spreadsheets.columns import MONEY_UNITS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="导入类型", choices=ImportKind.choices)
    file = forms.FileField(
        label="文件", help_text="支持 xlsx、xls、ods、csv 及 Excel「Unicode 文本」"
    )
    policy = forms.ChoiceField(label="导入策略", choices=ImportPolicy.choices)
    money_unit = forms.ChoiceField(
        label="金额默认单位",
        choices=[(u, u) for u in MONEY_UNITS],
        initial="万元",
        help_text="表头未注明单位的金额列按此单位换算",
    )


class CommitForm(forms.Form):
    policy = forms.ChoiceField(label="导入策略", choices=ImportPolicy.choices)


class ProblemPageForm(forms.Form):
    """Which page of a batch's problem list to show."""

    page = forms.IntegerField(min_value=1, required=False)

    def number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1


class ExportFormatForm(forms.Form):
    """The file an export writes: xlsx unless CSV is asked for."""

    format = forms.ChoiceField(choices=[("xlsx", "Excel"), ("csv", "CSV")], required=False)

    def chosen(self) -> str:
        return (self.cleaned_data.get("format") if self.is_valid() else None) or "xlsx"
