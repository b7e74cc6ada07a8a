# ruff: noqa: RUF001, RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
from django import forms
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .arrangements import NAME_MAX_LENGTH, NOTICE_MAX_LENGTH
from .enums import DayKind

MAX_UPLOAD_BYTES = 256 * 1024


def _with_example(message, example: str, tag: str) -> SafeString:
    return format_html(
        str(message), example=format_html('<{0} lang="zh-Hans">{1}</{0}>', tag, example)
    )


def with_example(message, example: str, *, tag: str = "span"):
    """A help text whose Chinese example (a holiday, a notice number) is marked as
    Chinese, also on the English page: screen readers read it in Chinese."""
    return lazy(_with_example, SafeString)(message, example, tag)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=with_example(
            _(
                "Columns date,kind,name; kind is holiday or workday. The first line may "
                "say {example}."
            ),
            "# year=2027 notice=国办发明电〔2026〕X号",
            tag="code",
        ),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only if the file does not say it."),
    )
    notice = forms.CharField(
        label=_("Notice"),
        required=False,
        max_length=NOTICE_MAX_LENGTH,
        help_text=_("Only if the file does not say it."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large for a year's arrangement."))
        return upload


class SpecialDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=with_example(_("e.g. {example}"), "春节"),
    )
    notice = forms.CharField(
        label=_("Notice"),
        required=False,
        max_length=NOTICE_MAX_LENGTH,
        help_text=with_example(
            _("Needed when the year has no data yet, e.g. {example}."), "国办发明电〔2026〕X号"
        ),
    )


class RemoveDayForm(forms.Form):
    date = forms.DateField()


class CalculatorForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    n = forms.IntegerField(label=_("Working days"), min_value=1, max_value=366)
