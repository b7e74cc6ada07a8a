"""The values of a rule set version: every number of the measures, each citing its article.

Stored as JSON on `RuleSetVersion.values`::

    {"call_min_workdays": {"value": 10, "article": 14, "clause": null, "note": ""}, ...}

`SCHEMA` declares every key with its type, unit, validation, label and display text;
`validate_values()` refuses unknown or missing keys, wrong types and impossible numbers
and returns the values in their stored (normalised) form; `Rules` gives typed access:
``version.rules.call_min_workdays.value == 10`` and ``.source == "第十四条"``.

Other apps code against the key names below; never rename one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import (
    get_language,
    gettext,
    ngettext,
    ngettext_lazy,
    pgettext_lazy,
)
from django.utils.translation import gettext_lazy as _

from qualityaward.core.errors import QualityAwardError

from .enums import Aggregation, AssignmentMethod, StageCode
from .numerals import article_citation_zh, zh_parenthesised

MAX_ARTICLE = 99
MAX_CLAUSE = 99
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


class RuleValuesInvalid(QualityAwardError):
    """The values do not satisfy the schema. `errors` maps a key (or "__all__") to messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {key: list(messages) for key, messages in errors.items()}
        lines = [
            _("%(field)s: %(error)s") % {"field": label_of(key), "error": message}
            if key != "__all__"
            else message
            for key, messages in self.errors.items()
            for message in messages
        ]
        super().__init__(" ".join(lines), code="rule_values_invalid")


def is_zh() -> bool:
    return (get_language() or "").lower().startswith("zh")


def localized(zh: str, en: str) -> str:
    """Pick the Chinese or English text of a pair held as data."""
    return (zh or en) if is_zh() else (en or zh)


def list_join(items: Any) -> str:
    return ("、" if is_zh() else ", ").join(items)


def plain_decimal(number: Decimal) -> str:
    """50.0 → "50", 0.50 → "0.5", never exponent notation."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


# --- groups and units ----------------------------------------------------------------

GROUPS: dict[str, Promise] = {
    "award": _("Award, quotas and prize"),
    "eligibility": _("Who may apply"),
    "procedure": _("Procedure and time limits"),
    "evaluation": _("Evaluation and experts"),
    "publication": _("Publication and decision"),
    "supervision": _("Integrity and supervision"),
}


class Unit:
    WORKDAYS = "workdays"
    YEARS = "years"
    CYCLES = "cycles"
    YUAN = "yuan"
    COUNT = "count"
    POINTS = "points"
    PERCENTAGE_POINTS = "percentage_points"
    FRACTION = "fraction"
    NONE = ""

    LABELS: dict[str, Promise | str] = {
        WORKDAYS: _("working days"),
        YEARS: _("years"),
        CYCLES: pgettext_lazy("unit", "cycles"),
        YUAN: _("yuan"),
        COUNT: _("count"),
        POINTS: pgettext_lazy("unit", "points"),
        PERCENTAGE_POINTS: _("percentage points"),
        FRACTION: _("fraction"),
        NONE: "",
    }


# --- value types -----------------------------------------------------------------------


class Invalid(ValueError):
    """One problem with one value; the message is shown to the user."""


def _whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(gettext("Enter a whole number, not “%(value)s”.") % {"value": value})
    return value


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise Invalid(gettext("Enter a decimal number, not “%(value)s”.") % {"value": value})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(
            gettext("Enter a decimal number, not “%(value)s”.") % {"value": value}
        ) from None
    if not number.is_finite():
        raise Invalid(gettext("Enter a finite number."))
    return number


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(gettext("%(what)s must be a non-empty text.") % {"what": what})
    return value.strip()


_NAMES = {
    "name_zh": {"type": "string", "minLength": 1},
    "name_en": {"type": "string", "minLength": 1},
}


def _object_schema(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class ValueType:
    """How one kind of value is validated, typed, displayed, edited and described in the API."""

    def clean(self, value: Any) -> Any:
        """Return the value in its stored, JSON-native form, or raise Invalid."""
        raise NotImplementedError

    def to_python(self, stored: Any) -> Any:
        return stored

    def display(self, typed: Any, key: RuleKey) -> str:
        if key.display is not None:
            return key.display % {"value": typed, "amount": f"{typed:,}"}
        return str(typed)

    def form_field(self, **kwargs: Any) -> forms.Field:
        return forms.JSONField(widget=forms.Textarea(attrs={"rows": 6}), **kwargs)

    def form_initial(self, stored: Any) -> Any:
        return stored

    def api_field(self) -> Any:
        from rest_framework import serializers

        return serializers.JSONField()

    def json_schema(self) -> dict[str, Any]:
        """The value's shape as JSON Schema (rule-set files are checked against it)."""
        return {}


@dataclass(frozen=True)
class Integer(ValueType):
    min: int = 0
    max: int | None = None

    def clean(self, value: Any) -> int:
        number = _whole_number(value)
        if number < self.min:
            if self.min == 0:
                raise Invalid(gettext("Must not be negative (got %(value)s).") % {"value": number})
            raise Invalid(
                gettext("Must be at least %(min)s (got %(value)s).")
                % {"min": self.min, "value": number}
            )
        if self.max is not None and number > self.max:
            raise Invalid(
                gettext("Must be at most %(max)s (got %(value)s).")
                % {"max": self.max, "value": number}
            )
        return number

    def form_field(self, **kwargs: Any) -> forms.Field:
        return forms.IntegerField(min_value=self.min, max_value=self.max, **kwargs)

    def api_field(self) -> Any:
        from rest_framework import serializers

        if self.max is None:
            return serializers.IntegerField(min_value=self.min)
        return serializers.IntegerField(min_value=self.min, max_value=self.max)

    def json_schema(self) -> dict[str, Any]:
        shape: dict[str, Any] = {"type": "integer", "minimum": self.min}
        if self.max is not None:
            shape["maximum"] = self.max
        return shape


@dataclass(frozen=True)
class Boolean(ValueType):
    true_text: Promise | str | None = None
    false_text: Promise | str | None = None

    def clean(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise Invalid(gettext("Enter true or false, not “%(value)s”.") % {"value": value})
        return value

    def display(self, typed: Any, key: RuleKey) -> str:
        if typed:
            return str(self.true_text or _("Yes"))
        return str(self.false_text or _("No"))

    def form_field(self, **kwargs: Any) -> forms.Field:
        return forms.TypedChoiceField(
            choices=[("true", self.true_text or _("Yes")), ("false", self.false_text or _("No"))],
            coerce=lambda text: text == "true",
            **kwargs,
        )

    def form_initial(self, stored: Any) -> Any:
        return "true" if stored else "false"

    def api_field(self) -> Any:
        from rest_framework import serializers

        return serializers.BooleanField()

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Choice(ValueType):
    choices: Any = None  # a TextChoices class

    def clean(self, value: Any) -> str:
        if value not in self.choices.values:
            raise Invalid(
                gettext("Choose one of %(choices)s, not “%(value)s”.")
                % {"choices": ", ".join(self.choices.values), "value": value}
            )
        return value

    def display(self, typed: Any, key: RuleKey) -> str:
        return str(self.choices(typed).label)

    def form_field(self, **kwargs: Any) -> forms.Field:
        return forms.ChoiceField(choices=self.choices.choices, **kwargs)

    def api_field(self) -> Any:
        from rest_framework import serializers

        return serializers.ChoiceField(choices=self.choices.choices)

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices.values)}


@dataclass(frozen=True)
class DecimalNumber(ValueType):
    """Stored as a decimal string ("0.5") so no binary rounding creeps in."""

    min: Decimal = Decimal(0)
    max: Decimal = Decimal(1)
    min_exclusive: bool = True

    def clean(self, value: Any) -> str:
        number = _decimal(value)
        too_small = number <= self.min if self.min_exclusive else number < self.min
        if too_small or number > self.max:
            raise Invalid(
                gettext("Must be greater than %(min)s and at most %(max)s (got %(value)s).")
                % {"min": self.min, "max": self.max, "value": number}
            )
        return plain_decimal(number)

    def to_python(self, stored: Any) -> Decimal:
        return Decimal(stored)

    def form_field(self, **kwargs: Any) -> forms.Field:
        return forms.CharField(**kwargs)

    def api_field(self) -> Any:
        from rest_framework import serializers

        return serializers.CharField(help_text=_("A decimal number written as text."))

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["string", "number"], "description": 'a decimal number, e.g. "0.5"'}


@dataclass(frozen=True)
class FractionValue(ValueType):
    """A share such as "2/3" or "0.6667"; typed as `fractions.Fraction`."""

    def clean(self, value: Any) -> str:
        if isinstance(value, str) and "/" in value:
            try:
                share = Fraction(value.replace(" ", ""))
            except (ValueError, ZeroDivisionError):
                raise Invalid(
                    gettext("Enter a share such as 2/3 or 0.6667, not “%(value)s”.")
                    % {"value": value}
                ) from None
            text = f"{share.numerator}/{share.denominator}"
        else:
            try:
                number = _decimal(value)
            except Invalid:
                raise Invalid(
                    gettext("Enter a share such as 2/3 or 0.6667, not “%(value)s”.")
                    % {"value": value}
                ) from None
            share = Fraction(number)
            text = str(number)
        if not 0 < share <= 1:
            raise Invalid(gettext("A share must be greater than 0 and at most 1."))
        return text

    def to_python(self, stored: Any) -> Fraction:
        return Fraction(stored) if "/" in stored else Fraction(Decimal(stored))

    def display(self, typed: Any, key: RuleKey) -> str:
        text = (
            f"{typed.numerator}/{typed.denominator}"
            if typed.denominator < 100
            else str(round(float(typed), 4))
        )
        return key.display % {"value": text} if key.display else text

    def form_field(self, **kwargs: Any) -> forms.Field:
        return forms.CharField(**kwargs)

    def api_field(self) -> Any:
        from rest_framework import serializers

        return serializers.CharField(help_text=_("A share such as 2/3 or 0.6667."))

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["string", "number"], "description": 'a share, e.g. "2/3" or 0.6667'}


PUBLIC_RESULT_FIELDS = {
    "name": _("Name"),
    "kind": _("Organisation or individual"),
    "sector": _("Sector"),
    "total": _("Total score"),
    "rank": _("Rank"),
    "category_scores": _("Category scores"),
    "stage_totals": _("Stage totals"),
}


@dataclass(frozen=True)
class PublicFields(ValueType):
    def clean(self, value: Any) -> list[str]:
        if not isinstance(value, list) or not value:
            raise Invalid(gettext("Enter a non-empty list of field names."))
        unknown = [item for item in value if item not in PUBLIC_RESULT_FIELDS]
        if unknown:
            raise Invalid(
                ngettext(
                    "Unknown field %(unknown)s; allowed: %(allowed)s.",
                    "Unknown fields %(unknown)s; allowed: %(allowed)s.",
                    len(unknown),
                )
                % {
                    "unknown": ", ".join(map(str, unknown)),
                    "allowed": ", ".join(PUBLIC_RESULT_FIELDS),
                }
            )
        if len(set(value)) != len(value):
            raise Invalid(gettext("Each field may be listed once."))
        if "name" not in value:
            raise Invalid(gettext("The published results must show the name."))
        return list(value)

    def display(self, typed: Any, key: RuleKey) -> str:
        return list_join(str(PUBLIC_RESULT_FIELDS[item]) for item in typed)

    def api_field(self) -> Any:
        from rest_framework import serializers

        return serializers.ListField(
            child=serializers.ChoiceField(choices=list(PUBLIC_RESULT_FIELDS))
        )

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"enum": list(PUBLIC_RESULT_FIELDS)},
        }


@dataclass(frozen=True)
class FundUse:
    code: str
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)


def _check_entry_keys(item: Any, required: set[str], optional: set[str], index: int) -> None:
    if not isinstance(item, dict):
        raise Invalid(gettext("Entry %(n)s is not an object.") % {"n": index + 1})
    missing = required - item.keys()
    extra = item.keys() - required - optional
    if missing:
        raise Invalid(
            gettext("Entry %(n)s lacks %(keys)s.")
            % {"n": index + 1, "keys": ", ".join(sorted(missing))}
        )
    if extra:
        raise Invalid(
            ngettext(
                "Entry %(n)s has an unknown field %(keys)s.",
                "Entry %(n)s has unknown fields %(keys)s.",
                len(extra),
            )
            % {"n": index + 1, "keys": ", ".join(sorted(extra))}
        )


def _check_code(code: Any, index: int) -> str:
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise Invalid(
            gettext(
                "Entry %(n)s: the code must be lower-case letters, digits and _ (got “%(code)s”)."
            )
            % {"n": index + 1, "code": code}
        )
    return code


@dataclass(frozen=True)
class FundUses(ValueType):
    def clean(self, value: Any) -> list[dict[str, str]]:
        if not isinstance(value, list) or not value:
            raise Invalid(gettext("Enter a non-empty list of permitted uses."))
        cleaned = []
        for index, item in enumerate(value):
            _check_entry_keys(item, {"code", "name_zh", "name_en"}, set(), index)
            cleaned.append(
                {
                    "code": _check_code(item["code"], index),
                    "name_zh": _text(item["name_zh"], "name_zh"),
                    "name_en": _text(item["name_en"], "name_en"),
                }
            )
        codes = [item["code"] for item in cleaned]
        if len(set(codes)) != len(codes):
            raise Invalid(gettext("Each use needs its own code."))
        return cleaned

    def to_python(self, stored: Any) -> list[FundUse]:
        return [FundUse(**item) for item in stored]

    def display(self, typed: Any, key: RuleKey) -> str:
        return list_join(use.name for use in typed)

    def api_field(self) -> Any:
        from rest_framework import serializers

        class FundUseSerializer(serializers.Serializer):
            code = serializers.CharField()
            name_zh = serializers.CharField()
            name_en = serializers.CharField()

        return FundUseSerializer(many=True)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": 1,
            "items": _object_schema(
                {"code": {"type": "string", "pattern": _CODE_RE.pattern}, **_NAMES}
            ),
        }


@dataclass(frozen=True)
class Stage:
    code: str
    name_zh: str
    name_en: str
    weight: Decimal
    panel_size: int
    aggregation: str
    advance_threshold: int | None

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)

    @property
    def aggregation_label(self) -> str:
        return str(Aggregation(self.aggregation).label)


STAGE_FIELDS = {
    "code",
    "name_zh",
    "name_en",
    "weight",
    "panel_size",
    "aggregation",
    "advance_threshold",
}


@dataclass(frozen=True)
class Stages(ValueType):
    """The evaluation stages in order. Weights sum to 1; a stage's `advance_threshold`
    is the score (of the framework's total) in the stage before it that an applicant needs
    to go on to it; the rule set version checks it against its framework."""

    def clean(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not value:
            raise Invalid(gettext("Enter a non-empty list of stages."))
        cleaned = []
        for index, item in enumerate(value):
            _check_entry_keys(item, STAGE_FIELDS, set(), index)
            n = {"n": index + 1}
            if item["code"] not in StageCode.values:
                raise Invalid(
                    gettext("Stage %(n)s: the code must be one of %(codes)s.")
                    % {**n, "codes": ", ".join(StageCode.values)}
                )
            try:
                weight = DecimalNumber().clean(item["weight"])
            except Invalid as error:
                raise Invalid(
                    gettext("Stage %(n)s: weight: %(error)s") % {**n, "error": error}
                ) from None
            try:
                panel_size = Integer(min=1, max=50).clean(item["panel_size"])
            except Invalid as error:
                raise Invalid(
                    gettext("Stage %(n)s: panel size: %(error)s") % {**n, "error": error}
                ) from None
            if item["aggregation"] not in Aggregation.values:
                raise Invalid(
                    gettext("Stage %(n)s: the aggregation must be one of %(choices)s.")
                    % {**n, "choices": ", ".join(Aggregation.values)}
                )
            if item["aggregation"] == Aggregation.TRIMMED_MEAN and panel_size < 3:
                raise Invalid(
                    gettext("Stage %(n)s: a trimmed mean needs a panel of at least 3 experts.") % n
                )
            threshold = item["advance_threshold"]
            if threshold is not None:
                try:
                    threshold = Integer(min=0).clean(threshold)
                except Invalid as error:
                    raise Invalid(
                        gettext("Stage %(n)s: threshold: %(error)s") % {**n, "error": error}
                    ) from None
                if index == 0:
                    raise Invalid(
                        gettext("The first stage cannot have a threshold to go on to it.")
                    )
            cleaned.append(
                {
                    "code": item["code"],
                    "name_zh": _text(item["name_zh"], "name_zh"),
                    "name_en": _text(item["name_en"], "name_en"),
                    "weight": weight,
                    "panel_size": panel_size,
                    "aggregation": item["aggregation"],
                    "advance_threshold": threshold,
                }
            )
        codes = [stage["code"] for stage in cleaned]
        if len(set(codes)) != len(codes):
            raise Invalid(gettext("Each stage may appear once."))
        total = sum(Decimal(stage["weight"]) for stage in cleaned)
        if total != 1:
            raise Invalid(
                gettext("The stage weights must add up to 1; they add up to %(total)s.")
                % {"total": total}
            )
        return cleaned

    def to_python(self, stored: Any) -> list[Stage]:
        return [Stage(**{**item, "weight": Decimal(item["weight"])}) for item in stored]

    def display(self, typed: Any, key: RuleKey) -> str:
        parts = []
        for stage in typed:
            text = gettext("%(name)s %(weight)s%%, panel of %(size)s, %(aggregation)s") % {
                "name": stage.name,
                "weight": plain_decimal(stage.weight * 100),
                "size": stage.panel_size,
                "aggregation": Aggregation(stage.aggregation).label,
            }
            if stage.advance_threshold is not None:
                text += gettext(" (entry from %(points)s points)") % {
                    "points": stage.advance_threshold
                }
            parts.append(text)
        return ("\uff1b" if is_zh() else "; ").join(parts)  # full-width semicolon in Chinese

    def api_field(self) -> Any:
        from rest_framework import serializers

        class StageSerializer(serializers.Serializer):
            code = serializers.ChoiceField(choices=StageCode.choices)
            name_zh = serializers.CharField()
            name_en = serializers.CharField()
            weight = serializers.CharField(help_text=_("Decimal weight; the weights sum to 1."))
            panel_size = serializers.IntegerField()
            aggregation = serializers.ChoiceField(choices=Aggregation.choices)
            advance_threshold = serializers.IntegerField(
                allow_null=True,
                help_text=_(
                    "Points (of the framework's total) in the previous stage needed to go on "
                    "to this one."
                ),
            )

        return StageSerializer(many=True)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": 1,
            "items": _object_schema(
                {
                    "code": {"enum": list(StageCode.values)},
                    **_NAMES,
                    "weight": {"type": ["string", "number"]},
                    "panel_size": {"type": "integer", "minimum": 1, "maximum": 50},
                    "aggregation": {"enum": list(Aggregation.values)},
                    "advance_threshold": {
                        "type": ["integer", "null"],
                        "minimum": 0,
                        "maximum": 1000,
                    },
                }
            ),
        }


# --- the keys ------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleKey:
    name: str
    type: ValueType
    label: Promise
    group: str
    unit: str = Unit.NONE
    display: Promise | None = None
    help_text: Promise | str = ""
    # The entry a version recorded before this key existed is read with; None: required.
    default: Mapping[str, Any] | None = None

    @property
    def unit_label(self) -> str:
        return str(Unit.LABELS[self.unit])


def _workdays(prefix: str) -> Promise:
    texts = {
        "min": ngettext_lazy(
            "at least %(value)s working day", "at least %(value)s working days", "value"
        ),
        "max": ngettext_lazy(
            "within %(value)s working day", "within %(value)s working days", "value"
        ),
        "exact": ngettext_lazy("%(value)s working day", "%(value)s working days", "value"),
    }
    return texts[prefix]


_YEARS = ngettext_lazy("%(value)s year", "%(value)s years", "value")
_AT_LEAST_YEARS = ngettext_lazy("at least %(value)s year", "at least %(value)s years", "value")
_LAST_YEARS = ngettext_lazy("the last %(value)s year", "the last %(value)s years", "value")

_KEYS = [
    # Award (A3, A5, A23, A24, A32)
    RuleKey(
        "cycle_years",
        Integer(min=1, max=10),
        _("A cycle runs every"),
        "award",
        Unit.YEARS,
        ngettext_lazy("every %(value)s year", "every %(value)s years", "value"),
    ),
    RuleKey(
        "quota_organisation",
        Integer(min=0, max=100),
        _("Awards to organisations per cycle (at most)"),
        "award",
        Unit.COUNT,
        ngettext_lazy("at most %(value)s", "at most %(value)s", "value"),
    ),
    RuleKey(
        "quota_individual",
        Integer(min=0, max=100),
        _("Awards to individuals per cycle (at most)"),
        "award",
        Unit.COUNT,
        ngettext_lazy("at most %(value)s", "at most %(value)s", "value"),
    ),
    RuleKey(
        "vacancy_allowed",
        Boolean(true_text=_("may stay vacant"), false_text=_("must be awarded")),
        _("An award may stay vacant"),
        "award",
    ),
    RuleKey(
        "award_validity_years",
        Integer(min=1, max=20),
        _("An award is valid for"),
        "award",
        Unit.YEARS,
        _YEARS,
    ),
    RuleKey(
        "prize_organisation_yuan",
        Integer(min=0),
        _("Prize money to a winning organisation"),
        "award",
        Unit.YUAN,
        ngettext_lazy("%(amount)s yuan", "%(amount)s yuan", "value"),
    ),
    RuleKey(
        "prize_individual_yuan",
        Integer(min=0),
        _("Prize money to a winning individual"),
        "award",
        Unit.YUAN,
        ngettext_lazy("%(amount)s yuan", "%(amount)s yuan", "value"),
    ),
    RuleKey(
        "prize_budget_year_offset",
        Integer(min=0, max=5),
        _("Prize money is budgeted for the award year plus"),
        "award",
        Unit.YEARS,
        _YEARS,
    ),
    RuleKey("fund_uses", FundUses(), _("Permitted uses of the prize money"), "award"),
    RuleKey(
        "award_citation_requires_year",
        Boolean(true_text=_("only with the year of the award"), false_text=_("without conditions")),
        _("Winners may cite the award"),
        "award",
    ),
    # Eligibility (A10, A11, A12)
    RuleKey(
        "org_min_operating_years",
        Integer(min=0, max=50),
        _("Organisation operating normally for"),
        "eligibility",
        Unit.YEARS,
        _AT_LEAST_YEARS,
    ),
    RuleKey(
        "org_no_loss_years",
        Integer(min=0, max=20),
        _("No operating loss in"),
        "eligibility",
        Unit.YEARS,
        _LAST_YEARS,
    ),
    RuleKey(
        "individual_min_quality_years",
        Integer(min=0, max=50),
        _("Individual's years of quality work in the area"),
        "eligibility",
        Unit.YEARS,
        _AT_LEAST_YEARS,
    ),
    RuleKey(
        "winner_reapply_after_cycles",
        Integer(min=0, max=20),
        _("An earlier winner may apply again after"),
        "eligibility",
        Unit.CYCLES,
        ngettext_lazy("%(value)s cycle", "%(value)s cycles", "value"),
        _(
            "The number of later cycles in which a winner may not apply; 0: a winner may "
            "apply again in the next cycle."
        ),
        # Erenhot's measures do not bar earlier winners: their Article 12 lists every bar.
        default={"value": 0, "article": 12, "clause": None, "note": "", "basis": "measures"},
    ),
    RuleKey(
        "lookback_years",
        Integer(min=0, max=20),
        _("Accidents, violations and fraud are looked for in"),
        "eligibility",
        Unit.YEARS,
        _LAST_YEARS,
    ),
    # Procedure (A14, A16, A18, A19, A22)
    RuleKey(
        "call_min_workdays",
        Integer(min=1, max=250),
        _("The call for applications runs"),
        "procedure",
        Unit.WORKDAYS,
        _workdays("min"),
    ),
    RuleKey(
        "qualification_review_max_workdays",
        Integer(min=1, max=250),
        _("Qualification review is completed"),
        "procedure",
        Unit.WORKDAYS,
        _workdays("max"),
        _("Counted from the day after the materials are received."),
    ),
    RuleKey(
        "supplement_requests_max",
        Integer(min=0, max=10),
        _("Requests to supplement materials (told all at once)"),
        "procedure",
        Unit.COUNT,
        ngettext_lazy("at most %(value)s", "at most %(value)s", "value"),
    ),
    RuleKey(
        "evaluation_max_workdays",
        Integer(min=1, max=250),
        _("Evaluation (all stages) is completed"),
        "procedure",
        Unit.WORKDAYS,
        _workdays("max"),
    ),
    RuleKey(
        "public_comment_min_workdays",
        Integer(min=1, max=250),
        _("Public comment on the results runs"),
        "procedure",
        Unit.WORKDAYS,
        _workdays("min"),
    ),
    RuleKey(
        "publicity_workdays",
        Integer(min=1, max=250),
        _("Publicity of the proposed winners runs"),
        "procedure",
        Unit.WORKDAYS,
        _workdays("exact"),
    ),
    # Evaluation (A13, A18, A25)
    RuleKey("stages", Stages(), _("Evaluation stages"), "evaluation"),
    RuleKey(
        "consensus_spread_threshold",
        Integer(min=0, max=100),
        _("Items are discussed for consensus when the panel's spread exceeds"),
        "evaluation",
        Unit.PERCENTAGE_POINTS,
        ngettext_lazy("%(value)s percentage point", "%(value)s percentage points", "value"),
    ),
    RuleKey(
        "experts_see_scores_before_consensus",
        Boolean(
            true_text=_("experts see each other's scores before consensus"),
            false_text=_("experts score independently and see others' scores only at consensus"),
        ),
        _("Independent scoring"),
        "evaluation",
    ),
    RuleKey(
        "recusal_employment_years",
        Integer(min=0, max=20),
        _("An expert recuses if employed by the applicant within"),
        "evaluation",
        Unit.YEARS,
        _LAST_YEARS,
    ),
    RuleKey(
        "assignment_method",
        Choice(choices=AssignmentMethod),
        _("How experts are assigned"),
        "evaluation",
    ),
    RuleKey(
        "expert_load_cap",
        Integer(min=1, max=100),
        _("Applications per expert per stage (at most)"),
        "evaluation",
        Unit.COUNT,
        ngettext_lazy("at most %(value)s", "at most %(value)s", "value"),
    ),
    RuleKey(
        "random_draw_max_pair_probability",
        DecimalNumber(),
        _("Random draw: highest probability of any expert-application pair"),
        "evaluation",
        Unit.FRACTION,
    ),
    # Publication and decision (A19, A21)
    RuleKey(
        "public_result_fields",
        PublicFields(),
        _("Published evaluation results show"),
        "publication",
    ),
    RuleKey(
        "comment_contact_required",
        Boolean(
            true_text=_("a public comment must give contact details"),
            false_text=_("anonymous comments are accepted"),
        ),
        _("Public comments"),
        "publication",
    ),
    RuleKey(
        "working_group_quorum_fraction",
        FractionValue(),
        _("Working-group meeting quorum"),
        "publication",
        Unit.FRACTION,
        _("%(value)s of the members"),
    ),
    # Integrity and supervision (A28, A29)
    RuleKey(
        "fraud_ban_years",
        Integer(min=0, max=50),
        _("After fraud, no application for"),
        "supervision",
        Unit.YEARS,
        _YEARS,
    ),
    RuleKey(
        "revocation_window_years",
        Integer(min=0, max=50),
        _("An award is revoked for a serious accident or violation within"),
        "supervision",
        Unit.YEARS,
        ngettext_lazy("%(value)s year after the award", "%(value)s years after the award", "value"),
    ),
]

SCHEMA: dict[str, RuleKey] = {key.name: key for key in _KEYS}
ENTRY_FIELDS = {"value", "article", "clause", "note", "basis"}


class Basis:
    """Where a value comes from: the measures' own text, or the office's detailed rules
    (实施细则, Article 8) where the measures leave the number open."""

    MEASURES = "measures"
    DETAILED_RULES = "detailed_rules"
    CHOICES = [
        (MEASURES, _("The measures")),
        (DETAILED_RULES, _("The office's detailed rules (Article 8)")),
    ]
    VALUES = [MEASURES, DETAILED_RULES]


def label_of(name: str) -> str:
    key = SCHEMA.get(name)
    return str(key.label) if key else name


def keys_in_group(group: str) -> list[RuleKey]:
    return [key for key in _KEYS if key.group == group]


# --- validation -----------------------------------------------------------------------


def clean_entry(name: str, entry: Any) -> dict[str, Any]:
    """One stored entry {"value", "article", "clause", "note", "basis"}; raises Invalid."""
    if not isinstance(entry, dict):
        raise Invalid(gettext('Give the value with its article: {"value": …, "article": …}.'))
    if "value" not in entry or "article" not in entry:
        raise Invalid(gettext("Every value needs a “value” and the “article” it comes from."))
    extra = entry.keys() - ENTRY_FIELDS
    if extra:
        raise Invalid(
            ngettext("Unknown field %(fields)s.", "Unknown fields %(fields)s.", len(extra))
            % {"fields": ", ".join(sorted(extra))}
        )
    article = entry["article"]
    if isinstance(article, bool) or not isinstance(article, int) or not 1 <= article <= MAX_ARTICLE:
        raise Invalid(
            gettext("The article must be a whole number from 1 to %(max)s (got “%(value)s”).")
            % {"max": MAX_ARTICLE, "value": article}
        )
    clause = entry.get("clause")
    if clause is not None and (
        isinstance(clause, bool) or not isinstance(clause, int) or not 1 <= clause <= MAX_CLAUSE
    ):
        raise Invalid(
            gettext(
                "The clause must be empty or a whole number from 1 to %(max)s (got “%(value)s”)."
            )
            % {"max": MAX_CLAUSE, "value": clause}
        )
    note = entry.get("note") or ""
    if not isinstance(note, str):
        raise Invalid(gettext("The note must be text."))
    basis = entry.get("basis") or Basis.MEASURES
    if basis not in Basis.VALUES:
        raise Invalid(
            gettext("The basis must be one of %(choices)s.") % {"choices": ", ".join(Basis.VALUES)}
        )
    return {
        "value": SCHEMA[name].type.clean(entry["value"]),
        "article": article,
        "clause": clause,
        "note": note.strip(),
        "basis": basis,
    }


def validate_values(values: Any) -> dict[str, dict[str, Any]]:
    """Check every key and return the values in stored form; raise RuleValuesInvalid."""
    if not isinstance(values, Mapping):
        raise RuleValuesInvalid({"__all__": [gettext("The values must be an object of keys.")]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    for name in values:
        if name not in SCHEMA:
            errors.setdefault(name, []).append(
                gettext("Unknown rule “%(key)s”: not in the rule set schema.") % {"key": name}
            )
    for name, key in SCHEMA.items():
        entry = values.get(name, key.default)
        if entry is None:
            errors.setdefault(name, []).append(gettext("Missing: every rule needs a value."))
            continue
        try:
            cleaned[name] = clean_entry(name, entry)
        except Invalid as error:
            errors.setdefault(name, []).append(str(error))
    if not errors:
        _cross_check(cleaned, errors)
    if errors:
        raise RuleValuesInvalid(errors)
    return cleaned


def values_json_schema() -> dict[str, Any]:
    """JSON Schema of `values`: every key of SCHEMA, each {"value", "article", …}."""
    properties = {}
    for name, key in SCHEMA.items():
        entry = _object_schema(
            {
                "value": key.type.json_schema(),
                "article": {"type": "integer", "minimum": 1, "maximum": MAX_ARTICLE},
                "clause": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_CLAUSE},
                "note": {"type": ["string", "null"]},
                "basis": {"enum": [*Basis.VALUES, None]},
            },
            required=["value", "article"],
        )
        entry["title"] = name
        properties[name] = entry
    # A key with a default may be missing, as in a version recorded before it existed.
    required = [name for name, key in SCHEMA.items() if key.default is None]
    return _object_schema(properties, required=required)


def _cross_check(values: dict[str, dict[str, Any]], errors: dict[str, list[str]]) -> None:
    if values["quota_organisation"]["value"] == 0 and values["quota_individual"]["value"] == 0:
        errors.setdefault("quota_individual", []).append(
            gettext("At least one kind of award needs a quota above 0.")
        )


def with_defaults(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with the default entry of every key the version was recorded without."""
    return {
        **{key.name: dict(key.default) for key in _KEYS if key.default is not None},
        **values,
    }


# --- typed access ---------------------------------------------------------------------


def citation(article: int | None, clause: int | None = None) -> str:
    """“第十四条” in Chinese (the measures' own form), “Article 14” otherwise."""
    if article is None:
        return ""
    if is_zh():
        return article_citation_zh(article, clause)
    if clause:
        return gettext("Article %(article)s(%(clause)s)") % {"article": article, "clause": clause}
    return gettext("Article %(article)s") % {"article": article}


@dataclass(frozen=True)
class RuleValue:
    """One rule: `.value` (typed), `.article`, `.clause`, `.source` (“第十四条”).

    `str()` gives the value for display (“at least 10 working days”)."""

    key: RuleKey
    stored: Any
    article: int
    clause: int | None = None
    note: str = ""
    basis: str = Basis.MEASURES
    value: Any = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", self.key.type.to_python(self.stored))

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def label(self) -> str:
        return str(self.key.label)

    @property
    def unit(self) -> str:
        return self.key.unit

    @property
    def source(self) -> str:
        return citation(self.article, self.clause)

    @property
    def cited(self) -> str:
        """The source in brackets, to follow the value: “ (Article 14)”, in Chinese
        full-width brackets without a space."""
        return zh_parenthesised(self.source) if is_zh() else f" ({self.source})"

    @property
    def from_detailed_rules(self) -> bool:
        return self.basis == Basis.DETAILED_RULES

    def display(self) -> str:
        return self.key.type.display(self.value, self.key)

    def with_source(self) -> str:
        """“at least 10 working days (Article 14)”, in Chinese with full-width brackets."""
        return self.display() + self.cited

    def __str__(self) -> str:
        return self.display()


class MissingRule(KeyError):
    """The version has no value for a key of the schema (a KeyError, so templates show nothing)."""


class Rules:
    """Typed, read-only access to a version's values: ``rules.call_min_workdays.value``."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = with_defaults(values)
        self._cache: dict[str, RuleValue] = {}

    def __getattr__(self, name: str) -> RuleValue:
        if name.startswith("_") or name not in SCHEMA:
            raise AttributeError(f"“{name}” is not a rule in the rule set schema")
        return self[name]

    def __getitem__(self, name: str) -> RuleValue:
        if name not in self._cache:
            if name not in SCHEMA:
                raise KeyError(f"“{name}” is not a rule in the rule set schema")
            entry = self._values.get(name)
            if entry is None:
                raise MissingRule(f"this rule set version has no value for “{name}”")
            self._cache[name] = RuleValue(
                key=SCHEMA[name],
                stored=entry["value"],
                article=entry["article"],
                clause=entry.get("clause"),
                note=entry.get("note") or "",
                basis=entry.get("basis") or Basis.MEASURES,
            )
        return self._cache[name]

    def __iter__(self) -> Iterator[RuleValue]:
        for name in SCHEMA:
            if name in self._values:
                yield self[name]

    def grouped(self) -> list[tuple[str, str, list[RuleValue]]]:
        """[(group code, group label, [rules])] in schema order."""
        return [
            (
                code,
                str(label),
                [self[key.name] for key in keys_in_group(code) if key.name in self._values],
            )
            for code, label in GROUPS.items()
        ]

    def stage(self, code: str) -> Stage | None:
        return next((stage for stage in self.stages.value if stage.code == code), None)


__all__ = [
    "GROUPS",
    "SCHEMA",
    "Basis",
    "FundUse",
    "MissingRule",
    "RuleKey",
    "RuleValue",
    "RuleValuesInvalid",
    "Rules",
    "Stage",
    "Unit",
    "citation",
    "clean_entry",
    "keys_in_group",
    "localized",
    "validate_values",
    "with_defaults",
]
