"""The preset files shipped in rulesets/presets/: a framework or a rule set version as JSON.

A framework preset has ``"kind": "framework"`` and is named after its code
(``gbt19580-2012.json``); a rule set preset has ``"kind": "rule_set"`` and names the
framework it uses (``"framework": "gbt19580-2012"``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from qualityaward.core.errors import QualityAwardError

PRESET_DIR = Path(__file__).resolve().parent / "presets"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{0,80}$")

ERENHOT_PRESET = "erenhot-2021"
ERENHOT_RULE_SET = "erenhot-mayor"


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESET_DIR.glob("*.json"))


def preset_read(name: str) -> dict[str, Any]:
    """The preset's data; raises QualityAwardError for an unknown name or a broken file."""
    path = PRESET_DIR / f"{name}.json"
    if not _NAME_RE.match(name) or not path.is_file():
        raise QualityAwardError(
            gettext("No preset named “%(name)s”. Available: %(names)s.")
            % {"name": name, "names": ", ".join(preset_names())},
            code="preset_unknown",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QualityAwardError(
            gettext("The preset %(name)s is not valid JSON: %(error)s")
            % {"name": name, "error": error},
            code="preset_invalid",
        ) from None
    if not isinstance(data, dict) or data.get("kind") not in ("framework", "rule_set"):
        raise QualityAwardError(
            gettext("The preset %(name)s must be an object with “kind”: framework or rule_set.")
            % {"name": name},
            code="preset_invalid",
        )
    return data
