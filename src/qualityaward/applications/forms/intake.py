"""Forms of the call, evidence uploads and the office's review decisions. The draft's
sections are posted as plain fields and checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import REJECTION_CLAUSES, FormSection
from ..models.calls import CALL_TEXT_MAX, CALL_TITLE_MAX

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=CALL_TITLE_MAX)
    text = forms.CharField(
        label=_("Text of the call"),
        max_length=CALL_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    where_to_submit = forms.CharField(label=_("Where to submit"), max_length=300)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=_DATE,
        help_text=_("Applications are accepted until 24:00 Beijing time of this day."),
    )


class UploadForm(forms.Form):
    """A file and its title; the documents app decides whether the content is accepted
    (so an empty file reaches it and gets its message)."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), allow_empty_file=True)


class EvidenceForm(UploadForm):
    is_trade_secret = forms.BooleanField(
        label=_("Trade or technical secret (Article 30)"),
        required=False,
        help_text=_(
            "Everyone in the evaluation keeps it confidential; every read is recorded and "
            "watermarked, so upload it as a PDF or an image."
        ),
    )


class FailForm(forms.Form):
    clause = forms.ChoiceField(
        label=_("Clause"), choices=[("", "—"), *REJECTION_CLAUSES], required=False
    )
    text = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    clause_2 = forms.ChoiceField(
        label=_("Another clause"), choices=[("", "—"), *REJECTION_CLAUSES], required=False
    )
    text_2 = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def reasons(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"clause": data["clause"], "text": data["text"]},
            {"clause": data["clause_2"], "text": data["text_2"]},
        ]


class SupplementRequestForm(forms.Form):
    """Every item at once: one note per part of the application (leave the others empty)."""

    due_on = forms.DateField(label=_("Due on"), widget=_DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in FormSection.choices:
            self.fields[f"note_{value}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def items(self) -> list[dict[str, str]]:
        return [
            {"section": value, "note": self.cleaned_data.get(f"note_{value}", "")}
            for value in FormSection.values
            if self.cleaned_data.get(f"note_{value}", "").strip()
        ]
