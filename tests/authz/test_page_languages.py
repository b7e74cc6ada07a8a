"""Every page of the matrix speaks one language (issue 16): in English no Chinese is left,
in Chinese no English words of the interface.

What the page shows as data keeps its own language: the names of organisations and
people, the measures' titles held by the rule set, the texts of a call, the site's
configured name. Such text is exempt in two ways: an element whose lang attribute names
the other language (the brand mark, the language menu, the legal texts) is not read, and
text that the database or the site's settings hold is data, not interface. What is left
can only come from a template, the code or a missing translation."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client

from ..test_no_developer_text import ALLOWED_WORDS, READ_ATTRIBUTES
from ..urls_helpers import all_routes
from .matrix import MATRIX
from .scenario import ACTORS, build_scenario

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Written in Latin letters in Chinese too, besides the words of the staff-page check.
MORE_ALLOWED_WORDS = {"TOTP", "HTTP", "HTTPS", "JSON", "OpenAPI", "Office", "EHQA", "zip"}
# Addresses, file names, serial numbers and codes: a word joined to a dot, a slash, a
# digit, "@", "_" or "-".
CODE_LIKE = re.compile(r"[\w.@/-]*[.@/\d_-][\w.@/-]*", flags=re.ASCII)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Text(HTMLParser):
    """The text a person reads on the page (and the attributes read aloud), outside
    elements whose language is marked as another one than the page's."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, text inside is skipped)

    def _skipped(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        own = attributes.get("lang", "").lower()
        skip = (
            self._skipped()
            or tag in {"script", "style", "code", "pre", "kbd", "samp"}
            or bool(own and not own.startswith(self.language))
        )
        if tag not in VOID:
            self._stack.append((tag, skip))
        if skip or (tag == "option" and not own):
            return
        if tag == "input" and attributes.get("type") in {
            "hidden",
            "date",
            "number",
            "checkbox",
            "radio",
        }:
            return
        self.parts += [value or "" for name, value in attrs if name in READ_ATTRIBUTES]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if not self._skipped():
            self.parts.append(data)


def page_text(html: str, language: str) -> str:
    parser = _Text(language)
    parser.feed(html)
    return " ".join(parser.parts)


def chinese_left(html: str, data: str = "") -> set[str]:
    return {run for run in CJK.findall(page_text(html, "en")) if run not in data}


def english_left(html: str, data: str = "") -> set[str]:
    text = CODE_LIKE.sub(" ", page_text(html, "zh"))
    allowed = ALLOWED_WORDS | MORE_ALLOWED_WORDS | set(LATIN_WORD.findall(data))
    return {word for word in LATIN_WORD.findall(text) if word not in allowed}


def held_as_data() -> str:
    """Every text the database and the site's settings hold, in one string. Without a
    configured name the site is named after its host, the test client's "testserver"."""
    texts = [str(value) for name, value in vars(settings).items() if name.startswith("QA_")]
    texts.append("testserver")
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            for values in model.objects.values_list(*fields):
                texts += [str(value) for value in values if value]
    return "\n".join(texts)


def html_pages(scenario):
    """(pattern, path, query, actor) of every page of the matrix, opened by the first
    actor that may; the home page by every actor, whose menu differs by role."""
    for route in all_routes():
        row = MATRIX[route.name]
        path = route.fill({key: scenario.value(ref) for key, ref in row.kwargs.items()})
        query = {key: scenario.value(ref) for key, ref in row.query.items()}
        actors = [actor for actor in ACTORS if row.expected[actor] == 200]
        for actor in actors if route.name == "portal:home" else actors[:1]:
            yield route.name, path, query, actor


def test_the_checks_see_a_left_over_string_and_skip_marked_data():
    english = '<p>Call <span lang="zh-Hans">第三届</span> <b>的</b></p>'
    assert chinese_left(english) == {"的"}
    assert chinese_left(english, data="的数据") == set()
    chinese = '<p title="Open">申请 <span lang="en">Acme Ltd</span> PDF a.pdf</p><script>x</script>'
    assert english_left(chinese) == {"Open"}
    assert english_left(chinese, data="Open data") == set()


def test_every_page_is_in_one_language(cycle, media_root):
    if connection.vendor != "sqlite":
        pytest.skip("the pages' wording does not depend on the database: checked on SQLite")
    scenario = build_scenario(cycle)
    data = held_as_data()
    clients = {"anonymous": Client()}
    for actor, user in scenario.users.items():
        clients[actor] = Client()
        clients[actor].force_login(user)
    problems: list[str] = []
    checked = 0
    for name, path, query, actor in html_pages(scenario):
        for language, left in (("en", chinese_left), ("zh-hans", english_left)):
            response = clients[actor].get(path, query, HTTP_ACCEPT_LANGUAGE=language)
            if "text/html" not in response.get("Content-Type", "") or response.streaming:
                break
            checked += 1
            found = left(response.content.decode(), data)
            if found:
                problems.append(f"{name} {path} as {actor} in {language}: {sorted(found)}")
    assert checked > 2 * 60
    assert problems == [], "\n".join(problems)
