"""Scoring frameworks as plain data: check that the points add up before anything is stored.

The data form (as in presets/gbt19580-2012.json)::

    {"code": "gbt19580-2012", "name_zh": …, "name_en": …, "edition": "GB/T 19580-2012",
     "total_points": 1000, "note": …,
     "bands": {"process": {"dimensions": [{"code", "name_zh", "name_en"}],
                           "bands": [{"min": 0, "max": 5, "text_zh": …, "text_en": …}, …]},
               "results": {…}},
     "categories": [{"code": "4.1", "name_zh", "name_en", "points": 110, "kind": "process",
                     "items": [{"code": "4.1.2", "name_zh", "name_en", "points": 50}, …]}, …]}
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext

from qualityaward.core.errors import QualityAwardError

from .enums import CategoryKind

FRAMEWORK_FIELDS = {
    "code",
    "name_zh",
    "name_en",
    "edition",
    "total_points",
    "note",
    "bands",
    "categories",
}


class FrameworkInvalid(QualityAwardError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="framework_invalid")


def _points(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FrameworkInvalid(
            gettext("%(where)s: points must be a whole number of 0 or more (got “%(value)s”).")
            % {"where": where, "value": value}
        )
    return value


def _text(value: Any, where: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FrameworkInvalid(
            gettext("%(where)s: “%(field)s” must be a non-empty text.")
            % {"where": where, "field": field}
        )
    return value.strip()


def framework_data_check(data: Any) -> dict[str, Any]:
    """Check a framework's data and return it normalised; raise FrameworkInvalid naming
    the category (or the total) that does not add up."""
    if not isinstance(data, dict):
        raise FrameworkInvalid(gettext("A framework must be an object."))
    missing = FRAMEWORK_FIELDS - {"note"} - data.keys()
    if missing:
        raise FrameworkInvalid(
            gettext("The framework lacks %(fields)s.") % {"fields": ", ".join(sorted(missing))}
        )
    code = _text(data["code"], gettext("Framework"), "code")
    total = _points(data["total_points"], code)
    categories = data["categories"]
    if not isinstance(categories, list) or not categories:
        raise FrameworkInvalid(gettext("Framework %(code)s has no categories.") % {"code": code})
    seen_codes: set[str] = set()
    clean_categories: list[dict[str, Any]] = []
    for category in categories:
        if not isinstance(category, dict):
            raise FrameworkInvalid(gettext("Every category must be an object."))
        cat_code = _text(category.get("code"), gettext("A category"), "code")
        where = gettext("Category %(code)s") % {"code": cat_code}
        if cat_code in seen_codes:
            raise FrameworkInvalid(gettext("%(where)s appears twice.") % {"where": where})
        seen_codes.add(cat_code)
        name_zh = _text(category.get("name_zh"), where, "name_zh")
        name_en = _text(category.get("name_en"), where, "name_en")
        where = f"{where} {name_zh} {name_en}"
        points = _points(category.get("points"), where)
        if category.get("kind") not in CategoryKind.values:
            raise FrameworkInvalid(
                gettext("%(where)s: kind must be one of %(kinds)s.")
                % {"where": where, "kinds": ", ".join(CategoryKind.values)}
            )
        items = category.get("items")
        if not isinstance(items, list) or not items:
            raise FrameworkInvalid(gettext("%(where)s has no items.") % {"where": where})
        clean_items: list[dict[str, Any]] = []
        for item in items:
            if not isinstance(item, dict):
                raise FrameworkInvalid(
                    gettext("%(where)s: every item must be an object.") % {"where": where}
                )
            item_code = _text(item.get("code"), where, "code")
            item_where = gettext("Item %(code)s") % {"code": item_code}
            if item_code in seen_codes:
                raise FrameworkInvalid(gettext("%(where)s appears twice.") % {"where": item_where})
            if not item_code.startswith(cat_code + "."):
                raise FrameworkInvalid(
                    gettext("%(item)s does not belong under category %(category)s.")
                    % {"item": item_where, "category": cat_code}
                )
            seen_codes.add(item_code)
            clean_items.append(
                {
                    "code": item_code,
                    "name_zh": _text(item.get("name_zh"), item_where, "name_zh"),
                    "name_en": _text(item.get("name_en"), item_where, "name_en"),
                    "points": _points(item.get("points"), item_where),
                }
            )
        item_sum = sum(item["points"] for item in clean_items)
        if item_sum != points:
            raise FrameworkInvalid(
                gettext(
                    "%(where)s: its items add up to %(sum)s points, not the category's %(points)s."
                )
                % {"where": where, "sum": item_sum, "points": points}
            )
        clean_categories.append(
            {
                "code": cat_code,
                "name_zh": name_zh,
                "name_en": name_en,
                "points": points,
                "kind": category["kind"],
                "items": clean_items,
            }
        )
    category_sum = sum(category["points"] for category in clean_categories)
    if category_sum != total:
        raise FrameworkInvalid(
            gettext(
                "Framework %(code)s: the categories add up to %(sum)s points, not the declared "
                "total of %(total)s."
            )
            % {"code": code, "sum": category_sum, "total": total}
        )
    kinds = {category["kind"] for category in clean_categories}
    return {
        "code": code,
        "name_zh": _text(data["name_zh"], code, "name_zh"),
        "name_en": _text(data["name_en"], code, "name_en"),
        "edition": _text(data["edition"], code, "edition"),
        "total_points": total,
        "note": (data.get("note") or "").strip(),
        "bands": bands_check(data["bands"], kinds),
        "categories": clean_categories,
    }


def bands_check(bands: Any, kinds: set[str]) -> dict[str, Any]:
    """Each kind used by a category needs its dimensions and contiguous bands from 0 to 100 %."""
    if not isinstance(bands, dict):
        raise FrameworkInvalid(gettext("The bands must be an object keyed by kind."))
    unknown = bands.keys() - set(CategoryKind.values)
    if unknown:
        raise FrameworkInvalid(
            ngettext(
                "Bands for an unknown kind %(kinds)s.",
                "Bands for unknown kinds %(kinds)s.",
                len(unknown),
            )
            % {"kinds": ", ".join(sorted(unknown))}
        )
    clean: dict[str, Any] = {}
    for kind in CategoryKind.values:
        if kind not in bands:
            if kind in kinds:
                raise FrameworkInvalid(
                    gettext("The %(kind)s categories have no band descriptions.") % {"kind": kind}
                )
            continue
        entry = bands[kind]
        where = gettext("Bands (%(kind)s)") % {"kind": kind}
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("dimensions"), list)
            or not isinstance(entry.get("bands"), list)
        ):
            raise FrameworkInvalid(
                gettext("%(where)s need “dimensions” and “bands” lists.") % {"where": where}
            )
        dimensions = [
            {
                "code": _text(d.get("code") if isinstance(d, dict) else None, where, "code"),
                "name_zh": _text(d.get("name_zh"), where, "name_zh"),
                "name_en": _text(d.get("name_en"), where, "name_en"),
            }
            for d in entry["dimensions"]
        ]
        clean_bands = []
        expected_min = 0
        for band in entry["bands"]:
            if not isinstance(band, dict):
                raise FrameworkInvalid(
                    gettext("%(where)s: every band must be an object.") % {"where": where}
                )
            low, high = band.get("min"), band.get("max")
            if (
                low != expected_min
                or not isinstance(high, int)
                or isinstance(high, bool)
                or high < low
            ):
                raise FrameworkInvalid(
                    gettext(
                        "%(where)s: the bands must run without gaps from 0 to 100 %% "
                        "(problem at %(at)s %%)."
                    )
                    % {"where": where, "at": low}
                )
            clean_bands.append(
                {
                    "min": low,
                    "max": high,
                    "text_zh": _text(band.get("text_zh"), where, "text_zh"),
                    "text_en": _text(band.get("text_en"), where, "text_en"),
                }
            )
            expected_min = high + 5
        if not clean_bands or clean_bands[-1]["max"] != 100:
            raise FrameworkInvalid(
                gettext("%(where)s: the last band must end at 100 %%.") % {"where": where}
            )
        clean[kind] = {"dimensions": dimensions, "bands": clean_bands}
    return clean


def framework_as_data(framework: Any) -> dict[str, Any]:
    """The stored framework in the data form above (to compare with a preset or to export)."""
    return {
        "code": framework.code,
        "name_zh": framework.name_zh,
        "name_en": framework.name_en,
        "edition": framework.edition,
        "total_points": framework.total_points,
        "note": framework.note,
        "bands": framework.bands,
        "categories": [
            {
                "code": category.code,
                "name_zh": category.name_zh,
                "name_en": category.name_en,
                "points": category.points,
                "kind": category.kind,
                "items": [
                    {
                        "code": item.code,
                        "name_zh": item.name_zh,
                        "name_en": item.name_en,
                        "points": item.points,
                    }
                    for item in category.items.all()
                ],
            }
            for category in framework.categories.all()
        ],
    }
