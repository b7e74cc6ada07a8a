"""A rule set version as a readable YAML file, its JSON Schema, the check of an edited
file with errors that name the key path and the line, and the difference of two versions.

The file (``manage.py ruleset export erenhot-mayor``)::

    # 二连浩特市市长质量奖 · erenhot-mayor · version 1 (active) …
    rule_set: erenhot-mayor
    title: …
    effective_from: '2021-09-01'
    framework: gbt19580-2012
    values:
      # The call for applications runs · Article 14
      call_min_workdays:
        value: 10
        article: 14
        …

Keys come in schema order, each with a comment giving its label and article. Checking a
file writes nothing; `services.ruleset_version_import` makes a new draft from it.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import yaml
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from jsonschema import Draft202012Validator

from qualityaward.core.errors import QualityAwardError

from .models import RuleSet, RuleSetVersion, ScoringFramework
from .schema import SCHEMA, Rules, RuleValuesInvalid, validate_values, values_json_schema

if TYPE_CHECKING:
    from django.db.models import Field

GENERAL_FIELDS = (
    "title",
    "document_number",
    "effective_from",
    "effective_to",
    "framework",
    "notes",
)
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def file_json_schema() -> dict[str, Any]:
    """The JSON Schema of a rule-set file, generated from `schema.SCHEMA`."""
    values = values_json_schema()
    for name, entry in values["properties"].items():
        entry["description"] = str(SCHEMA[name].label)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "qualityaward rule set version",
        "type": "object",
        "properties": {
            "rule_set": {"type": "string", "minLength": 1},
            "version": {"type": "integer", "description": "informational: import numbers anew"},
            "status": {"type": "string", "description": "informational: an import is a draft"},
            "title": {"type": "string", "minLength": 1},
            "document_number": {"type": ["string", "null"]},
            "effective_from": _DATE,
            "effective_to": {"anyOf": [_DATE, {"type": "null"}]},
            "framework": {"type": "string", "minLength": 1},
            "notes": {"type": ["string", "null"]},
            "values": values,
        },
        "required": ["rule_set", "title", "effective_from", "framework", "values"],
        "additionalProperties": False,
    }


# --- export ------------------------------------------------------------------------------


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _indented(text: str) -> str:
    return "".join(f"  {line}" for line in text.splitlines(keepends=True))


def version_as_yaml(version: RuleSetVersion) -> str:
    """The version as a YAML file: a comment header, the general fields, then every
    value in schema order under a comment with its label and article."""
    rule_set = version.rule_set
    header = [
        f"# {rule_set.award_name_zh} · {rule_set.code} · "
        f"{version.version_label} ({version.get_status_display()})",
        f"# {version.title}",
        "# "
        + gettext("Exported on %(date)s. Check an edited copy with “manage.py ruleset validate”;")
        % {"date": timezone.localdate().isoformat()},
        "# " + gettext("importing it makes a new draft version, never a change to this one."),
    ]
    general = {
        "rule_set": rule_set.code,
        "version": version.version,
        "status": version.status,
        "title": version.title,
        "document_number": version.document_number,
        "effective_from": version.effective_from.isoformat(),
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        "framework": version.framework.code,
        "notes": version.notes,
    }
    parts = ["\n".join(header) + "\n", _dump(general), "values:\n"]
    rules = Rules(version.values)
    for name in SCHEMA:
        entry = version.values.get(name)
        if entry is None:
            continue
        rule = rules[name]
        parts.append(f"  # {rule.label} · {rule.source}\n")
        parts.append(_indented(_dump({name: entry})))
    return "".join(parts)


# --- reading and checking a file -------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text (the schema checks their form)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class FileProblem:
    path: str  # "values.stages.0.weight", "" for the file as a whole
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path or gettext("file")
        if self.line is None:
            return f"{where}: {self.message}"
        return gettext("line %(line)d, %(path)s: %(message)s") % {
            "line": self.line,
            "path": where,
            "message": self.message,
        }


class RuleFileInvalid(QualityAwardError):
    """A rule-set file that cannot be imported: every problem with its key path and line."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems), code="rule_file_invalid")


def _lines(node: yaml.Node, path: tuple = (), found: dict | None = None) -> dict[tuple, int]:
    """(key path) → 1-based line, from the composed YAML nodes."""
    found = {} if found is None else found
    found.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            found[child] = key_node.start_mark.line + 1
            _lines(value_node, child, found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), found)
    return found


def _line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


_TYPE_NAMES = {
    "integer": gettext_lazy("a whole number"),
    "number": gettext_lazy("a number"),
    "string": gettext_lazy("a text"),
    "boolean": gettext_lazy("true or false"),
    "array": gettext_lazy("a list"),
    "object": gettext_lazy("a mapping of keys"),
    "null": gettext_lazy("empty"),
}


def _schema_message(error: Any) -> str:
    """The schema validator's finding in the user's language (its own text is English)."""
    value, expected = error.instance, error.validator_value
    shown = json.dumps(value, ensure_ascii=False, default=str)
    if error.validator == "type":
        names = [expected] if isinstance(expected, str) else expected
        return gettext("%(value)s is not %(expected)s.") % {
            "value": shown,
            "expected": gettext(" or ").join(str(_TYPE_NAMES[name]) for name in names),
        }
    if error.validator == "minimum":
        return gettext("%(value)s is less than %(limit)s.") % {"value": shown, "limit": expected}
    if error.validator == "maximum":
        return gettext("%(value)s is more than %(limit)s.") % {"value": shown, "limit": expected}
    if error.validator == "enum":
        return gettext("%(value)s is not one of %(choices)s.") % {
            "value": shown,
            "choices": ", ".join(str(choice) for choice in expected if choice is not None),
        }
    if error.validator == "required":
        missing = [key for key in expected if key not in value]
        return gettext("missing: %(keys)s.") % {"keys": ", ".join(missing)}
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        unknown = [key for key in value if key not in allowed]
        return gettext("unknown: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}
    return gettext("%(value)s does not fit the schema (%(rule)s).") % {
        "value": shown,
        "rule": error.validator,
    }


@dataclass(frozen=True)
class CheckedFile:
    rule_set: RuleSet
    framework: ScoringFramework
    general: dict[str, Any]
    values: dict[str, Any]


def check_file(text: str) -> CheckedFile:
    """Read and check a rule-set file; RuleFileInvalid lists every problem with its key
    path and line. Writes nothing."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        raise RuleFileInvalid(
            [
                FileProblem(
                    "",
                    mark.line + 1 if mark else None,
                    gettext("not valid YAML: %(reason)s") % {"reason": reason},
                )
            ]
        ) from None
    finally:
        loader.dispose()
    if node is None or not isinstance(data, dict):
        raise RuleFileInvalid([FileProblem("", 1, gettext("the file must be a mapping of keys."))])
    lines = _lines(node)
    problems: list[FileProblem] = []
    bad_keys: set[str] = set()
    validator = Draft202012Validator(file_json_schema())
    schema_errors = validator.iter_errors(data)
    for schema_error in sorted(schema_errors, key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(schema_error.absolute_path)
        message = _schema_message(schema_error)
        problems.append(FileProblem(".".join(map(str, path)), _line_of(lines, path), message))
        if len(path) >= 2 and path[0] == "values":
            bad_keys.add(str(path[1]))

    def by_code(model, key: str, unknown: str):
        """The `model` row the file names by code under `key`; a problem when none has it."""
        if not isinstance(data.get(key), str):
            return None
        found = model.objects.filter(code=data[key]).first()
        if found is None:
            problems.append(
                FileProblem(key, _line_of(lines, (key,)), unknown % {"code": data[key]})
            )
        return found

    rule_set = by_code(RuleSet, "rule_set", gettext("no rule set with the code “%(code)s”."))
    framework = by_code(
        ScoringFramework, "framework", gettext("no scoring framework with the code “%(code)s”.")
    )
    values = data.get("values")
    cleaned: dict[str, Any] = {}
    if isinstance(values, dict):
        try:
            cleaned = validate_values(values)
        except RuleValuesInvalid as error:
            for key, messages in error.errors.items():
                if key in bad_keys or key not in values or key not in SCHEMA:
                    continue  # the schema has named this key's problem already
                path = ("values", key) if key != "__all__" else ("values",)
                for message in messages:
                    problems.append(FileProblem(".".join(path), _line_of(lines, path), message))
    general: dict[str, Any] = {name: data.get(name) for name in GENERAL_FIELDS}
    dates_ok = not any(p.path in ("effective_from", "effective_to") for p in problems)
    period = general["effective_from"], general["effective_to"]
    if dates_ok and all(period) and period[1] < period[0]:
        problems.append(
            FileProblem(
                "effective_to",
                _line_of(lines, ("effective_to",)),
                gettext("the effective period ends before it begins."),
            )
        )
    if problems:
        raise RuleFileInvalid(problems)
    assert rule_set is not None and framework is not None
    for name in ("effective_from", "effective_to"):
        if general[name]:
            general[name] = datetime.date.fromisoformat(general[name])
    for name in ("document_number", "notes"):
        general[name] = (general[name] or "").strip()
    return CheckedFile(rule_set, framework, general, cleaned)


# --- the difference of two versions ----------------------------------------------------


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    change: str  # "changed", "added", "removed"
    old: str
    new: str
    old_source: str
    new_source: str


def _shown(rules: Rules, name: str) -> tuple[str, str]:
    rule = rules[name]
    text = rule.display()
    if rule.note:
        text = f"{text} ({rule.note})"
    return text, rule.source


def versions_diff(old: RuleSetVersion, new: RuleSetVersion) -> list[Change]:
    """Each general field and each rule that differs, in schema order: old → new with
    the article of each; keys only in one version as added or removed."""
    changes = []
    for name in GENERAL_FIELDS:
        before = getattr(old, name) if name != "framework" else old.framework.code
        after = getattr(new, name) if name != "framework" else new.framework.code
        if before != after:
            field = cast("Field[Any, Any]", RuleSetVersion._meta.get_field(name))
            label = str(field.verbose_name)
            changes.append(
                Change(name, label, "changed", str(before or "—"), str(after or "—"), "", "")
            )
    old_rules, new_rules = Rules(old.values), Rules(new.values)
    for name, key in SCHEMA.items():
        before, after = old.values.get(name), new.values.get(name)
        if before == after:
            continue
        if before is None:
            text, source = _shown(new_rules, name)
            changes.append(Change(name, str(key.label), "added", "—", text, "", source))
        elif after is None:
            text, source = _shown(old_rules, name)
            changes.append(Change(name, str(key.label), "removed", text, "—", source, ""))
        else:
            old_text, old_source = _shown(old_rules, name)
            new_text, new_source = _shown(new_rules, name)
            if old_text == new_text and old_source == new_source:
                old_text, new_text = _dump(before).strip(), _dump(after).strip()
            changes.append(
                Change(name, str(key.label), "changed", old_text, new_text, old_source, new_source)
            )
    return changes


__all__ = [
    "Change",
    "CheckedFile",
    "FileProblem",
    "RuleFileInvalid",
    "check_file",
    "file_json_schema",
    "version_as_yaml",
    "versions_diff",
]
