from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qualityaward.applications.models import Applicant

from ..enums import ConflictKind


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=ConflictKind.choices)
    applicant = forms.ModelChoiceField(
        label=_("Applicant"),
        queryset=Applicant.objects.order_by("name"),
        required=False,
        empty_label=_("(not an applicant, or not known)"),
    )
    name = forms.CharField(
        label=_("Organisation or person"),
        max_length=200,
        required=False,
        help_text=_("For a relation with an organisation or a person who is not listed."),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("applicant") and not data.get("name") and not data.get("credit_code"):
            raise forms.ValidationError(
                _("Name the applicant, organisation or person the relation is with.")
            )
        return data


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GroupMemberForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class StaffConflictForm(forms.Form):
    username = forms.CharField(label=_("Staff member (user name)"), max_length=150)
    applicant = forms.ModelChoiceField(
        label=_("Applicant"), queryset=Applicant.objects.order_by("name")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An award-limited office records interests in its awards' applicants only.
        from qualityaward.applications.selectors.applicants import applicants_visible_to

        field = self.fields["applicant"]
        field.queryset = applicants_visible_to(user=user).order_by("name")  # type: ignore[attr-defined]
