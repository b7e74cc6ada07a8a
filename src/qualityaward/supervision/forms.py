"""Forms of the supervision pages. They only parse input; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import CaseDecision, MisuseKind, PerformanceRating, RevocationKind, VisitStatus

if TYPE_CHECKING:
    from qualityaward.decisions.models import Award


class DateInput(forms.DateInput):
    input_type = "date"


class ExpenseForm(forms.Form):
    budget_year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2200)
    use_code = forms.ChoiceField(label=_("Permitted use (Article 24)"), choices=())
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0, max_digits=12, decimal_places=2
    )
    spent_on = forms.DateField(label=_("Date paid"), widget=DateInput)
    description = forms.CharField(
        label=_("What it was spent on"), widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("Invoice, contract or payment record (PDF, image, Office)."),
    )

    def __init__(self, *args, uses: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["use_code"]).choices = uses


class ReportSubmitForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the year"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when nothing was spent in the year."),
    )


class PerformanceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    rating = forms.ChoiceField(label=_("Rating"), choices=PerformanceRating.choices)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visit date"), widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=VisitStatus.choices)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ground"), choices=RevocationKind.choices)
    event_on = forms.DateField(
        label=_("Date of the event"),
        widget=DateInput,
        help_text=_(
            "For an accident or violation: the day it happened, which must lie within "
            "the rule set's years after the award (Article 29)."
        ),
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    upload = forms.FileField(label=_("File"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision of the working group"), choices=CaseDecision.choices
    )
    meeting_on = forms.DateField(label=_("Meeting date"), widget=DateInput)
    decision_reference = forms.CharField(label=_("Decision document number"), max_length=200)
    decision_text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))
    upload = forms.FileField(label=_("Decision document (PDF)"), required=False)


class PublishForm(forms.Form):
    public_text = forms.CharField(
        label=_("Public notice"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReturnItemForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Result"), choices=[("done", _("Done")), ("waived", _("Waived"))]
    )
    on = forms.DateField(label=_("Date"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_("Required when waived: the reason."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MisuseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MisuseKind.choices)
    award: forms.ModelChoiceField[Award] = forms.ModelChoiceField(
        label=_("Award concerned"), queryset=None, required=False
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput)
    reporter = forms.CharField(label=_("Reporter"), max_length=200)
    subject = forms.CharField(label=_("Who misused or forged it"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["award"]).queryset = awards


class MisuseCloseForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label=_("Date"), widget=DateInput)
