from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ComplianceKind, HistoryKind, ListKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_FILE_BYTES = 20 * 1024 * 1024


class _FileUploadForm(forms.Form):
    """A form whose `file` may be at most MAX_FILE_BYTES."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class ListImportForm(_FileUploadForm):
    kind = forms.ChoiceField(label=_("List"), choices=ListKind.choices)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: credit_code, name, listed_on, removed_on (may be empty), authority. "
            "UTF-8 or GB18030."
        ),
    )


class ComplianceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ComplianceKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=_DATE)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    source_document = forms.CharField(label=_("Source document"), max_length=300)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=1000)


class AnnualResultForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=1950)
    revenue = forms.DecimalField(
        label=_("Revenue (yuan)"), max_digits=18, decimal_places=2, min_value=Decimal(0)
    )
    profit = forms.DecimalField(
        label=_("Operating profit (yuan)"),
        max_digits=18,
        decimal_places=2,
        help_text=_("Negative for a loss."),
    )

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        if year >= timezone.localdate().year:
            raise forms.ValidationError(_("Enter a complete fiscal year, before this year."))
        return year


class HistoryImportForm(_FileUploadForm):
    kind = forms.ChoiceField(label=_("The file holds"), choices=HistoryKind.choices)
    file = forms.FileField(
        label=_("File (.xlsx or CSV)"),
        help_text=_(
            "The columns of the template, with its Chinese headers (English names are "
            "accepted too). CSV in UTF-8 or GB18030."
        ),
    )
