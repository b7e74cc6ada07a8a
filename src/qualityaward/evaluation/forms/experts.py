from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qualityaward.applications.enums import Sector
from qualityaward.applications.models import Organisation

from ..enums import QualificationKind
from .agency import DATE


class ExpertProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    expertise = forms.CharField(
        label=_("Fields of expertise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: food safety, logistics, energy saving."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Applications of these sectors are matched to the expert first."),
    )
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DATE)
    available_until = forms.DateField(label=_("Available until"), required=False, widget=DATE)


class NewExpertForm(ExpertProfileForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("The expert's user account, which holds the expert role."),
    )
    field_order = ["username", "name", "expertise", "sectors", "available_from", "available_until"]


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Qualification"), choices=QualificationKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Required for another qualification."),
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=100, required=False
    )
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class EmploymentForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("Give it when known: organisations are matched by it."),
    )
    start_date = forms.DateField(label=_("Start"), widget=DATE)
    end_date = forms.DateField(
        label=_("End"), required=False, widget=DATE, help_text=_("Empty: current.")
    )
    position = forms.CharField(label=_("Position"), max_length=100, required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        code = (data.get("credit_code") or "").strip().upper()
        data["organisation"] = (
            Organisation.objects.filter(credit_code=code).first() if code else None
        )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)
