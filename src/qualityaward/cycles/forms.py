from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import VERSION_AWARD, scope
from qualityaward.rulesets.enums import VersionStatus
from qualityaward.rulesets.models import RuleSetVersion

from .enums import StageCode


def _active_versions() -> QuerySet[RuleSetVersion]:
    return RuleSetVersion.objects.filter(status=VersionStatus.ACTIVE).select_related("rule_set")


class CycleOpenForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Rule set version"),
        queryset=_active_versions(),
        help_text=_("The version must be in effect on the cycle's start date (Article 34)."),
    )
    number = forms.IntegerField(label=_("Cycle number (届)"), min_value=1, max_value=999)
    name = forms.CharField(label=_("Name"), max_length=200)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An award-limited office opens cycles of its own awards only.
        version = cast(forms.ModelChoiceField, self.fields["version"])
        version.queryset = scope(_active_versions(), user, VERSION_AWARD, [Role.OFFICE])


class StageDateForm(forms.Form):
    code = forms.ChoiceField(choices=StageCode.choices, widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
