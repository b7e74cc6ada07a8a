"""Forms of the public pages and the office's steps. Limits match the services'."""

from __future__ import annotations

from html import escape
from typing import cast

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .enums import CONTACT_MAX, NAME_MAX, TEXT_MAX, CommentOutcome, VoteChoice

# Formatted per request: formatted once at import, it stayed in the default language.
_TEXT_HELP = _("At most %(max)s characters. It is read by the office only.")


class PlainSelect(forms.Select):
    """A select (no option groups) of `options`, joined in Python: the comment form
    offers every published applicant, and 2,000 options took 0.7 s through the option
    templates and 9 ms more to normalise as a choice field's choices."""

    option_rows: list[tuple[object, str]] = []

    def render(self, name, value, attrs=None, renderer=None):
        selected = "" if value is None else str(value)
        rows = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) == selected else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.option_rows
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        # Every part is escaped here.
        return mark_safe(f'<select name="{escape(name)}"{final_attrs}>{rows}</select>')  # noqa: S308


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CommentForm(forms.Form):
    # Checked against the published applicants by clean_application, as a choice field
    # would: an IntegerField would answer "abc" with "Enter a whole number".
    application = forms.CharField(label=_("Applicant concerned"), widget=PlainSelect)
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX)
    contact = forms.CharField(
        label=_("Contact details (telephone or e-mail)"), max_length=CONTACT_MAX
    )
    text = forms.CharField(
        label=_("Comment"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("PDF, image or Office document."),
    )

    def __init__(self, *args, applicants=(), contact_required=True, **kwargs):
        """`applicants`: (application id, name) of each published applicant."""
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _TEXT_HELP % {"max": TEXT_MAX}
        self.applicant_ids = {key for key, _name in applicants}
        cast(PlainSelect, self.fields["application"].widget).option_rows = [("", "—"), *applicants]
        self.fields["contact"].required = contact_required

    def clean_application(self) -> int:
        value = self.cleaned_data["application"]
        application_id = int(value) if value.isdecimal() else None
        if application_id is None or application_id not in self.applicant_ids:
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return application_id


class ObjectionForm(forms.Form):
    winner = forms.TypedChoiceField(label=_("Proposed winner concerned"), coerce=int)
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX)
    contact = forms.CharField(
        label=_("Contact details (telephone or e-mail)"), max_length=CONTACT_MAX
    )
    text = forms.CharField(
        label=_("Objection and the facts it rests on"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    evidence = MultipleFileField(label=_("Evidence files (optional)"), required=False)

    def __init__(self, *args, winners=(), **kwargs):
        """`winners`: (winner id, name) of each proposed winner in the publicity."""
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _TEXT_HELP % {"max": TEXT_MAX}
        cast(forms.ChoiceField, self.fields["winner"]).choices = [("", "—"), *winners]


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Vote"), choices=VoteChoice.choices)


class HandleCommentForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CommentOutcome.choices)
    # No max_length: the view shows one message for an invalid form; the service refuses
    # a text over TEXT_MAX with a message that names the limit.
    outcome_text = forms.CharField(
        label=_("How it was handled"), widget=forms.Textarea(attrs={"rows": 2})
    )
