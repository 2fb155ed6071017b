from django import forms

from kaifaqu.enterprises.models import Enterprise


class EnterpriseForm(forms.ModelForm[Enterprise]):
    """The profile fields a zone's staff maintain; the USCC and the zone are not edited here."""

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "industry",
            "status",
            "ownership",
            "registration_date",
            "registered_capital",
            "first_above_scale_year",
            "land_completion_date",
            "merger_date",
            "exempt_military",
            "exempt_utility",
            "tags",
        ]
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}),
            "land_completion_date": forms.DateInput(attrs={"type": "date"}),
            "merger_date": forms.DateInput(attrs={"type": "date"}),
            "tags": forms.CheckboxSelectMultiple,
        }
