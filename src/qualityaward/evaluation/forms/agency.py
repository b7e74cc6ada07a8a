from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qualityaward.accounts.enums import Role
from qualityaward.cycles.models import Cycle

from ..enums import ProcurementMethod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_FILE_BYTES = 20 * 1024 * 1024


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    contact_person = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProcurementForm(forms.Form):
    method = forms.ChoiceField(label=_("Procurement method"), choices=ProcurementMethod.choices)
    procured_on = forms.DateField(label=_("Date"), widget=DATE)
    contract_number = forms.CharField(label=_("Contract number"), max_length=100)
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.all(), required=False, empty_label=_("(none)")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    documents = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("Procurement notice, award notice, contract: PDF, Word, Excel or images."),
    )

    def clean_documents(self):
        uploads = self.cleaned_data.get("documents") or []
        if any(upload.size > MAX_FILE_BYTES for upload in uploads):
            raise forms.ValidationError(_("A file is larger than 20 MB."))
        return uploads


class UserByNameForm(forms.Form):
    """Pick an existing user account by user name, holding a given role."""

    username = forms.CharField(label=_("User name"), max_length=150)

    def __init__(self, *args, role: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role = role

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        if not user.has_role(self.role):
            raise forms.ValidationError(
                _("This user does not hold the role “%(role)s”.") % {"role": Role(self.role).label}
            )
        self.user = user
        return username
