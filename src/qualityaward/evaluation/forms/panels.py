from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Expert


class MemberAddForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none())
    note = forms.CharField(
        label=_("Why this expert"),
        max_length=500,
        help_text=_("Recorded with the change, for example the expert's special knowledge."),
    )

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        if experts is not None and isinstance(field, forms.ModelChoiceField):
            field.queryset = experts


class MemberReplaceForm(MemberAddForm):
    note = forms.CharField(label=_("Reason"), max_length=500)


class MemberRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200)
