from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RuleSetVersion, ScoringFramework
from .schema import MAX_ARTICLE, MAX_CLAUSE, Basis, RuleKey, keys_in_group, with_defaults

NOTES_MAX = 5000  # the version's notes
NOTE_MAX = 2000  # one rule's note


class VersionGeneralForm(forms.Form):
    """Title, document, effective period, framework and notes of a draft version."""

    title = forms.CharField(label=_("Title"), max_length=300)
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=100,
        required=False,
        help_text=_("As printed on the document."),
    )
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    effective_to = forms.DateField(
        label=_("Effective to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if the measures set no end date."),
    )
    framework = forms.ModelChoiceField(
        label=_("Scoring framework"), queryset=ScoringFramework.objects.order_by("code")
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The period cannot end before it begins."))
        return data

    @classmethod
    def initial_for(cls, version: RuleSetVersion) -> dict[str, Any]:
        return {
            "title": version.title,
            "document_number": version.document_number,
            "effective_from": version.effective_from,
            "effective_to": version.effective_to,
            "framework": version.framework_id,
            "notes": version.notes,
        }


class RuleRow:
    """The fields of one rule in a group form, for the template."""

    def __init__(self, form: RuleGroupForm, key: RuleKey) -> None:
        self.key = key
        self.value = form[f"{key.name}-value"]
        self.article = form[f"{key.name}-article"]
        self.clause = form[f"{key.name}-clause"]
        self.basis = form[f"{key.name}-basis"]
        self.note = form[f"{key.name}-note"]

    @property
    def source_fields(self) -> list[forms.BoundField]:
        return [self.article, self.clause, self.basis]


class RuleGroupForm(forms.Form):
    """One group of rule values, each with the article (and clause) it comes from."""

    def __init__(self, *args: Any, group: str, version: RuleSetVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys_in_group(group)
        for key in self.keys:
            entry = with_defaults(version.values).get(key.name) or {}
            name = key.name
            self.fields[f"{name}-value"] = key.type.form_field(
                label=key.label,
                help_text=key.help_text,
                initial=key.type.form_initial(entry.get("value")) if entry else None,
            )
            self.fields[f"{name}-article"] = forms.IntegerField(
                label=_("Article"), min_value=1, max_value=MAX_ARTICLE, initial=entry.get("article")
            )
            self.fields[f"{name}-clause"] = forms.IntegerField(
                label=_("Clause"),
                min_value=1,
                max_value=MAX_CLAUSE,
                required=False,
                initial=entry.get("clause"),
            )
            self.fields[f"{name}-basis"] = forms.ChoiceField(
                label=_("Basis"),
                choices=Basis.CHOICES,
                initial=entry.get("basis") or Basis.MEASURES,
            )
            self.fields[f"{name}-note"] = forms.CharField(
                label=_("Note"),
                max_length=NOTE_MAX,
                required=False,
                initial=entry.get("note", ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> Iterator[RuleRow]:
        for key in self.keys:
            yield RuleRow(self, key)

    def entries(self) -> dict[str, dict[str, Any]]:
        """The group's entries in the stored form, ready for `ruleset_version_update(values=…)`."""
        data = self.cleaned_data
        return {
            key.name: {
                "value": data[f"{key.name}-value"],
                "article": data[f"{key.name}-article"],
                "clause": data[f"{key.name}-clause"],
                "basis": data[f"{key.name}-basis"],
                "note": data[f"{key.name}-note"],
            }
            for key in self.keys
        }

    def add_schema_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Show the schema's refusals beside the fields they concern."""
        for name, messages in errors.items():
            field = f"{name}-value"
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class RuleFileForm(forms.Form):
    """An edited rule-set file (YAML) to check or to import as a new draft."""

    file = forms.FileField(
        label=_("Rule-set file (YAML)"),
        help_text=_("A file exported from a version and edited; UTF-8."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not text in UTF-8.")) from None
